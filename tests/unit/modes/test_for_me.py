"""为我推荐: a compact taste summary from liked and disliked films (ids named by their titles) and the mood."""

import pytest
from pydantic import ValidationError

from movierec.douban.models import DoubanMovie
from movierec.modes.base import ContextSources, Marks
from movierec.modes.for_me import (
    DISLIKED_IN_PROMPT,
    LIKED_CHARACTERS,
    LIKED_IN_PROMPT,
    MODE,
    ForMeRequest,
    TasteFilm,
    titles_in_prompt,
)


def film(douban_id, title, year, *genres):
    return DoubanMovie(
        id=douban_id, url=f"https://movie.douban.com/subject/{douban_id}/", title=title, year=year, genres=list(genres)
    )


CATALOGUE = {
    movie.id: movie
    for movie in (
        film("3541415", "盗梦空间", 2010, "剧情", "科幻", "悬疑", "冒险"),
        film("1889243", "星际穿越", 2014, "剧情", "科幻", "冒险"),
        film("1292052", "肖申克的救赎", 1994, "剧情", "犯罪"),
        film("1291843", "黑客帝国", 1999, "动作", "科幻"),
    )
}


class Douban:
    """movie_by_id over a small catalogue, recording what was asked."""

    def __init__(self, refuses=()):
        self.asked = []
        self.refuses = set(refuses)

    def __call__(self, douban_id):
        self.asked.append(douban_id)
        return None if douban_id in self.refuses else CATALOGUE.get(douban_id)


def taste(request, douban=None, marks=None):
    return MODE.context(request, ContextSources(movie_by_id=douban or Douban(), marks=marks or Marks()))


def test_ids_are_named_with_year_and_genres_titles_kept_as_typed_and_the_mood_added():
    request = ForMeRequest(
        mode="for_me", liked=["3541415", "1889243", "花样年华"], disliked=["1291843"], mood="今晚想看点轻松的"
    )
    data = MODE.prompt_input(request, taste(request))
    assert data == {
        "喜欢的影片": ["盗梦空间（2010，剧情/科幻/悬疑）", "星际穿越（2014，剧情/科幻/冒险）", "花样年华"],
        "常看的类型": ["剧情", "科幻"],
        "不喜欢的影片": ["黑客帝国（1999，动作/科幻）"],
        "此刻的心情": "今晚想看点轻松的",
    }
    assert request.query == "今晚想看点轻松的"


def test_an_id_douban_refuses_is_left_out_and_ids_are_never_in_the_prompt():
    douban = Douban(refuses={"3541415"})
    request = ForMeRequest(mode="for_me", liked=["3541415", "99999999", "1292052"])
    data = MODE.prompt_input(request, taste(request, douban))
    assert data == {"喜欢的影片": ["肖申克的救赎（1994，剧情/犯罪）"]}
    assert douban.asked == ["3541415", "99999999", "1292052"]


def test_only_the_first_telling_films_are_summarised_and_only_those_ids_are_looked_up():
    douban = Douban()
    liked = [f"喜欢的片{n}" for n in range(150)] + ["3541415"]
    disliked = [f"不喜欢的片{n}" for n in range(150)]
    request = ForMeRequest(mode="for_me", liked=liked, disliked=disliked)
    summary = taste(request, douban)
    assert [f.title for f in summary.liked] == liked[:LIKED_IN_PROMPT]
    assert [f.title for f in summary.disliked] == disliked[:DISLIKED_IN_PROMPT]
    assert douban.asked == []  # the id was past the summary's films: never read


def test_the_summary_is_bounded_in_characters_however_long_the_titles():
    request = ForMeRequest(mode="for_me", liked=["长" * 100] * 3 + [f"{'长' * 98}{n:02}" for n in range(20)])
    summary = taste(request)
    assert sum(len(f.described()) for f in summary.liked) <= LIKED_CHARACTERS


def test_marks_kept_elsewhere_come_after_the_requests_own():
    request = ForMeRequest(mode="for_me", liked=["花样年华"])
    summary = taste(request, marks=Marks(liked=("1292052", "花样年华"), disliked=("1291843",)))
    assert [f.title for f in summary.liked] == ["花样年华", "肖申克的救赎"]
    assert [f.title for f in summary.disliked] == ["黑客帝国"]


def test_a_typed_title_reaches_the_prompt_only_among_the_first_typed_titles_the_content_check_reads():
    unknown_ids = [str(90_000_000 + n) for n in range(20)]  # ids Douban will not name: the titles after get room
    titles = [f"片名{n}" for n in range(LIKED_IN_PROMPT + 5)]
    request = ForMeRequest(mode="for_me", liked=[*unknown_ids[:3], *titles[:2], *unknown_ids[3:], *titles[2:]])

    summary = taste(request)

    assert [f.title for f in summary.liked] == titles[:LIKED_IN_PROMPT]
    assert titles_in_prompt(request.liked, LIKED_IN_PROMPT) == titles[:LIKED_IN_PROMPT]


def test_marks_kept_elsewhere_add_their_douban_ids_never_a_title_typed_by_hand():
    """A title typed by hand into the app's lists was never read by the content check: Douban names its ids."""
    request = ForMeRequest(mode="for_me")
    summary = taste(request, marks=Marks(liked=("手写的片名", "1292052"), disliked=("另一个手写的",)))
    assert [f.title for f in summary.liked] == ["肖申克的救赎"]
    assert summary.disliked == ()


def test_without_any_taste_the_prompt_has_only_the_instruction_to_go_on():
    request = ForMeRequest(mode="for_me")
    assert MODE.prompt_input(request, taste(request)) == {}
    assert "口碑好的佳作" in MODE.instruction
    assert request.query == "为我推荐"


def test_every_liked_and_disliked_film_counts_as_seen():
    request = ForMeRequest(mode="for_me", liked=["3541415", "花样年华"], disliked=["1291843"])
    assert MODE.seen(request) == ["3541415", "花样年华", "1291843"]


def test_a_taste_film_is_described_by_what_is_known():
    assert TasteFilm("花样年华").described() == "花样年华"
    assert TasteFilm("花样年华", 2000).described() == "花样年华（2000）"


@pytest.mark.parametrize(
    ("payload", "field", "kind"),
    [
        ({"liked": ["x"] * 201}, "liked", "too_long"),
        ({"disliked": ["x"] * 201}, "disliked", "too_long"),
        ({"liked": ["长" * 101]}, "liked.0", "string_too_long"),
        ({"liked": ["长" * 100] * 61}, "liked", "value_error"),  # over 6,000 characters in all
        ({"mood": "心" * 101}, "mood", "string_too_long"),
        ({"mood": "想看\x00"}, "mood", "value_error"),
        ({"liked": "盗梦空间"}, "liked", "list_type"),
    ],
)
def test_each_rule_is_named(payload, field, kind):
    with pytest.raises(ValidationError) as caught:
        ForMeRequest.model_validate({"mode": "for_me", **payload})
    assert (field, kind) in {(".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()}
