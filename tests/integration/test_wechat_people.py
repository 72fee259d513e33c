"""People on WeChat, through the whole local stack over HTTP, against a fake WeChat, model and Douban on 127.0.0.1:
sign-in and expiry, 401s, ownership, marks that follow the person, server-side exclusion, per-person limits and
budgets, content checks (the model never sees rejected words), and WeChat going down."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import requests

from movierec import runtime
from movierec.people import marks as marks_module
from movierec.people.sessions import person_key
from tests.fakes.catalog import Film, serve
from tests.fakes.llm_server import Reply, movie
from tests.fakes.wechat_server import APP_SECRET
from tests.integration.conftest import Api, People, signed_in_stack

KUNG_FU = Film("1291543", "功夫", "Kung Fu Hustle", 2004, directors=["周星驰"], cast=["周星驰"])
SHAOLIN_SOCCER = Film("1307793", "少林足球", "少林足球", 2001, directors=["周星驰"], cast=["周星驰"])
STAR = {"mode": "star", "star": "周星驰", "count": 1}
HASH_KEY = "integration-test-hash-key"


@pytest.fixture(scope="module")
def people() -> Iterator[People]:
    with signed_in_stack(HASH_KEY) as people:
        serve(people.stack.douban, [KUNG_FU, SHAOLIN_SOCCER])
        yield people


@pytest.fixture(autouse=True)
def clean_slate(people: People, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts from WeChat up and nothing risky, with a model that names both films; its own settings are
    undone after."""
    people.wechat.down = False
    people.wechat.risky_words.clear()
    people.stack.llm.script()
    monkeypatch.setattr(people.stack.llm, "default", lambda _: both_films())
    yield
    monkeypatch.undo()
    runtime.reset()


def settings(monkeypatch: pytest.MonkeyPatch, **variables: str) -> None:
    """Change settings for this test (each Lambda instance reads them once: start afresh)."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    runtime.reset()


def both_films() -> Reply:
    return Reply.movies([movie("功夫", 2004, "Kung Fu Hustle"), movie("少林足球", 2001)])


# --- sign-in, tokens, 401 -------------------------------------------------------------------------------------------


def test_a_signed_in_person_gets_recommendations(people):
    people.stack.llm.script(both_films())
    alice = people.sign_in("o-alice")
    result = alice.recommend(STAR)
    assert result["status"] == "done"
    assert [card["douban"]["id"] for card in result["movies"] if card["status"] == "found"] == ["1291543"]


def test_without_a_valid_token_every_call_but_the_open_ones_is_401(people):
    anonymous = people.stack.api
    for response in (
        anonymous.create(STAR),
        anonymous.get("6f1c1d7e-2a4b-4c8e-9a57-0f6b8f7e1a2b"),
        requests.get(f"{people.url}/me/marks", timeout=5),
        anonymous.signed_in("not-a-token-we-ever-gave-out-xxxxxxxxxxxx").create(STAR),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    for path in ("/health", "/openapi.json", "/swagger"):
        assert requests.get(f"{people.url}{path}", timeout=5).status_code == 200


def test_a_code_wechat_refuses_is_401_and_signs_nobody_in(people):
    code = people.wechat.code_for("o-alice")
    assert requests.post(f"{people.url}/sessions", json={"code": code}, timeout=5).status_code == 200
    reused = requests.post(f"{people.url}/sessions", json={"code": code}, timeout=5)
    assert (reused.status_code, reused.json()["code"]) == (401, "sign_in_refused")


def test_an_account_wechat_blocks_is_told_so_not_asked_to_sign_in_again(people):
    for _ in range(2):  # a new code is refused the same way
        blocked = requests.post(
            f"{people.url}/sessions", json={"code": people.wechat.code_for("o-risky", blocked=True)}, timeout=5
        )
        assert (blocked.status_code, blocked.json()["code"]) == (403, "sign_in_blocked")
        assert "重新登录" in blocked.json()["message"]
        assert "token" not in blocked.json()


def test_a_token_expires(people, monkeypatch):
    settings(monkeypatch, SESSION_TTL_SECONDS="1")
    response = requests.post(f"{people.url}/sessions", json={"code": people.wechat.code_for("o-alice")}, timeout=5)
    assert response.json()["expires_in"] == 1
    alice = people.stack.api.signed_in(response.json()["token"])
    time.sleep(1.1)
    expired = alice.create(STAR)
    assert expired.status_code == 401
    assert expired.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_sign_ins_are_limited_per_address(people, monkeypatch):
    settings(monkeypatch, SIGN_IN_PER_MINUTE="2")
    answers = [
        requests.post(f"{people.url}/sessions", json={"code": people.wechat.code_for("o-alice")}, timeout=5)
        for _ in range(3)
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert 1 <= int(answers[2].headers["Retry-After"]) <= 60


def test_neither_the_openid_nor_the_session_key_is_answered_or_logged(people, log_output):
    people.stack.llm.script(both_films())
    response = requests.post(f"{people.url}/sessions", json={"code": people.wechat.code_for("o-secret")}, timeout=5)
    alice = people.stack.api.signed_in(response.json()["token"])
    result = alice.recommend(STAR)
    answers = response.text + json.dumps(result)
    output = log_output.getvalue()
    assert output
    wechats = ("o-secret", people.wechat.session_keys[-1], APP_SECRET)
    assert not [secret for secret in wechats if secret in answers]
    assert not [secret for secret in (*wechats, alice.token) if secret in output]


# --- a request is its person's ---------------------------------------------------------------------------------


def test_another_persons_request_is_not_found(people):
    alice, bob = people.sign_in("o-alice"), people.sign_in("o-bob")
    created = alice.create(STAR).json()["id"]
    assert alice.get(created).status_code == 200
    assert bob.get(created).status_code == 404
    refused = bob.create({**STAR, "previous": created})
    assert (refused.status_code, refused.json()["details"]) == (
        422,
        [{"field": "previous", "message": "no such request"}],
    )
    alice.wait_until_final(created)


def test_a_shared_request_opens_for_anyone_with_its_id_and_only_its_owner_can_share_it(people):
    alice, bob = people.sign_in("o-alice"), people.sign_in("o-bob")
    created = alice.create(STAR).json()["id"]
    share = f"{people.url}/recommendations/{created}/share"
    assert requests.post(share, timeout=5).status_code == 401
    assert requests.post(share, headers=bob.headers, timeout=5).status_code == 404  # not bob's to share
    assert bob.get(created).status_code == 404
    answered = requests.post(share, headers=alice.headers, timeout=5)
    assert (answered.status_code, answered.json()) == (200, {"id": created, "shared": True})
    assert requests.post(share, headers=alice.headers, timeout=5).status_code == 200  # sharing again changes nothing
    seen_by_bob = bob.wait_until_final(created)
    assert seen_by_bob == alice.wait_until_final(created)  # the same view: what was asked, and the cards
    # Nothing else: what was asked (with the filters its words state), and the cards.
    assert set(seen_by_bob) == {"id", "mode", "query", "count", "status", "movies", "error", "read_filters"}
    assert requests.get(f"{people.url}/recommendations/{created}", timeout=5).status_code == 401  # still signed in
    refused = bob.create({**STAR, "previous": created})  # 换一批 from a shared page starts bob's own request
    assert (refused.status_code, refused.json()["details"][0]["field"]) == (422, "previous")


# --- marks -------------------------------------------------------------------------------------------------------


def marks(api: Api, payload: dict | None = None, since: int | None = None) -> dict:
    if payload is None:
        params = {"since": since} if since is not None else {}
        response = requests.get(f"{api.base_url}/me/marks", params=params, headers=api.headers, timeout=5)
    else:
        response = requests.post(f"{api.base_url}/me/marks", json=payload, headers=api.headers, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def seen(douban_id: str, title: str, updated_at: int, **fields) -> dict:
    return {
        "douban_id": douban_id,
        "title": title,
        "status": "seen",
        "rating": None,
        "updated_at": updated_at,
        **fields,
    }


def test_marks_follow_the_person_from_phone_to_phone(people):
    phone, other_phone = people.sign_in("o-carol"), people.sign_in("o-carol")
    since = marks(other_phone)["next_since"]
    marks(phone, {"marks": [seen("1292052", "肖申克的救赎", 1000, rating=5), seen("1291546", "霸王别姬", 1000)]})
    page = marks(other_phone, since=since)
    assert {(m["douban_id"], m["rating"]) for m in page["marks"]} == {("1292052", 5), ("1291546", None)}

    # the other phone removed one later, and the first phone, offline, changed it earlier: the removal wins
    marks(other_phone, {"marks": [seen("1291546", "霸王别姬", 3000, deleted=True)]})
    standing = marks(phone, {"marks": [seen("1291546", "霸王别姬", 2000, rating=3)]})
    assert [(m["douban_id"], m["deleted"]) for m in standing["marks"]] == [("1291546", True)]
    latest = marks(phone, since=page["next_since"])  # pages overlap by a few seconds: a mark may come twice
    assert {m["douban_id"]: m["deleted"] for m in latest["marks"]}["1291546"] is True
    assert marks(people.sign_in("o-dave"))["marks"] == []  # nobody else's


def test_malformed_marks_are_422_naming_the_field(people):
    alice = people.sign_in("o-alice")
    response = requests.post(
        f"{people.url}/me/marks",
        json={"marks": [seen("1292052", "肖申克的救赎", 1000, rating=9)]},
        headers=alice.headers,
        timeout=5,
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "marks.0.rating"


def test_every_film_the_person_marked_is_avoided_past_the_newest_that_the_request_stores(people, monkeypatch):
    """An import brings up to 5,000 films, while a request stores only the newest 2,000 marked ids (and 100 titles,
    for the prompt): the scrape worker asks the person's marks about each film it finds, so the oldest mark counts
    as much as the newest. The caps are made small here: 2,000 marks take moto half a minute to store."""
    monkeypatch.setattr(marks_module, "MAX_EXCLUDED_IDS", 5)
    monkeypatch.setattr(marks_module, "MAX_EXCLUDED_TITLES", 5)
    gina = people.sign_in("o-gina")
    marks(gina, {"marks": [seen(KUNG_FU.id, KUNG_FU.title, 1000)]})  # the oldest of them all
    marks(gina, {"marks": [seen(str(40_000_000 + n), f"看过的第{n}部", 2000 + n) for n in range(10)]})
    people.stack.llm.script(both_films())

    result = gina.recommend({**STAR, "count": 2})

    cards = {card["title"]: card for card in result["movies"]}
    assert (cards["功夫"]["status"], cards["功夫"]["douban"]) == ("not_found", None)
    assert cards["功夫"]["note"] == "已看过或已标记过"
    assert cards["少林足球"]["status"] == "found"


def test_films_the_person_has_seen_are_never_recommended_on_any_phone(people):
    erin = people.sign_in("o-erin")
    marks(erin, {"marks": [seen("1291543", "功夫", 1000)]})
    people.stack.llm.script(both_films())
    result = people.sign_in("o-erin").recommend(STAR)  # another phone, which sent no exclude
    shown = [card["douban"]["id"] for card in result["movies"] if card["status"] == "found"]
    assert shown == ["1307793"]
    prompt = people.stack.llm.requests[-1]["messages"][-1]["content"]
    assert "功夫" in prompt  # the model was told, and Douban's id check stood behind it
    people.stack.llm.script(both_films())
    others = people.sign_in("o-frank").recommend(STAR)
    assert [card["douban"]["id"] for card in others["movies"] if card["status"] == "found"] == ["1291543"]


def test_for_me_reads_the_persons_favourites_and_ratings_from_any_phone(people):
    judy = people.sign_in("o-judy")
    marks(
        judy,
        {
            "marks": [
                {**seen("1291543", "功夫", 1000), "status": "favourite"},
                seen("1307793", "少林足球", 2000, rating=1),
            ]
        },
    )
    people.stack.llm.script(both_films())
    result = people.sign_in("o-judy").recommend({"mode": "for_me", "mood": "轻松", "count": 1})  # sends no marks
    prompt = people.stack.llm.requests[-1]["messages"][-1]["content"]
    data = json.loads(prompt[prompt.index("{") :])
    assert any("功夫" in film for film in data["喜欢的影片"])
    assert any("少林足球" in film for film in data["不喜欢的影片"])
    assert result["status"] == "failed" or all(
        card["status"] != "found" for card in result["movies"]
    )  # both films are the person's own: neither is ever shown


# --- fair limits ------------------------------------------------------------------------------------------------


def test_each_person_has_their_own_requests_per_minute(people, monkeypatch):
    settings(monkeypatch, USER_REQUESTS_PER_MINUTE="2")
    alice, bob = people.sign_in("o-alice"), people.sign_in("o-bob")
    answers = [alice.create(STAR) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [202, 202, 429]
    assert answers[2].json()["code"] == "rate_limited"
    assert 1 <= int(answers[2].headers["Retry-After"]) <= 60
    bobs = bob.create(STAR)
    assert bobs.status_code == 202  # the same address, another person
    for request_id in (answers[0].json()["id"], answers[1].json()["id"]):
        alice.wait_until_final(request_id)
    bob.wait_until_final(bobs.json()["id"])


def test_requests_refused_for_their_input_leave_the_minutes_limit_untouched(people, monkeypatch):
    settings(monkeypatch, USER_REQUESTS_PER_MINUTE="2")
    people.wechat.risky_words.add("违禁")
    judy = people.sign_in("o-judy")
    refused = [
        judy.create({"mode": "theme", "theme": "一部违禁的电影"}),
        judy.create({**STAR, "previous": "6f1c1d7e-2a4b-4c8e-9a57-0f6b8f7e1a2b"}),
        judy.create({"mode": "theme", "theme": "又一部违禁的电影"}),
    ]
    assert [(answer.status_code, answer.json()["code"]) for answer in refused] == [
        (422, "content_rejected"),
        (422, "invalid_request"),
        (422, "content_rejected"),
    ]
    taken = [judy.create(STAR) for _ in range(3)]
    assert [answer.status_code for answer in taken] == [202, 202, 429]
    for answer in taken[:2]:
        judy.wait_until_final(answer.json()["id"])


def test_a_person_who_spent_the_days_tokens_waits_for_tomorrow(people, monkeypatch):
    settings(monkeypatch, USER_DAILY_LLM_TOKENS="150")
    grace = people.sign_in("o-grace")
    assert grace.recommend(STAR)["status"] == "done"  # the fake model reports 100 prompt tokens and more
    # The answer is done at its first card; the worker counts the tokens when the model's stream ends.
    key = person_key("o-grace", HASH_KEY.encode())
    deadline = time.monotonic() + grace.deadline_seconds  # the stream ends within the request's deadline
    while runtime.token_budget().spent_today(key) < 150 and time.monotonic() < deadline:
        time.sleep(0.05)
    refused = grace.create(STAR)
    assert (refused.status_code, refused.json()["code"]) == (429, "daily_limit_reached")
    assert 1 <= int(refused.headers["Retry-After"]) <= 86400
    assert "明天" in refused.json()["message"]
    heidi = people.sign_in("o-heidi")
    heidi.wait_until_final(heidi.create(STAR).json()["id"])


# --- content safety ---------------------------------------------------------------------------------------------


def test_risky_words_are_rejected_and_the_model_never_sees_them(people):
    people.wechat.risky_words.add("违禁")
    calls_before = len(people.stack.llm.requests)
    checks_before = len(people.wechat.calls_to("/wxa/msg_sec_check"))
    alice = people.sign_in("o-alice")
    rejected = alice.create({"mode": "theme", "theme": "一部违禁的电影"})
    assert rejected.status_code == 422
    assert rejected.json()["code"] == "content_rejected"
    assert rejected.json()["details"] == [{"field": "theme", "message": "未通过内容安全检查"}]
    time.sleep(0.3)
    assert len(people.stack.llm.requests) == calls_before
    assert "违禁" not in json.dumps(people.stack.llm.requests, ensure_ascii=False)
    checks = people.wechat.calls_to("/wxa/msg_sec_check")[checks_before:]
    (checked,) = [call for call in checks if "违禁" in call.body["content"]]
    assert checked.body["openid"] == "o-alice"  # checked for the person who wrote it


def test_for_me_titles_the_person_typed_are_checked_before_the_model_sees_them_and_exclude_is_not(people):
    people.wechat.risky_words.add("违禁")
    calls_before = len(people.stack.llm.requests)
    checks_before = len(people.wechat.checked_texts())
    alice = people.sign_in("o-alice")

    rejected = alice.create({"mode": "for_me", "liked": ["1291543", "一部违禁的电影"], "mood": "轻松"})

    assert (rejected.status_code, rejected.json()["code"]) == (422, "content_rejected")
    assert rejected.json()["details"] == [{"field": "liked", "message": "未通过内容安全检查"}]
    time.sleep(0.3)
    assert len(people.stack.llm.requests) == calls_before
    # An old mark in exclude is never put to the check: one risky title must not refuse every request.
    people.stack.llm.script(both_films())
    taken = alice.create({"mode": "for_me", "liked": ["活着"], "exclude": ["一部违禁的电影"], "count": 1})
    assert taken.status_code == 202, taken.text
    alice.wait_until_final(taken.json()["id"])
    checked = people.wechat.checked_texts()[checks_before:]
    assert checked[:2] == ["轻松", "一部违禁的电影"]  # the mood, then the typed title (never the Douban id)
    assert "活着" in checked
    assert checked.count("一部违禁的电影") == 1  # the rejected request's; the one in exclude was never sent


def test_preset_tags_are_not_sent_to_wechat_typed_ones_are(people):
    alice = people.sign_in("o-alice")
    before = len(people.wechat.checked_texts())
    alice.wait_until_final(alice.create({"mode": "tags", "tags": ["科幻", "悬疑"]}).json()["id"])
    alice.wait_until_final(alice.create({"mode": "tags", "tags": ["科幻", "赛博朋克"]}).json()["id"])
    reasons = {"值得一看"}  # the model's reasons are checked too
    assert [text for text in people.wechat.checked_texts()[before:] if text not in reasons] == ["赛博朋克"]


def test_a_risky_reason_from_the_model_is_not_shown(people):
    people.wechat.risky_words.add("违禁")
    people.stack.llm.script(
        Reply.movies([movie("功夫", 2004, "Kung Fu Hustle", reason="违禁的理由"), movie("少林足球", 2001)])
    )
    result = people.sign_in("o-ivan").recommend({**STAR, "count": 2})
    reasons = {card["title"]: card["reason"] for card in result["movies"]}
    assert reasons == {"功夫": "", "少林足球": "值得一看"}


def test_wechat_down_fails_closed_as_deployed(people):
    alice = people.sign_in("o-alice")
    people.wechat.down = True
    calls_before = len(people.stack.llm.requests)
    refused = alice.create({"mode": "theme", "theme": "时间循环"})
    assert (refused.status_code, refused.json()["code"]) == (503, "content_check_unavailable")
    assert refused.headers["Retry-After"]
    assert len(people.stack.llm.requests) == calls_before
    signing_in = requests.post(f"{people.url}/sessions", json={"code": people.wechat.code_for("o-bob")}, timeout=5)
    assert (signing_in.status_code, signing_in.json()["code"]) == (503, "wechat_unavailable")


def test_wechat_down_lets_text_pass_when_the_operator_says_so(people, monkeypatch):
    settings(monkeypatch, CONTENT_SAFETY_ON_ERROR="pass")
    alice = people.sign_in("o-alice")
    people.wechat.down = True
    people.stack.llm.script(both_films())
    result = alice.recommend({**STAR, "count": 2})
    assert result["status"] == "done"
    assert [card["reason"] for card in result["movies"]] == ["值得一看", "值得一看"]
