"""What the service tells people about itself: which text a model wrote, how it is labelled, and who runs it.

《人工智能生成合成内容标识办法》 and its mandatory standard GB 45438-2025 (in force 2025-09-01) ask generated text
to carry an explicit label (人工智能生成 or AI生成) at its start, its end or a fitting place, an interactive screen
to show a persistent notice, and copied or shared content to keep the label; 《生成式人工智能服务管理暂行办法》 asks a
service that calls a filed model to show that model's 登记/备案 information. The API marks every model-written field
with :data:`MODEL_WRITTEN` in its OpenAPI document and lists them in each movie, so that any client can label them;
``GET /about`` gives the operator's details from the settings.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from movierec.core.config import Settings

# The explicit label, in GB 45438-2025's words, and the notice an interactive screen shows while the text is there.
AI_LABEL = "AI生成"
AI_NOTICE = "推荐理由由 AI 生成，仅供参考；评分、演职员和简介来自豆瓣"

# The OpenAPI extension that marks a field a model wrote (in a pydantic model: `Field(json_schema_extra=…)`).
MODEL_WRITTEN_EXTENSION = "x-ai-generated"
MODEL_WRITTEN: dict[str, Any] = {MODEL_WRITTEN_EXTENSION: True}

# What the settings leave unsaid is shown as such, never invented.
NOT_SET = "未填写"


class Operator(BaseModel):
    name: str = Field(description="主体名称: the company or organisation that runs the service")
    contact: str = Field(description="Where people reach the operator: complaints, reports, questions about data")


class FiledModel(BaseModel):
    name: str = Field(description="The generative AI service or model that writes the text, as filed")
    filing: str = Field(description="Its 登记/备案 number with the Cyberspace Administration of China")


class ServiceInfo(BaseModel):
    """GET /about: who runs the service, which filed model writes its text, and how that text is labelled."""

    operator: Operator
    model: FiledModel
    ai_label: str = Field(default=AI_LABEL, description="The label every model-written text carries (GB 45438-2025)")
    ai_notice: str = Field(default=AI_NOTICE, description="The notice a screen showing model-written text keeps")
    missing: list[str] = Field(
        default_factory=list,
        description="The settings of these details that are not set (shown as 未填写): set them before a launch",
    )


# The settings that hold the operator's details, by the variable that sets each.
OPERATOR_DETAILS = ("OPERATOR_NAME", "OPERATOR_CONTACT", "MODEL_NAME", "MODEL_FILING")


def service_info(settings: Settings) -> ServiceInfo:
    """The details as set, each missing one as 未填写 and named in ``missing``."""
    given = {name: getattr(settings, name.lower()) for name in OPERATOR_DETAILS}
    shown = {name: value or NOT_SET for name, value in given.items()}
    return ServiceInfo(
        operator=Operator(name=shown["OPERATOR_NAME"], contact=shown["OPERATOR_CONTACT"]),
        model=FiledModel(name=shown["MODEL_NAME"], filing=shown["MODEL_FILING"]),
        missing=[name for name, value in given.items() if not value],
    )
