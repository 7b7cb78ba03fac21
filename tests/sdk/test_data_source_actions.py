"""The actions behind the data sources of issue 11, through each official client:
ResourceManager ListResourceGroups / GetResourceGroup (a registry holding the account's
``default`` group) and Vpc DescribePhysicalConnections (every field the official provider
reads, ``Status`` a string)."""

from __future__ import annotations

from typing import Any

from riconnect.domain import ids
from riconnect.domain.accounts import DEMO_ACCOUNT_ID, DEMO_PHYSICAL_CONNECTION_ID
from riconnect.domain.regions import REGIONS

RM = "2020-03-31"
HZ = "cn-hangzhou"
DEFAULT_GROUP = ids.default_resource_group(DEMO_ACCOUNT_ID)


def test_list_resource_groups_holds_the_default_group(sdk: Any) -> None:
    body = sdk.call("ListResourceGroups", {"PageSize": 50}, version=RM)
    (group,) = body["ResourceGroups"]["ResourceGroup"]
    assert (group["Id"], group["Name"], group["AccountId"], group["Status"]) == (
        DEFAULT_GROUP,
        "default",
        DEMO_ACCOUNT_ID,
        "OK",
    )
    assert (body["TotalCount"], body["PageSize"], body["PageNumber"]) == (1, 50, 1)
    # New resources join it: the group a VPC reports is the listed one.
    vpc = sdk.call("CreateVpc", {"RegionId": HZ, "CidrBlock": "10.0.0.0/8"})
    attribute = sdk.call("DescribeVpcAttribute", {"RegionId": HZ, "VpcId": vpc["VpcId"]})
    assert attribute["ResourceGroupId"] == DEFAULT_GROUP


def test_list_resource_groups_filters(sdk: Any) -> None:
    def listed(**params: Any) -> list[str]:
        body = sdk.call("ListResourceGroups", params, version=RM)
        return [g["Id"] for g in body["ResourceGroups"]["ResourceGroup"]]

    assert listed(Name="default") == [DEFAULT_GROUP]
    assert listed(Name="other") == []
    assert listed(DisplayName="resource") == [DEFAULT_GROUP]  # documented: partial match
    assert listed(Status="OK") == [DEFAULT_GROUP]
    assert listed(Status="PendingDelete") == []
    assert listed(ResourceGroupId="rg-acfmnobodyhasthis0000") == []
    with sdk.raises("InvalidParameter", 400):
        sdk.call("ListResourceGroups", {"PageSize": 101}, version=RM)


def test_get_resource_group(sdk: Any) -> None:
    body = sdk.call("GetResourceGroup", {"ResourceGroupId": DEFAULT_GROUP}, version=RM)
    group = body["ResourceGroup"]
    assert group["Name"] == "default"
    statuses = group["RegionStatuses"]["RegionStatus"]
    assert [s["RegionId"] for s in statuses] == [r.id for r in REGIONS]
    assert {s["Status"] for s in statuses} == {"OK"}
    with sdk.raises("EntityNotExists.ResourceGroup", 404):
        sdk.call("GetResourceGroup", {"ResourceGroupId": "rg-acfmnobodyhasthis0000"}, version=RM)


def test_describe_physical_connections(sdk: Any) -> None:
    body = sdk.call("DescribePhysicalConnections", {"RegionId": HZ, "PageSize": 50})
    (pc,) = body["PhysicalConnectionSet"]["PhysicalConnectionType"]
    assert pc["PhysicalConnectionId"] == DEMO_PHYSICAL_CONNECTION_ID
    # The official data source type-asserts Status as a string and reads these fields.
    assert pc["Status"] == "Enabled" and isinstance(pc["Status"], str)
    for name in (
        "AccessPointId", "AdLocation", "Bandwidth", "BusinessStatus", "CircuitCode",
        "CreationTime", "Description", "EnabledTime", "EndTime", "HasReservationData",
        "LineOperator", "LoaStatus", "ChargeType", "PeerLocation", "Name", "PortNumber",
        "PortType", "RedundantPhysicalConnectionId", "ReservationActiveTime",
        "ReservationInternetChargeType", "ReservationOrderType", "Spec", "Type",
    ):  # fmt: skip
        assert name in pc, name
    assert body["TotalCount"] == 1


def test_describe_physical_connections_filters_and_regions(sdk: Any) -> None:
    def listed(region: str = HZ, **filters: str) -> list[str]:
        params: dict[str, Any] = {"RegionId": region}
        for n, (key, value) in enumerate(filters.items(), 1):
            params[f"Filter.{n}.Key"] = key
            params[f"Filter.{n}.Value.1"] = value
        body = sdk.call("DescribePhysicalConnections", params)
        return [
            p["PhysicalConnectionId"]
            for p in body["PhysicalConnectionSet"]["PhysicalConnectionType"]
        ]

    assert listed(Status="Enabled") == [DEMO_PHYSICAL_CONNECTION_ID]
    assert listed(Status="Terminated") == []
    assert listed(PhysicalConnectionId=DEMO_PHYSICAL_CONNECTION_ID) == [DEMO_PHYSICAL_CONNECTION_ID]
    assert listed("cn-shanghai") == []  # granted in cn-hangzhou only
