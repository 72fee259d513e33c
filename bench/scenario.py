"""The benchmark's one scenario: what the fake model streams, how slow the fake Douban is, and the floors that follow.

The floors come from the known schedule, not from a measurement: the moment a movie's JSON object is complete in
the stream (found with the project's own stream parser over the very chunks the fake sends) plus the Douban
requests an uncached lookup needs, as if every other step took no time at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from movierec.llm.answer_stream import AnswerReader
from tests.fakes.catalog import Film
from tests.fakes.llm_server import Reply, movie

COUNT = 10  # movies the person asks for
ANSWER_SECONDS = 5.0  # the model's whole answer, streamed evenly
CHUNK_CHARS = 10  # characters per streamed chunk (a token or a few)
DOUBAN_LATENCY_SECONDS = 0.3  # every Douban request
DOUBAN_REQUESTS_PER_MOVIE = 2  # an uncached lookup: the search, then the subject page
REQUEST = {"mode": "theme", "theme": "影史经典", "count": COUNT}
BURSTY_INTERVAL_SECONDS = 0.5  # the bursty answer: one whole movie object every half second (issue 14)

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


# The typing-speed scenario (issue 14): a model writing 60 characters a second, a few at a time, with reasons as
# long as the prompt allows (up to 40 characters). Each lookup may start once its title and year are known, so
# the cards are measured against the floors that wait for the whole object: first card ≤ 0.95×, done ≤ 1.0×.
TYPED_COUNT = 5
TYPED_CHARS_PER_SECOND = 60.0
TYPED_CHUNK_CHARS = 3
TYPED_REQUEST = {"mode": "theme", "theme": "影史经典", "count": TYPED_COUNT}
TYPED_REASONS = [
    "越狱的故事讲的是希望：被困二十年的银行家用一把小锤凿穿高墙。",
    "京剧名伶半个世纪的爱恨与时代变迁，张国荣的程蝶衣令人难忘。",
    "一个智商不高的人一路奔跑，跑过了美国半个世纪的历史与人心。",
    "灾难中的爱情，船沉了，杰克留在冰冷的海里，露丝记了一辈子。",
    "冷酷的杀手与十二岁的女孩相依为命，结局让人久久不能平静。",
    "少女千寻在神灵的世界里打工救回父母，宫崎骏最好的作品之一。",
    "父亲用一个游戏的谎言护住儿子的童年，集中营里也有笑声与爱。",
    "为了人类的未来穿越虫洞，父女之间的爱跨越了时间和空间。",
]


@dataclass(frozen=True)
class StreamedAnswer:
    """The fake model's reply for one request, and when, from the first byte of the stream, each movie's title and
    year are known (`named_at`) and its JSON object is complete (`completed_at`)."""

    reply: Reply
    chunk_interval: float
    completed_at: list[float]  # seconds into the stream, in the model's order
    named_at: list[float]
    request: dict[str, Any]
    count: int

    @property
    def content(self) -> str:
        return self.reply.content


def _timed_answer(
    movies: list[dict[str, Any]], pieces: list[str], interval: float, request: dict[str, Any]
) -> StreamedAnswer:
    """The reply streaming `movies` as `pieces`, one every `interval`, timed with the project's own reader."""
    content = "".join(pieces)
    if content != json.dumps({"movies": movies}, ensure_ascii=False):  # exactly what Reply.movies would stream
        raise ValueError("the pieces do not make up the answer")
    reader = AnswerReader()
    read = [(index * interval, movie) for index, piece in enumerate(pieces) for movie in reader.feed(piece)]
    completed_at = [at for at, movie in read if movie.complete]
    named_at = [next(at for at, movie in read if movie.position == position) for position in range(len(movies))]
    if len(completed_at) != len(movies):
        raise ValueError(f"the answer should hold {len(movies)} movies, the parser read {len(completed_at)}")
    # Piece i goes out at i × interval (TimedLLM keeps that clock).
    reply = Reply(content=content, movie_objects=movies, pieces=pieces, delay_seconds=interval)
    return StreamedAnswer(reply, interval, completed_at, named_at, request, request["count"])


def _chunks(movies: list[dict[str, Any]], chunk_chars: int) -> list[str]:
    content = json.dumps({"movies": movies}, ensure_ascii=False)
    return [content[start : start + chunk_chars] for start in range(0, len(content), chunk_chars)]


def _scenario_movies() -> list[dict[str, Any]]:
    return [movie(f.title, f.year, f.original_title, reason="影史经典") for f in FILMS]


def streamed_answer() -> StreamedAnswer:
    """Whole movie objects evenly over ANSWER_SECONDS: the pipeline against the naive way."""
    movies = _scenario_movies()
    pieces = _chunks(movies, CHUNK_CHARS)
    return _timed_answer(movies, pieces, ANSWER_SECONDS / len(pieces), REQUEST)


def bursty_answer() -> StreamedAnswer:
    """The same movies, each object whole in one piece, BURSTY_INTERVAL_SECONDS apart (the first that long after
    the answer opens): a provider that sends what it buffered, as the stack started by `make run` is measured."""
    movies = _scenario_movies()
    objects = [json.dumps(each, ensure_ascii=False) for each in movies]
    pieces = ['{"movies": [', objects[0], *(f", {each}" for each in objects[1:])]
    pieces[-1] += "]}"
    return _timed_answer(movies, pieces, BURSTY_INTERVAL_SECONDS, REQUEST)


def typed_answer() -> StreamedAnswer:
    """A model writing TYPED_CHARS_PER_SECOND: the early start against the object-complete floors."""
    films = FILMS[: len(TYPED_REASONS)]
    movies = [movie(f.title, f.year, f.original_title, reason) for f, reason in zip(films, TYPED_REASONS, strict=True)]
    pieces = _chunks(movies, TYPED_CHUNK_CHARS)
    return _timed_answer(movies, pieces, TYPED_CHUNK_CHARS / TYPED_CHARS_PER_SECOND, TYPED_REQUEST)


def douban_seconds_per_movie() -> float:
    return DOUBAN_REQUESTS_PER_MOVIE * DOUBAN_LATENCY_SECONDS


@dataclass(frozen=True)
class Floors:
    first_card: float
    done: float


def floors(answer: StreamedAnswer) -> Floors:
    """Every movie is found, so the first card is the first movie and done is the count-th: each once its object
    is complete in the stream, plus its Douban requests."""
    lookup = douban_seconds_per_movie()
    return Floors(first_card=answer.completed_at[0] + lookup, done=answer.completed_at[answer.count - 1] + lookup)


def named_floors(answer: StreamedAnswer) -> Floors:
    """The same from the moment each movie's title and year are known (the first card's true floor)."""
    lookup = douban_seconds_per_movie()
    return Floors(first_card=answer.named_at[0] + lookup, done=answer.named_at[answer.count - 1] + lookup)
