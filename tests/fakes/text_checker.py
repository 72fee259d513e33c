"""A TextChecker stand-in for the domain's tests: risky words, a check that is down, and what was asked."""

from __future__ import annotations

from dataclasses import dataclass, field

from movierec.people.content_safety import CheckUnavailable, Suggestion


@dataclass
class ScriptedChecker:
    risky: set[str] = field(default_factory=set)  # a text containing one of these is risky
    review: set[str] = field(default_factory=set)
    down: bool = False
    checked: list[tuple[str, str]] = field(default_factory=list)  # (text, openid)

    def check_text(self, text: str, openid: str) -> Suggestion:
        self.checked.append((text, openid))
        if self.down:
            raise CheckUnavailable("msgSecCheck: errcode -1 system error")
        if any(word in text for word in self.risky):
            return "risky"
        if any(word in text for word in self.review):
            return "review"
        return "pass"
