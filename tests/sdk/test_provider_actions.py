"""The actions the official Go provider needs beyond the VPC and router interface basics,
through each of the three official clients: Ecs DescribeRegions, MoveResourceGroup,
ChangeResourceGroup, Tag/UntagResourcesForExpressConnect, BssOpenApi QueryAvailableInstances
and RefundInstance, and the unknown action's 404."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from riconnect.domain.accounts import DEMO_PHYSICAL_CONNECTION_ID
from riconnect.domain.regions import REGIONS

ECS = "2014-05-26"
BSS = "2017-12-14"
HZ = "cn-hangzhou"
GROUP = "rg-aek2example0001"
_VLANS = itertools.count(2000)


def _vpc(sdk: Any) -> dict[str, Any]:
    return sdk.call("CreateVpc", {"RegionId": HZ, "CidrBlock": "10.0.0.0/8"})


def _vbr(sdk: Any) -> str:
    body = sdk.call(
        "CreateVirtualBorderRouter",
        {
            "RegionId": HZ,
            "PhysicalConnectionId": DEMO_PHYSICAL_CONNECTION_ID,
            "VlanId": next(_VLANS),
            "LocalGatewayIp": "10.254.0.1",
            "PeerGatewayIp": "10.254.0.2",
            "PeeringSubnetMask": "255.255.255.252",
        },
    )
    return str(body["VbrId"])


def _interface(sdk: Any, **extra: Any) -> str:
    vpc = _vpc(sdk)
    body = sdk.call(
        "CreateRouterInterface",
        {
            "RegionId": HZ,
            "Role": "InitiatingSide",
            "RouterType": "VRouter",
            "RouterId": vpc["VRouterId"],
            "Spec": "Mini.2",
            "OppositeRegionId": HZ,
            **extra,
        },
    )
    return str(body["RouterInterfaceId"])


def _attribute(sdk: Any, ri_id: str) -> dict[str, Any]:
    return sdk.call("DescribeRouterInterfaceAttribute", {"RegionId": HZ, "InstanceId": ri_id})


# -- Ecs ------------------------------------------------------------------------------------


def test_ecs_describe_regions(sdk: Any) -> None:
    body = sdk.call("DescribeRegions", {"RegionId": HZ}, version=ECS)
    regions = body["Regions"]["Region"]
    assert [r["RegionId"] for r in regions] == [r.id for r in REGIONS]
    hangzhou = next(r for r in regions if r["RegionId"] == HZ)
    assert hangzhou["LocalName"] == "华东1（杭州）"  # zh-CN unless asked otherwise
    assert hangzhou["Status"] == "available"
    assert hangzhou["RegionEndpoint"].startswith("ecs")
    english = sdk.call("DescribeRegions", {"AcceptLanguage": "en-US"}, version=ECS)
    assert "China (Hangzhou)" in {r["LocalName"] for r in english["Regions"]["Region"]}
    assert "Code" not in body and "Message" not in body


def test_unknown_action_is_404_and_not_retryable(sdk: Any) -> None:
    for version in ("2016-04-28", ECS, BSS):
        with sdk.raises("InvalidAction.NotFound", 404):
            sdk.call("DescribeNothing", {"RegionId": HZ}, version=version)


# -- resource groups --------------------------------------------------------------------------


def test_move_resource_group_moves_the_vpc_and_its_route_table(sdk: Any) -> None:
    vpc = _vpc(sdk)
    for resource_type in ("Vpc", "vpc", "VPC"):
        sdk.call(
            "MoveResourceGroup",
            {
                "RegionId": HZ,
                "ResourceId": vpc["VpcId"],
                "ResourceType": resource_type,
                "NewResourceGroupId": GROUP,
            },
        )
    attribute = sdk.call("DescribeVpcAttribute", {"RegionId": HZ, "VpcId": vpc["VpcId"]})
    assert attribute["ResourceGroupId"] == GROUP
    tables = sdk.call("DescribeRouteTableList", {"RegionId": HZ, "VpcId": vpc["VpcId"]})
    (system,) = tables["RouterTableList"]["RouterTableListType"]
    assert system["ResourceGroupId"] == GROUP


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"ResourceId": "vpc-doesnotexist00000"}, "InvalidResourceId.NotFound"),
        ({"NewResourceGroupId": "group-1"}, "InvalidResourceGroupId"),
        ({"ResourceType": "Eip"}, "IllegalParam.ResourceType"),
    ],
)
def test_move_resource_group_errors(sdk: Any, change: dict[str, str], code: str) -> None:
    vpc = _vpc(sdk)
    params = {
        "RegionId": HZ,
        "ResourceId": vpc["VpcId"],
        "ResourceType": "Vpc",
        "NewResourceGroupId": GROUP,
        **change,
    }
    with sdk.raises(code, 400):
        sdk.call("MoveResourceGroup", params)


def test_change_resource_group_of_a_vbr_and_an_interface(sdk: Any) -> None:
    vbr = _vbr(sdk)
    ri = _interface(sdk)
    for resource_type, resource_id in (("VIRTUALBORDERROUTER", vbr), ("ROUTERINTERFACE", ri)):
        sdk.call(
            "ChangeResourceGroup",
            {
                "RegionId": HZ,
                "ResourceId": resource_id,
                "ResourceType": resource_type,
                "NewResourceGroupId": GROUP,
            },
        )
    assert _attribute(sdk, ri)["ResourceGroupId"] == GROUP
    vbrs = sdk.call(
        "DescribeVirtualBorderRouters",
        {"RegionId": HZ, "Filter.1.Key": "VbrId", "Filter.1.Value.1": vbr},
    )
    (listed,) = vbrs["VirtualBorderRouterSet"]["VirtualBorderRouterType"]
    assert listed["ResourceGroupId"] == GROUP
    for params, code in (
        ({"ResourceId": "ri-doesnotexist000000", "ResourceType": "ROUTERINTERFACE"}, None),
        ({"ResourceId": vbr, "ResourceType": "PHYSICALCONNECTION"}, "IllegalParam.ResourceType"),
        ({"ResourceId": ri, "ResourceType": "ROUTERINTERFACE", "NewResourceGroupId": "x"}, None),
    ):
        expected = code or (
            "InvalidResourceGroupId"
            if "NewResourceGroupId" in params
            else "InvalidResourceId.NotFound"
        )
        with sdk.raises(expected, 400):
            sdk.call("ChangeResourceGroup", {"RegionId": HZ, "NewResourceGroupId": GROUP, **params})


# -- Express Connect tags ---------------------------------------------------------------------


def test_tag_and_untag_express_connect_resources(sdk: Any) -> None:
    vbr = _vbr(sdk)
    ri = _interface(sdk, **{"Tag.1.Key": "created", "Tag.1.Value": "yes"})
    for resource_type, resource_id in (("VIRTUALBORDERROUTER", vbr), ("ROUTERINTERFACE", ri)):
        base = {"RegionId": HZ, "ResourceType": resource_type, "ResourceId.1": resource_id}
        sdk.call(
            "TagResourcesForExpressConnect",
            {**base, "Tag.1.Key": "env", "Tag.1.Value": "test", "Tag.2.Key": "team"},
        )
        sdk.call(
            "TagResourcesForExpressConnect", {**base, "Tag.1.Key": "env", "Tag.1.Value": "prod"}
        )
        sdk.call("UntagResourcesForExpressConnect", {**base, "TagKey.1": "team"})
    tags = {t["Key"]: t["Value"] for t in _attribute(sdk, ri)["Tags"]["Tags"]}
    assert tags == {"created": "yes", "env": "prod"}
    vbrs = sdk.call(
        "DescribeVirtualBorderRouters",
        {"RegionId": HZ, "Filter.1.Key": "VbrId", "Filter.1.Value.1": vbr},
    )
    (listed,) = vbrs["VirtualBorderRouterSet"]["VirtualBorderRouterType"]
    assert {t["Key"]: t["Value"] for t in listed["Tags"]["Tags"]} == {"env": "prod"}
    sdk.call(
        "UntagResourcesForExpressConnect",
        {"RegionId": HZ, "ResourceType": "ROUTERINTERFACE", "ResourceId.1": ri, "All": "true"},
    )
    assert _attribute(sdk, ri)["Tags"]["Tags"] == []
    many = {f"Tag.{i}.Key": f"k{i}" for i in range(1, 21)}
    base = {"RegionId": HZ, "ResourceType": "ROUTERINTERFACE", "ResourceId.1": ri}
    sdk.call("TagResourcesForExpressConnect", {**base, **many})
    with sdk.raises("InvalidTag.Malformed", 400):  # a 21st key on the same interface
        sdk.call("TagResourcesForExpressConnect", {**base, "Tag.1.Key": "one-more"})
    with sdk.raises("InvalidResourceId.NotFound", 400):
        sdk.call(
            "TagResourcesForExpressConnect",
            {**base, "ResourceId.1": "ri-doesnotexist000000", "Tag.1.Key": "a"},
        )


# -- BssOpenApi -------------------------------------------------------------------------------


def test_query_available_instances_lists_subscriptions(sdk: Any) -> None:
    prepaid = _interface(sdk, InstanceChargeType="PrePaid", Period=1, PricingCycle="Month")
    body = sdk.call("QueryAvailableInstances", {"ProductCode": "ri", "PageSize": 300}, version=BSS)
    assert (body["Code"], body["Success"]) == ("Success", True)
    listed = {i["InstanceID"]: i for i in body["Data"]["InstanceList"]}
    assert listed[prepaid]["SubscriptionType"] == "Subscription"
    assert listed[prepaid]["Region"] == HZ
    # What the Go provider sends at start-up (a product riconnect does not sell): empty.
    probe = sdk.call(
        "QueryAvailableInstances",
        {"PageNum": 1, "PageSize": 50, "ProductCode": "vipcloudfw", "ProductType": "vipcloudfw"},
        version=BSS,
    )
    assert probe["Data"]["InstanceList"] == [] and probe["Success"] is True


def test_refund_instance_releases_a_subscription_interface(sdk: Any) -> None:
    prepaid = _interface(sdk, InstanceChargeType="PrePaid", Period=1, PricingCycle="Month")
    postpaid = _interface(sdk)
    refund = {"ProductCode": "ri", "ProductType": "", "ImmediatelyRelease": "1"}
    for instance in (postpaid, "ri-doesnotexist000000"):
        with sdk.raises("ResourceNotExists", 400):
            sdk.call("RefundInstance", {"InstanceId": instance, **refund}, version=BSS)
    with sdk.raises("ResourceNotExists", 400):
        sdk.call(
            "RefundInstance", {"InstanceId": prepaid, **refund, "ProductCode": "ecs"}, version=BSS
        )
    body = sdk.call("RefundInstance", {"InstanceId": prepaid, **refund}, version=BSS)
    assert (body["Code"], body["Success"]) == ("Success", True)
    assert body["Data"]["OrderId"]
    # Released at once in this cloud (transitions immediate): gone, 404 as the provider expects.
    with sdk.raises("InvalidInstanceId.NotFound", 404):
        _attribute(sdk, prepaid)
    assert _attribute(sdk, postpaid)["ChargeType"] == "AfterPay"


# -- answers the provider's reads depend on ---------------------------------------------------


def test_hc_threshold_appears_only_once_set(sdk: Any) -> None:
    ri = _interface(sdk)
    assert "HcThreshold" not in _attribute(sdk, ri)
    sdk.call(
        "ModifyRouterInterfaceAttribute",
        {"RegionId": HZ, "RouterInterfaceId": ri, "HcThreshold": 8, "HcRate": 2000},
    )
    view = _attribute(sdk, ri)
    assert (view["HcThreshold"], view["HcRate"]) == (8, 2000)
