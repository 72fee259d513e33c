"""How long a failed message waits before SQS brings it back: the backoff, or the wait a blocked upstream asks."""

import pytest

from movierec.core.retries import hinted_delay_seconds
from movierec.douban.errors import DoubanUnavailable


@pytest.mark.parametrize(
    ("error", "delay"),
    [
        (DoubanUnavailable("blocked", retry_after=120), 120),
        (DoubanUnavailable("blocked", retry_after=119.2), 120),
        (DoubanUnavailable("blocked", retry_after=3600), 180),  # at most the cap
        (DoubanUnavailable("blocked", retry_after=1), 4),  # never sooner than the backoff
        (DoubanUnavailable("down"), 4),
        (ValueError("a bug"), 4),
    ],
)
def test_a_failure_that_says_how_long_to_stay_away_waits_that_long_within_a_cap(error, delay):
    assert hinted_delay_seconds(error, backoff=4, max_seconds=180) == delay
