"""The public RSS feed of a person's marks, ``https://www.douban.com/feed/people/<uid>/interests``: the latest ten or
so items, films, books and music mixed.

Each item: ``<title>看过黑衣人：全球追缉</title>`` (看过, 在看 or 想看 before a film's title; 读过, 听过 … for the
rest), ``<link>`` to the subject, ``<pubDate>`` (RFC 822), and a description whose HTML says ``推荐: 力荐`` (5) …
``很差`` (1) when the person rated it. Saved feeds are often cut or pretty-printed, so the XML is read in
recover mode (lxml through parsel, entities never resolved).
"""

from __future__ import annotations

import re

from movierec.history_import.reading import STATUS_WORDS, EntryCollector, movie_subject_id, rfc822_millis

RECOMMENDATIONS = {"力荐": 5, "推荐": 4, "还行": 3, "较差": 2, "很差": 1}
# The word must stand alone: "推荐: 很差/较差/还行/推荐/力荐" is a legend, not a rating.
_RATING = re.compile(r"推荐[:：]\s*(力荐|推荐|还行|较差|很差)\s*(?:<|$)", re.MULTILINE)


def looks_like_feed(text: str) -> bool:
    head = text[:2000].lower()
    return "<rss" in head or "<item" in head


def collect(text: str, collector: EntryCollector) -> None:
    from parsel import Selector  # only when a feed is read: the API's cold start does not pay for lxml

    feed = Selector(text=text, type="xml")
    for item in feed.xpath("//item"):
        heading = (item.xpath("string(title)").get() or "").strip()
        status = STATUS_WORDS.get(heading[:2])
        douban_id = movie_subject_id(item.xpath("string(link)").get()) if status else None
        if douban_id is None:
            collector.skip()
            continue
        rating = _RATING.search(item.xpath("string(description)").get() or "")
        collector.add(
            douban_id,
            heading[2:],
            RECOMMENDATIONS[rating.group(1)] if rating else None,
            rfc822_millis(item.xpath("string(pubDate)").get()),
            status,
        )
