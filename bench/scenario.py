"""The benchmark's one scenario: what the fake model streams, how slow the fake Douban is, and the floors that follow.

The floors come from the known schedule, not from a measurement: the moment a movie's JSON object is complete in
the stream (found with the project's own stream parser over the very chunks the fake sends) plus the Douban
requests an uncached lookup needs, as if every other step took no time at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from movierec.answer_stream import AnswerReader
from tests.fakes.catalog import Film
from tests.fakes.llm_server import Reply, movie

COUNT = 10  # movies the person asks for
ANSWER_SECONDS = 5.0  # the model's whole answer, streamed evenly
CHUNK_CHARS = 10  # characters per streamed chunk (a token or a few)
DOUBAN_LATENCY_SECONDS = 0.3  # every Douban request
DOUBAN_REQUESTS_PER_MOVIE = 2  # an uncached lookup: the search, then the subject page
REQUEST = {"mode": "theme", "theme": "影史经典", "count": COUNT}

# Real films with their Douban ids: count + 3 spares, as many as the recommend worker asks the model for.
FILMS = [
    Film("1292052", "肖申克的救赎", "The Shawshank Redemption", 1994, directors=["弗兰克·德拉邦特"]),
    Film("1291546", "霸王别姬", "霸王別姬", 1993, directors=["陈凯歌"]),
    Film("1292720", "阿甘正传", "Forrest Gump", 1994, directors=["罗伯特·泽米吉斯"]),
    Film("1292722", "泰坦尼克号", "Titanic", 1997, directors=["詹姆斯·卡梅隆"]),
    Film("1295644", "这个杀手不太冷", "Léon", 1994, directors=["吕克·贝松"]),
    Film("1291561", "千与千寻", "千と千尋の神隠し", 2001, directors=["宫崎骏"]),
    Film("1292063", "美丽人生", "La vita è bella", 1997, directors=["罗伯托·贝尼尼"]),
    Film("1889243", "星际穿越", "Interstellar", 2014, directors=["克里斯托弗·诺兰"]),
    Film("3541415", "盗梦空间", "Inception", 2010, directors=["克里斯托弗·诺兰"]),
    Film("1292064", "楚门的世界", "The Truman Show", 1998, directors=["彼得·威尔"]),
    Film("1295124", "辛德勒的名单", "Schindler's List", 1993, directors=["史蒂文·斯皮尔伯格"]),
    Film("3011091", "忠犬八公的故事", "Hachi: A Dog's Tale", 2009, directors=["拉斯·霍尔斯道姆"]),
    Film("1292001", "海上钢琴师", "La leggenda del pianista sull'oceano", 1998, directors=["朱塞佩·托纳多雷"]),
]


@dataclass(frozen=True)
class StreamedAnswer:
    """The fake model's reply and when, from the first byte of the stream, each movie object is complete."""

    reply: Reply
    chunk_interval: float
    completed_at: list[float]  # seconds into the stream, in the model's order

    @property
    def content(self) -> str:
        return self.reply.content


def streamed_answer() -> StreamedAnswer:
    movies: list[dict[str, Any]] = [movie(f.title, f.year, f.original_title, reason="影史经典") for f in FILMS]
    content = json.dumps({"movies": movies}, ensure_ascii=False)  # exactly what Reply.movies streams
    chunks = [content[start : start + CHUNK_CHARS] for start in range(0, len(content), CHUNK_CHARS)]
    # Chunk i goes out at i × interval (TimedLLM keeps that clock), so the whole answer takes ANSWER_SECONDS.
    interval = ANSWER_SECONDS / len(chunks)
    reader = AnswerReader()
    completed_at = [
        index * interval for index, chunk in enumerate(chunks) for movie in reader.feed(chunk) if movie.complete
    ]
    if len(completed_at) != len(FILMS):
        raise ValueError(f"the answer should hold {len(FILMS)} movies, the parser read {len(completed_at)}")
    reply = Reply.movies(movies, chunk_size=CHUNK_CHARS, delay_seconds=interval)
    return StreamedAnswer(reply=reply, chunk_interval=interval, completed_at=completed_at)


def douban_seconds_per_movie() -> float:
    return DOUBAN_REQUESTS_PER_MOVIE * DOUBAN_LATENCY_SECONDS


@dataclass(frozen=True)
class Floors:
    first_card: float
    done: float


def floors(answer: StreamedAnswer) -> Floors:
    """Every movie is found, so the first card is the first movie and done is the count-th."""
    lookup = douban_seconds_per_movie()
    return Floors(first_card=answer.completed_at[0] + lookup, done=answer.completed_at[COUNT - 1] + lookup)
