"""A small Douban catalogue served by FakeDouban: subject pages in Douban's 2022 layout, the mobile API's subjects,
the 2026 abstract, suggest answers and Douban's lists.

Integration tests and the benchmark describe films once and get the routes a real lookup would hit (which of them
answers is the fake's profile's business: in 2026 an anonymous desktop page is challenged). Like Douban:
a series is one entry per season, titled "<show> 第N季" (the first too); 又名 carry region marks ("潜行凶间(港)");
the search answers any query with every entry whose title, original title or 又名 holds it, people included
(a ``celebrity`` entry, whose id is no subject's), and searches the script it is given, as it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote

from tests.fakes.douban_server import FakeDouban, RecordedRequest, Reply

SUGGEST_LIMIT = 10  # Douban's search lists a handful of entries, never the whole catalogue


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
    languages: list[str] = field(default_factory=lambda: ["汉语普通话"])  # the 语言 row, as Douban names them
    runtime_minutes: int = 120  # of one episode, for a series
    rating: float | None = 8.5
    votes: int = 12345
    summary: str = "一个关于电影的故事。"
    aka: list[str] = field(default_factory=list)  # the 又名 row, as Douban writes it: "全面启动(台)"
    episodes: int | None = None  # a series' season when set
    listed_year: str | None = None  # the year its search entry shows, when not its own: Douban's may show none ("")

    @property
    def is_tv(self) -> bool:
        return self.episodes is not None

    @property
    def release_date(self) -> str:
        return f"{self.year}-07-01({self.countries[0]})"

    @property
    def names(self) -> list[str]:
        return [self.title, self.original_title, *self.aka]

    def suggest_entry(self, query: str = "") -> dict[str, str]:
        return {
            "episode": str(self.episodes) if self.is_tv else "",
            "img": f"https://img1.doubanio.com/view/photo/s_ratio_poster/public/p{self.id}.webp",
            "title": self.title,
            "url": f"https://movie.douban.com/subject/{self.id}/?suggest={quote(query or self.title)}",
            "type": "tv" if self.is_tv else "movie",
            "year": str(self.year) if self.listed_year is None else self.listed_year,
            "sub_title": self.original_title,
            "id": self.id,
        }


@dataclass(frozen=True)
class Person:
    """A person Douban's search lists among films: a ``celebrity`` entry, with no year and a person's id."""

    id: str
    name: str
    latin_name: str

    @property
    def names(self) -> list[str]:
        return [self.name, self.latin_name]

    def suggest_entry(self, query: str = "") -> dict[str, str]:
        return {
            "img": f"https://img1.doubanio.com/view/celebrity/s_ratio_celebrity/public/p{self.id}.jpg",
            "title": self.name,
            "url": f"https://movie.douban.com/celebrity/{self.id}/?suggest={quote(query or self.name)}",
            "sub_title": self.latin_name,
            "type": "celebrity",
            "id": self.id,
        }


def _links(names: list[str], rel: str) -> str:
    return " / ".join(
        f'<a href="/celebrity/{index}/" rel="{rel}">{escape(name)}</a>' for index, name in enumerate(names)
    )


def _release_and_length_rows(film: Film) -> str:
    """A film's 上映日期 and 片长; a series' 首播, 集数 and 单集片长 (which the parser reads as a series)."""
    date = f'<span property="v:initialReleaseDate" content="{film.release_date}">{film.release_date}</span>'
    if film.is_tv:
        return f"""<span class="pl">首播:</span> {date}<br/>
<span class="pl">集数:</span> {film.episodes}<br/>
<span class="pl">单集片长:</span> {film.runtime_minutes}分钟<br/>"""
    return f"""<span class="pl">上映日期:</span> {date}<br/>
<span class="pl">片长:</span> <span property="v:runtime" content="{film.runtime_minutes}">{film.runtime_minutes}分钟</span><br/>"""


def subject_page(film: Film) -> str:
    heading = film.title if film.original_title == film.title else f"{film.title} {film.original_title}"
    rating = f"{film.rating:.1f}" if film.rating is not None else ""
    genres = " / ".join(f'<span property="v:genre">{escape(genre)}</span>' for genre in film.genres)
    aka = f'<span class="pl">又名:</span> {escape(" / ".join(film.aka))}<br/>' if film.aka else ""
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
<span class="pl">语言:</span> {" / ".join(film.languages)}<br/>
{_release_and_length_rows(film)}
{aka}
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
        "type": "tv" if film.is_tv else "movie",
        "is_tv": film.is_tv,
        "episodes_count": film.episodes or 0,
        "title": film.title,
        "original_title": film.original_title,
        "year": str(film.year),
        "rating": rating,
        "genres": film.genres,
        "countries": film.countries,
        "languages": film.languages,
        "pubdate": [film.release_date],
        "durations": [f"{film.runtime_minutes}分钟"],
        "directors": [{"name": name} for name in film.directors],
        "actors": [{"name": name} for name in film.cast],
        "pic": {"large": f"https://img1.doubanio.com/view/photo/m_ratio_poster/public/p{film.id}.webp"},
        "aka": film.aka,
        "intro": film.summary,
    }


def serve_mobile(douban: FakeDouban, films: Sequence[Film]) -> None:
    """Route the mobile API's answer for every film; a series asked as a movie is redirected to its /tv/ path, as the
    mobile API does."""
    for film in films:
        kind = "tv" if film.is_tv else "movie"
        douban.set(f"/rexxar/api/v2/{kind}/{film.id}", Reply.json(mobile_api_answer(film)))
        if film.is_tv:
            douban.set(f"/rexxar/api/v2/movie/{film.id}", Reply.redirect(f"/rexxar/api/v2/tv/{film.id}"))


def abstract_answer(film: Film) -> dict[str, Any]:
    """The film as ``/j/subject_abstract`` describes it in 2026 (``../shared/douban-2026/subject_abstract_2026.json``'s
    shape: the title, original title and year in one string with a left-to-right mark, the rating as text)."""
    heading = film.title if film.original_title == film.title else f"{film.title} {film.original_title}"
    return {
        "r": 0,
        "subject": {
            "episodes_count": str(film.episodes or ""),
            "star": round((film.rating or 0) / 2 * 2) / 2,
            "blacklisted": "available",
            "title": f"{heading}\u200e ({film.year})",
            "url": f"https://movie.douban.com/subject/{film.id}/",
            "collection_status": "",
            "rate": f"{film.rating:.1f}" if film.rating is not None else "",
            "short_comment": {"content": "...", "author": "某位影迷"},
            "is_tv": film.is_tv,
            "subtype": "TV" if film.is_tv else "Movie",
            "directors": film.directors,
            "actors": film.cast,
            "duration": f"{film.runtime_minutes}分钟",
            "region": " / ".join(film.countries),
            "playable": False,
            "id": film.id,
            "types": film.genres,
            "release_year": str(film.year),
        },
    }


def serve_abstract(douban: FakeDouban, films: Sequence[Film]) -> None:
    for film in films:
        douban.set(f"/j/subject_abstract?subject_id={film.id}", Reply.json(abstract_answer(film)))


def list_item(film: Film) -> dict[str, Any]:
    """The film as an item of one of Douban's lists (``subject_collection/<name>/items``), in the shape of
    ``../shared/douban-2026/rexxar_list_items_2026.json``."""
    subtitle = " / ".join(
        [str(film.year), " ".join(film.countries), " ".join(film.genres), " ".join(film.directors), " ".join(film.cast)]
    )
    rating = {"count": film.votes, "max": 10, "star_count": 4.5, "value": film.rating} if film.rating else None
    return {
        "card_subtitle": subtitle,
        "id": film.id,
        "interest": None,
        "pic": {
            "large": f"https://img1.doubanio.com/view/photo/m_ratio_poster/public/p{film.id}.jpg",
            "normal": f"https://img1.doubanio.com/view/photo/s_ratio_poster/public/p{film.id}.jpg",
        },
        "rating": rating,
        "null_rating_reason": "" if film.rating else "尚未上映",
        "sharing_url": f"https://www.douban.com/doubanapp/dispatch/movie/{film.id}",
        "title": film.title,
        "type": "tv" if film.is_tv else "movie",
        "uri": f"douban://douban.com/{'tv' if film.is_tv else 'movie'}/{film.id}",
        "url": f"https://movie.douban.com/subject/{film.id}/",
    }


def serve_lists(douban: FakeDouban, lists: Mapping[str, Sequence[Film]]) -> None:
    """Douban's lists through the mobile API, paged by ``start`` and ``count`` as Douban pages them."""
    for name, films in lists.items():

        def answer(request: RecordedRequest, films: Sequence[Film] = films, name: str = name) -> Reply:
            start, count = int(request.param("start") or 0), min(int(request.param("count") or 20), 50)
            items = [list_item(film) for film in films[start : start + count]]
            collection = {"id": name, "name": name, "total": len(films)}
            return Reply.json(
                {
                    "count": len(items),
                    "start": start,
                    "total": len(films),
                    "subject_collection_items": items,
                    "subject_collection": collection,
                }
            )

        douban.set(f"/rexxar/api/v2/subject_collection/{name}/items", answer)


def refuse_subjects(douban: FakeDouban, films: Sequence[Film], retry_after_seconds: int = 1) -> None:
    """Refuse every subject source for these films, asking to come back later: the desktop page's 302 to the proof
    of work, a 403 from the mobile API and from the abstract (the search still answers)."""
    headers = {"Retry-After": str(retry_after_seconds)}
    for film in films:
        douban.set(
            f"/subject/{film.id}/", Reply.sec_redirect(f"https://movie.douban.com/subject/{film.id}/", headers=headers)
        )
        douban.set(f"/rexxar/api/v2/{'tv' if film.is_tv else 'movie'}/{film.id}", Reply.status_only(403, headers))
        douban.set(f"/j/subject_abstract?subject_id={film.id}", Reply.status_only(403, headers))


def search(entries: Sequence[Film | Person]) -> Callable[[RecordedRequest], Reply]:
    """Douban's ``/j/subject_suggest``: every entry one of whose names holds the query (ignoring Latin case), in
    catalogue order; an invented title finds nothing."""

    def answer(request: RecordedRequest) -> Reply:
        query = (request.param("q") or "").strip()
        found = [
            entry.suggest_entry(query)
            for entry in entries
            if query and any(query.casefold() in name.casefold() for name in entry.names)
        ]
        return Reply.json(found[:SUGGEST_LIMIT])

    return answer


def serve(douban: FakeDouban, films: Sequence[Film], people: Sequence[Person] = ()) -> None:
    """Route every film's subject page, mobile API answer and abstract, and a search over the films and the people
    (listed after the films)."""
    for film in films:
        douban.set(f"/subject/{film.id}/", Reply.html(subject_page(film)))
    serve_mobile(douban, films)
    serve_abstract(douban, films)
    douban.set("/j/subject_suggest", search([*films, *people]))
