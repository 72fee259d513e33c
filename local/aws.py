"""AWS in memory: a moto server on 127.0.0.1 with the template's tables and queues.

boto3 finds it through AWS_ENDPOINT_URL, so the functions' code is the same code that runs in Lambda.
By default moto runs in this process (the tests' stacks, quick to start); `make run` and the benchmark run it
as a child process instead, so that moto's CPU time does not slow the handlers beside it (its response
serialiser costs milliseconds a call), as DynamoDB and SQS would not in AWS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import requests

from local.moto_server import MotoServer
from local.template import Template

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"

# Queue properties that map one to one onto SQS queue attributes.
_QUEUE_ATTRIBUTES = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds")


class _ChildMotoServer:
    """moto's server as a child process (local/moto_server.py) on a free loopback port.

    The child runs in a session of its own, so a Ctrl-C in the terminal reaches only this process, which stops the
    stack in order and then the child; and the child ends by itself if this process dies without stopping it.
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "local.moto_server"],
            cwd=Path(__file__).resolve().parent.parent,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self._process.stdout is not None
        port = self._process.stdout.readline().strip()
        if not port.isdigit():
            self.stop()
            raise RuntimeError("the moto server did not start")
        self.port = int(port)

    def get_host_and_port(self) -> tuple[str, int]:
        return "127.0.0.1", self.port

    def stop(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()  # the child's signal to stop
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class LocalAws:
    def __init__(
        self, template: Template, parameters: dict[str, str] | None = None, moto_in_child_process: bool = False
    ) -> None:
        self.template = template
        self.parameters = parameters or {}
        self.queue_urls: dict[str, str] = {}
        self._server: MotoServer | _ChildMotoServer | None = None
        self._moto_in_child_process = moto_in_child_process
        self.endpoint_url = ""

    def start(self) -> None:
        if self._moto_in_child_process:
            self._server = _ChildMotoServer()
        else:
            self._server = MotoServer()
            self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": self.endpoint_url,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
            }
        )
        os.environ.pop("AWS_PROFILE", None)
        if not self._moto_in_child_process:
            self._reset()  # moto's state is per process: start from nothing, whatever ran before in this one
        self._create_queues()
        self._create_tables()

    def stop(self) -> None:
        if self._server is not None:
            if not self._moto_in_child_process:
                self._reset()
            self._server.stop()
            self._server = None

    def _reset(self) -> None:
        requests.post(f"{self.endpoint_url}/moto-api/reset", timeout=10).raise_for_status()

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint_url)

    def queue_arn(self, name: str) -> str:
        return f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{name}"

    def resolve(self, value: Any) -> str:
        """The value CloudFormation would give an environment variable or property."""
        if not isinstance(value, dict):
            return str(value)
        if "Ref" in value:
            name = value["Ref"]
            if name in self.template.parameters:
                return str(self.parameters.get(name, self.template.parameter_default(name)))
            if name in self.queue_urls:
                return self.queue_urls[name]
            return name  # tables are named after their logical id
        if "Fn::GetAtt" in value:
            name, attribute = value["Fn::GetAtt"]
            if attribute == "Arn" and name in self.queue_urls:
                return self.queue_arn(name)
            if attribute == "QueueUrl":
                return self.queue_urls[name]
            return f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{name}"
        raise ValueError(f"the local stack cannot resolve {value!r}")

    def _create_queues(self) -> None:
        sqs = self.client("sqs")
        queues = self.template.of_type("AWS::SQS::Queue")
        for name, props in queues.items():
            attributes = {key: str(props[key]) for key in _QUEUE_ATTRIBUTES if key in props}
            self.queue_urls[name] = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        # Redrive policies name other queues, so they are set once every queue exists.
        for name, props in queues.items():
            if "RedrivePolicy" in props:
                policy = props["RedrivePolicy"]
                redrive = {
                    "deadLetterTargetArn": self.resolve(policy["deadLetterTargetArn"]),
                    "maxReceiveCount": int(policy["maxReceiveCount"]),
                }
                sqs.set_queue_attributes(
                    QueueUrl=self.queue_urls[name], Attributes={"RedrivePolicy": json.dumps(redrive)}
                )

    def _create_tables(self) -> None:
        create_tables(self.client("dynamodb"), self.template)


def create_tables(dynamodb: Any, template: Template) -> None:
    """Every DynamoDB table of the template, named after its logical id."""
    for name, props in template.of_type("AWS::DynamoDB::Table").items():
        indexes = {kind: props[kind] for kind in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes") if kind in props}
        dynamodb.create_table(
            TableName=name,
            KeySchema=props["KeySchema"],
            AttributeDefinitions=props["AttributeDefinitions"],
            BillingMode=props.get("BillingMode", "PAY_PER_REQUEST"),
            **indexes,
        )
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
