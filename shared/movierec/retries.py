"""What a consumer does when a message fails: let SQS deliver it again, or, on its last delivery, give up
with a truthful final state, so that no request waits for a message that went to the dead-letter queue."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

from movierec.observability import logger


def is_last_attempt(record: SQSRecord, max_receive_count: int) -> bool:
    return int(record.attributes.approximate_receive_count) >= max_receive_count


@contextmanager
def last_attempt(record: SQSRecord, max_receive_count: int, on_give_up: Callable[[], None]) -> Iterator[None]:
    """Re-raise failures (a batch item failure: SQS retries) except on the last attempt, which gives up instead.

    A duplicate that met the first run still in progress never gives up: the first run decides the outcome.
    """
    try:
        yield
    except IdempotencyAlreadyInProgressError:
        raise
    except Exception:
        if not is_last_attempt(record, max_receive_count):
            raise
        logger.exception("giving up on the last attempt", extra={"message_id": record.message_id})
        on_give_up()
