"""Secrets: from the environment when set there (local stack), else from Secrets Manager, cached."""

from __future__ import annotations

import os

from aws_lambda_powertools.utilities import parameters

from movierec.core.observability import logger

SECRET_CACHE_SECONDS = 300


def read_secret(env_name: str, secret_name: str) -> str | None:
    """The value of `env_name` if set, else the secret `secret_name` if configured, else None."""
    value = os.environ.get(env_name, "").strip()
    if value:
        return value
    if not secret_name:
        return None
    try:
        secret = parameters.get_secret(secret_name, max_age=SECRET_CACHE_SECONDS)
    except parameters.exceptions.GetParameterError:
        # The secret's value is never logged, only that it could not be read.
        logger.warning("secret could not be read", extra={"secret_name": secret_name})
        return None
    return str(secret).strip() or None
