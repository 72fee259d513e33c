import uuid

import pytest

from movierec.core.rate_limits import RateLimited, RateLimiter
from movierec.modes.read_filters import NothingCanMatch
from movierec.modes.star import StarRequest
from movierec.modes.theme import ThemeRequest
from movierec.people.content_safety import ContentCheckDown, ContentRejected, ContentSafety
from movierec.people.mark_store import MarkStore
from movierec.people.marks import Mark
from movierec.people.sessions import Person
from movierec.people.usage_limits import DailyTokenBudget, Requester, UsageLimits
from movierec.recommendation.intake import Intake, UnknownPrevious
from movierec.recommendation.storage import RequestStore
from tests.fakes.queues import RecordingQueue
from tests.fakes.text_checker import ScriptedChecker


@pytest.fixture
def clock():
    return {"now": 1_000.0}


@pytest.fixture
def queue():
    return RecordingQueue()


@pytest.fixture
def checker():
    return ScriptedChecker(risky={"违禁"})


@pytest.fixture
def marks(aws, clock):
    return MarkStore(aws.Table("MarksTable"), clock_ms=lambda: int(clock["now"] * 1000))


@pytest.fixture
def budget(aws, clock):
    return DailyTokenBudget(aws.Table("RateLimitTable"), daily_tokens=1000, clock=lambda: clock["now"])


@pytest.fixture
def intake(aws, clock, queue, checker, marks, budget):
    store = RequestStore(aws.Table("RequestsTable"), deadline_seconds=90, clock=lambda: clock["now"])
    table = aws.Table("RateLimitTable")
    per_ip = RateLimiter(table, per_minute=2, clock=lambda: clock["now"])
    per_person = RateLimiter(table, per_minute=3, clock=lambda: clock["now"])
    limits = UsageLimits(per_ip, per_person, budget)
    return Intake(
        store,
        queue,
        limits,
        clock=lambda: clock["now"],
        marks=marks,
        content_safety=ContentSafety(checker, on_error="fail_closed"),
    )


STAR = StarRequest(mode="star", star="周星驰")
ANYONE = Requester(ip="198.51.100.1")
ALICE = Requester(ip="198.51.100.1", person=Person(key="alice-key", session_id="s1", openid="o-alice"))
BOB = Requester(ip="198.51.100.1", person=Person(key="bob-key", session_id="s2", openid="o-bob"))


def test_a_request_is_stored_pending_and_queued(intake, queue):
    request_id = intake.create(STAR, ANYONE)
    assert intake.poll(str(request_id)).status == "pending"
    assert [job.request_id for job in queue.sent] == [request_id]


def test_a_third_request_in_a_minute_is_refused(intake):
    intake.create(STAR, ANYONE)
    intake.create(STAR, ANYONE)
    with pytest.raises(RateLimited) as refused:
        intake.create(STAR, ANYONE)
    assert 1 <= refused.value.retry_after_seconds <= 60
    assert refused.value.code == "rate_limited"
    intake.create(STAR, Requester(ip="198.51.100.2"))


def test_an_unknown_previous_request_is_refused(intake):
    with pytest.raises(UnknownPrevious):
        intake.create(StarRequest(mode="star", star="周星驰", previous=uuid.uuid4()), ANYONE)


@pytest.mark.parametrize(
    "text", ["nope", "c2f1715c-ec7a-11f1-881f-02fc00000001", "3f0b9d62-5c1a-4e7b-8d2f-9a6c1e4b7d30"]
)
def test_a_poll_for_no_request_is_none(intake, text):
    assert intake.poll(text) is None


def test_a_poll_past_the_deadline_ends_the_request(intake, clock):
    request_id = intake.create(STAR, ANYONE)
    clock["now"] += 91
    polled = intake.poll(str(request_id))
    assert (polled.status, polled.error.code) == ("failed", "timeout")


# --- signed-in people -------------------------------------------------------------------------------------------


def test_a_persons_request_is_theirs_alone(intake):
    request_id = intake.create(STAR, ALICE)
    assert intake.poll(str(request_id), owner="alice-key").owner == "alice-key"
    assert intake.poll(str(request_id), owner="bob-key") is None
    assert intake.poll(str(request_id)) is None  # nor anyone's, should sign-in be turned off


def test_a_shared_request_is_readable_by_anyone_and_only_its_owner_shares_it(intake):
    request_id = str(intake.create(STAR, ALICE))
    assert intake.share(request_id, owner="bob-key") is False
    assert intake.poll(request_id, owner="bob-key") is None
    assert intake.share(request_id, owner="alice-key") is True
    assert intake.poll(request_id, owner="bob-key").id == intake.poll(request_id, owner="alice-key").id
    assert intake.poll(request_id).shared  # read without sign-in too: a Moments link opens in single-page mode
    assert intake.share("not-an-id", owner="alice-key") is False
    assert intake.share(str(uuid.uuid4()), owner="alice-key") is False


def test_on_an_open_server_a_request_with_no_owner_can_be_shared(intake):
    request_id = str(intake.create(STAR, Requester(ip="198.51.100.7")))
    assert intake.share(request_id, owner=None) is True
    assert intake.poll(request_id).shared


def test_another_persons_request_cannot_be_previous(intake):
    alices = intake.create(STAR, ALICE)
    with pytest.raises(UnknownPrevious):
        intake.create(StarRequest(mode="star", star="周星驰", previous=alices), BOB)
    intake.create(StarRequest(mode="star", star="周星驰", previous=alices), ALICE)


def test_requests_refused_for_their_input_do_not_use_up_the_limit(intake, checker):
    for _ in range(5):
        with pytest.raises(ContentRejected):
            intake.create(ThemeRequest(mode="theme", theme="一部违禁的电影"), ALICE)
        with pytest.raises(UnknownPrevious):
            intake.create(StarRequest(mode="star", star="周星驰", previous=uuid.uuid4()), ALICE)
    for _ in range(3):  # the whole minute's limit is still there
        intake.create(STAR, ALICE)
    with pytest.raises(RateLimited):
        intake.create(STAR, ALICE)


def test_an_asker_over_the_limit_is_refused_before_their_words_are_checked(intake, checker):
    for _ in range(3):
        intake.create(STAR, ALICE)
    checker.checked.clear()
    with pytest.raises(RateLimited):
        intake.create(ThemeRequest(mode="theme", theme="一部违禁的电影"), ALICE)
    assert checker.checked == []  # no WeChat call spent on a request that could not be taken anyway


def test_people_are_limited_one_by_one_not_by_their_shared_address(intake):
    for _ in range(3):
        intake.create(STAR, ALICE)
    with pytest.raises(RateLimited):
        intake.create(STAR, ALICE)
    intake.create(STAR, BOB)  # the same IP, another person


def test_a_spent_daily_budget_refuses_until_beijing_midnight(intake, budget, clock):
    clock["now"] = 1_700_000_000.0  # 2023-11-15 06:13:20 Beijing time
    budget.record("alice-key", 1000)
    with pytest.raises(RateLimited) as refused:
        intake.create(STAR, ALICE)
    assert refused.value.code == "daily_limit_reached"
    assert refused.value.retry_after_seconds == 17 * 3600 + 46 * 60 + 40
    intake.create(STAR, BOB)
    clock["now"] += refused.value.retry_after_seconds
    intake.create(STAR, ALICE)


def test_risky_words_are_refused_before_anything_is_stored(intake, queue, checker):
    with pytest.raises(ContentRejected) as rejected:
        intake.create(ThemeRequest(mode="theme", theme="一部违禁的电影"), ALICE)
    assert rejected.value.field == "theme"
    assert queue.sent == []
    assert checker.checked == [("一部违禁的电影", "o-alice")]


def test_a_check_that_is_down_refuses_when_failing_closed(intake, queue, checker):
    checker.down = True
    with pytest.raises(ContentCheckDown):
        intake.create(STAR, ALICE)
    assert queue.sent == []


def test_without_sign_in_nothing_is_checked(intake, checker):
    intake.create(ThemeRequest(mode="theme", theme="一部违禁的电影"), ANYONE)
    assert checker.checked == []


def test_every_film_a_person_marked_is_avoided(intake, marks, aws):
    def mark(douban_id, title, status, deleted=False):
        return Mark(douban_id=douban_id, title=title, status=status, updated_at=1000, deleted=deleted)

    marks.merge(
        "alice-key",
        [
            mark("1292052", "肖申克的救赎", "seen"),
            mark("1291546", "霸王别姬", "disliked"),
            mark("3541415", "盗梦空间", "favourite"),
            mark("1292720", "阿甘正传", "seen", deleted=True),
            mark(None, "手写的片名", "seen"),
        ],
    )
    request = StarRequest(mode="star", star="周星驰", exclude=["大话西游"])
    request_id = intake.create(request, ALICE)
    store = RequestStore(aws.Table("RequestsTable"))
    avoid = store.inputs(request_id).avoid
    assert set(avoid) == {
        *("大话西游", "1292052", "1291546", "3541415"),
        *("肖申克的救赎", "霸王别姬", "盗梦空间", "手写的片名"),
    }
    bobs = intake.create(request, BOB)
    assert store.inputs(bobs).avoid == ["大话西游"]


# --- the filters a request's words state (issue 21) -----------------------------------------------------------------

MARCH_2026 = 1_772_323_200.0  # 2026-03-01 08:00 in Beijing


def test_the_filters_the_words_state_are_stored_with_the_request_and_shown(intake, clock, aws):
    clock["now"] = MARCH_2026
    request = ThemeRequest(mode="theme", theme="2015年以后的韩国悬疑片，评分8分以上")
    request_id = intake.create(request, ANYONE)
    stored = intake.poll(str(request_id))
    assert [(one.field, one.words) for one in stored.view().read_filters] == [
        ("countries", ["韩国"]),
        ("years", ["2015年以后"]),
        ("min_rating", ["评分8分以上"]),
    ]
    held_to = RequestStore(aws.Table("RequestsTable")).get_full(request_id).request.filters
    assert (held_to.countries, held_to.years.from_, held_to.min_rating) == (["韩国"], 2015, 8)


def test_words_that_leave_no_film_are_refused_before_anything_is_stored_or_counted(intake, clock, queue):
    clock["now"] = MARCH_2026
    with pytest.raises(NothingCanMatch) as caught:
        intake.create(ThemeRequest(mode="theme", theme="2030年以后的科幻片"), ANYONE)
    assert caught.value.problems[0].field == "theme"
    assert "「2030年以后」" in caught.value.problems[0].message
    assert queue.sent == []
    intake.create(STAR, ANYONE)  # the per-minute limit (2) did not count the refused one
    intake.create(STAR, ANYONE)


def test_a_refinement_keeps_what_the_request_before_read_and_a_removed_filter_stays_removed(intake, clock):
    clock["now"] = MARCH_2026
    first = intake.create(ThemeRequest(mode="theme", theme="90年代港片，不要恐怖片"), ANYONE)
    refined = ThemeRequest(
        mode="theme", theme="港片", previous=first, refine="评分8分以上的", dismissed_filters=["genres_exclude"]
    )
    stored = intake.poll(str(intake.create(refined, ANYONE)))
    assert {one.field: one.label for one in stored.read_filters} == {
        "countries": "中国香港",
        "years": "1990–1999 年",
        "min_rating": "豆瓣 8 分以上",
    }
