"""Content safety: which words are checked, what a verdict does, and what happens when the check is down."""

import pytest

from movierec.modes import MODES
from movierec.modes.for_me import DISLIKED_IN_PROMPT, LIKED_IN_PROMPT, ForMeRequest
from movierec.modes.star import StarRequest
from movierec.modes.tags import TagsRequest
from movierec.modes.theme import ThemeRequest
from movierec.people.content_safety import (
    MAX_CHECKED_CHARACTERS,
    ContentCheckDown,
    ContentRejected,
    ContentSafety,
    ReasonScreens,
    checked_texts,
    free_text,
)
from tests.fakes.text_checker import ScriptedChecker


def test_every_mode_names_the_fields_that_hold_the_persons_words():
    named = {name: mode.free_text for name, mode in MODES.items()}
    assert named == {
        "tags": ("tags",),
        "theme": ("theme",),
        "star": ("star",),
        "for_me": ("mood", "liked", "disliked"),
    }


@pytest.mark.parametrize(
    ("request_", "texts"),
    [
        (TagsRequest(mode="tags", tags=["科幻", "悬疑"]), {}),  # buttons only: nothing typed, nothing sent
        (TagsRequest(mode="tags", tags=["科幻", "赛博朋克", "废土"]), {"tags": "赛博朋克、废土"}),
        (ThemeRequest(mode="theme", theme="时间循环", exclude=["盗梦空间"]), {"theme": "时间循环"}),
        (StarRequest(mode="star", star="周星驰"), {"star": "周星驰"}),
        (ThemeRequest(mode="theme", like="1292052"), {}),  # 更多类似 alone: an id, no words
        (
            ForMeRequest(mode="for_me", liked=["活着"], mood="今晚想看点轻松的"),
            {"mood": "今晚想看点轻松的", "liked": "活着"},
        ),
        (
            ForMeRequest(mode="for_me", liked=["1292052", "活着", "3541415"], disliked=["1291843"], exclude=["某片"]),
            {"liked": "活着"},  # Douban ids are no one's words, and exclude is never checked
        ),
        (ForMeRequest(mode="for_me"), {}),
        (
            StarRequest(
                mode="star", star="周星驰", previous="7d0b4f52-3a6e-4c4a-9b1e-2f3c4d5e6f70", refine="更冷门一点"
            ),
            {"star": "周星驰", "refine": "更冷门一点"},
        ),
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


def test_for_me_titles_are_checked_as_far_as_they_can_reach_the_prompt_one_call_per_list():
    checker = ScriptedChecker()
    liked = [f"喜欢的片{n}" for n in range(LIKED_IN_PROMPT + 30)]
    disliked = ["1291843", *(f"不喜欢的片{n}" for n in range(DISLIKED_IN_PROMPT + 30))]
    request = ForMeRequest(mode="for_me", liked=liked, disliked=disliked, mood="轻松", exclude=["违禁的旧标记"])

    ContentSafety(checker).screen_request(request, "o-alice")

    assert [text for text, _ in checker.checked] == [
        "轻松",
        "、".join(liked[:LIKED_IN_PROMPT]),
        "、".join(disliked[1 : DISLIKED_IN_PROMPT + 1]),
    ]


def test_a_risky_typed_title_is_rejected_naming_its_list():
    safety = ContentSafety(ScriptedChecker(risky={"违禁"}))
    with pytest.raises(ContentRejected) as rejected:
        safety.screen_request(ForMeRequest(mode="for_me", liked=["1292052"], disliked=["违禁片"]), "o-alice")
    assert rejected.value.field == "disliked"
    # A title past what can reach the prompt, and one in exclude, are never the model's to read.
    late = ForMeRequest(mode="for_me", liked=[f"片{n}" for n in range(LIKED_IN_PROMPT)] + ["违禁片"], exclude=["违禁"])
    safety.screen_request(late, "o-alice")


def test_text_is_checked_2500_characters_at_a_time_never_splitting_an_entry():
    entries = [f"{n:03}" + "长" * 96 for n in range(60)]  # 99 characters each: 25 and their 24 、 make 2,499
    texts = checked_texts(entries)
    assert [len(text) for text in texts] == [2499, 2499, 999]
    assert all(len(text) <= MAX_CHECKED_CHARACTERS for text in texts)
    assert "、".join(texts) == "、".join(entries)
