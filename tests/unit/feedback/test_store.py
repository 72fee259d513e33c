"""The feedback table: a report kept under its reporter, found by the day it came (Beijing time), gone after its TTL."""

import uuid

from boto3.dynamodb.conditions import Key

from movierec.feedback.store import DAY_INDEX, FeedbackStore, Report

ALICE = "a" * 64
# 2026-11-30 23:30 in UTC is 2026-12-01 07:30 in Beijing.
LATE_NOVEMBER_UTC = 1_796_081_400.0


def test_a_report_is_kept_under_its_reporter_for_the_operator_with_its_beijing_day(aws):
    table = aws.Table("FeedbackTable")
    store = FeedbackStore(table, ttl_days=180, clock=lambda: LATE_NOVEMBER_UTC)
    request_id = uuid.uuid4()

    report_id = store.put(Report(reporter=ALICE, kind="offensive", request_id=request_id, rank=2, reason="……"))

    (item,) = table.query(IndexName=DAY_INDEX, KeyConditionExpression=Key("day").eq("2026-12-01"))["Items"]
    assert (item["reporter"], item["id"], item["kind"], item["rank"]) == (ALICE, report_id, "offensive", 2)
    assert item["expires_at"] == int(LATE_NOVEMBER_UTC) + 180 * 86400
    assert "text" not in item  # nothing is stored for what the report does not say
    assert store.reported_requests(ALICE) == {request_id}


def test_a_reporters_reports_sort_by_time_and_go_together(aws):
    table = aws.Table("FeedbackTable")
    now = [LATE_NOVEMBER_UTC]
    store = FeedbackStore(table, clock=lambda: now[0])
    ids = []
    for _ in range(3):
        ids.append(store.put(Report(reporter=ALICE, kind="not_fitting", douban_id="1292052")))
        now[0] += 1.5
    store.put(Report(reporter="ip#198.51.100.7", kind="other", text="?"))

    stored = [item["id"] for item in table.query(KeyConditionExpression=Key("reporter").eq(ALICE))["Items"]]
    assert stored == ids
    assert store.reported_requests(ALICE) == set()  # by Douban id alone: no request to unhide
    assert store.delete_all(ALICE) == 3
    assert [item["reporter"] for item in table.scan()["Items"]] == ["ip#198.51.100.7"]
