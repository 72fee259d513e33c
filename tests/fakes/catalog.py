"""A small Douban catalogue served by FakeDouban: subject pages in Douban's 2022 layout and suggest answers.

Integration tests and the benchmark describe films once and get the routes a real lookup would hit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote

from tests.fakes.douban_server import FakeDouban, Reply


@dataclass(frozen=True)
class Film:
    id: str
    title: str
    original_title: str
    year: int
    directors: list[str] = field(default_factory=lambda: ["导演甲"])
    cast: list[str] = field(default_factory=lambda: ["演员乙", "演员丙"])
    genres: list[str] = field(default_factory=lambda: ["剧情"])
    countries: list[str] = field(default_factory=lambda: ["中国大陆"])
    runtime_minutes: int = 120
    rating: float | None = 8.5
    votes: int = 12345
    summary: str = "一个关于电影的故事。"

    @property
    def release_date(self) -> str:
        return f"{self.year}-07-01({self.countries[0]})"

    def suggest_entry(self) -> dict[str, str]:
        return {
            "episode": "",
            "img": f"https://img1.doubanio.com/view/photo/s_ratio_poster/public/p{self.id}.webp",
            "title": self.title,
            "url": f"https://movie.douban.com/subject/{self.id}/?suggest={quote(self.title)}",
            "type": "movie",
            "year": str(self.year),
            "sub_title": self.original_title,
            "id": self.id,
        }


def _links(names: list[str], rel: str) -> str:
    return " / ".join(
        f'<a href="/celebrity/{index}/" rel="{rel}">{escape(name)}</a>' for index, name in enumerate(names)
    )


def subject_page(film: Film) -> str:
    heading = film.title if film.original_title == film.title else f"{film.title} {film.original_title}"
    rating = f"{film.rating:.1f}" if film.rating is not None else ""
    genres = " / ".join(f'<span property="v:genre">{escape(genre)}</span>' for genre in film.genres)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>
        {escape(film.title)} (豆瓣)
</title></head>
<body><div id="wrapper"><div id="content">
<h1><span property="v:itemreviewed">{escape(heading)}</span> <span class="year">({film.year})</span></h1>
<div id="mainpic"><a class="nbgnbg" href="#"><img src="https://img1.doubanio.com/view/photo/s_ratio_poster/public/p{film.id}.webp" rel="v:image" /></a></div>
<div id="info">
<span><span class='pl'>导演</span>: <span class='attrs'>{_links(film.directors, "v:directedBy")}</span></span><br/>
<span class="actor"><span class='pl'>主演</span>: <span class='attrs'>{_links(film.cast, "v:starring")}</span></span><br/>
<span class="pl">类型:</span> {genres}<br/>
<span class="pl">制片国家/地区:</span> {" / ".join(film.countries)}<br/>
<span class="pl">语言:</span> 汉语普通话<br/>
<span class="pl">上映日期:</span> <span property="v:initialReleaseDate" content="{film.release_date}">{film.release_date}</span><br/>
<span class="pl">片长:</span> <span property="v:runtime" content="{film.runtime_minutes}">{film.runtime_minutes}分钟</span><br/>
<span class="pl">IMDb:</span> tt{film.id}<br>
</div>
<div id="interest_sectl"><strong class="ll rating_num" property="v:average">{rating}</strong>
<span property="v:votes">{film.votes if film.rating is not None else ""}</span></div>
<div id="link-report-intra"><span property="v:summary" class="">{escape(film.summary)}</span></div>
</div></div></body></html>"""


def mobile_api_answer(film: Film) -> dict[str, Any]:
    """The film as m.douban.com's rexxar API describes it."""
    rating = (
        {"count": film.votes, "max": 10, "value": film.rating} if film.rating is not None else {"count": 0, "value": 0}
    )
    return {
        "id": film.id,
        "type": "movie",
        "is_tv": False,
        "title": film.title,
        "original_title": film.original_title,
        "year": str(film.year),
        "rating": rating,
        "genres": film.genres,
        "countries": film.countries,
        "languages": ["汉语普通话"],
        "pubdate": [film.release_date],
        "durations": [f"{film.runtime_minutes}分钟"],
        "directors": [{"name": name} for name in film.directors],
        "actors": [{"name": name} for name in film.cast],
        "pic": {"large": f"https://img1.doubanio.com/view/photo/m_ratio_poster/public/p{film.id}.webp"},
        "intro": film.summary,
    }


def serve_mobile(douban: FakeDouban, films: list[Film]) -> None:
    """Route the mobile API's answer for every film (the second source, when the desktop pages are blocked)."""
    for film in films:
        douban.set(f"/rexxar/api/v2/movie/{film.id}", Reply.json(mobile_api_answer(film)))


def block_desktop(douban: FakeDouban, films: list[Film], retry_after_seconds: int = 1) -> None:
    """Answer every subject page with Douban's 302 to its proof-of-work check, asking to come back later."""
    headers = {"Retry-After": str(retry_after_seconds)}
    for film in films:
        douban.set(
            f"/subject/{film.id}/", Reply.sec_redirect(f"https://movie.douban.com/subject/{film.id}/", headers=headers)
        )


def serve(douban: FakeDouban, films: list[Film]) -> None:
    """Route every film's subject page, and the suggest answers for its Chinese and original titles."""
    by_query: dict[str, list[Film]] = {}
    for film in films:
        douban.set(f"/subject/{film.id}/", Reply.html(subject_page(film)))
        for title in {film.title, film.original_title}:
            by_query.setdefault(title, []).append(film)
    for query, matches in by_query.items():
        douban.set(f"/j/subject_suggest?q={quote(query)}", Reply.json([f.suggest_entry() for f in matches]))
    # Anything else searched finds nothing, as Douban answers for an invented title.
    douban.set("/j/subject_suggest", Reply.json([]))
