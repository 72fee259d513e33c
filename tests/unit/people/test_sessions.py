"""Signing in and knowing who asks: opaque tokens stored only as hashes, keyed person ids, expiry."""

import hashlib

import pytest

from movierec.people.sessions import CodeRefused, Sessions, SessionStore, SignInUnavailable, Unauthenticated, person_key

HASH_KEY = "k" * 64


class FakeOpenIds:
    """jscode2session in a dict: each code once."""

    def __init__(self, codes):
        self.codes = dict(codes)

    def openid_for_code(self, code):
        if code not in self.codes:
            raise CodeRefused("errcode 40029 invalid code")
        return self.codes.pop(code)


@pytest.fixture
def clock():
    return {"now": 1_000_000.0}


@pytest.fixture
def table(aws):
    return aws.Table("SessionsTable")


def make_sessions(table, clock, codes, hash_key=HASH_KEY):
    return Sessions(SessionStore(table), FakeOpenIds(codes), lambda: hash_key, 3600, clock=lambda: clock["now"])


def test_a_token_names_the_person_until_it_expires(table, clock):
    sessions = make_sessions(table, clock, {"c1": "o-alice"})
    issued = sessions.sign_in("c1")
    assert issued.expires_in == 3600
    person = sessions.authenticate(f"Bearer {issued.token}")
    assert person.key == person_key("o-alice", HASH_KEY.encode())
    assert person.openid == "o-alice"
    clock["now"] += 3599
    assert sessions.authenticate(f"bearer {issued.token}").key == person.key
    clock["now"] += 1
    with pytest.raises(Unauthenticated) as expired:
        sessions.authenticate(f"Bearer {issued.token}")
    assert expired.value.token_sent


def test_only_the_tokens_hash_is_stored_and_never_a_session_key(table, clock):
    issued = make_sessions(table, clock, {"c1": "o-alice"}).sign_in("c1")
    (item,) = table.scan()["Items"]
    assert item["id"] == hashlib.sha256(issued.token.encode()).hexdigest()
    assert issued.token not in str(item)
    assert set(item) == {"id", "person", "openid", "created_at", "expires_at"}
    assert item["expires_at"] == 1_000_000 + 3600  # DynamoDB's TTL removes it


def test_every_sign_in_is_a_new_token_for_the_same_person(table, clock):
    sessions = make_sessions(table, clock, {"c1": "o-alice", "c2": "o-alice", "c3": "o-bob"})
    first, second, bob = (sessions.sign_in(code) for code in ("c1", "c2", "c3"))
    assert first.token != second.token
    key = sessions.authenticate(f"Bearer {first.token}").key
    assert sessions.authenticate(f"Bearer {second.token}").key == key
    assert sessions.authenticate(f"Bearer {bob.token}").key != key


def test_the_person_key_depends_on_the_operators_secret(table, clock):
    ours = make_sessions(table, clock, {"c1": "o-alice"}).sign_in("c1")
    theirs = make_sessions(table, clock, {"c2": "o-alice"}, hash_key="another-key").sign_in("c2")
    sessions = make_sessions(table, clock, {})
    assert sessions.authenticate(f"Bearer {ours.token}").key != sessions.authenticate(f"Bearer {theirs.token}").key
    assert "o-alice" not in sessions.authenticate(f"Bearer {ours.token}").key


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Basic dXNlcjpwYXNz", "Bearer short", "Bearer " + "x" * 43, "Token " + "x" * 43],
)
def test_no_valid_token_is_unauthenticated(table, clock, header):
    with pytest.raises(Unauthenticated):
        make_sessions(table, clock, {}).authenticate(header)


def test_a_refused_code_stores_nothing(table, clock):
    with pytest.raises(CodeRefused):
        make_sessions(table, clock, {}).sign_in("c1")
    assert table.scan()["Items"] == []


def test_without_the_hash_key_nobody_signs_in(table, clock):
    with pytest.raises(SignInUnavailable):
        make_sessions(table, clock, {"c1": "o-alice"}, hash_key=None).sign_in("c1")


def test_the_openid_of_a_live_session_serves_the_content_check(table, clock):
    sessions = make_sessions(table, clock, {"c1": "o-alice"})
    session_id = sessions.authenticate(f"Bearer {sessions.sign_in('c1').token}").session_id
    assert sessions.openid(session_id) == "o-alice"
    clock["now"] += 3600
    assert sessions.openid(session_id) is None
    assert sessions.openid("unknown") is None


def test_a_person_never_shows_the_openid_in_its_repr(table, clock):
    sessions = make_sessions(table, clock, {"c1": "o-alice"})
    person = sessions.authenticate(f"Bearer {sessions.sign_in('c1').token}")
    assert "o-alice" not in repr(person)
