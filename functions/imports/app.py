"""SQS consumer: reads a few pages of a person's 看过 list from Douban and queues the next job, until the last page."""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import idempotent_function
from aws_lambda_powertools.utilities.typing import LambdaContext

from movierec import runtime
from movierec.core.idempotency import keyed_on, persistence_layer
from movierec.core.observability import logger, metrics, tracer
from movierec.core.retries import last_attempt
from movierec.history_import.models import ImportJob
from movierec.history_import.user_import import UNAVAILABLE_MAX_WAIT_SECONDS

runtime.settings()  # checked once, at cold start: a missing or malformed setting stops the function here

# SQS redrives a message to the dead-letter queue after this many receives (template.yaml, RedrivePolicy).
MAX_RECEIVE_COUNT = int(os.environ.get("MAX_RECEIVE_COUNT", "3"))

# Failures are always reported per record, even when the whole batch failed.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
KEY_PREFIX = "import"  # the same on every instance: see movierec.core.idempotency
idempotency = keyed_on("import_id", "start", "budget_waits")  # each part of a list is read once, after its waits


@idempotent_function(
    data_keyword_argument="job", config=idempotency, persistence_store=persistence_layer(), key_prefix=KEY_PREFIX
)
def read_part(job: ImportJob) -> dict[str, str | int]:
    runtime.user_imports().run(job)
    return {"import_id": str(job.import_id), "start": job.start}


def handle_record(record: SQSRecord) -> None:
    job = ImportJob.model_validate_json(record.body)
    logger.set_correlation_id(str(job.import_id))
    with last_attempt(
        record,
        MAX_RECEIVE_COUNT,
        on_give_up=lambda: runtime.user_imports().give_up(job),
        retry_in=lambda seconds: runtime.import_queue().retry_later(record.receipt_handle, seconds),
        max_hinted_seconds=UNAVAILABLE_MAX_WAIT_SECONDS,  # Douban blocking us asks to stay away a while
    ):
        read_part(job=job)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    idempotency.register_lambda_context(context)
    return process_partial_response(event=event, record_handler=handle_record, processor=processor, context=context)
