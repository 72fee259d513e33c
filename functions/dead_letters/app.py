"""SQS consumer of the dead-letter queues: a job that SQS gave up on ends its request, movie or import `failed`.

The workers already give up on a job's last delivery; a job lands here when even that delivery never
finished (a crash, a timeout), so that no person waits for ever on a message nobody will process.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from movierec import runtime
from movierec.core.observability import logger, metrics, tracer
from movierec.history_import.models import ImportJob
from movierec.recommendation.models import RecommendJob, ScrapeJob

runtime.settings()  # checked once, at cold start: a missing or malformed setting stops the function here

RECOMMEND_DEAD_LETTER_QUEUE_ARN = os.environ.get("RECOMMEND_DEAD_LETTER_QUEUE_ARN", "")
SCRAPE_DEAD_LETTER_QUEUE_ARN = os.environ.get("SCRAPE_DEAD_LETTER_QUEUE_ARN", "")
IMPORT_DEAD_LETTER_QUEUE_ARN = os.environ.get("IMPORT_DEAD_LETTER_QUEUE_ARN", "")

# Failures are always reported per record, even when the whole batch failed.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def handle_record(record: SQSRecord) -> None:
    logger.error("job in a dead-letter queue", extra={"queue": record.event_source_arn, "body": record.body})
    metrics.add_metric(name="DeadLetters", unit="Count", value=1)
    if record.event_source_arn == RECOMMEND_DEAD_LETTER_QUEUE_ARN:
        runtime.recommend_service().give_up(RecommendJob.model_validate_json(record.body))
    elif record.event_source_arn == SCRAPE_DEAD_LETTER_QUEUE_ARN:
        runtime.scrape_service().give_up(ScrapeJob.model_validate_json(record.body))
    elif record.event_source_arn == IMPORT_DEAD_LETTER_QUEUE_ARN:
        runtime.user_imports().give_up(ImportJob.model_validate_json(record.body))
    else:
        raise ValueError(f"no dead-letter queue of this stack: {record.event_source_arn}")


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=handle_record, processor=processor, context=context)
