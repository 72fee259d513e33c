"""Content safety: what a person types passes WeChat's text check before the model sees it (or, for a report's
words, before the operator keeps them), and what the model writes (each movie's reason) passes it before a person
sees it, as WeChat requires of a mini-program that shows generated or user-written text.

Only the person's own words that can reach the model are checked: the fields each mode names as its free text
(movierec.modes; of a list, only the entries that can reach the prompt, e.g. for_me's first typed titles), and the
words refining an earlier request, less the tags the mini-program offers as buttons; one msgSecCheck call per
field and per 2,500 characters of it (WeChat's limit for one text). Titles in `exclude` are not checked: they are
the person's marks, often old, and one risky mark would otherwise refuse every request they make. WeChat answers
pass, review or risky: a risky request is refused (`ContentRejected`); a reason under review or risky is not shown.
When the check cannot answer, the operator's setting decides: fail closed (the request is refused, the reason
hidden) or let the text pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, Protocol

from movierec.core.observability import logger
from movierec.modes import RecommendationRequest, mode_of

Suggestion = Literal["pass", "review", "risky"]
OnError = Literal["fail_closed", "pass"]

# Words that refine an earlier request, in any mode.
REFINE_FIELD = "refine"
# msgSecCheck reads at most 2,500 characters of text at once (developers.weixin.qq.com, msgSecCheck: content).
MAX_CHECKED_CHARACTERS = 2500
SEPARATOR = "、"

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


def _own_words(request: RecommendationRequest) -> dict[str, list[str]]:
    """The person's own words in `request` that can reach the model, by field, as entries: preset tags left out,
    empty fields dropped."""
    mode = mode_of(request)
    words = {}
    for name in (*mode.free_text, REFINE_FIELD):
        value = mode.own_words(request, name)
        entries = [item for item in value if item not in PRESET_TAGS] if isinstance(value, list) else [value]
        if entries := [entry for entry in entries if entry]:
            words[name] = entries
    return words


def free_text(request: RecommendationRequest) -> dict[str, str]:
    """The person's own words in `request`, by field: lists joined with 、."""
    return {name: SEPARATOR.join(entries) for name, entries in _own_words(request).items()}


def checked_texts(entries: list[str], limit: int = MAX_CHECKED_CHARACTERS) -> list[str]:
    """``entries`` joined with 、 into as few texts of at most ``limit`` characters as there can be, never splitting
    an entry (each is far shorter than the limit): one msgSecCheck call each."""
    texts: list[str] = []
    for entry in entries:
        if texts and len(texts[-1]) + len(SEPARATOR) + len(entry) <= limit:
            texts[-1] += SEPARATOR + entry
        else:
            texts.append(entry)
    return texts


class ContentSafety:
    def __init__(self, checker: TextChecker, on_error: OnError = "fail_closed") -> None:
        self._checker = checker
        self._fail_closed = on_error == "fail_closed"

    def screen_request(self, request: RecommendationRequest, openid: str) -> None:
        """Raises ContentRejected for risky words, ContentCheckDown when the check is down and fails closed.

        "review" (WeChat is unsure) lets a request through: it is the person's own query, shown to nobody else.
        """
        checks = [(field, text) for field, entries in _own_words(request).items() for text in checked_texts(entries)]
        for field, text in checks:
            self.screen_text(field, text, openid)

    def screen_text(self, field: str, text: str, openid: str) -> None:
        """One text a person wrote (at most MAX_CHECKED_CHARACTERS), held in request field ``field``: raises
        ContentRejected when risky, ContentCheckDown when the check is down and fails closed. "review" passes: the
        words are the person's own, for us (a request) or for the operator (a report), never shown to others."""
        try:
            suggestion = self._checker.check_text(text, openid)
        except CheckUnavailable as error:
            logger.warning("content check unavailable for a person's text", extra={"reason": str(error)})
            if self._fail_closed:
                raise ContentCheckDown() from None
            return
        if suggestion == "risky":
            logger.info("a person's text was rejected by the content check", extra={"field": field})
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
