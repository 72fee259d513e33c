"""The SQS workers as Lambda runs them: duplicate deliveries, last attempts and dead letters."""

import json
import threading
import time
from pathlib import Path

import pytest

from local.consumers import LambdaContext
from movierec import runtime
from movierec.recommendation.models import MovieStatus
from tests.fakes.catalog import Film, serve
from tests.fakes.douban_server import FakeDouban
from tests.fakes.llm_server import FakeLLM, Reply, movie
from tests.unit.conftest import RECOMMEND_DEAD_LETTER_QUEUE_ARN

EVENTS = Path(__file__).resolve().parents[2] / "events"
KUNG_FU = Film("1291543", "功夫", "Kung Fu Hustle", 2004, directors=["周星驰"], cast=["周星驰"])
SHAOLIN_SOCCER = Film("1307793", "少林足球", "少林足球", 2001, directors=["周星驰"], cast=["周星驰"])


@pytest.fixture
def upstreams(handlers, monkeypatch):
    with FakeLLM() as llm, FakeDouban() as douban:
        serve(douban, [KUNG_FU, SHAOLIN_SOCCER])
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", llm.base_url)
        monkeypatch.setenv("DOUBAN_BASE_URL", douban.base_url)
        monkeypatch.setenv("DOUBAN_MOBILE_BASE_URL", douban.base_url)
        monkeypatch.setenv("DOUBAN_REQUESTS_PER_MINUTE", "6000")  # the budget is not under test here
        runtime.reset()
        yield llm, douban


def sqs_event(name, bodies, receive_count=1, source_arn=None):
    """The sample event of `name`, with one record per body."""
    template = json.loads((EVENTS / f"{name}.json").read_text())["Records"][0]
    records = []
    for index, body in enumerate(bodies):
        record = json.loads(json.dumps(template))
        record["messageId"] = f"message-{index}-{receive_count}"
        record["body"] = json.dumps(body)
        record["attributes"]["ApproximateReceiveCount"] = str(receive_count)
        if source_arn:
            record["eventSourceARN"] = source_arn
        records.append(record)
    return {"Records": records}


def invoke(handlers, function, event):
    return handlers[function](event, LambdaContext(function, 30))


def new_request(handlers, count=2):
    from tests.unit.api.test_api import call

    return call(handlers, "POST", "/recommendations", {"mode": "star", "star": "周星驰", "count": count})[1]["id"]


def recommended(handlers, llm, *titles_and_years):
    """A new request for exactly these movies, through the recommend worker; its id and the scrape jobs it queued."""
    llm.script(Reply.movies([movie(title, year) for title, year in titles_and_years]))
    request_id = new_request(handlers, count=len(titles_and_years))
    invoke(handlers, "RecommendFunction", sqs_event("recommend-job", [{"request_id": request_id}]))
    return request_id, scrape_messages(handlers)


def scrape_messages(handlers):
    sqs, url = handlers["sqs"], handlers["queues"]["ScrapeQueue"]
    return [
        json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    ]


def test_a_duplicate_recommend_delivery_calls_the_model_once(handlers, upstreams):
    llm, _ = upstreams
    llm.script(Reply.movies([movie("功夫", 2004), movie("少林足球", 2001)]), Reply.movies([movie("别的", 2000)]))
    request_id = new_request(handlers)
    event = sqs_event("recommend-job", [{"request_id": request_id}])
    assert invoke(handlers, "RecommendFunction", event) == {"batchItemFailures": []}
    assert invoke(handlers, "RecommendFunction", sqs_event("recommend-job", [{"request_id": request_id}], 2)) == {
        "batchItemFailures": []
    }
    assert len(llm.requests) == 1
    assert [m["rank"] for m in scrape_messages(handlers)] == [1, 2]


def test_duplicate_scrape_deliveries_look_up_once_and_count_once(handlers, upstreams):
    llm, douban = upstreams
    request_id, jobs = recommended(handlers, llm, ("功夫", 2004), ("少林足球", 2001))
    first = jobs[0]
    # the same movie three times in one batch: the copies meet the first run in progress and come back later
    failures = invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [first, first, first]))
    assert len(failures["batchItemFailures"]) == 2
    assert invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [first, first], receive_count=2)) == {
        "batchItemFailures": []
    }
    assert len(douban.requests) == 2  # one search, one subject page
    stored = runtime.request_store().get(request_id)
    assert ([m.status for m in stored.movies], stored.status) == (["found", "pending"], "running")
    invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [jobs[1]]))
    stored = runtime.request_store().get(request_id)
    assert stored.status == "done"
    assert [m.status for m in stored.movies] == ["found", "found"]


def test_douban_down_retries_then_the_last_attempt_ends_the_movie_failed(handlers, upstreams):
    from tests.fakes.douban_server import Reply as DoubanReply

    llm, douban = upstreams
    request_id, (job,) = recommended(handlers, llm, ("功夫", 2004))
    douban.set("/j/subject_suggest", DoubanReply.status_only(503))
    douban.set(f"/j/subject_suggest?q={job['title']}", DoubanReply.status_only(503))
    failures = invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [job], receive_count=1))
    assert len(failures["batchItemFailures"]) == 1  # SQS will deliver it again
    assert runtime.request_store().get(request_id).movies[0].status == "pending"
    assert invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [job], receive_count=5)) == {
        "batchItemFailures": []
    }
    stored = runtime.request_store().get(request_id)
    assert stored.movies[0].status == "failed"
    assert "豆瓣" in stored.movies[0].note


def test_a_ban_ends_the_movie_failed_at_once_since_no_retry_could_show_it_before_the_deadline(handlers, upstreams):
    """Douban bans the address for hours (sec.douban.com/b): the card says Douban cannot be reached now, rather than
    being tried again until its request runs out of time."""
    from tests.fakes.douban_server import Reply as DoubanReply

    llm, douban = upstreams
    request_id, (job,) = recommended(handlers, llm, ("功夫", 2004))
    douban.set("/j/subject_suggest", DoubanReply.ban_redirect())
    douban.set(f"/j/subject_suggest?q={job['title']}", DoubanReply.ban_redirect())

    failures = invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [job], receive_count=1))

    assert failures == {"batchItemFailures": []}  # nothing for SQS to bring back
    stored = runtime.request_store().get(request_id)
    assert stored.movies[0].status == "failed"
    assert "豆瓣" in stored.movies[0].note
    # settled at once: one card short of the count, the request asks the model for another
    queued = handlers["sqs"].receive_message(QueueUrl=handlers["queues"]["RecommendQueue"], MaxNumberOfMessages=10)
    assert {"request_id": request_id, "top_up": True} in [json.loads(m["Body"]) for m in queued["Messages"]]


def test_dead_letters_end_their_request_or_movie_failed(handlers, upstreams):
    llm, _ = upstreams
    llm.script(Reply.movies([movie("功夫", 2004), movie("少林足球", 2001)]))
    stuck = new_request(handlers)
    event = sqs_event("recommend-job", [{"request_id": stuck}], 3, source_arn=RECOMMEND_DEAD_LETTER_QUEUE_ARN)
    assert invoke(handlers, "DeadLetterFunction", event) == {"batchItemFailures": []}
    stored = runtime.request_store().get(stuck)
    assert (stored.status, stored.error.code) == ("failed", "internal_error")

    scraping = new_request(handlers)
    invoke(handlers, "RecommendFunction", sqs_event("recommend-job", [{"request_id": scraping}]))
    jobs = scrape_messages(handlers)
    invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [jobs[0]]))
    scrape_dlq = "arn:aws:sqs:us-east-1:123456789012:ScrapeDeadLetterQueue"
    invoke(handlers, "DeadLetterFunction", sqs_event("scrape-job", [jobs[1]], 5, source_arn=scrape_dlq))
    stored = runtime.request_store().get(scraping)
    assert [m.status for m in stored.movies] == ["found", "failed"]
    # one card short of the count: the request asks the model for one more rather than waiting
    recommend_queue = handlers["queues"]["RecommendQueue"]
    queued = handlers["sqs"].receive_message(QueueUrl=recommend_queue, MaxNumberOfMessages=10)["Messages"]
    assert {"request_id": scraping, "top_up": True} in [json.loads(m["Body"]) for m in queued]


def test_a_worker_ends_a_request_past_its_deadline_instead_of_working_on_it(handlers, upstreams, aws):
    llm, douban = upstreams
    request_id, (job,) = recommended(handlers, llm, ("功夫", 2004))
    aws.Table("RequestsTable").update_item(
        Key={"id": request_id}, UpdateExpression="SET deadline_at = :past", ExpressionAttributeValues={":past": 1}
    )
    invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [job]))
    assert douban.requests == []
    stored = runtime.request_store().get(request_id)
    assert (stored.status, stored.error.code) == ("failed", "timeout")


def test_a_redelivered_scrape_job_settles_a_request_its_first_run_left_unsettled(handlers, upstreams, aws):
    llm, _ = upstreams
    request_id, (job,) = recommended(handlers, llm, ("功夫", 2004))
    # the first run recorded the card, then died before completing the request
    store = runtime.request_store()
    pending = store.get(request_id).movies[0]
    store.record_movie(request_id, pending.model_copy(update={"status": MovieStatus.NOT_FOUND, "note": "x"}))
    assert store.get(request_id).status == "running"
    invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [job], receive_count=2))
    recommend_queue = handlers["queues"]["RecommendQueue"]
    queued = handlers["sqs"].receive_message(QueueUrl=recommend_queue, MaxNumberOfMessages=10)["Messages"]
    assert {"request_id": request_id, "top_up": True} in [json.loads(m["Body"]) for m in queued]


def test_a_failed_lookup_asks_its_message_back_in_seconds_not_minutes(handlers, upstreams, monkeypatch):
    from tests.fakes.douban_server import Reply as DoubanReply

    llm, douban = upstreams
    llm.script(Reply.movies([movie("功夫", 2004)]))
    request_id = new_request(handlers, count=1)
    invoke(handlers, "RecommendFunction", sqs_event("recommend-job", [{"request_id": request_id}]))
    sqs, url = handlers["sqs"], handlers["queues"]["ScrapeQueue"]
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=180)["Messages"][0]
    douban.set(f"/j/subject_suggest?q={json.loads(received['Body'])['title']}", DoubanReply.status_only(503))
    event = sqs_event("scrape-job", [json.loads(received["Body"])], receive_count=2)
    event["Records"][0]["receiptHandle"] = received["ReceiptHandle"]
    monkeypatch.setenv("RETRY_BASE_SECONDS", "0")
    runtime.reset()  # settings are read once per instance
    assert len(invoke(handlers, "ScrapeFunction", event)["batchItemFailures"]) == 1
    # visible again at once (base 0), where the queue alone would have hidden it for minutes
    assert sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages")


def test_a_duplicate_at_another_instance_meets_the_first_run_in_progress(handlers, upstreams):
    """Lambda runs many instances of a function: a duplicate may reach one that is not running the job."""
    from local.stack import load_handler
    from local.template import Template

    llm, _ = upstreams
    slow = Reply.movies([movie("功夫", 2004), movie("少林足球", 2001)], chunk_size=4, delay_seconds=0.05)
    llm.script(slow, Reply.movies([movie("别的", 2000)]))
    request_id = new_request(handlers)
    spec = next(spec for spec in Template.load().functions() if spec.name == "RecommendFunction")
    another_instance = load_handler(spec, copy=1)
    first = threading.Thread(
        target=invoke, args=(handlers, "RecommendFunction", sqs_event("recommend-job", [{"request_id": request_id}]))
    )
    first.start()
    while not llm.requests:  # the first run is streaming the answer
        time.sleep(0.01)
    duplicate = sqs_event("recommend-job", [{"request_id": request_id}], 2)
    answer = another_instance(duplicate, LambdaContext("RecommendFunction", 30))
    first.join()
    assert len(answer["batchItemFailures"]) == 1  # it meets the first run in progress and comes back later
    assert len(llm.requests) == 1


def test_the_warm_up_reads_douban_s_lists_into_the_movie_cache_on_its_schedule(handlers, upstreams, monkeypatch):
    from tests.fakes.catalog import serve_lists

    _, douban = upstreams
    serve_lists(douban, {"movie_top250": [KUNG_FU, SHAOLIN_SOCCER], "tv_hot": []})
    monkeypatch.setenv("DOUBAN_WARM_UP_LISTS", "movie_top250:5,tv_hot")
    runtime.reset()
    event = json.loads((EVENTS / "warm-up-schedule.json").read_text())

    report = handlers["WarmUpFunction"](event, LambdaContext("WarmUpFunction", 600))

    assert (report["stored"], report["lists"], report["stopped"]) == (2, ["movie_top250", "tv_hot"], None)
    cached = runtime.movie_cache().get_movie(KUNG_FU.id)
    assert (cached.source, cached.movie.title, cached.movie.directors) == ("list", "功夫", ["周星驰"])
    from movierec.douban.budget import BUDGET_KEY

    table = runtime._rate_limit_table()
    assert int(table.get_item(Key={"id": BUDGET_KEY})["Item"]["version"]) == 2  # each page took a budget token


def test_a_star_card_waits_for_its_whole_douban_card_rather_than_be_judged_on_its_search_entry(
    handlers, upstreams, monkeypatch
):
    """The star is looked for among the director and cast, which a search entry does not name: a card that the budget
    cannot read in time is looked up again, never dropped for not naming the star."""
    from tests.fakes.douban_server import Reply as DoubanReply

    llm, douban = upstreams
    monkeypatch.setenv("DOUBAN_CIRCUIT_MAX_OPEN_SECONDS", "1")  # the circuits the refusals open close soon
    runtime.reset()
    request_id, (job,) = recommended(handlers, llm, ("功夫", 2004))
    refused = DoubanReply.status_only(403)  # the mobile API and the abstract refuse: only the search entry is known
    douban.set(f"/rexxar/api/v2/movie/{KUNG_FU.id}", refused)
    douban.set(f"/j/subject_abstract?subject_id={KUNG_FU.id}", refused)

    failures = invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [job], receive_count=1))

    assert len(failures["batchItemFailures"]) == 1  # SQS brings it back (after the wait the circuits name)
    assert runtime.request_store().get(request_id).movies[0].status == "pending"
    serve(douban, [KUNG_FU])
    time.sleep(2.1)  # the circuits the refusals opened close (1 s, kept to the whole second in DynamoDB)
    assert invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [job], receive_count=2)) == {
        "batchItemFailures": []
    }
    card = runtime.request_store().get(request_id).movies[0]
    assert (card.status, card.partial, card.douban.directors) == ("found", False, ["周星驰"])


def test_a_lookup_the_budget_cannot_serve_now_waits_its_turn_as_a_job_of_its_own(handlers, upstreams, monkeypatch):
    """Waiting for the Douban budget is no failed delivery: the job comes back when a token may be free, and its
    movie is never failed for it (the request's deadline still ends everything)."""
    llm, douban = upstreams
    monkeypatch.setenv("DOUBAN_REQUESTS_PER_MINUTE", "10")
    runtime.reset()
    request_id, (job,) = recommended(handlers, llm, ("功夫", 2004))
    runtime.douban_budget().slow_down(120)  # Douban asked every function to wait two minutes
    douban.clear_requests()

    assert invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [job])) == {"batchItemFailures": []}
    again = job | {"budget_waits": 1}  # its next turn, which the budget cannot serve either (on a last delivery too)
    assert invoke(handlers, "ScrapeFunction", sqs_event("scrape-job", [again], receive_count=5)) == {
        "batchItemFailures": []
    }

    assert douban.requests == []
    assert runtime.request_store().get(request_id).movies[0].status == "pending"  # not failed
    sqs, url = handlers["sqs"], handlers["queues"]["ScrapeQueue"]
    delayed = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesDelayed"])
    assert int(delayed["Attributes"]["ApproximateNumberOfMessagesDelayed"]) == 2  # each turn queued the next one


def test_an_import_the_budget_cannot_serve_now_comes_back_as_a_job_of_its_own_that_runs(
    handlers, upstreams, monkeypatch, aws
):
    """An import's part the budget has no token for is queued again, and the part that comes back is read: it is a job
    of its own, not a duplicate the idempotency record would swallow."""
    from movierec.douban.budget import BUDGET_KEY
    from tests.fakes.douban_history import marks, serve_interests
    from tests.unit.api.test_api import call

    _, douban = upstreams
    films = marks(3)
    serve_interests(douban, "ahbei", films)
    monkeypatch.setenv("DOUBAN_REQUESTS_PER_MINUTE", "10")
    runtime.reset()
    import_id = call(handlers, "POST", "/imports/douban-user", {"user": "ahbei"})[1]["id"]
    runtime.douban_budget().slow_down(120)  # Douban asked every function to wait two minutes
    job = {"import_id": import_id, "start": 0, "host": None}

    assert invoke(handlers, "ImportFunction", sqs_event("import-job", [job])) == {"batchItemFailures": []}
    assert douban.requests == []
    sqs, url = handlers["sqs"], handlers["queues"]["ImportQueue"]
    delayed = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesDelayed"])
    assert int(delayed["Attributes"]["ApproximateNumberOfMessagesDelayed"]) == 1  # its next turn

    aws.Table("RateLimitTable").delete_item(Key={"id": BUDGET_KEY})  # two minutes later: the budget is free
    again = job | {"budget_waits": 1}
    assert invoke(handlers, "ImportFunction", sqs_event("import-job", [again])) == {"batchItemFailures": []}
    view = call(handlers, "GET", f"/imports/{import_id}")[1]
    assert (view["status"], len(view["entries"])) == ("done", len(films))
