"""Ecs 2014-05-26 on riconnect's port (what ``alicloud_regions`` and ``alicloud_zones`` read),
through both Python SDKs: ``alibabacloud_ecs20140526`` (V3 and V1 signatures) and
``aliyun-python-sdk-ecs`` on ``aliyun-python-sdk-core``."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from Tea.exceptions import TeaException

from riconnect.domain.regions import REGIONS
from riconnect.testing import DEFAULT_REGION, LiveCloud, acs_client
from riconnect.testing.clients import _config

KINDS = ("tea-v3", "tea-v1", "core")


class Ecs:
    def __init__(self, kind: str, cloud: LiveCloud) -> None:
        self.kind = kind
        if kind == "core":
            self.client = acs_client(cloud)
            self.client.add_endpoint(DEFAULT_REGION, "Ecs", cloud.endpoint)
        else:
            from alibabacloud_ecs20140526.client import Client

            algorithm = "v2" if kind == "tea-v1" else None
            self.client = Client(_config(cloud, *_keys(), algorithm, DEFAULT_REGION, 15_000, 5_000))

    def action(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        params = {"RegionId": DEFAULT_REGION, **params}
        if self.kind == "core":
            module = importlib.import_module(f"aliyunsdkecs.request.v20140526.{name}Request")
            request = getattr(module, f"{name}Request")()
            region = params.pop("RegionId")
            if region != DEFAULT_REGION:
                request.add_query_param("RegionId", region)
            for key, value in params.items():
                getattr(request, f"set_{key}")(value)
            body: dict[str, Any] = json.loads(self.client.do_action_with_exception(request))
            return body
        from alibabacloud_ecs20140526 import models

        snake = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
        request = getattr(models, f"{name}Request")().from_map(params)
        result: dict[str, Any] = getattr(self.client, snake)(request).body.to_map()
        return result

    def error(self, name: str, params: dict[str, Any]) -> tuple[str, int]:
        if self.kind == "core":
            from aliyunsdkcore.acs_exception.exceptions import ServerException

            with pytest.raises(ServerException) as core:
                self.action(name, params)
            return core.value.get_error_code(), core.value.get_http_status()
        with pytest.raises(TeaException) as tea:
            self.action(name, params)
        return str(tea.value.code), int(tea.value.status_code)


def _keys() -> tuple[str, str]:
    from riconnect.testing import DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET

    return DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET


@pytest.fixture(params=KINDS)
def ecs(request: pytest.FixtureRequest, riconnect_cloud: LiveCloud) -> Ecs:
    return Ecs(request.param, riconnect_cloud)


def test_describe_regions(ecs: Ecs) -> None:
    regions = ecs.action("DescribeRegions", {})["Regions"]["Region"]
    assert [r["RegionId"] for r in regions] == [r.id for r in REGIONS]
    hangzhou = next(r for r in regions if r["RegionId"] == "cn-hangzhou")
    assert hangzhou == {
        "RegionId": "cn-hangzhou",
        "LocalName": "华东1（杭州）",
        "RegionEndpoint": "ecs.aliyuncs.com",
        "Status": "available",
    }
    english = ecs.action("DescribeRegions", {"AcceptLanguage": "en-US"})["Regions"]["Region"]
    assert english[[r.id for r in REGIONS].index("cn-hangzhou")]["LocalName"] == "China (Hangzhou)"


def test_describe_zones(ecs: Ecs) -> None:
    zones = ecs.action("DescribeZones", {"InstanceChargeType": "PostPaid"})["Zones"]["Zone"]
    assert [z["ZoneId"] for z in zones][:2] == ["cn-hangzhou-b", "cn-hangzhou-e"]
    zone = zones[0]
    assert zone["LocalName"] == "杭州 可用区B"
    assert "ecs.g6.large" in zone["AvailableInstanceTypes"]["InstanceTypes"]
    assert "cloud_efficiency" in zone["AvailableDiskCategories"]["DiskCategories"]
    assert "VSwitch" in zone["AvailableResourceCreation"]["ResourceTypes"]


def test_describe_available_resource(ecs: Ecs) -> None:
    body = ecs.action(
        "DescribeAvailableResource",
        {
            "DestinationResource": "Zone",
            "IoOptimized": "optimized",
            "InstanceChargeType": "PostPaid",
        },
    )
    zones = body["AvailableZones"]["AvailableZone"]
    assert {z["Status"] for z in zones} == {"Available"}
    first = zones[0]
    (resource,) = first["AvailableResources"]["AvailableResource"]
    assert resource["Type"] == "Zone"
    assert resource["SupportedResources"]["SupportedResource"][0]["Value"] == first["ZoneId"]
    types = ecs.action(
        "DescribeAvailableResource",
        {"DestinationResource": "InstanceType", "ZoneId": "cn-hangzhou-h"},
    )["AvailableZones"]["AvailableZone"]
    values = [
        s["Value"]
        for s in types[0]["AvailableResources"]["AvailableResource"][0]["SupportedResources"][
            "SupportedResource"
        ]
    ]
    assert "ecs.n4.large" in values


def test_ecs_errors(ecs: Ecs) -> None:
    assert ecs.error(
        "DescribeAvailableResource", {"DestinationResource": "Zone", "ZoneId": "cn-hangzhou-z"}
    ) == ("InvalidZoneId.NotFound", 404)
    assert ecs.error("DescribeAvailableResource", {}) == ("MissingParameter", 400)
    assert ecs.error("DescribeZones", {"RegionId": "xx-nowhere-1"}) == (
        "InvalidRegionId.NotFound",
        404,
    )
