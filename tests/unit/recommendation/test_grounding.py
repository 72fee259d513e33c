import uuid
from dataclasses import replace

import pytest

from movierec.core.models import RequestStatus
from movierec.douban.models import DoubanMovie
from movierec.modes.for_me import ForMeRequest
from movierec.modes.star import StarRequest, stars_in
from movierec.modes.tags import TagsRequest
from movierec.recommendation.grounding import (
    MAX_INHERITED,
    MAX_INHERITED_CHARACTERS,
    Exclusions,
    avoid_list,
    exclusions_for,
    rejection_reason,
)
from movierec.recommendation.models import MovieEntry, MovieStatus
from movierec.recommendation.storage import new_request

KUNG_FU = DoubanMovie(
    id="1291543",
    url="https://movie.douban.com/subject/1291543/",
    title="功夫",
    original_title="功夫",
    aka=["Kung Fu Hustle", "功夫3D"],
    directors=["周星驰"],
    cast=["周星驰", "元秋", "元华"],
)
INCEPTION = DoubanMovie(
    id="3541415",
    url="https://movie.douban.com/subject/3541415/",
    title="盗梦空间",
    original_title="Inception",
    directors=["克里斯托弗·诺兰"],
    cast=["莱昂纳多·迪卡普里奥"],
)
TAGS = TagsRequest(mode="tags", tags=["喜剧"])


def test_exclusions_match_ids_and_normalised_titles_including_original_and_aka():
    exclusions = Exclusions.from_entries(["1291543", "ＩＮＣＥＰＴＩＯＮ"])
    assert exclusions.excludes(KUNG_FU)
    assert exclusions.excludes(INCEPTION)  # full-width, any case
    assert Exclusions.from_entries(["kung fu hustle"]).excludes(KUNG_FU)
    assert not Exclusions.from_entries(["功夫熊猫", "12345"]).excludes(KUNG_FU)


INCEPTION_PAGE = INCEPTION.model_copy(
    update={"year": 2010, "aka": ["潜行凶间(港)", "全面启动(台)", "奠基", "心灵犯案", "记忆迷阵", "记忆魔方"]}
)  # the 又名 row of Douban's own page
FARGO_SEASON_2 = DoubanMovie(
    id="26266072",
    url="https://movie.douban.com/subject/26266072/",
    title="冰血暴 第二季",
    original_title="Fargo Season 2",
    year=2015,
    kind="tv",
    aka=["冰血暴 第2季", "雪地惊魂 第二季"],
)


@pytest.mark.parametrize(
    "seen",
    [
        "盗梦空间 (2010)",  # issue 10, input 3: a year appended
        "盜夢空間",  # issue 10, input 3: traditional script
        "《盗梦空间》",
        "全面启动",  # the Taiwan name without its region mark
        "全面啟動",  # ... in its own script
        "潜行凶间",  # the Hong Kong name
        "潛行兇間(港)",
        "Inception (2010)",
        "ｉｎｃｅｐｔｉｏｎ",
        "inception\u200e",
        "3541415",
    ],
)
def test_a_seen_film_is_excluded_however_it_was_typed(seen):
    assert Exclusions.from_entries([seen]).excludes(INCEPTION_PAGE)


@pytest.mark.parametrize("seen", ["盗梦空间 (2014)", "盗梦空间2", "全面", "奠基者", "Inception Season 1", "1234567"])
def test_a_different_title_or_year_does_not_exclude(seen):
    assert not Exclusions.from_entries([seen]).excludes(INCEPTION_PAGE)


@pytest.mark.parametrize(
    ("seen", "excluded"),
    [
        ("冰血暴", True),  # the show: every season of it
        ("Fargo", True),
        ("雪地惊魂", True),  # by a 又名 of the season
        ("冰血暴 第二季", True),
        ("冰血暴 第2季", True),
        ("Fargo S02", True),
        ("冰血暴 第一季", False),  # another season
        ("冰血暴 (1996)", False),  # the film's year: the film, not this season
    ],
)
def test_seasons_are_excluded_by_their_show_or_themselves(seen, excluded):
    assert Exclusions.from_entries([seen]).excludes(FARGO_SEASON_2) is excluded


def test_a_name_the_model_gives_is_checked_against_the_seen_names_before_any_lookup():
    exclusions = Exclusions.from_entries(["盗梦空间 (2010)", "潜行凶间"])
    assert exclusions.excludes_title("盜夢空間", 2010)
    assert exclusions.excludes_title("《盗梦空间》")
    assert exclusions.excludes_title("潜行凶间(港)", 2010)
    assert not exclusions.excludes_title("盗梦空间", 2016)  # another film of that name
    assert not exclusions.excludes_title("盗梦空间2", 2010)
    assert not exclusions.excludes_title(None)


def test_an_excluded_film_is_rejected_with_a_reason():
    assert rejection_reason(TAGS, Exclusions.from_entries(["功夫"]), KUNG_FU) == "已看过或已推荐过"
    assert rejection_reason(TAGS, Exclusions.from_entries([]), KUNG_FU) is None


def test_the_star_must_direct_or_act_in_the_film():
    star = StarRequest(mode="star", star="周星驰")
    assert rejection_reason(star, Exclusions.from_entries([]), KUNG_FU) is None
    assert "周星驰" in rejection_reason(star, Exclusions.from_entries([]), INCEPTION)


def test_star_names_match_whole_or_by_part_but_not_by_substring():
    assert stars_in(INCEPTION, "克里斯托弗·诺兰")
    bilingual = INCEPTION.model_copy(update={"cast": ["莱昂纳多·迪卡普里奥 Leonardo DiCaprio"]})
    assert stars_in(bilingual, "leonardo dicaprio")
    assert not stars_in(bilingual, "Leonardo")
    assert stars_in(bilingual, "莱昂纳多·迪卡普里奥")
    assert not stars_in(KUNG_FU, "周星")
    assert stars_in(KUNG_FU, "周星馳")  # traditional script
    assert not stars_in(KUNG_FU, "·")


def stored(request, movies=(), avoid=()):
    """A finished request as a later one (换一批) reads it: its item and its inputs."""
    full = new_request(uuid.uuid4(), request, list(avoid), created_at=0, deadline_at=0)
    return replace(full, stored=full.stored.model_copy(update={"status": RequestStatus.DONE, "movies": list(movies)}))


def test_avoid_list_adds_the_previous_requests_titles_and_found_ids():
    shown = MovieEntry(rank=1, title="功夫", status=MovieStatus.FOUND, douban=KUNG_FU)
    missing = MovieEntry(rank=2, title="编造的片", status=MovieStatus.NOT_FOUND)
    previous = stored(TAGS, [shown, missing], avoid=["更早看过的"])
    request = TagsRequest(mode="tags", tags=["喜剧"], exclude=["看过的", "功夫"])
    assert avoid_list(request, previous) == ["看过的", "功夫", "1291543", "编造的片", "更早看过的"]
    assert avoid_list(request, None) == ["看过的", "功夫"]


def test_the_whole_exclude_list_is_kept_and_of_a_chain_of_batches_the_newest_entries():
    seen = [str(1_000_000 + n) for n in range(2000)]
    earlier = [f"更早推荐过的{n}" for n in range(MAX_INHERITED + 100)]
    shown = MovieEntry(rank=1, title="功夫", status=MovieStatus.FOUND, douban=KUNG_FU)
    request = TagsRequest(mode="tags", tags=["喜剧"], exclude=seen)
    avoid = avoid_list(request, stored(TAGS, [shown], avoid=[*seen, *earlier]))
    assert avoid[:2000] == seen  # the person's own list, whole, even when the previous request had it too
    assert avoid[2000:2003] == ["功夫", "1291543", "更早推荐过的0"]
    assert len(avoid) == 2000 + MAX_INHERITED


def test_what_is_inherited_is_bounded_in_characters():
    earlier = ["长" * 100] * 10 + [f"{'长' * 99}{n}" for n in range(300)]
    avoid = avoid_list(TAGS, stored(TAGS, avoid=earlier))
    assert sum(map(len, avoid)) <= MAX_INHERITED_CHARACTERS
    assert avoid[0] == "长" * 100


def test_for_me_liked_and_disliked_films_are_never_shown_like_the_exclude_list():
    request = ForMeRequest(mode="for_me", liked=["1291543"], disliked=["盗梦空间"])
    exclusions = exclusions_for(request, avoid=["看过的"])
    assert exclusions.excludes(KUNG_FU)
    assert exclusions.excludes(INCEPTION)
    assert exclusions.excludes_title("看过的")
    assert avoid_list(TAGS, stored(request)) == ["1291543", "盗梦空间"]  # and a next batch keeps them out


def test_the_filters_are_checked_after_exclusions_and_the_modes_rule():
    star = StarRequest(mode="star", star="周星驰", filters={"min_rating": 9})
    rated = KUNG_FU.model_copy(update={"rating": 8.8})
    assert rejection_reason(star, Exclusions.from_entries(["功夫"]), rated) == "已看过或已推荐过"
    assert "周星驰" in rejection_reason(star, Exclusions.from_entries([]), INCEPTION.model_copy(update={"rating": 9.3}))
    assert rejection_reason(star, Exclusions.from_entries([]), rated) == "豆瓣评分 8.8，低于筛选的 9 分"
    assert rejection_reason(star, Exclusions.from_entries([]), rated.model_copy(update={"rating": 9.0})) is None
    partial = "豆瓣暂时只返回了简要信息，无法确认评分是否满足筛选条件"
    assert rejection_reason(star, Exclusions.from_entries([]), rated, partial=True) == partial
