"""What every part of movierec shares, importing nothing of movierec outside it.

``config`` (every setting, read and checked once), ``observability`` (the one Logger, Metrics and Tracer), ``queues``
(an SQS job queue), ``retries`` (the worker's retry and give-up rule), ``idempotency`` (Powertools' idempotency on
business keys), ``secrets`` (Secrets Manager through Powertools' parameters), ``rate_limits`` (a per-asker one-minute
limiter in DynamoDB), ``queries`` (a DynamoDB Query read to its end), ``conditional_writes`` (a DynamoDB update whose
failed condition is an answer, and the epoch times conditions compare), ``owned_items`` (a person's items in one table,
for erasing them), ``models`` (statuses and the error bodies a client reads), ``request_body`` (whether an HTTP body can
be read at all) and ``disclosure`` (which text a model wrote, its label, who runs the service).
"""
