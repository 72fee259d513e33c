"""Importing a Douban history through the local stack: a file at once, or a user's public 看过 list as a job."""

import base64
import time

import requests

from movierec.history_import.store import DEADLINE_SECONDS as IMPORT_DEADLINE_SECONDS
from tests.fakes.douban_history import (
    CHALLENGE,
    ERROR_IN_PAGE,
    FORBIDDEN,
    FRODO_PATH,
    LOGIN_WALL,
    REXXAR_PATH,
    doumark_csv,
    expected_entries,
    interest,
    marks,
    refuse_interests,
    serve_interests,
    tofu_xlsx,
)
from tests.fakes.douban_profiles import Today
from tests.fakes.douban_server import Reply
from tests.integration.conftest import DEADLINE_MARGIN_SECONDS


def post(stack, path, payload):
    return requests.post(f"{stack.api.base_url}{path}", json=payload, timeout=30)


def import_user(stack, user):
    """Start an import by Douban user and poll it as the mini-program does, until it ends: by the import's own
    deadline at the latest (a poll past it ends the import failed)."""
    created = post(stack, "/imports/douban-user", {"user": user})
    assert created.status_code == 202, created.text
    assert created.json()["status"] == "pending"
    deadline = time.monotonic() + IMPORT_DEADLINE_SECONDS + DEADLINE_MARGIN_SECONDS
    while time.monotonic() < deadline:
        view = requests.get(f"{stack.api.base_url}/imports/{created.json()['id']}", timeout=5).json()
        if view["status"] in ("done", "failed"):
            return view
        time.sleep(0.05)
    raise AssertionError(f"the import neither ended nor failed past its deadline: {view['status']}")


def test_a_618_film_sync_tool_csv_imports_every_film_with_its_stars(stack):
    films = marks(618)
    response = post(stack, "/imports", {"filename": "movie.csv", "content": doumark_csv(films)})
    assert response.status_code == 200, response.text
    history = response.json()
    assert (history["format"], len(history["entries"]), history["skipped"]) == ("doumark_csv", 618, 0)
    assert history["entries"] == expected_entries(films)
    assert sum(entry["rating"] is None for entry in history["entries"]) == sum(film.rating is None for film in films)


def test_a_tofu_workbook_sent_as_base64_imports_its_three_lists(stack):
    films = marks(30) + marks(4, status="wish", first_id=90_000_000)
    content = base64.b64encode(tofu_xlsx(films)).decode()
    response = post(stack, "/imports", {"filename": "豆伴.xlsx", "content": content, "encoding": "base64"})
    assert response.status_code == 200, response.text
    assert response.json()["entries"] == expected_entries(films)


def test_a_file_it_cannot_read_is_refused_with_a_reason(stack):
    response = post(stack, "/imports", {"filename": "notes.txt", "content": "今天看了两部电影\n都很好看\n"})
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_format"


def test_a_user_id_import_pages_through_the_interests_api_to_done(stack):
    films = marks(618, first_id=20_000_000)
    serve_interests(stack.douban, "pager", films)
    view = import_user(stack, "https://www.douban.com/people/pager/")
    assert (view["status"], view["user"], view["total"], view["error"]) == ("done", "pager", 618, None)
    assert view["entries"] == expected_entries(films)
    starts = sorted(int(r.param("start")) for r in stack.douban.requests_to(REXXAR_PATH.format(uid="pager")))
    assert starts == list(range(0, 618, 50))  # each page asked once, across two jobs of ten pages


def test_a_list_douban_pages_without_a_total_ends_when_a_page_brings_nothing_new(stack):
    films = marks(50, first_id=22_000_000)
    page = Reply.json({"interests": [interest(film) for film in films]})  # no total; every start, the same page
    stack.douban.set(REXXAR_PATH.format(uid="looper"), page)
    view = import_user(stack, "looper")
    assert (view["status"], view["entries"]) == ("done", expected_entries(films))
    assert len(stack.douban.requests_to(REXXAR_PATH.format(uid="looper"))) == 2


def test_when_the_mobile_site_refuses_the_app_api_is_asked(stack, monkeypatch):
    # An app API that takes the operator's key as it is (before 2026: now it wants a signature, and answers 997)
    monkeypatch.setattr(stack.douban, "profile", Today())
    films = marks(40, first_id=21_000_000)
    refuse_interests(stack.douban, "appuser", CHALLENGE)
    serve_interests(stack.douban, "appuser", films, path=FRODO_PATH)
    view = import_user(stack, "appuser")
    assert view["status"] == "done"
    assert view["entries"] == expected_entries(films)


def test_a_refused_list_ends_failed_pointing_to_the_file_import_and_the_next_import_goes_through(stack):
    refuse_interests(stack.douban, "private", FORBIDDEN)
    refuse_interests(stack.douban, "private", ERROR_IN_PAGE, path=FRODO_PATH)
    view = import_user(stack, "https://m.douban.com/people/private/")
    assert (view["status"], view["error"]["code"], view["entries"]) == ("failed", "douban_refused", [])
    assert "导出" in view["error"]["message"]
    assert "文件" in view["error"]["message"]

    films = marks(20, first_id=23_000_000)
    serve_interests(stack.douban, "public", films)
    following = import_user(stack, "public")  # one person's private list blocks nobody else's
    assert (following["status"], following["entries"]) == ("done", expected_entries(films))


def test_douban_blocking_us_is_tried_again_and_ends_saying_douban_is_unavailable_not_the_persons_list(stack):
    refuse_interests(stack.douban, "walled", LOGIN_WALL)
    refuse_interests(stack.douban, "walled", LOGIN_WALL, path=FRODO_PATH)
    view = import_user(stack, "walled")
    assert (view["status"], view["error"]["code"], view["entries"]) == ("failed", "douban_unavailable", [])
    assert "无关" in view["error"]["message"]
    assert len(stack.douban.requests_to(REXXAR_PATH.format(uid="walled"))) >= 2  # tried again, not failed at once
