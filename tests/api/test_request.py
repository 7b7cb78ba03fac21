"""The gateway's steps one at a time: reading a request into one value, finding its action,
and the error envelope's host."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest

from riconnect.api.app import error_answer
from riconnect.api.config import ServerConfig
from riconnect.api.request import (
    ClientGone,
    GatewayError,
    Request,
    find_action,
    read_body,
    read_head,
)
from riconnect.domain.errors import ApiError

CONFIG = ServerConfig(db=":memory:", max_body=64, max_params=4)
FORM = [(b"content-type", b"application/x-www-form-urlencoded")]


def scope(query: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, Any]:
    return {"method": "POST", "path": "/", "query_string": query, "headers": headers or []}


def body(*chunks: bytes) -> Any:
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    return receive


def read(request: Request, receive: Any) -> Request:
    return asyncio.run(read_body(request, receive, CONFIG))


def test_the_head_is_read_without_the_body() -> None:
    request = read_head(scope(b"Action=DescribeVpcs&Format=XML", [(b"X-Acs-Date", b" t ")]), CONFIG)
    assert request.query == [("Action", "DescribeVpcs"), ("Format", "XML")]
    assert request.headers == {"x-acs-date": "t"}
    assert (request.form, request.body, request.wants_xml) == ([], b"", True)


def test_too_many_query_parameters() -> None:
    with pytest.raises(GatewayError) as info:
        read_head(scope(b"a=1&b=2&c=3&d=4&e=5"), CONFIG)
    assert info.value.code == "TooManyParameters"


def test_a_form_body_adds_its_pairs_and_its_format() -> None:
    request = read(read_head(scope(b"a=1", FORM), CONFIG), body(b"Format=", b"XML"))
    assert request.form == [("Format", "XML")] and request.body == b"Format=XML"
    assert request.wants_xml
    assert request.params() == {"a": "1", "Format": "XML"}


def test_other_bodies_are_not_parameters() -> None:
    request = read(read_head(scope(), CONFIG), body(b"Format=XML"))
    assert (request.form, request.wants_xml) == ([], False)


def test_a_name_twice_with_two_values_is_refused() -> None:
    request = read(read_head(scope(b"Action=A", FORM), CONFIG), body(b"Action=B"))
    with pytest.raises(ApiError) as info:
        request.params()
    assert info.value.code == "InvalidParameter.Duplicate"


def test_body_limits() -> None:
    head = read_head(scope(b"", [*FORM, (b"content-length", b"65")]), CONFIG)
    with pytest.raises(ApiError) as info:
        read(head, body(b""))
    assert info.value.code == "RequestTooLarge"
    with pytest.raises(ApiError) as info:
        read(read_head(scope(b"", FORM), CONFIG), body(b"x" * 40, b"y" * 40))
    assert info.value.code == "RequestTooLarge"
    with pytest.raises(ClientGone):
        read(read_head(scope(b"", FORM), CONFIG), body())


def test_route() -> None:
    with pytest.raises(ApiError) as info:
        Request("POST", "/x", [], [], b"", {}).check_route()
    assert info.value.code == "InvalidPath"
    with pytest.raises(ApiError) as info:
        Request("PUT", "/", [], [], b"", {}).check_route()
    assert info.value.code == "UnsupportedHTTPMethod"


def test_find_action() -> None:
    plain = Request("POST", "/", [], [], b"", {})
    assert find_action(plain, {"Action": "CreateVpc", "Version": "2016-04-28"}).name == "CreateVpc"
    v3 = Request("POST", "/", [], [], b"", {"authorization": "ACS3-HMAC-SHA256 x"})
    headers_only = {"x-acs-action": "CreateVpc", "x-acs-version": "2016-04-28"}
    assert find_action(Request("POST", "/", [], [], b"", {**v3.headers, **headers_only}), {})
    # A V1 request does not sign headers: they cannot name its action.
    with pytest.raises(ApiError) as info:
        find_action(Request("POST", "/", [], [], b"", headers_only), {})
    assert info.value.code == "MissingParameter"
    codes = []
    for params in (
        {"Action": "CreateVpc", "Version": "2099-01-01"},
        {"Action": "Frobnicate", "Version": "2016-04-28"},
    ):
        with pytest.raises(ApiError) as info:
            find_action(plain, params)
        codes.append(info.value.code)
    assert codes == ["InvalidVersion", "InvalidAction.NotFound"]


def test_the_error_host_is_the_actions_product() -> None:
    plain = Request("POST", "/", [], [], b"", {})
    sts = find_action(plain, {"Action": "GetCallerIdentity", "Version": "2015-04-01"})
    vpc = find_action(plain, {"Action": "CreateVpc", "Version": "2016-04-28"})
    err = ApiError("MissingSignature")
    assert error_answer(err, "r", sts).body["HostId"] == "sts.aliyuncs.com"
    assert error_answer(err, "r", vpc).body["HostId"] == "vpc.aliyuncs.com"
    assert error_answer(err, "r").body["HostId"] == "vpc.aliyuncs.com"


def test_a_worker_started_after_its_supervisor_died_still_stops() -> None:
    """A worker of ``--workers N`` that finishes starting only after its supervisor was
    SIGKILLed must not take its new parent for the supervisor (it used to wait forever)."""
    import subprocess
    import sys

    code = (
        "import time\n"
        "from riconnect.api.startup import watch_supervisor\n"
        "watch_supervisor(interval=0.05)\n"
        "time.sleep(30)\n"
    )
    # The supervisor named in the environment is not this process's parent: it is gone.
    env = {**os.environ, "RICONNECT_SUPERVISOR_PID": "999999999"}
    run = subprocess.run([sys.executable, "-c", code], env=env, timeout=20, capture_output=True)
    assert run.returncode != 0
    assert b"is gone" in run.stderr
