"""The early start: each movie is looked up once its title and year are known in the stream, its reason stored
when it arrives; a request is done when `count` movies are found with their reasons. Every rule still holds."""

import pytest

from tests.fakes.catalog import Film, serve
from tests.fakes.llm_server import Reply, movie

KUNG_FU = Film("1291543", "功夫", "Kung Fu Hustle", 2004, directors=["周星驰"], cast=["周星驰", "元秋"])
SHAOLIN_SOCCER = Film("1307793", "少林足球", "少林足球", 2001, directors=["周星驰"], cast=["周星驰", "赵薇"])
KING_OF_COMEDY = Film("1302425", "喜剧之王", "喜劇之王", 1999, directors=["周星驰", "李力持"], cast=["周星驰"])
INFERNAL_AFFAIRS = Film("1307914", "无间道", "無間道", 2002, cast=["刘德华", "梁朝伟"])
FIGHT_BACK_TO_SCHOOL = Film("1297518", "逃学威龙", "逃學威龍", 1991, cast=["周星驰", "吴孟达"])
LONG_REASON = "这是一段很长的推荐理由，模型要写很久才能写完，" * 3


@pytest.fixture(autouse=True)
def catalogue(stack):
    serve(stack.douban, [KUNG_FU, SHAOLIN_SOCCER, KING_OF_COMEDY, INFERNAL_AFFAIRS, FIGHT_BACK_TO_SCHOOL])
    stack.llm.script()


def answer(*films, reason=LONG_REASON):
    return [movie(f.title, f.year, f.original_title, reason) for f in films]


def watch(stack, payload, until=lambda poll: False):
    """Poll until the request ends, or a poll shows what `until` awaits; return every poll's body. Waits as long as
    the request's own deadline allows (a poll past it ends the request)."""
    request_id = stack.api.create(payload).json()["id"]
    polls = []

    def seen(body):
        polls.append(body)
        return until(body)

    stack.api.wait_until(request_id, seen)
    return polls


def star(count, **extra):
    return {"mode": "star", "star": "周星驰", "count": count, **extra}


def test_a_card_is_found_before_its_reason_is_written_and_the_request_waits_for_it(stack):
    content = Reply.movies(answer(KUNG_FU)).content
    # The model stops writing halfway through the reason, until the card has been seen.
    reply = Reply.movies(answer(KUNG_FU), chunk_size=4, hold_after_chars=content.index(LONG_REASON) + 20)
    stack.llm.script(reply)
    polls = watch(stack, star(1), until=lambda poll: poll["movies"] and poll["movies"][0]["status"] == "found")
    early = polls[-1]
    assert early["movies"][0]["reason_complete"] is False  # found while the reason was still being written
    assert early["movies"][0]["reason"] == ""
    assert early["status"] == "running"  # not done without its reason
    reply.released.set()
    final = stack.api.wait_until_final(early["id"])
    assert final["status"] == "done"
    assert (final["movies"][0]["reason"], final["movies"][0]["reason_complete"]) == (LONG_REASON, True)


@pytest.mark.parametrize("how", ["finish-length", "connection-cut"])
def test_a_movie_whose_reason_never_arrives_is_shown_with_an_empty_reason(stack, how):
    content = Reply.movies(answer(KUNG_FU, SHAOLIN_SOCCER)).content
    cut = content.rindex(LONG_REASON) + 5  # in the middle of the second movie's reason
    if how == "finish-length":
        reply = Reply(content=content[:cut], finish_reason="length", chunk_size=6)
    else:
        reply = Reply(content=content, cut_after_chars=cut, chunk_size=6)
    stack.llm.script(reply)
    final = watch(stack, star(2))[-1]
    assert final["status"] == "done"
    assert [(m["title"], m["status"]) for m in final["movies"]] == [("功夫", "found"), ("少林足球", "found")]
    assert (final["movies"][0]["reason"], final["movies"][1]["reason"]) == (LONG_REASON, "")
    assert final["movies"][1]["reason_complete"] is True


def test_a_duplicate_or_excluded_title_named_early_is_never_shown(stack):
    films = answer(KUNG_FU, KING_OF_COMEDY, SHAOLIN_SOCCER, KUNG_FU, FIGHT_BACK_TO_SCHOOL)
    films[3] = movie("功夫", 2004, "Kung Fu Hustle", "又一次")  # the same film again
    stack.llm.script(Reply.movies(films, chunk_size=5, delay_seconds=0.01))
    polls = watch(stack, star(2, exclude=["喜剧之王", SHAOLIN_SOCCER.id]))
    shown_found = [m["title"] for poll in polls for m in poll["movies"] if m["status"] == "found"]
    assert set(shown_found) == {"功夫", "逃学威龙"}
    assert "喜剧之王" not in {m["title"] for poll in polls for m in poll["movies"]}  # excluded by title: never named
    final = polls[-1]
    assert [m["title"] for m in final["movies"]].count("功夫") == 1
    soccer = next(m for m in final["movies"] if m["title"] == "少林足球")  # excluded by Douban id: found to be seen
    assert (soccer["status"], soccer["note"], soccer["douban"]) == ("not_found", "已看过或已推荐过", None)


def test_star_mode_still_checks_the_cast_of_a_film_named_early(stack):
    stack.llm.script(Reply.movies(answer(INFERNAL_AFFAIRS, KUNG_FU), chunk_size=5, delay_seconds=0.01))
    polls = watch(stack, star(1))
    assert "无间道" not in {m["title"] for poll in polls for m in poll["movies"] if m["status"] == "found"}
    wrong = next(m for m in polls[-1]["movies"] if m["title"] == "无间道")
    assert wrong["status"] == "not_found"
    assert "周星驰" in wrong["note"]
    assert [m["title"] for m in polls[-1]["movies"] if m["status"] == "found"] == ["功夫"]
