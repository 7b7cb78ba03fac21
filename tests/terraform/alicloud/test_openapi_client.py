"""The provider's lean client (riconnect/terraform/alicloud/openapi.py) against the official SDK.

A small HTTP server records each request exactly as it arrives (request line, headers in
order, body).  Every action of the lean client's table is sent once through the SDK, then
through the lean client with the SDK's own date and nonce: the two recordings must be
identical, byte for byte, and so the canonical request and the signature.  Error answers
and retries are compared through AliClient, once over each.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from riconnect.terraform.alicloud import openapi
from riconnect.terraform.alicloud.client import AliClient, ClientConfig, CloudError
from riconnect.terraform.alicloud.openapi_actions import ACTIONS
from tests.terraform.alicloud.sdk_layout import table

Recorded = tuple[str, list[tuple[str, str]], bytes]


class Recorder:
    """Records requests; answers each with the next queued (status, headers, body)."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.peers: list[tuple[str, int]] = []  # the client address of each request
        self.answers: list[tuple[int, dict[str, str], dict[str, Any]]] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                recorder.requests.append((self.requestline, list(self.headers.items()), body))
                recorder.peers.append(self.client_address)
                status, headers, payload = (
                    recorder.answers.pop(0)
                    if recorder.answers
                    else (200, {}, {"RequestId": "REQ-1", "TotalCount": 0})
                )
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json;charset=utf-8")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"
        self.host = f"127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.close()


def _client(endpoint: str, *, sdk: bool, token: str = "") -> AliClient:
    client = AliClient(
        ClientConfig(
            "LTAI5tParityKey",
            "parity/secret+=",
            "cn-hangzhou",
            security_token=token,
            vpc_endpoint=endpoint,
            sts_endpoint=endpoint,
        )
    )
    if sdk:  # no lean connections: every call goes through the SDK
        client._lean = {"Vpc": None, "Sts": None}
    return client


# Values with what URL encoding and signing must agree on: spaces, slashes, '~', '*',
# '+', non-ASCII; booleans and integers as the provider passes them.
def _value(name: str) -> Any:
    if name in ("Tag", "Tags"):
        return [{"Key": "team ü", "Value": "a/b~c*d+e"}, {"Key": "k2", "Value": ""}]
    if name == "Filter":
        return [{"Key": "Status", "Value": ["Active", "Idle"]}, {"Key": "Name", "Value": ["x y"]}]
    if name in ("DryRun", "AutoPay", "AutoRenew", "EnableIpv6", "ForceDelete"):
        return False
    if name in ("PageSize", "PageNumber", "Period", "VlanId", "Bandwidth"):
        return 7
    if name in ("ResourceId", "RouteTableIds", "VpcIds"):
        return ["id-1", "id 2"] if name == "ResourceId" else f"{name} ü~*"
    return f"{name} ü/~*+&="


def _params(action: tuple[str, str]) -> dict[str, Any]:
    _, query, body = ACTIONS[action]
    params = {name: _value(name) for name in (*query, *body)}
    params["NotAParameter"] = "dropped"  # unknown names are dropped, as from_map drops them
    return params


def test_the_table_is_what_the_installed_sdk_sends() -> None:
    wanted: dict[str, list[str]] = {}
    for product, action in ACTIONS:
        wanted.setdefault(product, []).append(action)
    assert table(wanted) == ACTIONS


def _sdk_request(client: AliClient, action: tuple[str, str], params: dict[str, Any]) -> None:
    product, name = action
    if product == "Sts":
        client.caller_identity()
    else:
        client.call(name, params)


@pytest.mark.parametrize("token", ["", "CAIS-security-token"], ids=["access_key", "sts_token"])
@pytest.mark.parametrize("action", sorted(ACTIONS), ids=lambda a: f"{a[0]}.{a[1]}")
def test_each_action_is_sent_byte_for_byte_as_the_sdk_sends_it(
    recorder: Recorder, action: tuple[str, str], token: str
) -> None:
    params = {"RegionId": "cn-hangzhou", **_params(action)} if action[0] == "Vpc" else {}
    _sdk_request(_client(recorder.endpoint, sdk=True, token=token), action, params)
    sdk_line, sdk_headers, sdk_body = recorder.requests.pop()
    given = dict(sdk_headers)
    credentials = openapi.Credentials("LTAI5tParityKey", "parity/secret+=", token)
    prepared = openapi.prepare(
        action[0],
        action[1],
        params,
        recorder.host,
        credentials,
        date=given["x-acs-date"],
        signature_nonce=given["x-acs-signature-nonce"],
    )
    connection = openapi.Connection(recorder.host, "http", 10, 60)
    openapi.answer(*connection.send(prepared))
    lean_line, lean_headers, lean_body = recorder.requests.pop()
    assert lean_line == sdk_line
    assert lean_headers == sdk_headers  # every header, in order, the signature included
    assert lean_body == sdk_body
    assert "NotAParameter" not in lean_line


def test_the_provider_sends_through_the_lean_client_without_importing_the_sdk(
    recorder: Recorder,
) -> None:
    code = (
        "import sys\n"
        "from riconnect.terraform.alicloud.client import AliClient, ClientConfig\n"
        f"c = AliClient(ClientConfig('k', 's', 'cn-hangzhou', vpc_endpoint='{recorder.endpoint}',"
        f" sts_endpoint='{recorder.endpoint}'))\n"
        "c.call('DescribeVpcs', {'VpcId': 'vpc-1'})\n"
        "c.caller_identity()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('alibabacloud', 'Tea'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout
    assert [r[0].split("?")[0].split(" ")[1] for r in recorder.requests] == ["/", "/"]


def test_each_provider_thread_keeps_its_connection(recorder: Recorder) -> None:
    # Terraform's parallel calls arrive on several gRPC threads: each sends over one
    # kept-alive connection of its own (no new TCP connection per call, no sharing).
    client = _client(recorder.endpoint, sdk=False)

    def calls() -> None:
        for _ in range(5):
            client.call("DescribeVpcAttribute", {"VpcId": "vpc-1"})

    threads = [threading.Thread(target=calls) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(recorder.peers) == 20
    assert len(set(recorder.peers)) == 4


def _failure(client: AliClient, recorder: Recorder) -> tuple[CloudError, int]:
    before = len(recorder.requests)
    with pytest.raises(CloudError) as caught:
        client.call("DescribeVpcs", {"VpcId": "vpc-1"}, timeout=30)
    return caught.value, len(recorder.requests) - before


def _error(code: str, message: str) -> dict[str, Any]:
    return {"RequestId": "REQ-E", "Code": code, "Message": message, "HostId": "vpc"}


@pytest.mark.parametrize("sdk", [True, False], ids=["sdk", "lean"])
def test_errors_and_retries_are_the_sdks(recorder: Recorder, sdk: bool) -> None:
    client = _client(recorder.endpoint, sdk=sdk)
    # A business error: no retry, the answer's fields.
    recorder.answers = [(400, {}, _error("InvalidVpcId.NotFound", "The VPC is missing."))]
    err, attempts = _failure(client, recorder)
    assert (err.code, err.message, err.status, err.request_id, attempts) == (
        "InvalidVpcId.NotFound",
        "The VPC is missing.",
        400,
        "REQ-E",
        1,
    )
    assert err.not_found
    # Throttling with x-acs-retry-after (milliseconds): retried after that wait, then done.
    recorder.answers = [
        (400, {"x-acs-retry-after": "50"}, _error("Throttling.User", "Slow down.")),
        (503, {}, _error("ServiceUnavailable", "Busy.")),
    ]
    before = len(recorder.requests)
    body = client.call("DescribeVpcs", {"VpcId": "vpc-1"}, timeout=30)
    assert body["RequestId"] == "REQ-1"
    assert len(recorder.requests) - before == 3
    # A 5xx that is a business error is final.
    recorder.answers = [(500, {}, _error("InvalidRouterInterfaceChargeType.Malformed", "No."))]
    err, attempts = _failure(client, recorder)
    assert (err.status, attempts) == (500, 1)


@pytest.mark.parametrize("sdk", [True, False], ids=["sdk", "lean"])
def test_a_closed_port_fails_at_once_as_with_the_sdk(sdk: bool) -> None:
    # The SDK reports a refused connection as an exception without a code, which the
    # provider does not retry; the lean client's failure takes the same path.
    from riconnect.testing.live import free_port

    client = _client(f"http://127.0.0.1:{free_port()}", sdk=sdk)
    started = time.monotonic()
    with pytest.raises(CloudError) as caught:
        client.call("DescribeVpcs", {}, timeout=30)
    assert (caught.value.code, caught.value.status) == ("Unknown", None)
    assert "refused" in caught.value.message.lower()
    assert time.monotonic() - started < 10
