"""Scheduled (EventBridge, daily): warms the movie cache from Douban's lists, in the Douban budget's idle share."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from movierec import runtime
from movierec.core.observability import logger, metrics, tracer

runtime.settings()  # checked once, at cold start: a missing or malformed setting stops the function here

# Left for the last page's writes and the logs when the function's time runs out.
MARGIN_SECONDS = 10.0


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_source(data_class=EventBridgeEvent)
def lambda_handler(event: EventBridgeEvent, context: LambdaContext) -> dict[str, Any]:
    logger.set_correlation_id(event.get_id)
    seconds = context.get_remaining_time_in_millis() / 1000 - MARGIN_SECONDS
    return runtime.cache_warm_up().run(seconds).as_log()
