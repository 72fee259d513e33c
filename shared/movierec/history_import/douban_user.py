"""A Douban user id from what a person pastes: the id itself, or a link to their profile or one of its lists.

Douban names people by a number (``1000001``) or a name they chose (``ahbei``); their pages live under
``www.douban.com/people/<uid>/``, ``m.douban.com/people/<uid>/`` and ``movie.douban.com/people/<uid>/collect``;
the app shares ``douban.com/doubanapp/dispatch?uri=/user/<uid>``. A link may come with share text around it.
"""

from __future__ import annotations

import re

_UID = r"[A-Za-z0-9_-]{1,64}"
_BARE_UID = re.compile(rf"^{_UID}$")
_PROFILE_LINK = re.compile(rf"douban\.com/(?:people|user|doubanapp/dispatch\?uri=/user)/({_UID})(?=[/?#\s]|$)")

INVALID_USER_MESSAGE = "must be a Douban user id or profile link, e.g. https://www.douban.com/people/ahbei/"


def douban_user_id(text: str) -> str:
    """The uid in ``text``; raises ValueError (a validation message) when there is none.

    The uid goes into API paths, so only letters, digits, ``_`` and ``-`` are ever returned.
    """
    text = text.strip()
    if _BARE_UID.match(text):
        return text
    found = _PROFILE_LINK.search(text)
    if found is None:
        raise ValueError(INVALID_USER_MESSAGE)
    return found.group(1)
