"""What a consumer does when a message fails: let SQS deliver it again, or, on its last delivery, give up
with a truthful final state, so that no request waits for a message that went to the dead-letter queue."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

from movierec.core.config import settings
from movierec.core.observability import logger

# The queues hide a failed message for six times the function's timeout (minutes); a request's deadline is
# 90 s, so a worker asks for its failed message back sooner, with backoff: base, 2 × base, 4 × base …
MAX_RETRY_DELAY_SECONDS = 30


def is_last_attempt(record: SQSRecord, max_receive_count: int) -> bool:
    return int(record.attributes.approximate_receive_count) >= max_receive_count


def retry_delay_seconds(record: SQSRecord, base_seconds: float) -> int:
    attempt = int(record.attributes.approximate_receive_count)
    return int(min(MAX_RETRY_DELAY_SECONDS, base_seconds * 2 ** (attempt - 1)))


def hinted_delay_seconds(error: Exception, backoff: int, max_seconds: int) -> int:
    """The backoff, or longer when the error says how long to stay away (``retry_after``: a blocked upstream's
    wait), at most ``max_seconds``."""
    hint = getattr(error, "retry_after", None)
    if not isinstance(hint, int | float) or hint <= backoff:
        return backoff
    return min(max_seconds, math.ceil(hint))


@contextmanager
def last_attempt(
    record: SQSRecord,
    max_receive_count: int,
    on_give_up: Callable[[], None],
    retry_in: Callable[[int], None] = lambda seconds: None,
    max_hinted_seconds: int | None = None,
) -> Iterator[None]:
    """Re-raise failures (a batch item failure: SQS retries, after `retry_in`'s delay) except on the last attempt,
    which gives up instead. With `max_hinted_seconds`, a failure that says how long to stay away (`retry_after`)
    waits that long, up to that many seconds, rather than the short backoff.

    A duplicate that met the first run still in progress never gives up: the first run decides the outcome.
    """
    try:
        yield
    except IdempotencyAlreadyInProgressError:
        raise
    except Exception as error:
        if not is_last_attempt(record, max_receive_count):
            delay = retry_delay_seconds(record, settings().retry_base_seconds)
            if max_hinted_seconds is not None:
                delay = hinted_delay_seconds(error, delay, max_hinted_seconds)
            retry_in(delay)
            raise
        logger.exception("giving up on the last attempt", extra={"message_id": record.message_id})
        on_give_up()
