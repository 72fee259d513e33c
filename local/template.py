"""Reads template.yaml, the one source of truth for the tables, queues, functions and their wiring.

The local stack builds its moto resources and its SQS pollers from what this module reads, so a change
to the template is a change to the local stack too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "template.yaml"


class _CloudFormationLoader(yaml.SafeLoader):
    """Turns short-form intrinsics (`!Ref X`, `!GetAtt A.B`, `!Sub …`) into their long form."""


def _intrinsic(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _intrinsic)


@dataclass(frozen=True)
class SqsSource:
    """An SQS event source of a function, as Lambda's event source mapping would run it."""

    queue: str  # logical id
    batch_size: int
    max_concurrency: int | None
    reports_batch_item_failures: bool


@dataclass(frozen=True)
class FunctionSpec:
    name: str  # logical id
    code_dir: Path
    handler: str
    timeout: int
    environment: dict[str, Any]
    sqs_sources: list[SqsSource] = field(default_factory=list)
    schedules: list[str] = field(default_factory=list)  # EventBridge schedule expressions (cron(...), rate(...))


@dataclass(frozen=True)
class Template:
    parameters: dict[str, Any]
    resources: dict[str, Any]
    function_globals: dict[str, Any]
    root: Path
    outputs: dict[str, Any] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)

    @property
    def globals_environment(self) -> dict[str, Any]:
        return self.function_globals.get("Environment", {}).get("Variables", {})

    @classmethod
    def load(cls, path: Path = TEMPLATE_PATH) -> Template:
        """The template at ``path``, parsed once per process (a file no one changes while the stack runs)."""
        return _parsed(cls, path)

    @classmethod
    def parse(cls, path: Path) -> Template:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)
        function_globals = document.get("Globals", {}).get("Function", {})
        return cls(
            parameters=document.get("Parameters", {}),
            resources=document["Resources"],
            function_globals=function_globals,
            root=path.parent,
            outputs=document.get("Outputs", {}),
            document=document,
        )

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {
            name: spec.get("Properties", {}) for name, spec in self.resources.items() if spec["Type"] == resource_type
        }

    def functions(self) -> list[FunctionSpec]:
        specs = []
        for name, props in self.of_type("AWS::Serverless::Function").items():
            sources = [
                SqsSource(
                    queue=event["Properties"]["Queue"]["Fn::GetAtt"][0],
                    batch_size=int(event["Properties"].get("BatchSize", 10)),
                    max_concurrency=self._number(
                        event["Properties"].get("ScalingConfig", {}).get("MaximumConcurrency")
                    ),
                    reports_batch_item_failures="ReportBatchItemFailures"
                    in event["Properties"].get("FunctionResponseTypes", []),
                )
                for event in props.get("Events", {}).values()
                if event["Type"] == "SQS"
            ]
            schedules = [
                event["Properties"]["Schedule"]
                for event in props.get("Events", {}).values()
                if event["Type"] == "Schedule"
            ]
            specs.append(
                FunctionSpec(
                    name=name,
                    code_dir=self.root / props["CodeUri"],
                    handler=props["Handler"],
                    timeout=int(props.get("Timeout", 3)),
                    environment=props.get("Environment", {}).get("Variables", {}),
                    sqs_sources=sources,
                    schedules=schedules,
                )
            )
        return specs

    def parameter_default(self, name: str) -> Any:
        return self.parameters[name].get("Default", "")

    def _number(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, dict) and "Ref" in value:
            value = self.parameter_default(value["Ref"])
        return int(value)


@functools.cache
def _parsed(cls: type[Template], path: Path) -> Template:
    return cls.parse(path)
