"""Content safety: which words are checked, what a verdict does, and what happens when the check is down."""

import pytest

from movierec.content_safety import (
    CHECKED_FIELDS,
    ContentCheckDown,
    ContentRejected,
    ContentSafety,
    ReasonScreens,
    free_text,
)
from movierec.models import Mode, StarRequest, TagsRequest, ThemeRequest
from tests.fakes.text_checker import ScriptedChecker


def test_every_mode_names_the_fields_it_checks():
    assert set(CHECKED_FIELDS) == set(Mode)


@pytest.mark.parametrize(
    ("request_", "texts"),
    [
        (TagsRequest(mode="tags", tags=["科幻", "悬疑"]), {}),  # buttons only: nothing typed, nothing sent
        (TagsRequest(mode="tags", tags=["科幻", "赛博朋克", "废土"]), {"tags": "赛博朋克、废土"}),
        (ThemeRequest(mode="theme", theme="时间循环", exclude=["盗梦空间"]), {"theme": "时间循环"}),
        (StarRequest(mode="star", star="周星驰"), {"star": "周星驰"}),
    ],
)
def test_only_the_persons_own_words_are_checked(request_, texts):
    assert free_text(request_) == texts


def test_risky_words_are_rejected_naming_their_field():
    safety = ContentSafety(ScriptedChecker(risky={"违禁"}))
    with pytest.raises(ContentRejected) as rejected:
        safety.screen_request(TagsRequest(mode="tags", tags=["科幻", "违禁片"]), "o-alice")
    assert rejected.value.field == "tags"


def test_a_query_under_review_goes_through():
    checker = ScriptedChecker(review={"擦边"})
    ContentSafety(checker).screen_request(ThemeRequest(mode="theme", theme="有点擦边的爱情片"), "o-alice")
    assert checker.checked == [("有点擦边的爱情片", "o-alice")]


@pytest.mark.parametrize(("on_error", "refused"), [("fail_closed", True), ("pass", False)])
def test_a_check_that_is_down_follows_the_setting(on_error, refused):
    safety = ContentSafety(ScriptedChecker(down=True), on_error=on_error)
    request = ThemeRequest(mode="theme", theme="时间循环")
    if refused:
        with pytest.raises(ContentCheckDown):
            safety.screen_request(request, "o-alice")
    else:
        safety.screen_request(request, "o-alice")


@pytest.mark.parametrize(
    ("checker", "on_error", "shown"),
    [
        (ScriptedChecker(), "fail_closed", "烧脑的时间循环"),
        (ScriptedChecker(risky={"烧脑"}), "pass", ""),
        (ScriptedChecker(review={"烧脑"}), "pass", ""),  # shown to people: under review is not good enough
        (ScriptedChecker(down=True), "fail_closed", ""),
        (ScriptedChecker(down=True), "pass", "烧脑的时间循环"),
    ],
)
def test_a_models_reason_is_shown_only_when_it_may_be(checker, on_error, shown):
    assert ContentSafety(checker, on_error).screen_reason("烧脑的时间循环", "o-alice") == shown


def test_reasons_are_checked_for_the_person_of_the_session():
    checker = ScriptedChecker()
    screens = ReasonScreens(ContentSafety(checker), {"s1": "o-alice"}.get)
    assert screens.for_session("s1")("好看") == "好看"
    assert checker.checked == [("好看", "o-alice")]
    # a session that expired meanwhile: nobody to check for, so nothing unchecked is shown when failing closed
    assert screens.for_session("gone")("好看") == ""
    assert ReasonScreens(ContentSafety(checker, "pass"), {}.get).for_session(None)("好看") == "好看"
