"""SQS pollers that behave like Lambda's event source mapping, in-process.

Each poller receives up to BatchSize messages, invokes the real handler with a real SQS event, deletes
what succeeded and leaves what is reported in `batchItemFailures` (or everything, when the handler
raises) to be received again; moto's redrive policy moves a message to its DLQ after maxReceiveCount.
At most MaximumConcurrency batches run at once.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from local.template import SqsSource

Handler = Callable[[dict[str, Any], Any], Any]

# Lambda's default when a source sets no MaximumConcurrency; enough for a laptop.
DEFAULT_CONCURRENCY = 4


@dataclass
class LambdaContext:
    """The attributes Powertools reads from a Lambda context."""

    function_name: str
    timeout_seconds: int
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"

    def __post_init__(self) -> None:
        self.aws_request_id = str(uuid.uuid4())
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """A received message in the shape Lambda hands to an SQS-triggered function."""
    attributes = message.get("Attributes", {})
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": {
            "ApproximateReceiveCount": attributes.get("ApproximateReceiveCount", "1"),
            "SentTimestamp": attributes.get("SentTimestamp", str(int(time.time() * 1000))),
            "SenderId": attributes.get("SenderId", "local"),
            "ApproximateFirstReceiveTimestamp": attributes.get(
                "ApproximateFirstReceiveTimestamp", str(int(time.time() * 1000))
            ),
        },
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


class SqsPoller:
    def __init__(
        self,
        *,
        sqs: Any,
        queue_url: str,
        queue_arn: str,
        source: SqsSource,
        function_name: str,
        timeout_seconds: int,
        handler: Handler,
        region: str,
    ) -> None:
        self._sqs = sqs
        self._queue_url = queue_url
        self._queue_arn = queue_arn
        self._source = source
        self._function_name = function_name
        self._timeout_seconds = timeout_seconds
        self._handler = handler
        self._region = region
        self._concurrency = source.max_concurrency or DEFAULT_CONCURRENCY
        self._slots = threading.Semaphore(self._concurrency)
        self._stopping = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=self._concurrency, thread_name_prefix=function_name)
        self._thread = threading.Thread(target=self._poll, name=f"poll-{function_name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the poller to stop after its current receive (a long poll of up to a second)."""
        self._stopping.set()

    def stop(self) -> None:
        """Stop and wait for the poller and the invocations it started."""
        self.request_stop()
        self._thread.join(timeout=5)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _poll(self) -> None:
        while not self._stopping.is_set():
            if not self._slots.acquire(timeout=0.2):
                continue
            try:
                messages = self._sqs.receive_message(
                    QueueUrl=self._queue_url,
                    MaxNumberOfMessages=self._source.batch_size,
                    WaitTimeSeconds=1,
                    MessageSystemAttributeNames=["All"],
                    MessageAttributeNames=["All"],
                ).get("Messages", [])
            except Exception:  # the moto server is going away at shutdown
                messages = []
                self._stopping.wait(0.2)
            if not messages:
                self._slots.release()
                continue
            self._pool.submit(self._invoke, messages)

    def _invoke(self, messages: list[dict[str, Any]]) -> None:
        try:
            event = {"Records": [sqs_record(m, self._queue_arn, self._region) for m in messages]}
            failed = self._failed_ids(event)
            for message in messages:
                # A failed message is left to come back when its visibility ends, as in Lambda (the workers
                # shorten that themselves); the others are done.
                if message["MessageId"] not in failed:
                    self._sqs.delete_message(QueueUrl=self._queue_url, ReceiptHandle=message["ReceiptHandle"])
        finally:
            self._slots.release()

    def _failed_ids(self, event: dict[str, Any]) -> set[str]:
        every_id = {record["messageId"] for record in event["Records"]}
        try:
            result = self._handler(event, LambdaContext(self._function_name, self._timeout_seconds))
        except Exception:  # an uncaught error fails the whole batch, as in Lambda
            return every_id
        if not self._source.reports_batch_item_failures or not isinstance(result, dict):
            return set()
        return {failure["itemIdentifier"] for failure in result.get("batchItemFailures", [])}
