"""The local stack's DynamoDB honours what the real one guarantees: one write to an item at a time."""

import sys
import threading
import uuid

import boto3
import pytest

from local.aws import LocalAws
from local.template import Template
from movierec.douban.models import DoubanMovie
from movierec.modes.tags import TagsRequest
from movierec.recommendation.models import MovieEntry, MovieStatus
from movierec.recommendation.storage import RequestStore

TRIALS = 30  # without the guard, most trials doubled (43 to 49 of 60 in three runs)


@pytest.fixture
def local_dynamodb(monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)  # LocalAws sets them; monkeypatch puts them back
    aws = LocalAws(Template.load())
    aws.start()
    try:
        yield aws
    finally:
        aws.stop()


def found(rank: int, douban_id: str) -> MovieEntry:
    movie = DoubanMovie(id=douban_id, url=f"https://movie.douban.com/subject/{douban_id}/", title="盗梦空间")
    return MovieEntry(rank=rank, title="盗梦空间", year=2010, status=MovieStatus.FOUND, douban=movie)


def test_two_ranks_claiming_one_douban_id_at_once_show_it_once(local_dynamodb):
    """Two scrape workers find the same film for two ranks of one request at the same moment: DynamoDB lets one
    conditional claim through. Without the local stack's guard, moto's server let both through (a card shown
    twice) in most trials."""
    switch_interval = sys.getswitchinterval()  # made tiny around each race, so that any interleaving shows
    try:
        stores = [
            RequestStore(boto3.resource("dynamodb", endpoint_url=local_dynamodb.endpoint_url).Table("RequestsTable"))
            for _ in range(2)
        ]
        doubled = 0
        for _ in range(TRIALS):
            request_id = uuid.uuid4()
            stores[0].create(request_id, TagsRequest(mode="tags", tags=["科幻"], count=2), avoid=[])
            for rank in (1, 2):
                stores[0].add_movie(request_id, MovieEntry(rank=rank, title="盗梦空间", year=2010))
            sys.setswitchinterval(1e-6)
            start = threading.Barrier(2)
            recorded = []

            def claim(store: RequestStore, rank: int, request_id=request_id, start=start, recorded=recorded) -> None:
                start.wait()
                recorded.append(store.record_movie(request_id, found(rank, "3541415")))

            threads = [threading.Thread(target=claim, args=(stores[rank - 1], rank)) for rank in (1, 2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            sys.setswitchinterval(switch_interval)
            final = stores[0].get(request_id)
            doubled += [movie.status for movie in final.movies].count(MovieStatus.FOUND) != 1
        assert doubled == 0, f"one film was claimed by both ranks in {doubled} of {TRIALS} trials"
    finally:
        sys.setswitchinterval(switch_interval)


def capacity(response):
    return response["ConsumedCapacity"]["CapacityUnits"]


def test_capacity_is_billed_by_the_items_size_as_dynamodb_bills_it(aws):
    """A read costs a unit per 4 KB of the whole item (half when eventually consistent, whatever the projection);
    a write a unit per KB of the larger of the item before and after it."""
    client = boto3.client("dynamodb")
    table, key = "RequestsTable", {"id": {"S": "r"}}
    billed = {"ReturnConsumedCapacity": "TOTAL"}
    put = client.put_item(TableName=table, Item=key | {"padding": {"S": "x" * 10_000}}, **billed)
    assert capacity(put) == 10  # 10,009 bytes: ten units of 1 KB
    read = client.get_item(TableName=table, Key=key, ConsistentRead=True, **billed)
    assert capacity(read) == 3  # three units of 4 KB
    projected = client.get_item(TableName=table, Key=key, ProjectionExpression="id", **billed)
    assert capacity(projected) == 1.5  # the whole item, eventually consistent
    update = client.update_item(TableName=table, Key=key, UpdateExpression="REMOVE padding", **billed)
    assert capacity(update) == 10  # the item before the write was the larger
    small = client.update_item(
        TableName=table, Key=key, UpdateExpression="SET n = :n", ExpressionAttributeValues={":n": {"N": "1"}}, **billed
    )
    assert capacity(small) == 1
    assert capacity(client.get_item(TableName=table, Key={"id": {"S": "none"}}, **billed)) == 0.5
