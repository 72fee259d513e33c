"""DoubanLookup end to end against two fake Douban hosts (desktop and mobile) and a moto cache table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from movierec.douban.cache import MovieCache
from movierec.douban.circuit import DynamoCircuitBreaker, InMemoryCircuitBreaker
from movierec.douban.http import DoubanHttp
from movierec.douban.lookup import DoubanLookup, DoubanUnavailable, LookupResult
from movierec.douban.models import DoubanMovie, SuggestCandidate
from tests.fakes.douban_server import FakeDouban, RecordedRequest, Reply, local_only_session

ID = "1292052"
TITLE, ORIGINAL, YEAR = "肖申克的救赎", "The Shawshank Redemption", 1994
COOKIE = "dbcl2=operator-cookie"

SUBJECT = f"/subject/{ID}/"
SUGGEST = "/j/subject_suggest"
ABSTRACT = "/j/subject_abstract"
MOBILE = f"/rexxar/api/v2/movie/{ID}"

BLOCKED_REPLIES = {
    "302-sec": Reply.sec_redirect(f"https://movie.douban.com{SUBJECT}"),
    "403": Reply.status_only(403),
    "418": Reply.status_only(418),
    "challenge": Reply.challenge(),
}


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class World:
    desktop: FakeDouban
    mobile: FakeDouban
    lookup: DoubanLookup
    circuit: Any
    cache: MovieCache
    clock: Clock
    fixtures: dict[str, Any]

    def find(self, title: str = TITLE, original_title: str | None = ORIGINAL, year: int | None = YEAR, **kw):
        return self.lookup.find(title, original_title, year, **kw)

    def all_requests(self) -> list[RecordedRequest]:
        return self.desktop.requests + self.mobile.requests

    def paths(self) -> list[str]:
        return [request.path for request in self.all_requests()]

    def serve_everything(self) -> None:
        self.desktop.set(SUGGEST, Reply.json([]))  # like Douban, any other search finds nothing
        self.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json(self.fixtures["suggest"]))
        self.desktop.set(SUBJECT, Reply.html(self.fixtures["page"]))
        self.desktop.set(f"{ABSTRACT}?subject_id={ID}", Reply.json(self.fixtures["abstract"]))
        self.mobile.set(MOBILE, Reply.json(self.fixtures["mobile"]))

    def serve_movie(self, subject_id: str, title: str) -> None:
        """Another film, found by searching ``title``, on the desktop page and the mobile API."""
        entry = {**self.fixtures["suggest"][0], "id": subject_id, "title": title, "sub_title": ""}
        self.desktop.set(f"{SUGGEST}?q={title}", Reply.json([entry]))
        self.desktop.set(f"/subject/{subject_id}/", Reply.html(self.fixtures["page"]))
        self.mobile.set(f"/rexxar/api/v2/movie/{subject_id}", Reply.json({**self.fixtures["mobile"], "title": title}))


def make_lookup(desktop, mobile, cache, circuit, **http_options) -> DoubanLookup:
    http = DoubanHttp(
        requests_per_second=0, session=local_only_session(), sleep=lambda _: None, jitter=lambda: 0.0, **http_options
    )
    return DoubanLookup(http, cache, circuit, desktop.base_url, mobile.base_url)


@pytest.fixture
def world(aws, fixture_text, fixture_json) -> Iterator[World]:
    clock = Clock()
    cache = MovieCache(aws.Table("MovieCacheTable"), clock=clock)
    circuit = InMemoryCircuitBreaker(clock=clock)
    fixtures = {
        "page": fixture_text("client/subject_1292052.html"),
        "mobile": fixture_json("client/mobile_1292052.json"),
        "abstract": fixture_json("client/abstract_1292052.json"),
        "suggest": fixture_json("client/suggest_shawshank.json"),
    }
    with FakeDouban() as desktop, FakeDouban() as mobile:
        world = World(desktop, mobile, make_lookup(desktop, mobile, cache, circuit), circuit, cache, clock, fixtures)
        world.serve_everything()
        yield world


def assert_shawshank(result: LookupResult, source: str, partial: bool = False) -> None:
    assert result.status == "found"
    assert (result.source, result.partial) == (source, partial)
    assert result.movie.id == ID
    assert result.movie.title == TITLE
    assert result.movie.year == YEAR
    assert result.movie.url.endswith(SUBJECT)


# --- the happy path and the request budget -----------------------------------------------------------------


def test_uncached_movie_costs_two_requests_then_none(world):
    first = world.find()

    assert_shawshank(first, "desktop")
    assert first.movie.rating == 9.7
    assert first.movie.imdb_id == "tt0111161"  # only the page has it: it really came from the page
    assert first.douban_requests == 2
    assert first.requests_by_source == {"suggest": 1, "desktop": 1}
    assert world.paths() == [SUGGEST, SUBJECT]
    assert world.desktop.requests[0].param("q") == TITLE

    world.desktop.clear_requests()
    second = world.find()

    assert second.status == "found"
    assert second.source == "cache"
    assert second.movie == first.movie
    assert second.douban_requests == 0
    assert world.all_requests() == []


def test_cached_under_the_original_title_too(world):
    world.find()
    world.desktop.clear_requests()

    result = world.find(title=ORIGINAL, original_title=None)

    assert (result.source, result.douban_requests) == ("cache", 0)
    assert world.all_requests() == []


def test_cached_title_with_an_expired_subject_skips_the_search(world):
    world.find()
    world.desktop.clear_requests()
    world.clock.now += 8 * 24 * 3600  # the subject (7 days) is stale, the title (30 days) is not

    result = world.find()

    assert_shawshank(result, "desktop")
    assert result.douban_requests == 1
    assert world.paths() == [SUBJECT]


def test_a_subject_already_cached_under_another_title_needs_only_the_search(world):
    world.find()
    world.desktop.clear_requests()
    world.serve_movie(ID, "刺激1995")

    result = world.find(title="刺激1995", original_title=None)

    assert (result.source, result.douban_requests) == ("cache", 1)
    assert world.paths() == [SUGGEST]


def test_the_original_title_is_searched_only_when_the_title_finds_nothing(world):
    world.desktop.set(f"{SUGGEST}?q=刺激1995", Reply.json([]))
    world.desktop.set(f"{SUGGEST}?q={ORIGINAL}", Reply.json(world.fixtures["suggest"]))

    result = world.find(title="刺激1995")

    assert_shawshank(result, "desktop")
    assert result.douban_requests == 3
    assert [request.param("q") for request in world.desktop.requests_to(SUGGEST)] == ["刺激1995", ORIGINAL]


# --- not found ---------------------------------------------------------------------------------------------


def test_no_matching_entry_is_not_found_never_a_guess(world):
    world.desktop.set(f"{SUGGEST}?q=肖申克", Reply.json(world.fixtures["suggest"]))  # close, but not the title

    result = world.find(title="肖申克", original_title=None)

    assert result.status == "not_found"
    assert result.movie is None
    assert "肖申克" in result.reason
    assert result.douban_requests == 1
    assert world.paths() == [SUGGEST]


def test_a_wrong_year_is_not_found(world):
    result = world.find(year=2004)

    assert result.status == "not_found"
    assert SUBJECT not in world.paths()


def test_an_entry_with_no_year_whose_page_shows_another_year_is_not_found_and_not_cached_as_the_title(world):
    """A model's 2020 film was shown as Douban's 1994 entry: the search entry showed no year, so any year matched."""
    no_year = [{**world.fixtures["suggest"][0], "year": ""}]
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json(no_year))

    result = world.find(year=2020)

    assert (result.status, result.movie) == ("not_found", None)
    assert result.reason == "豆瓣上的《肖申克的救赎》是 1994 年的作品，不是推荐的 2020 年那一部"
    assert world.cache.get_candidate((TITLE, ORIGINAL), 2020) is None  # never cached under that title and year
    assert world.cache.get_movie(ID).movie.year == YEAR  # the subject itself is Douban's truth: kept
    world.desktop.clear_requests()

    again = world.find(year=2020)

    assert again.status == "not_found"
    assert world.paths() == [SUGGEST]  # the page is not read again
    assert_shawshank(world.find(year=1995), "cache")  # within a year, as ever


def test_a_subject_cached_by_another_lookup_is_checked_for_the_year_too(world):
    world.lookup.by_id(ID)  # a shared movie link cached the subject
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json([{**world.fixtures["suggest"][0], "year": ""}]))

    assert world.find(year=2020).status == "not_found"


def test_search_entries_with_odd_ids_are_ignored(world):
    entry = {**world.fixtures["suggest"][0], "id": "../../accounts/login"}
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json([entry, {"no": "id"}, "junk"]))

    result = world.find(original_title=None)

    assert result.status == "not_found"
    assert world.paths() == [SUGGEST]


def test_a_missing_subject_page_is_not_found_not_blocked(world):
    world.desktop.set(SUBJECT, Reply.status_only(404))

    result = world.find()

    assert result.status == "not_found"
    assert ID in result.reason
    assert world.paths() == [SUGGEST, SUBJECT]  # no fallback to other sources
    assert not world.circuit.is_open("desktop")
    assert world.cache.get_movie(ID) is None


# --- kinds of entries and names as people write them -------------------------------------------------------

PERSON_ID = "1049999"


def test_a_persons_entry_is_never_fetched_as_a_subject(world, fixture_json):
    # Issue 10, input 1: with every subject source blocked as well, no partial "movie" card of a person either.
    world.desktop.set(f"{SUGGEST}?q=梵高", Reply.json(fixture_json("suggest_van_gogh_person.json")))
    world.desktop.set(f"/subject/{PERSON_ID}/", Reply.challenge())
    world.desktop.set(f"{ABSTRACT}?subject_id={PERSON_ID}", Reply.status_only(403))
    world.mobile.set(f"/rexxar/api/v2/movie/{PERSON_ID}", Reply.status_only(403))

    result = world.find("梵高", "Van Gogh", 1991)

    assert (result.status, result.movie, result.candidate) == ("not_found", None, None)
    assert "梵高" in result.reason
    assert [request.param("q") for request in world.desktop.requests_to(SUGGEST)] == ["梵高", "Van Gogh"]
    assert world.paths() == [SUGGEST, SUGGEST]  # no subject page, mobile API or abstract for a person's id
    assert world.cache.get_movie(PERSON_ID) is None


def test_a_persons_entry_in_the_cache_is_a_miss(world, fixture_json):
    person = SuggestCandidate.model_validate(fixture_json("suggest_van_gogh_person.json")[0])
    card = DoubanMovie(id=PERSON_ID, url=f"https://movie.douban.com/subject/{PERSON_ID}/", title="梵高")
    world.cache.put(["梵高"], 1991, person, card, source="suggest", partial=True)  # as an older release cached it

    result = world.find("梵高", None, 1991)

    assert result.status == "not_found"
    assert world.paths() == [SUGGEST]


def test_a_series_named_by_its_show_name_is_found_as_its_season(world, fixture_json):
    world.desktop.set(f"{SUGGEST}?q=冰血暴", Reply.json(fixture_json("suggest_fargo.json")))
    world.desktop.set("/subject/25826612/", Reply.status_only(403))
    world.mobile.set("/rexxar/api/v2/tv/25826612", Reply.json(fixture_json("mobile_tv.json")))

    result = world.find("冰血暴", "Fargo", 2014)

    assert result.status == "found"
    assert (result.movie.id, result.movie.title, result.movie.kind) == ("25826612", "冰血暴 第一季", "tv")
    assert world.mobile.requests[0].path == "/rexxar/api/v2/tv/25826612"


def test_a_title_in_traditional_script_is_searched_in_simplified_too(world):
    result = world.find(title="肖申克的救贖", original_title=None)

    assert_shawshank(result, "desktop")
    assert [request.param("q") for request in world.desktop.requests_to(SUGGEST)] == ["肖申克的救贖", TITLE]
    world.desktop.clear_requests()
    assert world.find(title="肖申克的救赎", original_title=None).source == "cache"  # one key for both scripts


# --- the fallback chain ------------------------------------------------------------------------------------


@pytest.mark.parametrize("blocked", BLOCKED_REPLIES.values(), ids=BLOCKED_REPLIES.keys())
def test_desktop_blocked_falls_back_to_the_mobile_api(world, blocked):
    world.desktop.set(SUBJECT, blocked)

    result = world.find()

    assert_shawshank(result, "mobile")
    assert result.movie.rating == 9.7
    assert result.douban_requests == 3
    assert world.paths() == [SUGGEST, SUBJECT, MOBILE]
    assert world.circuit.is_open("desktop")
    [mobile] = world.mobile.requests
    assert "iPhone" in mobile.header("User-Agent")
    assert mobile.header("Referer") == f"https://m.douban.com/movie/subject/{ID}/"


def test_mobile_blocked_falls_back_to_the_abstract(world):
    world.desktop.set(SUBJECT, Reply.sec_redirect())
    world.mobile.set(MOBILE, Reply.status_only(403))

    result = world.find()

    assert_shawshank(result, "abstract")
    assert world.paths() == [SUGGEST, SUBJECT, ABSTRACT, MOBILE]  # desktop host first, then mobile host
    assert world.desktop.requests_to(ABSTRACT)[0].param("subject_id") == ID
    assert world.circuit.is_open("mobile")


def test_everything_blocked_gives_a_partial_card_from_the_search_entry(world):
    world.desktop.set(SUBJECT, Reply.challenge())
    world.mobile.set(MOBILE, Reply.status_only(418))
    world.desktop.set(f"{ABSTRACT}?subject_id={ID}", Reply.status_only(403))

    result = world.find()

    assert_shawshank(result, "suggest", partial=True)
    assert result.movie.original_title == ORIGINAL
    assert result.movie.rating is None
    assert result.douban_requests == 4
    cached = world.cache.get_movie(ID)
    assert cached.partial
    world.clock.now += 3600  # the partial card is soon stale, so a later lookup completes it
    assert world.cache.get_movie(ID) is None


def test_open_circuits_skip_sources_without_a_request(world):
    world.circuit.open("desktop", 60)
    world.circuit.open("mobile", 60)

    result = world.find()

    assert_shawshank(result, "abstract")
    assert result.douban_requests == 2
    assert world.paths() == [SUGGEST, ABSTRACT]


def test_a_blocked_source_is_skipped_by_later_lookups_until_its_circuit_closes(world):
    world.desktop.set(SUBJECT, Reply.status_only(403))
    world.find()
    world.serve_movie("1", "刺激1995")
    world.serve_movie("2", "月黑高飞")
    world.clock.now += 30
    world.desktop.clear_requests()

    assert world.find("刺激1995", None, YEAR).source == "mobile"
    assert "/subject/1/" not in world.paths()

    world.clock.now += 120  # the default 120 s are over
    assert world.find("月黑高飞", None, YEAR).source == "desktop"


def test_retry_after_of_a_block_sets_how_long_the_circuit_stays_open(world):
    world.desktop.set(SUBJECT, Reply.status_only(403, {"Retry-After": "600"}))

    world.find()

    assert world.circuit.retry_in("desktop") == pytest.approx(600)


def test_a_down_source_is_passed_over_without_opening_its_circuit(world):
    world.desktop.set(SUBJECT, Reply.status_only(503))

    result = world.find()

    assert result.source == "mobile"
    assert len(world.desktop.requests_to(SUBJECT)) == 3  # retried first
    assert not world.circuit.is_open("desktop")


def test_a_page_that_is_no_subject_is_passed_over(world):
    world.desktop.set(SUBJECT, Reply.html("<html><head><title>豆瓣电影</title></head><body>改版中</body></html>"))

    assert world.find().source == "mobile"


def test_an_error_answer_of_the_mobile_api_is_passed_over(world):
    world.desktop.set(SUBJECT, Reply.status_only(403))
    world.mobile.set(MOBILE, Reply.json({"msg": "invalid_request_1287", "code": 1287}))

    assert world.find().source == "abstract"


def test_a_tv_entry_is_read_from_the_tv_api(world):
    entry = {**world.fixtures["suggest"][0], "type": "tv", "episode": "10"}
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json([entry]))
    world.desktop.set(SUBJECT, Reply.status_only(403))
    world.mobile.set(f"/rexxar/api/v2/tv/{ID}", Reply.json({**world.fixtures["mobile"], "is_tv": True}))

    result = world.find(prefer_tv=True)

    assert result.source == "mobile"
    assert result.movie.kind == "tv"
    assert world.mobile.requests[0].path == f"/rexxar/api/v2/tv/{ID}"


# --- search trouble: DoubanUnavailable ---------------------------------------------------------------------


@pytest.mark.parametrize("blocked", BLOCKED_REPLIES.values(), ids=BLOCKED_REPLIES.keys())
def test_a_blocked_search_is_unavailable_and_pauses_searching(world, blocked):
    world.desktop.set(f"{SUGGEST}?q={TITLE}", blocked)

    with pytest.raises(DoubanUnavailable):
        world.find()
    assert world.circuit.is_open("suggest")

    world.desktop.clear_requests()
    with pytest.raises(DoubanUnavailable) as raised:
        world.find()
    assert world.all_requests() == []
    assert raised.value.retry_after == pytest.approx(120)


def test_a_search_that_stays_down_is_unavailable(world):
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.status_only(502))

    with pytest.raises(DoubanUnavailable, match="502"):
        world.find()
    assert len(world.desktop.requests) == 3
    assert not world.circuit.is_open("suggest")


def test_a_search_that_answers_no_list_is_unavailable(world):
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json({"error": "rate limited"}))

    with pytest.raises(DoubanUnavailable):
        world.find()


def test_a_failing_second_search_is_unavailable_not_not_found(world):
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json([]))
    world.desktop.set(f"{SUGGEST}?q={ORIGINAL}", Reply.status_only(403))

    with pytest.raises(DoubanUnavailable):
        world.find()


def test_a_cached_movie_is_served_even_while_search_is_paused(world):
    world.find()
    world.circuit.open("suggest", 600)

    assert world.find().source == "cache"


# --- cookie, and the shared circuit ------------------------------------------------------------------------


def test_cookie_goes_to_the_desktop_host_only(world):
    lookup = make_lookup(world.desktop, world.mobile, world.cache, world.circuit, cookie=COOKIE)
    world.desktop.set(SUBJECT, Reply.status_only(403))

    lookup.find(TITLE, ORIGINAL, YEAR)

    assert {request.header("Cookie") for request in world.desktop.requests} == {COOKIE}
    assert [request.header("Cookie") for request in world.mobile.requests] == [None]


def test_no_cookie_when_none_is_configured(world):
    world.find()

    assert all(request.header("Cookie") is None for request in world.all_requests())


def test_a_block_seen_by_one_worker_stops_another(world, aws):
    table = aws.Table("MovieCacheTable")
    first = make_lookup(world.desktop, world.mobile, world.cache, DynamoCircuitBreaker(table, clock=world.clock))
    second = make_lookup(world.desktop, world.mobile, world.cache, DynamoCircuitBreaker(table, clock=world.clock))
    world.desktop.set(SUBJECT, Reply.sec_redirect())
    first.find(TITLE, ORIGINAL, YEAR)
    world.serve_movie("1", "刺激1995")
    world.clock.now += 30
    world.desktop.clear_requests()

    result = second.find("刺激1995", None, YEAR)

    assert result.source == "mobile"
    assert "/subject/1/" not in world.paths()


# --- by subject id (a shared movie link) -------------------------------------------------------------------


def block_every_subject_source(world: World) -> None:
    world.desktop.set(SUBJECT, Reply.challenge())
    world.mobile.set(MOBILE, Reply.status_only(418))
    world.desktop.set(f"{ABSTRACT}?subject_id={ID}", Reply.status_only(403, {"Retry-After": "90"}))


def test_by_id_reads_the_page_once_then_answers_from_the_cache(world):
    first = world.lookup.by_id(ID)

    assert_shawshank(first, "desktop")
    assert first.movie.imdb_id == "tt0111161"
    assert world.paths() == [SUBJECT]  # no search: the id is known
    world.desktop.clear_requests()

    second = world.lookup.by_id(ID)

    assert (second.source, second.movie, second.douban_requests) == ("cache", first.movie, 0)
    assert world.all_requests() == []


def test_by_id_finds_a_subject_cached_by_a_recommendation(world):
    world.find()
    world.desktop.clear_requests()

    assert world.lookup.by_id(ID).source == "cache"
    assert world.all_requests() == []


@pytest.mark.parametrize("subject_id", ["abc", "../../accounts/login", "", "1292052/", "１２３"])
def test_by_id_of_something_that_is_no_douban_id_is_not_found_without_a_request(world, subject_id):
    assert world.lookup.by_id(subject_id).status == "not_found"
    assert world.all_requests() == []


def test_by_id_of_a_subject_douban_does_not_know_is_not_found(world):
    world.desktop.set("/subject/999999999/", Reply.status_only(404))

    result = world.lookup.by_id("999999999")

    assert (result.status, result.movie) == ("not_found", None)
    assert world.paths() == ["/subject/999999999/"]
    assert world.cache.get_movie("999999999") is None


def test_by_id_goes_down_the_chain_when_the_page_is_blocked(world):
    world.desktop.set(SUBJECT, Reply.sec_redirect())

    result = world.lookup.by_id(ID)

    assert_shawshank(result, "mobile")
    assert world.circuit.is_open("desktop")
    assert world.cache.get_movie(ID).movie == result.movie


def test_by_id_with_every_source_blocked_and_nothing_cached_is_unavailable_with_a_hint(world):
    block_every_subject_source(world)

    with pytest.raises(DoubanUnavailable) as raised:
        world.lookup.by_id(ID)

    assert raised.value.retry_after == pytest.approx(90)  # every circuit is open; the shortest is the abstract's
    assert world.paths() == [SUBJECT, ABSTRACT, MOBILE]


def test_by_id_completes_a_cached_partial_card_or_keeps_it_while_douban_blocks(world):
    block_every_subject_source(world)
    assert world.find().partial  # a recommendation cached the search entry alone
    world.clock.now += 120  # the circuits close again, Douban still blocks
    world.desktop.clear_requests()

    kept = world.lookup.by_id(ID)

    assert (kept.status, kept.source, kept.partial, kept.movie.title) == ("found", "cache", True, TITLE)
    world.serve_everything()
    world.clock.now += 120

    completed = world.lookup.by_id(ID)

    assert_shawshank(completed, "desktop")
    assert world.cache.get_movie(ID).partial is False


# --- what anyone can make by_id ask: ids Douban has not, entries for signed-in people only -------------------


def test_an_id_douban_has_not_is_remembered_so_asking_again_costs_no_request(world):
    world.desktop.set("/subject/999999999/", Reply.status_only(404))
    assert world.lookup.by_id("999999999").status == "not_found"
    world.desktop.clear_requests()
    asked = []

    for _ in range(5):
        result = world.lookup.by_id("999999999", before_douban=lambda: asked.append(True))
        assert (result.status, result.douban_requests) == ("not_found", 0)

    assert world.all_requests() == []
    assert asked == []  # no limit spent on what costs Douban nothing
    world.clock.now += 86400  # a day on, Douban is asked again
    assert world.lookup.by_id("999999999").douban_requests == 1


def test_a_search_entry_whose_subject_douban_has_not_costs_no_page_read_either(world):
    world.desktop.set(SUBJECT, Reply.status_only(404))
    assert world.find().status == "not_found"
    world.desktop.clear_requests()

    assert world.find().status == "not_found"
    assert world.paths() == [SUGGEST]


def test_before_douban_is_asked_only_when_douban_is(world):
    asked = []
    world.lookup.by_id(ID, before_douban=lambda: asked.append(True))
    world.lookup.by_id(ID, before_douban=lambda: asked.append(True))  # cached now
    assert asked == [True]


def test_before_douban_refusing_sends_nothing(world):
    def refuse() -> None:
        raise PermissionError("over the limit")

    with pytest.raises(PermissionError):
        world.lookup.by_id(ID, before_douban=refuse)
    assert world.all_requests() == []


@pytest.mark.parametrize("lookup", ["by_id", "find"])
def test_an_entry_shown_to_signed_in_people_only_opens_no_circuit_for_everyone(world, lookup):
    """Douban sends anyone not signed in from a restricted entry's page to the login page: that is the entry's rule,
    not a block on us. It once opened the desktop circuit for 120 s, for every lookup, from one shared link."""
    world.desktop.set(SUBJECT, Reply.login_redirect(f"https://movie.douban.com{SUBJECT}"))

    result = world.lookup.by_id(ID) if lookup == "by_id" else world.find()

    assert_shawshank(result, "mobile")  # down the chain, as for any block
    assert not world.circuit.is_open("desktop")
    world.serve_movie("1", "刺激1995")
    world.desktop.clear_requests()
    assert world.find("刺激1995", None, YEAR).source == "desktop"  # other entries' pages are still read


def test_an_entry_for_signed_in_people_only_is_not_asked_of_the_desktop_again_for_a_while(world):
    world.desktop.set(SUBJECT, Reply.login_redirect(f"https://movie.douban.com{SUBJECT}"))
    first = world.lookup.by_id(ID)
    # Only a partial card is cached (as while Douban blocked every source), so the next read goes to Douban again.
    world.cache.put((), None, SuggestCandidate(id=ID, title=TITLE), first.movie, source="suggest", partial=True)
    world.desktop.clear_requests()
    world.mobile.clear_requests()

    assert world.lookup.by_id(ID).source == "mobile"  # the partial card is completed from the mobile API
    assert world.paths() == [MOBILE]
