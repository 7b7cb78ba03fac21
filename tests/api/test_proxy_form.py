"""Forward-proxy (absolute-form) requests: with HTTP_PROXY pointing at riconnect, a client's
requests to Alibaba Cloud's real endpoints are answered here (api/request.py, origin_form);
requests for any other host are refused, so riconnect never acts as a general proxy."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

from riconnect.api.auth import sign_v1
from riconnect.api.request import origin_form
from riconnect.domain.errors import ApiError
from riconnect.testing import DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, LiveCloud


def _send(cloud: LiveCloud, target_base: str, action: str = "DescribeRegions") -> tuple[int, Any]:
    params = sign_v1(
        "POST",
        [("Action", action), ("Version", "2016-04-28"), ("Format", "JSON")],
        DEMO_ACCESS_KEY_ID,
        DEMO_ACCESS_KEY_SECRET,
    )
    conn = http.client.HTTPConnection(cloud.host, cloud.port, timeout=10)
    try:
        conn.request(
            "POST",
            f"{target_base}?{urlencode(params)}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_the_v1_sdk_through_riconnect_as_its_proxy_never_leaves_the_machine(
    riconnect_cloud: LiveCloud,
) -> None:
    """aliyun-python-sdk-core with a real endpoint name and riconnect as HTTP proxy: the
    request reaches riconnect in absolute form (there is no network here to reach the
    real one) and is answered."""
    client = AcsClient(
        DEMO_ACCESS_KEY_ID,
        DEMO_ACCESS_KEY_SECRET,
        "cn-shanghai",
        proxy={"http": riconnect_cloud.url},
    )
    request = CommonRequest(
        domain="vpc.cn-shanghai.aliyuncs.com", version="2016-04-28", action_name="DescribeVpcs"
    )
    request.set_protocol_type("http")
    request.set_method("POST")
    request.add_query_param("RegionId", "cn-shanghai")
    body = json.loads(client.do_action_with_exception(request))
    assert body["TotalCount"] == len(body["Vpcs"]["Vpc"])


@pytest.mark.parametrize(
    "base",
    ["http://vpc.aliyuncs.com/", "http://ecs.cn-hangzhou.aliyuncs.com:80/", "http://ALIYUNCS.COM/"],
)
def test_alibaba_hosts_are_answered(riconnect_cloud: LiveCloud, base: str) -> None:
    status, body = _send(riconnect_cloud, base)
    assert status == 200 and body["Regions"]["Region"], body


def test_riconnect_itself_in_absolute_form_is_answered(riconnect_cloud: LiveCloud) -> None:
    for host in ("127.0.0.1", "localhost"):
        status, body = _send(riconnect_cloud, f"http://{host}:{riconnect_cloud.port}/")
        assert status == 200, body


@pytest.mark.parametrize(
    "base",
    [
        "http://example.com/",
        "http://vpc.aliyuncs.com.example.com/",
        "http://evilaliyuncs.com/",
        "http://127.0.0.1:1/",  # another service on this machine
        "http://user@example.com/",
    ],
)
def test_other_hosts_are_refused(riconnect_cloud: LiveCloud, base: str) -> None:
    status, body = _send(riconnect_cloud, base)
    assert status == 403 and body["Code"] == "Forbidden.ProxyTarget", body
    assert body["RequestId"]


def test_the_operator_surface_is_not_reachable_through_the_proxy_form(
    riconnect_cloud: LiveCloud,
) -> None:
    status, body = _send(riconnect_cloud, f"http://127.0.0.1:{riconnect_cloud.port}/riconnect/x")
    assert status == 404 and body["Code"] == "InvalidPath"


def test_origin_form_rules() -> None:
    assert origin_form("/") == "/"
    assert origin_form("http://vpc.aliyuncs.com/") == "/"
    assert origin_form("http://vpc.aliyuncs.com") == "/"
    assert origin_form("http://[::1]:8080/", ("::1", 8080)) == "/"
    assert origin_form("http://127.0.0.1/", ("127.0.0.1", 80)) == "/"
    for path, server in (("http://[::1]:8081/", ("::1", 8080)), ("http://10.0.0.1:80/", None)):
        with pytest.raises(ApiError) as info:
            origin_form(path, server)
        assert info.value.code == "Forbidden.ProxyTarget"
