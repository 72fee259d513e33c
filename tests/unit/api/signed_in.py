"""The API function with sign-in configured, on the sample events: calling it, the events, signing a person in."""

import json
from pathlib import Path

from local.consumers import LambdaContext

EVENTS = Path(__file__).resolve().parents[3] / "events"


def invoke(handlers, event):
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else None, response


def sample(name, token=None, **body_fields):
    """The sample event ``events/<name>.json``, with ``token`` as its bearer (none without) and its body's fields
    replaced by ``body_fields``."""
    event = json.loads((EVENTS / f"{name}.json").read_text())
    if body_fields:
        event["body"] = json.dumps(json.loads(event["body"]) | body_fields, ensure_ascii=False)
    event["headers"].pop("Authorization", None)
    event["multiValueHeaders"].pop("Authorization", None)
    if token is not None:
        event["headers"]["Authorization"] = f"Bearer {token}"
        event["multiValueHeaders"]["Authorization"] = [f"Bearer {token}"]
    return event


def sign_in(handlers, wechat, openid="o-alice"):
    status, body, _ = invoke(handlers, sample("api-sign-in", code=wechat.code_for(openid)))
    assert status == 200, body
    return body["token"]


def request_with_cards(handlers, token, titles=("盗梦空间", "星际穿越", "禁闭岛")):
    """A tags request of ``token``'s person with a found card per title (rank 1, 2 …) as the workers leave it; its
    id."""
    from uuid import UUID

    from movierec import runtime
    from movierec.douban.models import DoubanMovie
    from movierec.recommendation.models import MovieEntry, MovieStatus

    status, created, _ = invoke(handlers, sample("api-create-tags", token, count=len(titles)))
    assert status == 202, created
    request_id = UUID(created["id"])
    store = runtime.request_store()
    store.mark_running(request_id)
    for rank, title in enumerate(titles, start=1):
        douban_id = str(1_000_000 + rank)
        entry = MovieEntry(rank=rank, title=title, year=2010, reason=f"《{title}》的理由")
        douban = DoubanMovie(id=douban_id, url=f"https://movie.douban.com/subject/{douban_id}/", title=title)
        store.add_movie(request_id, entry)
        store.record_movie(request_id, entry.model_copy(update={"status": MovieStatus.FOUND, "douban": douban}))
    return created["id"]


def poll(handlers, token, request_id):
    event = sample("api-get", token)
    event["path"] = f"/recommendations/{request_id}"
    return invoke(handlers, event)


def report(handlers, token, **fields):
    """POST /feedback with the sample's body, its fields replaced by ``fields`` (None removes one)."""
    event = sample("api-feedback", token)
    body = json.loads(event["body"]) | fields
    event["body"] = json.dumps({name: value for name, value in body.items() if value is not None}, ensure_ascii=False)
    return invoke(handlers, event)
