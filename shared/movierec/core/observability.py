"""One Logger, Metrics and Tracer for the whole package, so every module logs, counts and traces the same way."""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger(service="movierec")
metrics = Metrics(namespace="movierec", service="movierec")
# X-Ray in Lambda only (Powertools turns it off elsewhere). Only the clients we call are patched: patching every
# library the SDK knows would import them all at cold start. boto3 here; requests by the Douban client that loads
# it (movierec.douban.http), so that a function that never reads Douban (the API, mostly) does not import it.
tracer = Tracer(service="movierec", patch_modules=("boto3",))
