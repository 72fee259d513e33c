"""What the local API answers at the HTTP level, as API Gateway would: JSON always, no dropped connection."""

import http.client
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import requests


def raw_request(stack, method, path, body=b"", headers=None):
    url = urlsplit(stack.api.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.putrequest(method, path, skip_accept_encoding=True)
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    connection.endheaders(body or None)
    response = connection.getresponse()
    return response.status, response.getheader("Content-Type"), response.read()


def test_an_unsupported_method_is_405_json(stack):
    status, content_type, body = raw_request(stack, "TRACE", "/health")
    assert (status, content_type) == (405, "application/json")
    assert "TRACE" in json.loads(body)["message"]


def test_a_malformed_content_length_is_400_json(stack):
    status, content_type, _ = raw_request(stack, "POST", "/recommendations", headers={"Content-Length": "abc"})
    assert (status, content_type) == (400, "application/json")


def test_a_chunked_body_is_read_whole(stack):
    def chunks():
        yield b'{"mode": "star", '
        yield b'"star": "\xe5\x91\xa8\xe6\x98\x9f\xe9\xa9\xb0"}'

    response = requests.post(
        f"{stack.api.base_url}/recommendations", data=chunks(), headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 202, response.text


def test_a_burst_of_creations_is_queued_not_refused(stack):
    def create(_):
        return stack.api.create({"mode": "tags", "tags": ["科幻"]}).status_code

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(create, range(40)))
    assert statuses == [202] * 40


def test_concurrent_polls_each_get_their_own_request(stack):
    ids = [stack.api.create({"mode": "theme", "theme": f"主题{n}"}).json()["id"] for n in range(8)]

    def poll(request_id):
        return request_id, stack.api.get(request_id).json()["id"]

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(poll, ids * 6))
    assert all(asked == answered for asked, answered in answers)
