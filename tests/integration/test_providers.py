"""Every provider profile through the whole local stack: a tags, a theme and a star request end `done` with the
right cards, with no setting beyond base URL, key and model (tests/fakes/providers.py says how each behaves)."""

import os
from collections.abc import Iterator

import pytest

from movierec import runtime
from tests.fakes.catalog import Film, serve
from tests.fakes.llm_server import Reply, movie
from tests.integration.conftest import Stack

INCEPTION = Film("3541415", "盗梦空间", "Inception", 2010, directors=["克里斯托弗·诺兰"])
TRIANGLE = Film("3011051", "恐怖游轮", "Triangle", 2009, directors=["克里斯托弗·史密斯"])
GROUNDHOG_DAY = Film("1291858", "土拨鼠之日", "Groundhog Day", 1993, directors=["哈罗德·雷米斯"])
KUNG_FU = Film("1291543", "功夫", "Kung Fu Hustle", 2004, directors=["周星驰"], cast=["周星驰", "元秋"])
KING_OF_COMEDY = Film("1302425", "喜剧之王", "喜劇之王", 1999, directors=["周星驰", "李力持"], cast=["周星驰"])
ALIVE = Film("1292365", "活着", "活着", 1994, directors=["张艺谋"], cast=["葛优", "巩俐"])

# What is asked, what the model answers (the star answer names one film without the star), what is shown.
REQUESTS = {
    "tags": ({"mode": "tags", "tags": ["科幻", "悬疑"], "count": 2}, [INCEPTION, TRIANGLE], [INCEPTION, TRIANGLE]),
    "theme": ({"mode": "theme", "theme": "时间循环", "count": 2}, [TRIANGLE, GROUNDHOG_DAY], [TRIANGLE, GROUNDHOG_DAY]),
    "star": (
        {"mode": "star", "star": "周星驰", "count": 2},
        [KUNG_FU, INCEPTION, KING_OF_COMEDY],
        [KUNG_FU, KING_OF_COMEDY],
    ),
}
PROFILES = [
    "openai",
    "openai-reasoning",
    "deepseek-chat",
    "deepseek-reasoner",
    "ollama-r1",
    "qwen",
    "refusing",
    "relay",
    "sloppy",
]


@pytest.fixture(autouse=True)
def catalogue(stack):
    serve(stack.douban, [INCEPTION, TRIANGLE, GROUNDHOG_DAY, KUNG_FU, KING_OF_COMEDY, ALIVE])
    stack.llm.script()


def use_provider(stack: Stack, profile: str) -> Iterator[None]:
    """Point the running stack at one provider profile, as a deployer sets OPENAI_BASE_URL."""
    saved = os.environ["OPENAI_BASE_URL"]
    os.environ["OPENAI_BASE_URL"] = stack.llm.base_url_for(profile)
    runtime.reset()
    try:
        yield
    finally:
        os.environ["OPENAI_BASE_URL"] = saved
        runtime.reset()


@pytest.fixture
def provider(stack, request):
    yield from use_provider(stack, request.param)


def reason_for(film: Film) -> str:
    return f"{film.title}值得一看"


@pytest.mark.parametrize("provider", PROFILES, indirect=True)
@pytest.mark.parametrize("kind", list(REQUESTS))
def test_every_provider_brings_each_kind_of_request_to_done_with_the_right_cards(stack, provider, kind):
    payload, answered, shown = REQUESTS[kind]
    stack.llm.script(
        Reply.movies([movie(f.title, f.year, f.original_title, reason_for(f)) for f in answered], chunk_size=9)
    )
    result = stack.api.recommend(payload)
    assert result["status"] == "done", result["error"]
    assert [card["title"] for card in result["movies"]] == [film.title for film in answered]  # nothing else named
    found = [card for card in result["movies"] if card["status"] == "found"]
    assert [card["douban"]["id"] for card in found] == [film.id for film in shown]
    for card, film in zip(found, shown, strict=True):
        assert (card["title"], card["year"]) == (film.title, film.year)  # 《》 and 年 are gone
        assert reason_for(film) in card["reason"]
        assert card["reason_complete"] is True
    if kind == "star":
        wrong = next(card for card in result["movies"] if card["title"] == INCEPTION.title)
        assert (wrong["status"], wrong["douban"]) == ("not_found", None)
        assert "周星驰" in wrong["note"]


def test_a_refusal_is_learnt_once_for_the_endpoint_and_model(stack):
    for _ in use_provider(stack, "refusing"):
        answer = Reply.movies([movie(ALIVE.title, ALIVE.year)])
        stack.llm.script(answer, answer)
        before = len(stack.llm.requests)
        assert stack.api.recommend({"mode": "tags", "tags": ["剧情"], "count": 1})["status"] == "done"
        first = stack.llm.requests[before:]
        assert [request.get("_refused") for request in first] == [400, 422, None]
        assert stack.api.recommend({"mode": "tags", "tags": ["文艺"], "count": 1})["status"] == "done"
        second = stack.llm.requests[before + len(first) :]
        assert [request.get("_refused") for request in second] == [None]
        assert not {"stream_options", "response_format"} & set(second[0])


def test_issue_input_4_a_year_written_as_text_through_the_stack(stack):
    content = '{"movies":[{"title":"活着","original_title":"活着","year":"1994年","reason":"x"}]}'
    stack.llm.script(Reply(content=content))
    result = stack.api.recommend({"mode": "tags", "tags": ["剧情"], "count": 1})
    assert result["status"] == "done"
    assert [(m["title"], m["year"], m["douban"]["id"]) for m in result["movies"]] == [("活着", 1994, ALIVE.id)]
