"""moto's AWS on a free loopback port: in this process (`MotoServer`), or `python -m local.moto_server`, a process of
its own for `make run` and the benchmark.

moto's own ThreadedMotoServer runs on werkzeug's development server, which closes the connection after every answer
(its http.server cannot drain a request before the next one): every boto3 call then opened a new TCP connection and
moto a new thread for it, a few milliseconds of CPU on both sides, hundreds of times a request. Served by cheroot
(CherryPy's WSGI server: HTTP/1.1 keep-alive, a pool of threads), boto3 keeps its connections as it does with
DynamoDB and SQS, and a call costs a third of the time. The application is moto's own, unchanged.

As a process, it prints the port it listens on, then serves until its standard input ends. The parent holds the
other end of that pipe, so the server stops with its parent however the parent ends (Ctrl-C, a kill, a crash): no
moto is left behind.
"""

from __future__ import annotations

import sys
import threading

from cheroot import wsgi
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from local import dynamodb_fidelity

# Worker threads: the SQS pollers' receives (each waits up to a second) and the handlers' calls, all at once.
THREADS = 32
IDLE_SECONDS = 600  # how long a kept connection may wait for its next request


class MotoServer:
    """moto's server on 127.0.0.1, in a thread of this process; DynamoDB atomic and billed as in AWS."""

    def __init__(self) -> None:
        dynamodb_fidelity.install()
        application = DomainDispatcherApplication(create_backend_app)
        # Every boto3 client of the stack keeps its connections (a pool each, used now and then): none is closed for
        # being idle or one too many, as DynamoDB's and SQS's endpoints would not close them either.
        self._server = wsgi.Server(("127.0.0.1", 0), application, numthreads=THREADS, timeout=IDLE_SECONDS)
        self._server.keep_alive_conn_limit = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._server.prepare()  # binds the port, so that it is known once start returns
        self._thread = threading.Thread(target=self._server.serve, name="moto", daemon=True)
        self._thread.start()

    def get_host_and_port(self) -> tuple[str, int]:
        host, port = self._server.bind_addr[:2]
        return str(host), int(port)

    def stop(self) -> None:
        self._server.stop()
        if self._thread is not None:
            self._thread.join()


def main() -> None:
    server = MotoServer()
    server.start()
    print(server.get_host_and_port()[1], flush=True)
    sys.stdin.read()  # returns at end of input: the parent closed the pipe, or is gone
    server.stop()


if __name__ == "__main__":
    main()
