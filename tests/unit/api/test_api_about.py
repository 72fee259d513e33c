"""What the API says about itself: GET /about (the operator and the filed model, from the settings), which fields a
model wrote (in the OpenAPI document and in each polled movie), and a missing detail named at start-up."""

import io
import logging
from uuid import UUID

import pytest

from local.stack import load_handler
from local.template import Template
from movierec import runtime
from movierec.core.disclosure import AI_LABEL, MODEL_WRITTEN_EXTENSION
from movierec.recommendation.models import MovieEntry
from tests.unit.api.signed_in import invoke, sample
from tests.unit.api.test_api import call

OPERATOR = {
    "OPERATOR_NAME": "影荐科技（北京）有限公司",
    "OPERATOR_CONTACT": "privacy@example.cn",
    "MODEL_NAME": "某某大模型",
    "MODEL_FILING": "Beijing-MouMou-20240101",
}


@pytest.fixture
def operator(handlers, monkeypatch):
    for name, value in OPERATOR.items():
        monkeypatch.setenv(name, value)
    runtime.reset()


def test_the_sample_about_event_answers_the_operator_and_the_filed_model_from_the_settings(handlers, operator):
    status, about, _ = invoke(handlers, sample("api-about"))
    assert status == 200
    assert about == {
        "operator": {"name": "影荐科技（北京）有限公司", "contact": "privacy@example.cn"},
        "model": {"name": "某某大模型", "filing": "Beijing-MouMou-20240101"},
        "ai_label": AI_LABEL,
        "ai_notice": "推荐理由由 AI 生成，仅供参考；评分、演职员和简介来自豆瓣",
        "missing": [],
    }


def test_about_is_open_to_anyone_where_sign_in_is_on(handlers, wechat, operator):
    assert invoke(handlers, sample("api-about"))[0] == 200


def test_a_detail_not_set_reads_not_set_and_is_named(handlers, monkeypatch):
    for name in OPERATOR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPERATOR_NAME", "影荐科技（北京）有限公司")
    runtime.reset()
    _, about = call(handlers, "GET", "/about")
    assert about["operator"] == {"name": "影荐科技（北京）有限公司", "contact": "未填写"}
    assert about["missing"] == ["OPERATOR_CONTACT", "MODEL_NAME", "MODEL_FILING"]


def test_the_api_names_each_missing_detail_at_start_up(aws, monkeypatch):
    from movierec.core.observability import logger

    for name in OPERATOR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MODEL_NAME", "某某大模型")
    monkeypatch.setenv("RECOMMEND_QUEUE_URL", "https://sqs.example/recommend")
    monkeypatch.setenv("SCRAPE_QUEUE_URL", "https://sqs.example/scrape")
    runtime.reset()
    runtime.announce_missing_details.cache_clear()
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logging.getLogger(logger.name).addHandler(handler)
    try:
        (api,) = [spec for spec in Template.load().functions() if spec.name == "ApiFunction"]
        load_handler(api, copy=7)
    finally:
        logging.getLogger(logger.name).removeHandler(handler)
        runtime.reset()
    (line,) = [line for line in buffer.getvalue().splitlines() if "operator's details" in line]
    assert "OPERATOR_NAME, OPERATOR_CONTACT, MODEL_FILING" in line


def test_the_openapi_document_marks_every_field_a_model_wrote(handlers):
    _, document = call(handlers, "GET", "/openapi.json")
    schemas = document["components"]["schemas"]
    entry = schemas["ShownMovie"]["properties"]
    assert sorted(name for name, field in entry.items() if field.get(MODEL_WRITTEN_EXTENSION)) == [
        "original_title",
        "reason",
        "title",
        "year",
    ]
    assert not entry["douban"].get(MODEL_WRITTEN_EXTENSION)
    assert AI_LABEL in entry["reason"]["description"]
    assert "ai_generated" in entry
    assert {"/feedback", "/me", "/about"} <= set(document["paths"])
    assert "delete" in document["paths"]["/me"]


def test_each_polled_movie_says_which_of_its_fields_a_model_wrote(handlers):
    _, created = call(handlers, "POST", "/recommendations", {"mode": "star", "star": "是枝裕和", "count": 1})
    runtime.request_store().add_movie(UUID(created["id"]), MovieEntry(rank=1, title="小偷家族", year=2018, reason="家"))
    (movie,) = call(handlers, "GET", f"/recommendations/{created['id']}")[1]["movies"]
    assert movie["ai_generated"] == ["title", "original_title", "year", "reason"]
    assert movie["reason"] == "家"
