"""One Logger and one Metrics for the whole package, so every module logs and counts the same way."""

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="movierec")
metrics = Metrics(namespace="movierec", service="movierec")
