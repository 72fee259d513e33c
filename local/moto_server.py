"""`python -m local.moto_server`: moto's server on a free loopback port, in a process of its own (`make run`'s AWS).

It prints the port it listens on, then serves until its standard input ends. The parent holds the other end of that
pipe, so the server stops with its parent however the parent ends (Ctrl-C, a kill, a crash): no moto is left behind.
"""

from __future__ import annotations

import logging
import sys

from moto.server import ThreadedMotoServer

from local.dynamodb_atomicity import serialise_dynamodb_calls


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every call otherwise
    serialise_dynamodb_calls()  # DynamoDB writes each item atomically; moto's threads would not
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    print(server.get_host_and_port()[1], flush=True)
    sys.stdin.read()  # returns at end of input: the parent closed the pipe, or is gone
    server.stop()


if __name__ == "__main__":
    main()
