"""DoubanLookup end to end against two fake Douban hosts (desktop and mobile) and a moto cache table: anonymous (the
mobile API first, no desktop page), signed in with the operator's cookie (the desktop page first), and the budget."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from movierec.douban.budget import (
    BudgetPolicy,
    DoubanBudget,
    InMemoryBudgetStore,
    LookupSpend,
    Priority,
    unlimited,
)
from movierec.douban.cache import MovieCache
from movierec.douban.circuit import DynamoCircuitBreaker, InMemoryCircuitBreaker
from movierec.douban.errors import DoubanBanned, OutOfBudget
from movierec.douban.http import DoubanHttp
from movierec.douban.lists import card_from_list_item
from movierec.douban.lookup import CHALLENGE_SECONDS, DoubanLookup, DoubanUnavailable, LookupResult
from movierec.douban.models import DoubanMovie, SuggestCandidate
from tests.fakes.clock import SimClock
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


# Patient enough for an unlimited budget; tests of the budget give their own.
SPEND = LookupSpend(Priority.CARD, search_seconds=10.0, read_seconds=3.0)


@dataclass
class World:
    desktop: FakeDouban
    mobile: FakeDouban
    lookup: DoubanLookup
    circuit: Any
    cache: MovieCache
    clock: SimClock
    fixtures: dict[str, Any]

    def find(self, title: str = TITLE, original_title: str | None = ORIGINAL, year: int | None = YEAR, **kw):
        return self.lookup.find(title, original_title, year, **({"spend": SPEND} | kw))

    def by_id(self, subject_id: str = ID, **kw):
        return self.lookup.by_id(subject_id, **({"spend": SPEND} | kw))

    def signed_in(self, budget: DoubanBudget | None = None) -> DoubanLookup:
        """A lookup of the same world with the operator's cookie (the desktop page first)."""
        return make_lookup(self, cookie=COOKIE, budget=budget or unlimited(cookie_configured=True))

    def with_budget(self, budget: DoubanBudget) -> DoubanLookup:
        return make_lookup(self, budget=budget)

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
        """Another film, found by searching ``title``, on the desktop page, the mobile API and the abstract."""
        entry = {**self.fixtures["suggest"][0], "id": subject_id, "title": title, "sub_title": ""}
        self.desktop.set(f"{SUGGEST}?q={title}", Reply.json([entry]))
        self.desktop.set(f"/subject/{subject_id}/", Reply.html(self.fixtures["page"]))
        self.desktop.set(f"{ABSTRACT}?subject_id={subject_id}", Reply.json(self.fixtures["abstract"]))
        self.mobile.set(f"/rexxar/api/v2/movie/{subject_id}", Reply.json({**self.fixtures["mobile"], "title": title}))


def make_lookup(world: World, **http_options) -> DoubanLookup:
    options = {"budget": unlimited(), "session": local_only_session(), "sleep": lambda _: None, "jitter": lambda: 0.0}
    http = DoubanHttp(**(options | http_options))
    return DoubanLookup(
        http, world.cache, world.circuit, world.desktop.base_url, world.mobile.base_url, jitter=lambda: 0.5
    )


def tight_budget(world: World, per_minute: int = 10, cookie_configured: bool = False) -> DoubanBudget:
    """The deployed budget on the world's clock (taking a token never waits for real)."""
    policy = BudgetPolicy(per_minute=per_minute, signed_in_per_minute=2 * per_minute, burst=3)
    return DoubanBudget(
        InMemoryBudgetStore(),
        policy,
        cookie_configured=cookie_configured,
        clock=world.clock,
        sleep=world.clock.sleep,
        jitter=lambda: 0.0,
    )


@pytest.fixture
def world(aws, fixture_text, fixture_json) -> Iterator[World]:
    clock = SimClock()
    cache = MovieCache(aws.Table("MovieCacheTable"), clock=clock)
    circuit = InMemoryCircuitBreaker(clock=clock)
    fixtures = {
        "page": fixture_text("client/subject_1292052.html"),
        "mobile": fixture_json("client/mobile_1292052.json"),
        "abstract": fixture_json("client/abstract_1292052.json"),
        "suggest": fixture_json("client/suggest_shawshank.json"),
    }
    with FakeDouban() as desktop, FakeDouban() as mobile:
        world = World(desktop, mobile, None, circuit, cache, clock, fixtures)  # type: ignore[arg-type]
        world.lookup = make_lookup(world)
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

    assert_shawshank(first, "mobile")
    assert first.movie.rating == 9.7
    assert first.douban_requests == 2
    assert first.requests_by_source == {"suggest": 1, "mobile": 1}
    assert world.paths() == [SUGGEST, MOBILE]  # anonymous: never the desktop page, which Douban challenges in 2026
    assert world.desktop.requests[0].param("q") == TITLE
    [mobile] = world.mobile.requests
    assert "iPhone" in mobile.header("User-Agent")
    assert mobile.header("Referer") == f"https://m.douban.com/movie/subject/{ID}/"

    world.desktop.clear_requests()
    world.mobile.clear_requests()
    second = world.find()

    assert second.status == "found"
    assert second.source == "cache"
    assert second.movie == first.movie
    assert second.douban_requests == 0
    assert world.all_requests() == []


def test_signed_in_the_desktop_page_comes_first(world):
    result = world.signed_in().find(TITLE, ORIGINAL, YEAR, spend=SPEND)

    assert_shawshank(result, "desktop")
    assert result.movie.imdb_id == "tt0111161"  # only the page has it: it really came from the page
    assert world.paths() == [SUGGEST, SUBJECT]


def test_cached_under_the_original_title_too(world):
    world.find()
    world.desktop.clear_requests()
    world.mobile.clear_requests()

    result = world.find(title=ORIGINAL, original_title=None)

    assert (result.source, result.douban_requests) == ("cache", 0)
    assert world.all_requests() == []


def test_cached_title_with_an_expired_subject_skips_the_search(world):
    world.find()
    world.desktop.clear_requests()
    world.mobile.clear_requests()
    world.clock.now += 8 * 24 * 3600  # the subject (7 days) is stale, the title (30 days) is not

    result = world.find()

    assert_shawshank(result, "mobile")
    assert result.douban_requests == 1
    assert world.paths() == [MOBILE]


def test_a_subject_already_cached_under_another_title_needs_only_the_search(world):
    world.find()
    world.desktop.clear_requests()
    world.mobile.clear_requests()
    world.serve_movie(ID, "刺激1995")

    result = world.find(title="刺激1995", original_title=None)

    assert (result.source, result.douban_requests) == ("cache", 1)
    assert world.paths() == [SUGGEST]


def test_the_original_title_is_searched_only_when_the_title_finds_nothing(world):
    world.desktop.set(f"{SUGGEST}?q=刺激1995", Reply.json([]))
    world.desktop.set(f"{SUGGEST}?q={ORIGINAL}", Reply.json(world.fixtures["suggest"]))

    result = world.find(title="刺激1995")

    assert_shawshank(result, "mobile")
    assert result.douban_requests == 3
    assert [request.param("q") for request in world.desktop.requests_to(SUGGEST)] == ["刺激1995", ORIGINAL]


def test_the_search_entry_is_cached_at_once_the_card_when_the_caller_says(world):
    result = world.find(defer_caching=True)

    assert world.cache.get_candidate((TITLE, ORIGINAL), YEAR).id == ID  # a waiting lookup of the title finds it
    assert world.cache.get_movie(ID) is None
    world.lookup.remember(TITLE, ORIGINAL, YEAR, result)
    assert world.cache.get_movie(ID).movie == result.movie


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
    assert MOBILE not in world.paths()


def test_an_entry_with_no_year_whose_subject_shows_another_year_is_not_found_and_never_read_again(world):
    """A model's 2020 film was shown as Douban's 1994 entry: the search entry showed no year, so any year matched."""
    no_year = [{**world.fixtures["suggest"][0], "year": ""}]
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json(no_year))

    result = world.find(year=2020)

    assert (result.status, result.movie) == ("not_found", None)
    assert result.reason == "豆瓣上的《肖申克的救赎》是 1994 年的作品，不是推荐的 2020 年那一部"
    assert world.cache.get_movie(ID).movie.year == YEAR  # the subject itself is Douban's truth: kept
    world.desktop.clear_requests()
    world.mobile.clear_requests()

    again = world.find(year=2020)

    assert again.status == "not_found"
    assert world.all_requests() == []  # the search's answer and the subject are both known: nothing is asked
    assert_shawshank(world.find(year=1995), "cache")  # within a year, as ever


def test_a_subject_cached_by_another_lookup_is_checked_for_the_year_too(world):
    world.by_id(ID)  # a shared movie link cached the subject
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json([{**world.fixtures["suggest"][0], "year": ""}]))

    assert world.find(year=2020).status == "not_found"


def test_search_entries_with_odd_ids_are_ignored(world):
    entry = {**world.fixtures["suggest"][0], "id": "../../accounts/login"}
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json([entry, {"no": "id"}, "junk"]))

    result = world.find(original_title=None)

    assert result.status == "not_found"
    assert world.paths() == [SUGGEST]


def test_a_subject_the_mobile_api_does_not_know_is_not_found_not_blocked(world):
    world.mobile.set(MOBILE, Reply.json({"msg": "not_found", "code": 404}, status=404))

    result = world.find()

    assert result.status == "not_found"
    assert ID in result.reason
    assert world.paths() == [SUGGEST, MOBILE]  # no fallback to other sources
    assert not world.circuit.is_open("mobile")
    assert world.cache.get_movie(ID) is None


def test_signed_in_a_missing_subject_page_is_not_found(world):
    world.desktop.set(SUBJECT, Reply.status_only(404))

    result = world.signed_in().find(TITLE, ORIGINAL, YEAR, spend=SPEND)

    assert result.status == "not_found"
    assert world.paths() == [SUGGEST, SUBJECT]


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
    world.mobile.set("/rexxar/api/v2/tv/25826612", Reply.json(fixture_json("mobile_tv.json")))

    result = world.find("冰血暴", "Fargo", 2014)

    assert result.status == "found"
    assert (result.movie.id, result.movie.title, result.movie.kind) == ("25826612", "冰血暴 第一季", "tv")
    assert world.mobile.requests[0].path == "/rexxar/api/v2/tv/25826612"


def test_a_title_in_traditional_script_is_searched_in_simplified_too(world):
    result = world.find(title="肖申克的救贖", original_title=None)

    assert_shawshank(result, "mobile")
    assert [request.param("q") for request in world.desktop.requests_to(SUGGEST)] == ["肖申克的救贖", TITLE]
    world.desktop.clear_requests()
    assert world.find(title="肖申克的救赎", original_title=None).source == "cache"  # one key for both scripts


def test_a_series_asked_as_a_movie_follows_the_mobile_api_to_its_tv_path(world):
    """By id alone the kind is unknown: the mobile API redirects /movie/<id> of a series to /tv/<id>."""
    world.mobile.set(MOBILE, Reply.redirect(f"/rexxar/api/v2/tv/{ID}"))
    world.mobile.set(f"/rexxar/api/v2/tv/{ID}", Reply.json({**world.fixtures["mobile"], "is_tv": True}))

    result = world.by_id(ID)

    assert (result.source, result.movie.kind, result.douban_requests) == ("mobile", "tv", 2)
    assert [request.path for request in world.mobile.requests] == [MOBILE, f"/rexxar/api/v2/tv/{ID}"]


# --- the fallback chain ------------------------------------------------------------------------------------


def test_mobile_blocked_falls_back_to_the_abstract(world):
    world.mobile.set(MOBILE, Reply.status_only(403))

    result = world.find()

    assert_shawshank(result, "abstract")
    assert world.paths() == [SUGGEST, ABSTRACT, MOBILE]  # desktop host first, then mobile host
    assert world.desktop.requests_to(ABSTRACT)[0].param("subject_id") == ID
    assert world.circuit.is_open("mobile")


def test_everything_blocked_gives_a_partial_card_from_the_search_entry(world):
    world.mobile.set(MOBILE, Reply.status_only(418))
    world.desktop.set(f"{ABSTRACT}?subject_id={ID}", Reply.status_only(403))

    result = world.find()

    assert_shawshank(result, "suggest", partial=True)
    assert result.movie.original_title == ORIGINAL
    assert result.movie.rating is None
    assert result.douban_requests == 3
    assert SUBJECT not in world.paths()
    cached = world.cache.get_movie(ID)
    assert cached.partial
    world.clock.now += 3600  # the partial card is soon stale, so a later lookup completes it
    assert world.cache.get_movie(ID) is None


def test_open_circuits_skip_sources_without_a_request(world):
    world.circuit.open("mobile", 60)

    result = world.find()

    assert_shawshank(result, "abstract")
    assert result.douban_requests == 2
    assert world.paths() == [SUGGEST, ABSTRACT]


def test_every_circuit_open_shows_the_search_entry_without_a_subject_request(world):
    world.circuit.open("mobile", 60)
    world.circuit.open("abstract", 60)

    result = world.find()

    assert_shawshank(result, "suggest", partial=True)
    assert world.paths() == [SUGGEST]


def test_a_blocked_source_is_skipped_by_later_lookups_until_its_circuit_closes(world):
    world.mobile.set(MOBILE, Reply.status_only(403))
    world.find()
    world.serve_movie("1", "刺激1995")
    world.serve_movie("2", "月黑高飞")
    world.clock.now += 30
    world.mobile.clear_requests()

    assert world.find("刺激1995", None, YEAR).source == "abstract"
    assert world.mobile.requests == []

    world.clock.now += 120  # the default 120 s are over
    assert world.find("月黑高飞", None, YEAR).source == "mobile"


def test_retry_after_of_a_block_sets_how_long_the_circuit_stays_open(world):
    world.mobile.set(MOBILE, Reply.status_only(403, {"Retry-After": "600"}))

    world.find()

    assert world.circuit.retry_in("mobile") == pytest.approx(600)


def test_a_down_source_is_passed_over_without_opening_its_circuit(world):
    world.mobile.set(MOBILE, Reply.status_only(503))

    result = world.find()

    assert result.source == "abstract"
    assert len(world.mobile.requests_to(MOBILE)) == 3  # retried first
    assert not world.circuit.is_open("mobile")


def test_an_error_answer_of_the_mobile_api_is_passed_over(world):
    world.mobile.set(MOBILE, Reply.json({"msg": "invalid_request_1287", "code": 1287}))

    assert world.find().source == "abstract"


def test_the_mobile_api_s_need_login_for_one_subject_leaves_it_open_to_the_others(world):
    # A 2026 client measured rexxar answering this 403 to about half of its requests, with or without a cookie: the
    # API's answer to that request, not a block of the address. Closing the mobile API on it for everyone would leave
    # most cards to the abstract, which has no poster.
    world.mobile.set(MOBILE, Reply.api_error(103, "need_login", f"GET /v2/movie/{ID}", status=403))
    world.serve_movie("1", "刺激1995")

    assert_shawshank(world.find(), "abstract")
    assert not world.circuit.is_open("mobile")
    assert world.find("刺激1995", None, YEAR).source == "mobile"


def test_a_tv_entry_is_read_from_the_tv_api(world):
    entry = {**world.fixtures["suggest"][0], "type": "tv", "episode": "10"}
    world.desktop.set(f"{SUGGEST}?q={TITLE}", Reply.json([entry]))
    world.mobile.set(f"/rexxar/api/v2/tv/{ID}", Reply.json({**world.fixtures["mobile"], "is_tv": True}))

    result = world.find(prefer_tv=True)

    assert result.source == "mobile"
    assert result.movie.kind == "tv"
    assert world.mobile.requests[0].path == f"/rexxar/api/v2/tv/{ID}"


# --- signed in: the desktop page, its challenge, the cookie's expiry ----------------------------------------


@pytest.mark.parametrize("blocked", BLOCKED_REPLIES.values(), ids=BLOCKED_REPLIES.keys())
def test_signed_in_a_blocked_desktop_page_falls_back_to_the_mobile_api(world, blocked):
    world.desktop.set(SUBJECT, blocked)

    result = world.signed_in().find(TITLE, ORIGINAL, YEAR, spend=SPEND)

    assert_shawshank(result, "mobile")
    assert result.douban_requests == 3
    assert world.paths() == [SUGGEST, SUBJECT, MOBILE]
    assert world.circuit.is_open("desktop")


def test_a_challenge_is_remembered_for_hours_and_never_solved(world):
    world.desktop.set(SUBJECT, Reply.sec_redirect(f"https://movie.douban.com{SUBJECT}"))
    lookup = world.signed_in()

    lookup.find(TITLE, ORIGINAL, YEAR, spend=SPEND)

    # six hours, give or take a fifth (the jitter is pinned halfway): a re-probe, not a retry
    assert world.circuit.retry_in("desktop") == pytest.approx(CHALLENGE_SECONDS)
    world.serve_movie("1", "刺激1995")
    world.clock.now += 5 * 3600
    world.desktop.clear_requests()
    assert lookup.find("刺激1995", None, YEAR, spend=SPEND).source == "mobile"
    assert world.desktop.requests_to("/subject/1/") == []  # the challenged page is not asked again meanwhile
    world.clock.now += 3600 + 1
    assert lookup.find("月黑高飞", None, YEAR, spend=SPEND).status == "not_found"  # (nothing served for it)
    world.serve_movie("2", "月黑高飞")
    assert lookup.find("月黑高飞", None, YEAR, spend=SPEND).source == "desktop"  # the re-probe, hours later


def test_the_cookie_goes_to_the_desktop_host_only(world):
    world.desktop.set(SUBJECT, Reply.status_only(403))

    world.signed_in().find(TITLE, ORIGINAL, YEAR, spend=SPEND)

    assert {request.header("Cookie") for request in world.desktop.requests} == {COOKIE}
    assert [request.header("Cookie") for request in world.mobile.requests] == [None]


def test_no_cookie_when_none_is_configured(world):
    world.find()

    assert all(request.header("Cookie") is None for request in world.all_requests())


def test_a_login_wall_with_the_cookie_means_it_expired_and_lookups_go_on_anonymously(world, caplog):
    """Signed in, every entry's page shows (restricted ones too): the login wall says the cookie no longer works."""
    world.desktop.set(SUBJECT, Reply.login_redirect(f"https://movie.douban.com{SUBJECT}"))
    budget = tight_budget(world, per_minute=600, cookie_configured=True)
    lookup = world.signed_in(budget)

    result = lookup.find(TITLE, ORIGINAL, YEAR, spend=SPEND)

    assert_shawshank(result, "mobile")  # the same lookup goes on, anonymously
    assert not budget.signed_in()  # on the anonymous budget from now on
    assert "cookie has expired" in caplog.text
    assert not world.circuit.is_open("desktop")  # no circuit: the cookie, not the page
    world.serve_movie("1", "刺激1995")
    world.desktop.clear_requests()
    assert lookup.find("刺激1995", None, YEAR, spend=SPEND).source == "mobile"
    assert world.desktop.requests_to("/subject/1/") == []


def test_a_block_seen_by_one_worker_stops_another(world, aws):
    table = aws.Table("MovieCacheTable")
    world.circuit = DynamoCircuitBreaker(table, clock=world.clock)
    first = make_lookup(world)
    world.circuit = DynamoCircuitBreaker(table, clock=world.clock)
    second = make_lookup(world)
    world.mobile.set(MOBILE, Reply.status_only(403))
    first.find(TITLE, ORIGINAL, YEAR, spend=SPEND)
    world.serve_movie("1", "刺激1995")
    world.clock.now += 30
    world.mobile.clear_requests()

    result = second.find("刺激1995", None, YEAR, spend=SPEND)

    assert result.source == "abstract"
    assert world.mobile.requests == []


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
    assert raised.value.retry_after >= 120


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


# --- the budget --------------------------------------------------------------------------------------------


def test_a_search_without_budget_in_time_is_unavailable_and_sends_nothing(world):
    budget = tight_budget(world)
    lookup = world.with_budget(budget)
    for _ in range(3):
        budget.take(Priority.CARD, wait_seconds=0)  # the burst is spent

    with pytest.raises(OutOfBudget) as refused:
        lookup.find(TITLE, ORIGINAL, YEAR, spend=LookupSpend(Priority.CARD, search_seconds=1, read_seconds=1))

    assert isinstance(refused.value, DoubanUnavailable)  # the scrape job is retried after the hint
    assert refused.value.retry_after == pytest.approx(6)
    assert world.all_requests() == []


def test_a_subject_without_budget_in_time_shows_its_search_entry(world):
    budget = tight_budget(world)
    lookup = world.with_budget(budget)
    spend = LookupSpend(Priority.CARD, search_seconds=0, read_seconds=0)
    budget.take(Priority.CARD, wait_seconds=0)
    budget.take(Priority.CARD, wait_seconds=0)  # one token of the burst is left: the search's

    result = lookup.find(TITLE, ORIGINAL, YEAR, spend=spend)

    assert_shawshank(result, "suggest", partial=True)  # Douban's own search entry, completed later
    assert result.movie.original_title == ORIGINAL
    assert world.paths() == [SUGGEST]


def test_a_lower_priority_waits_for_the_share_the_cards_leave_it(world):
    budget = tight_budget(world)
    lookup = world.with_budget(budget)
    for _ in range(5):  # half the minute is used
        budget.take(Priority.CARD, wait_seconds=60)

    with pytest.raises(OutOfBudget):
        lookup.by_id(ID, spend=LookupSpend(Priority.IMPORT, 0, 0))
    assert lookup.by_id(ID, spend=LookupSpend(Priority.CARD, 0, 6)).source == "mobile"


def test_a_lookup_that_waited_finds_what_another_worker_learnt_meanwhile(world):
    budget = tight_budget(world)
    lookup = world.with_budget(budget)
    for _ in range(3):
        budget.take(Priority.CARD, wait_seconds=0)

    def another_worker_caches_it(seconds: float) -> None:
        world.clock.sleeps.append(seconds)
        world.clock.now += seconds
        candidate = SuggestCandidate.model_validate(world.fixtures["suggest"][0])
        world.cache.put((TITLE, ORIGINAL), YEAR, candidate, from_mobile(world), source="mobile", partial=False)

    budget._sleep = another_worker_caches_it
    result = lookup.find(TITLE, ORIGINAL, YEAR, spend=SPEND)

    assert (result.status, result.source, result.douban_requests) == ("found", "cache", 0)
    assert world.all_requests() == []


def from_mobile(world: World) -> DoubanMovie:
    from movierec.douban.sources import from_mobile_api

    return from_mobile_api(world.fixtures["mobile"], ID, world.desktop.base_url)


def test_a_rate_limit_answer_pauses_the_budget_and_the_card_shows_its_search_entry(world):
    world.mobile.set(
        MOBILE,
        Reply.api_error(
            1309, "subject_ip_rate_limit", f"GET /v2/movie/{ID}", localized="您所在的网络存在异常，请登录后重试。"
        ),
    )
    budget = tight_budget(world)
    lookup = world.with_budget(budget)

    result = lookup.find(TITLE, ORIGINAL, YEAR, spend=SPEND)

    assert_shawshank(result, "suggest", partial=True)
    assert world.paths() == [SUGGEST, MOBILE]  # the abstract is not asked: every source waits out the rate limit
    assert not world.circuit.is_open("mobile")  # the budget waits, not the one source
    with pytest.raises(OutOfBudget) as paused:
        budget.take(Priority.CARD, wait_seconds=30)
    assert paused.value.retry_after == pytest.approx(60)


def test_a_ban_stops_the_lookup_and_every_one_after_it(world):
    world.mobile.set(MOBILE, Reply.ban_redirect(f"https://m.douban.com{MOBILE}"))
    budget = tight_budget(world)
    lookup = world.with_budget(budget)

    first = lookup.find(TITLE, ORIGINAL, YEAR, spend=SPEND)

    assert_shawshank(first, "suggest", partial=True)  # the search entry was read before the ban
    world.serve_movie("1", "刺激1995")
    world.desktop.clear_requests()
    world.mobile.clear_requests()
    with pytest.raises(DoubanBanned):
        lookup.find("刺激1995", None, YEAR, spend=SPEND)
    assert world.all_requests() == []


# --- a list's card (the warm-up) ---------------------------------------------------------------------------


def warm(world: World) -> DoubanMovie:
    item = {
        "id": ID,
        "title": TITLE,
        "type": "movie",
        "card_subtitle": "1994 / 美国 / 犯罪 剧情 / 弗兰克·德拉邦特 / 蒂姆·罗宾斯 摩根·弗里曼",
        "pic": {"large": "https://img3.doubanio.com/l.jpg", "normal": "https://img3.doubanio.com/n.jpg"},
        "rating": {"count": 3000000, "max": 10, "star_count": 5.0, "value": 9.7},
        "url": f"https://movie.douban.com/subject/{ID}/",
    }
    movie, candidate = card_from_list_item(item, world.desktop.base_url)
    world.cache.put_list_card(movie, candidate)
    return movie


def test_a_film_from_a_list_costs_no_request(world):
    card = warm(world)

    result = world.find()

    assert (result.status, result.source, result.partial, result.douban_requests) == ("found", "list", False, 0)
    assert result.movie == card
    assert world.all_requests() == []


def test_a_list_card_is_completed_when_the_request_needs_more(world):
    warm(world)

    result = world.find(complete_partial=True)

    assert_shawshank(result, "mobile")
    assert result.movie.runtime_minutes  # what the list did not say
    assert world.paths() == [MOBILE]  # no search: the list gave the way to the subject
    world.lookup.remember(TITLE, ORIGINAL, YEAR, result)
    assert not world.cache.get_movie(ID).from_list


def test_a_list_card_that_cannot_be_completed_now_comes_back_partial(world):
    warm(world)
    world.circuit.open("mobile", 60)
    world.circuit.open("abstract", 60)

    result = world.find(complete_partial=True)

    assert (result.status, result.source, result.partial) == ("found", "list", True)
    assert result.movie.rating == 9.7  # the list's card, not the bare search entry


def test_a_list_never_replaces_a_fuller_card(world):
    world.find()

    warm(world)

    assert world.cache.get_movie(ID).source == "mobile"
    world.clock.now += 8 * 24 * 3600  # once the card is stale, a list's takes its place
    warm(world)
    assert world.cache.get_movie(ID).from_list


# --- by subject id (a shared movie link) -------------------------------------------------------------------


def block_every_subject_source(world: World) -> None:
    world.desktop.set(SUBJECT, Reply.challenge())
    world.mobile.set(MOBILE, Reply.status_only(418))
    world.desktop.set(f"{ABSTRACT}?subject_id={ID}", Reply.status_only(403, {"Retry-After": "90"}))


def test_by_id_reads_the_mobile_api_once_then_answers_from_the_cache(world):
    first = world.by_id(ID)

    assert_shawshank(first, "mobile")
    assert world.paths() == [MOBILE]  # no search: the id is known
    world.mobile.clear_requests()

    second = world.by_id(ID)

    assert (second.source, second.movie, second.douban_requests) == ("cache", first.movie, 0)
    assert world.all_requests() == []


def test_by_id_finds_a_subject_cached_by_a_recommendation(world):
    world.find()
    world.desktop.clear_requests()
    world.mobile.clear_requests()

    assert world.by_id(ID).source == "cache"
    assert world.all_requests() == []


@pytest.mark.parametrize("subject_id", ["abc", "../../accounts/login", "", "1292052/", "１２３"])
def test_by_id_of_something_that_is_no_douban_id_is_not_found_without_a_request(world, subject_id):
    assert world.by_id(subject_id).status == "not_found"
    assert world.all_requests() == []


def test_by_id_of_a_subject_douban_does_not_know_is_not_found(world):
    world.mobile.set("/rexxar/api/v2/movie/999999999", Reply.json({"msg": "not_found", "code": 404}, status=404))

    result = world.by_id("999999999")

    assert (result.status, result.movie) == ("not_found", None)
    assert world.paths() == ["/rexxar/api/v2/movie/999999999"]
    assert world.cache.get_movie("999999999") is None


def test_by_id_goes_down_the_chain_when_the_mobile_api_is_blocked(world):
    world.mobile.set(MOBILE, Reply.status_only(403))

    result = world.by_id(ID)

    assert_shawshank(result, "abstract")
    assert world.circuit.is_open("mobile")
    assert world.cache.get_movie(ID).movie == result.movie


def test_by_id_with_every_source_blocked_and_nothing_cached_is_unavailable_with_a_hint(world):
    block_every_subject_source(world)
    world.mobile.set(MOBILE, Reply.status_only(418, {"Retry-After": "300"}))

    with pytest.raises(DoubanUnavailable) as raised:
        world.by_id(ID)

    assert raised.value.retry_after == pytest.approx(90)  # every circuit is open; the shortest is the abstract's
    assert world.paths() == [ABSTRACT, MOBILE]


def test_by_id_completes_a_cached_partial_card_or_keeps_it_while_douban_blocks(world):
    block_every_subject_source(world)
    assert world.find().partial  # a recommendation cached the search entry alone
    world.clock.now += 120  # the circuits close again, Douban still blocks
    world.desktop.clear_requests()

    kept = world.by_id(ID)

    assert (kept.status, kept.source, kept.partial, kept.movie.title) == ("found", "cache", True, TITLE)
    world.serve_everything()
    world.clock.now += 120

    completed = world.by_id(ID)

    assert_shawshank(completed, "mobile")
    assert world.cache.get_movie(ID).partial is False


def test_by_id_completes_a_list_card(world):
    warm(world)

    result = world.by_id(ID)

    assert_shawshank(result, "mobile")
    assert world.cache.get_movie(ID).source == "mobile"


# --- what anyone can make by_id ask: ids Douban has not ---------------------------------------------------


def test_an_id_douban_has_not_is_remembered_so_asking_again_costs_no_request(world):
    world.mobile.set("/rexxar/api/v2/movie/999999999", Reply.status_only(404))
    assert world.by_id("999999999").status == "not_found"
    world.mobile.clear_requests()
    asked = []

    for _ in range(5):
        result = world.by_id("999999999", before_douban=lambda: asked.append(True))
        assert (result.status, result.douban_requests) == ("not_found", 0)

    assert world.all_requests() == []
    assert asked == []  # no limit spent on what costs Douban nothing
    world.clock.now += 86400  # a day on, Douban is asked again
    assert world.by_id("999999999").douban_requests == 1


def test_a_search_entry_whose_subject_douban_has_not_costs_no_subject_read_either(world):
    world.mobile.set(MOBILE, Reply.status_only(404))
    assert world.find().status == "not_found"
    world.desktop.clear_requests()
    world.mobile.clear_requests()

    assert world.find().status == "not_found"
    assert world.all_requests() == []


def test_before_douban_is_asked_only_when_douban_is(world):
    asked = []
    world.by_id(ID, before_douban=lambda: asked.append(True))
    world.by_id(ID, before_douban=lambda: asked.append(True))  # cached now
    assert asked == [True]


def test_before_douban_refusing_sends_nothing(world):
    def refuse() -> None:
        raise PermissionError("over the limit")

    with pytest.raises(PermissionError):
        world.by_id(ID, before_douban=refuse)
    assert world.all_requests() == []
