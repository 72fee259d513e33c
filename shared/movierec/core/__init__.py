"""What every part of movierec shares, importing nothing of movierec itself.

``config`` (every setting, read and checked once), ``observability`` (the one Logger, Metrics and Tracer),
``queues`` (an SQS job queue), ``retries`` (the worker's retry and give-up rule), ``idempotency`` (Powertools'
idempotency on business keys), ``secrets`` (Secrets Manager through Powertools' parameters), ``rate_limits`` (a
fixed-window limiter in DynamoDB), ``queries`` (a DynamoDB Query read to its end), ``owned_items`` (a person's items
in one table, for erasing them), ``models`` (statuses and the error bodies a client reads), ``request_body``
(whether an HTTP body can be read at all) and ``disclosure`` (which text a model wrote, its label, who runs the
service).
"""
