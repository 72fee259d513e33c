"""Sending jobs to SQS. The body is the job's JSON; the job's own model reads it back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class JobQueue:
    def __init__(self, sqs_client: Any, queue_url: str) -> None:
        self._sqs = sqs_client
        self._queue_url = queue_url

    def send(self, job: BaseModel, delay_seconds: int = 0) -> None:
        """`delay_seconds` (at most 900, SQS's limit) holds the job back, e.g. for a later retry."""
        self._sqs.send_message(
            QueueUrl=self._queue_url, MessageBody=job.model_dump_json(), DelaySeconds=min(delay_seconds, 900)
        )

    def retry_later(self, receipt_handle: str, seconds: int) -> None:
        """Bring a received message back after `seconds`, rather than after the queue's visibility timeout."""
        self._sqs.change_message_visibility(
            QueueUrl=self._queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
        )
