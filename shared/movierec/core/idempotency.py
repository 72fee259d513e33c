"""Powertools idempotency for the workers, keyed on the business id rather than the SQS message id.

SQS delivers at least once, and a redelivered job is a different message: keying on the request id
(and the round, or the movie's rank) makes a duplicate return the first run's result instead of
calling the model or Douban again. A duplicate that arrives while the first run is still going fails
its delivery and comes back later.

Each worker names its records with a fixed ``key_prefix`` (``recommend#<hash>``): Powertools' default prefix is
the Lambda function's name and the handler's module path, which differ between deployments of the stack and between
the local stack's copies of a handler (one module per simulated instance), so a duplicate handed to another instance
would not meet the first run's record.
"""

from __future__ import annotations

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig

from movierec.core.config import settings

# How long a finished job's result is remembered; redeliveries come within minutes.
REMEMBER_SECONDS = 3600


def persistence_layer() -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(table_name=settings().idempotency_table)


def keyed_on(*fields: str) -> IdempotencyConfig:
    """The job's `fields` are its identity, e.g. `keyed_on("request_id", "rank")`."""
    return IdempotencyConfig(
        event_key_jmespath=f"[{', '.join(fields)}]",
        expires_after_seconds=REMEMBER_SECONDS,
        raise_on_no_idempotency_key=True,
    )
