"""The theme mode with `like` (更多类似): the film is read for the prompt, and never shown itself."""

import pytest
from pydantic import ValidationError

from movierec.douban.models import DoubanMovie
from movierec.modes.base import ContextSources, ContextUnavailable
from movierec.modes.theme import MODE, ThemeRequest, described
from movierec.recommendation.grounding import exclusions_for

INCEPTION = DoubanMovie(
    id="3541415",
    url="https://movie.douban.com/subject/3541415/",
    title="盗梦空间",
    original_title="Inception",
    year=2010,
    genres=["剧情", "科幻", "悬疑", "冒险"],
    directors=["克里斯托弗·诺兰"],
)


def sources(*movies):
    known = {movie.id: movie for movie in movies}
    return ContextSources(movie_by_id=known.get)


def test_like_alone_names_the_film_by_its_title_year_genres_and_director():
    request = ThemeRequest(mode="theme", like="3541415")
    context = MODE.context(request, sources(INCEPTION))
    assert MODE.prompt_input(request, context) == {
        "参考影片": "盗梦空间（Inception，2010，剧情/科幻/悬疑，导演：克里斯托弗·诺兰）"
    }
    assert request.query == "更多类似"


def test_like_with_a_theme_keeps_both():
    request = ThemeRequest(mode="theme", theme="像它一样烧脑", like="3541415")
    data = MODE.prompt_input(request, MODE.context(request, sources(INCEPTION)))
    assert data == {"主题或参考影片": "像它一样烧脑", "参考影片": described(INCEPTION)}
    assert request.query == "像它一样烧脑"


def test_the_film_itself_is_never_shown():
    request = ThemeRequest(mode="theme", like="3541415")
    assert MODE.rejection(request, INCEPTION) == "这就是要找相似影片的那一部"
    other = INCEPTION.model_copy(update={"id": "1889243", "title": "星际穿越"})
    assert MODE.rejection(request, other) is None
    assert MODE.rejection(ThemeRequest(mode="theme", theme="时间循环"), INCEPTION) is None


@pytest.mark.parametrize(
    ("theme", "named"),
    [
        ("像《盗梦空间》一样烧脑", ["盗梦空间"]),
        ("《盜夢空間》和《星际穿越》那种", ["盜夢空間", "星际穿越"]),
        ("时间循环", []),
        ("《 》", []),
    ],
)
def test_a_film_the_theme_names_is_never_shown_itself(theme, named):
    request = ThemeRequest(mode="theme", theme=theme)
    assert MODE.seen(request) == named
    assert exclusions_for(request, []).excludes(INCEPTION) is bool(named)


def test_a_film_douban_will_not_give_leaves_the_theme_or_ends_the_round_clearly():
    with_theme = ThemeRequest(mode="theme", theme="烧脑", like="3541415")
    assert MODE.prompt_input(with_theme, MODE.context(with_theme, sources())) == {"主题或参考影片": "烧脑"}
    with pytest.raises(ContextUnavailable) as caught:
        MODE.context(ThemeRequest(mode="theme", like="3541415"), sources())
    assert caught.value.code == "like_unavailable"
    assert "豆瓣" in caught.value.message


def test_a_film_douban_has_no_longer_ends_the_round_saying_so_not_to_try_again_later():
    gone = ContextSources(movie_by_id=lambda _: None, douban_has_no=lambda douban_id: douban_id == "404")
    with pytest.raises(ContextUnavailable) as caught:
        MODE.context(ThemeRequest(mode="theme", like="404"), gone)
    assert caught.value.code == "like_not_found"
    assert "没有找到" in caught.value.message
    assert "稍后再试" not in caught.value.message
    with pytest.raises(ContextUnavailable) as refused:
        MODE.context(ThemeRequest(mode="theme", like="3541415"), gone)  # unread, not unknown: Douban refused
    assert refused.value.code == "like_unavailable"


def test_a_film_with_little_data_is_named_by_its_title():
    bare = DoubanMovie(id="1", url="https://movie.douban.com/subject/1/", title="某片")
    assert described(bare) == "某片"


@pytest.mark.parametrize(
    ("payload", "field", "kind"),
    [
        ({}, "theme", "value_error"),
        ({"like": "tt3541415"}, "like", "string_pattern_mismatch"),
        ({"like": "１２３"}, "like", "string_pattern_mismatch"),
        ({"like": 3541415}, "like", "string_type"),
        ({"theme": "  "}, "theme", "string_too_short"),
    ],
)
def test_a_theme_or_a_douban_id_is_required(payload, field, kind):
    with pytest.raises(ValidationError) as caught:
        ThemeRequest.model_validate({"mode": "theme", **payload})
    found = {(".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()}
    assert (field, kind) in found
    assert len(found) == 1  # a bad `like` is not also reported as a missing theme
