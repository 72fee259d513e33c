"""SQS consumer: looks up each named movie on Douban and records its card; failures are per message.

The records of a batch are looked up concurrently (each in a thread: the Douban client is blocking), so a
batch costs about one lookup's time, not the sum; the client's rate limit still holds per worker.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from aws_lambda_powertools.utilities.batch import AsyncBatchProcessor, EventType, async_process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import idempotent_function
from aws_lambda_powertools.utilities.typing import LambdaContext

from movierec import runtime
from movierec.core.idempotency import keyed_on, persistence_layer
from movierec.core.observability import logger, metrics, tracer
from movierec.core.retries import MAX_RETRY_DELAY_SECONDS, last_attempt
from movierec.recommendation.models import ScrapeJob

runtime.settings()  # checked once, at cold start: a missing or malformed setting stops the function here

# SQS redrives a message to the dead-letter queue after this many receives (template.yaml, RedrivePolicy).
MAX_RECEIVE_COUNT = int(os.environ.get("MAX_RECEIVE_COUNT", "5"))

# Failures are always reported per record, even when the whole batch failed.
processor = AsyncBatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
KEY_PREFIX = "scrape"  # the same on every instance: see movierec.core.idempotency
# One lookup per movie of a request, and per try: a completion's, or one after the Douban budget had none to spare.
idempotency = keyed_on("request_id", "rank", "refreshes", "budget_waits")


@idempotent_function(
    data_keyword_argument="job", config=idempotency, persistence_store=persistence_layer(), key_prefix=KEY_PREFIX
)
def scrape(job: ScrapeJob) -> dict[str, str | int]:
    runtime.scrape_service().run(job)
    return {"request_id": str(job.request_id), "rank": job.rank, "refreshes": job.refreshes, "waits": job.budget_waits}


def handle(record: SQSRecord) -> None:
    job = ScrapeJob.model_validate_json(record.body)
    logger.thread_safe_append_keys(correlation_id=str(job.request_id), rank=job.rank)
    with last_attempt(
        record,
        MAX_RECEIVE_COUNT,
        on_give_up=lambda: runtime.scrape_service().give_up(job),
        retry_in=lambda seconds: runtime.scrape_queue().retry_later(record.receipt_handle, seconds),
        max_hinted_seconds=MAX_RETRY_DELAY_SECONDS,  # the Douban budget names when a token may be free
    ):
        scrape(job=job)


async def handle_record(record: SQSRecord) -> None:
    await asyncio.to_thread(handle, record)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    idempotency.register_lambda_context(context)
    runtime.scrape_service()  # built here, once, before the batch's records fan out to threads
    return async_process_partial_response(
        event=event, record_handler=handle_record, processor=processor, context=context
    )
