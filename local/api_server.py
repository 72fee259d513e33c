"""Serves the API function over HTTP on 127.0.0.1, turning each request into an API Gateway REST event."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from local.consumers import LambdaContext

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]

STAGE = "prod"
# API Gateway refuses payloads over 10 MB before they reach the function.
MAX_BODY_BYTES = 10 * 1024 * 1024


def rest_api_event(method: str, raw_path: str, headers: dict[str, str], body: bytes, source_ip: str) -> dict[str, Any]:
    """An API Gateway REST proxy event for the `/{proxy+}` resource."""
    url = urlsplit(raw_path)
    query = parse_qs(url.query, keep_blank_values=True)
    try:
        text, is_base64 = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, is_base64 = base64.b64encode(body).decode(), True
    return {
        "resource": "/{proxy+}",
        "path": url.path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": {name: values[-1] for name, values in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": {"proxy": url.path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": f"/{STAGE}{url.path}",
            "stage": STAGE,
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(time.time() * 1000),
            "accountId": "123456789012",
            "apiId": "local",
            "identity": {"sourceIp": source_ip, "userAgent": headers.get("User-Agent", "")},
        },
        "body": text if body else None,
        "isBase64Encoded": is_base64,
    }


# What the gateway itself answers (template.yaml's GatewayResponses give the API's error shape to these too).
_GATEWAY_CODES = {400: "bad_request", 405: "method_not_allowed", 413: "payload_too_large", 502: "gateway_error"}


def _json(status: int, message: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"code": _GATEWAY_CODES.get(status, "gateway_refused"), "message": message, "details": []})
    return status, {"Content-Type": "application/json"}, body.encode()


def _request_handler(handler: Handler) -> type[BaseHTTPRequestHandler]:
    class ApiRequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # small JSON answers on kept-alive connections must not wait 40 ms

        def _serve(self) -> None:
            try:
                body = self._read_body()
            except ValueError as error:
                self._reply(*_json(400, f"Bad request: {error}"))
                return
            if body is None:
                self._reply(*_json(413, "Request Too Long"))
                return
            event = rest_api_event(self.command, self.path, dict(self.headers.items()), body, self.client_address[0])
            try:
                result = handler(event, LambdaContext("ApiFunction", 10))
            except Exception:  # what API Gateway answers when the function itself fails
                self._reply(*_json(502, "Internal server error"))
                raise
            payload = result.get("body") or ""
            data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode("utf-8")
            headers = dict(result.get("headers") or {})
            for name, values in (result.get("multiValueHeaders") or {}).items():
                headers[name] = ", ".join(values)
            self._reply(int(result.get("statusCode", 200)), headers, b"" if self.command == "HEAD" else data)

        def _read_body(self) -> bytes | None:
            """The whole body (plain or chunked); None when it is larger than API Gateway accepts."""
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                return self._read_chunks()
            raw_length = self.headers.get("Content-Length") or "0"
            if not raw_length.isdigit():
                raise ValueError(f"Content-Length {raw_length!r}")
            length = int(raw_length)
            return None if length > MAX_BODY_BYTES else self.rfile.read(length)

        def _read_chunks(self) -> bytes | None:
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()  # the blank line after the last chunk
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
                if len(body) > MAX_BODY_BYTES:
                    return None

        def _reply(self, status: int, headers: dict[str, str], data: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """The standard library answers HTML; API Gateway answers JSON (and 405 for methods it lacks)."""
            if code == 501:
                code, message = 405, f"Method {self.command} not allowed"
            self.close_connection = True
            self._reply(*_json(code, message or "Bad request"))

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the function logs each request itself, as JSON

    return ApiRequestHandler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a burst of clients must queue, not be reset


class ApiServer:
    def __init__(self, handler: Handler, host: str = "127.0.0.1", port: int = 3000) -> None:
        self._server = _Server((host, port), _request_handler(handler))
        self._thread = threading.Thread(target=self._server.serve_forever, name="api", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
