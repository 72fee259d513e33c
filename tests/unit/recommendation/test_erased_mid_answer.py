"""A request its owner erased (DELETE /me) while the model still answered: the worker ends quietly, and nothing of it
comes back."""

from movierec.modes.tags import TagsRequest
from movierec.recommendation.models import RecommendJob
from movierec.recommendation.storage import RequestStore
from tests.fakes.queues import RecordingQueue
from tests.unit.recommendation.test_recommend import ScriptedModel, new_request, service


class ErasedWhileAnswering(ScriptedModel):
    """Names its movies; the request's item is deleted after the first, as an erasure would do it."""

    def __init__(self, table, request_id, *titles):
        super().__init__(*titles)
        self.table = table
        self.request_id = request_id

    def recommend(self, messages, on_movie, on_reading=None):
        original = on_movie

        def then_erase(streamed):
            original(streamed)
            for key in (str(self.request_id), f"{self.request_id}#inputs"):  # the request and its inputs
                self.table.delete_item(Key={"id": key})

        return super().recommend(messages, then_erase, on_reading)


def test_the_worker_ends_quietly_and_the_request_stays_gone(aws):
    table = aws.Table("RequestsTable")
    store, queues = RequestStore(table), (RecordingQueue(), RecordingQueue())
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=2))
    model = ErasedWhileAnswering(table, request_id, "甲", "乙", "丙")

    service(store, queues, model).run(RecommendJob(request_id=request_id))  # raises nothing: no retry, no dead letter

    assert table.scan()["Items"] == []
    assert [job.title for job in queues[0].sent] == ["甲"]  # what came after was never looked up
    assert queues[1].sent == []  # no top-up for a request that is gone
