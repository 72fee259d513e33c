"""Content safety: what a person types passes WeChat's text check before the model sees it, and what the model
writes (each movie's reason) passes it before a person sees it, as WeChat requires of a mini-program that shows
generated or user-written text.

Only the person's own words are checked: the fields named in CHECKED_FIELDS, less the tags the mini-program
offers as buttons. WeChat answers pass, review or risky: a risky request is refused (`ContentRejected`); a
reason under review or risky is not shown. When the check cannot answer, the operator's setting decides:
fail closed (the request is refused, the reason hidden) or let the text pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, Protocol

from movierec.models import Mode, RecommendationRequest
from movierec.observability import logger

Suggestion = Literal["pass", "review", "risky"]
OnError = Literal["fail_closed", "pass"]

# The fields of each mode that hold the person's own words (a string or a list of strings). A mode with more
# free text, e.g. for_me's mood or a refining note, names its fields here and is checked like the rest.
CHECKED_FIELDS: dict[Mode, tuple[str, ...]] = {
    Mode.TAGS: ("tags",),
    Mode.THEME: ("theme",),
    Mode.STAR: ("star",),
}

# The tags the mini-program offers as buttons (miniprogram/src/pages/home/index.js): our own words, never typed.
PRESET_TAGS = frozenset(
    {"科幻", "悬疑", "爱情", "喜剧", "动画", "犯罪", "治愈", "纪录片"}
    | {"战争", "恐怖", "奇幻", "历史", "动作", "剧情", "家庭", "青春"}
)


class CheckUnavailable(Exception):
    """The check gave no verdict: WeChat down or busy, or refusing our credentials or the person's openid."""


class ContentRejected(Exception):
    """WeChat judged the person's words risky; `field` is the request field that holds them."""

    def __init__(self, field: str) -> None:
        super().__init__(f"{field}: rejected by the content check")
        self.field = field


class ContentCheckDown(Exception):
    """The check could not answer and the setting is to fail closed: the request is refused for now."""


class TextChecker(Protocol):
    def check_text(self, text: str, openid: str) -> Suggestion: ...


def free_text(request: RecommendationRequest) -> dict[str, str]:
    """The person's own words in `request`, by field: lists joined with 、, preset tags left out, empty fields
    dropped."""
    texts = {}
    for name in CHECKED_FIELDS[Mode(request.mode)]:
        value = getattr(request, name, None)
        if isinstance(value, list):
            value = "、".join(item for item in value if item not in PRESET_TAGS)
        if value:
            texts[name] = value
    return texts


class ContentSafety:
    def __init__(self, checker: TextChecker, on_error: OnError = "fail_closed") -> None:
        self._checker = checker
        self._fail_closed = on_error == "fail_closed"

    def screen_request(self, request: RecommendationRequest, openid: str) -> None:
        """Raises ContentRejected for risky words, ContentCheckDown when the check is down and fails closed.

        "review" (WeChat is unsure) lets a request through: it is the person's own query, shown to nobody else.
        """
        for field, text in free_text(request).items():
            try:
                suggestion = self._checker.check_text(text, openid)
            except CheckUnavailable as error:
                logger.warning("content check unavailable for a request", extra={"reason": str(error)})
                if self._fail_closed:
                    raise ContentCheckDown() from None
                continue
            if suggestion == "risky":
                logger.info("request text rejected by the content check", extra={"field": field})
                raise ContentRejected(field)

    def screen_reason(self, reason: str, openid: str | None) -> str:
        """The model's reason when it may be shown, else "" (risky or under review, or unchecked and failing closed)."""
        if not reason:
            return reason
        if openid is None:  # the person's session is gone: nobody to check the text for
            return "" if self._fail_closed else reason
        try:
            suggestion = self._checker.check_text(reason, openid)
        except CheckUnavailable as error:
            logger.warning("content check unavailable for a reason", extra={"reason": str(error)})
            return "" if self._fail_closed else reason
        if suggestion != "pass":
            logger.info("a model's reason was withheld by the content check", extra={"suggestion": suggestion})
            return ""
        return reason


class ReasonScreens:
    """What the recommend worker applies to each reason of one request: checked for the person who asked."""

    def __init__(self, safety: ContentSafety, openid_of_session: Callable[[str], str | None]) -> None:
        self._safety = safety
        self._openid_of_session = openid_of_session

    def for_session(self, session_id: str | None) -> Callable[[str], str]:
        openid = self._openid_of_session(session_id) if session_id else None
        return lambda reason: self._safety.screen_reason(reason, openid)
