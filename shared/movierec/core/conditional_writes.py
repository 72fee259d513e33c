"""DynamoDB's conditional writes as the stores use them: a condition that did not hold is an answer (another writer
got there first, or the item has moved on), not an error; and the epoch times those conditions compare."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError


def is_condition_failure(error: ClientError) -> bool:
    """The write's ConditionExpression did not hold (DynamoDB's ConditionalCheckFailedException)."""
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def conditional_update(table: Any, **update: Any) -> bool:
    """boto3's ``Table.update_item(**update)``: True when it was made, False when its condition did not hold; any
    other error raises."""
    try:
        table.update_item(**update)
    except ClientError as error:
        if is_condition_failure(error):
            return False
        raise
    return True


def epoch_number(seconds: float) -> Decimal:
    """Epoch seconds as DynamoDB stores a number (boto3 takes Decimal, not float), to the millisecond."""
    return Decimal(f"{seconds:.3f}")
