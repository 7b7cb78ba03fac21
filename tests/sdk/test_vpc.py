"""The VPC lifecycle and DescribeRegions through all three official clients.

Field lists and types: the API reference (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-dir: CreateVpc, DescribeVpcs, DescribeVpcAttribute,
DescribeRegions).  Each test makes its own uniquely named VPCs on the shared session cloud
and looks only at those.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from darabonba.model import DaraModel

from riconnect.testing import DEMO_ACCOUNT_ID, LiveCloud, unique_name

ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

# field -> type, shared by DescribeVpcs items and DescribeVpcAttribute (the API reference).
VPC_SCALARS: dict[str, type] = {
    "CidrBlock": str,
    "CreationTime": str,
    "Description": str,
    "DhcpOptionsSetId": str,
    "DhcpOptionsSetStatus": str,
    "DnsHostnameStatus": str,
    "EnabledIpv6": bool,
    "Ipv6CidrBlock": str,
    "IsDefault": bool,
    "OwnerId": int,
    "RegionId": str,
    "ResourceGroupId": str,
    "Status": str,
    "VRouterId": str,
    "VpcId": str,
    "VpcName": str,
}
# wrapper -> inner array name
VPC_WRAPPERS = {
    "Ipv6CidrBlocks": "Ipv6CidrBlock",
    "SecondaryCidrBlocks": "SecondaryCidrBlock",
    "Tags": "Tag",
    "UserCidrs": "UserCidr",
    "VSwitchIds": "VSwitchId",
}
LIST_ONLY_SCALARS: dict[str, type] = {"CenStatus": str}
LIST_ONLY_WRAPPERS = {"NatGatewayIds": "NatGatewayIds", "RouterTableIds": "RouterTableIds"}
ATTRIBUTE_ONLY_SCALARS: dict[str, type] = {
    "ClassicLinkEnabled": bool,
    "Ipv4GatewayId": str,
    "SupportIpv4Gateway": bool,
    "RequestId": str,
}
ATTRIBUTE_ONLY_WRAPPERS = {
    "AssociatedCens": "AssociatedCen",
    "AssociatedPropagationSources": "AssociatedPropagationSources",
    "CloudResources": "CloudResourceSetType",
}


def check_types(obj: dict[str, Any], scalars: dict[str, type], wrappers: dict[str, str]) -> None:
    for name, kind in scalars.items():
        assert name in obj, f"{name} missing"
        value = obj[name]
        # bool is an int subclass: an int field must not be a bool, and vice versa.
        assert type(value) is kind, (
            f"{name}={value!r} is {type(value).__name__}, not {kind.__name__}"
        )
    for wrapper, inner in wrappers.items():
        assert isinstance(obj.get(wrapper), dict), f"wrapper {wrapper} missing"
        assert isinstance(obj[wrapper].get(inner), list), f"{wrapper}.{inner} is not a list"


def check_list_item(vpc: dict[str, Any]) -> None:
    check_types(vpc, {**VPC_SCALARS, **LIST_ONLY_SCALARS}, {**VPC_WRAPPERS, **LIST_ONLY_WRAPPERS})
    assert ISO_RE.match(vpc["CreationTime"])


def check_attribute(body: dict[str, Any]) -> None:
    check_types(
        body,
        {**VPC_SCALARS, **ATTRIBUTE_ONLY_SCALARS},
        {**VPC_WRAPPERS, **ATTRIBUTE_ONLY_WRAPPERS},
    )
    assert ISO_RE.match(body["CreationTime"])
    for item in body["CloudResources"]["CloudResourceSetType"]:
        assert type(item["ResourceCount"]) is int and type(item["ResourceType"]) is str


def unset_fields(model: Any, path: str = "") -> list[str]:
    """Attributes of a V2 response model (recursively) that the answer left as None."""
    missing = []
    for name, value in vars(model).items():
        if name.startswith("_"):
            continue
        where = f"{path}.{name}" if path else name
        if value is None:
            missing.append(where)
        elif isinstance(value, DaraModel):
            missing += unset_fields(value, where)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, DaraModel):
                    missing += unset_fields(item, f"{where}[{i}]")
    return missing


def test_vpc_lifecycle(sdk: Any, riconnect_region: str) -> None:
    base = unique_name("life")
    marker = unique_name("mark")
    token = unique_name("tok")
    tags = [{"Key": marker, "Value": "v1"}, {"Key": "env", "Value": "test"}]

    # -- create, with every field users set, and a ClientToken
    created = sdk.create_vpc(
        VpcName=f"{base}-a",
        Description="first vpc",
        CidrBlock="192.168.0.0/16",
        Tag=tags,
        ClientToken=token,
    )
    check_types(
        created,
        {
            "RequestId": str,
            "VpcId": str,
            "VRouterId": str,
            "RouteTableId": str,
            "ResourceGroupId": str,
        },
        {},
    )
    vpc_a = created["VpcId"]
    assert vpc_a.startswith("vpc-") and created["VRouterId"].startswith("vrt-")
    assert created["RouteTableId"].startswith("vtb-")
    again = sdk.create_vpc(
        VpcName=f"{base}-a",
        Description="first vpc",
        CidrBlock="192.168.0.0/16",
        Tag=tags,
        ClientToken=token,
    )
    assert again["VpcId"] == vpc_a and again["VRouterId"] == created["VRouterId"]
    assert again["RequestId"] != created["RequestId"]
    vpc_b = sdk.create_vpc(VpcName=f"{base}-b", Tag=tags[:1])["VpcId"]
    vpc_c = sdk.create_vpc(VpcName=f"{base}-c", CidrBlock="10.8.0.0/16", Tag=tags[:1])["VpcId"]
    mine = [vpc_a, vpc_b, vpc_c]
    assert len(set(mine)) == 3

    # -- DescribeVpcs: VpcId list, paging, VpcName and tag filters
    page1 = sdk.describe_vpcs(VpcId=",".join(mine), PageSize=2, PageNumber=1)
    page2 = sdk.describe_vpcs(VpcId=",".join(mine), PageSize=2, PageNumber=2)
    page3 = sdk.describe_vpcs(VpcId=",".join(mine), PageSize=2, PageNumber=3)
    for page, number, size in ((page1, 1, 2), (page2, 2, 1), (page3, 3, 0)):
        check_types(
            page,
            {"RequestId": str, "PageNumber": int, "PageSize": int, "TotalCount": int},
            {"Vpcs": "Vpc"},
        )
        assert page["PageNumber"] == number and page["PageSize"] == 2
        assert page["TotalCount"] == 3
        assert len(page["Vpcs"]["Vpc"]) == size
        for vpc in page["Vpcs"]["Vpc"]:
            check_list_item(vpc)
    listed = [v["VpcId"] for v in page1["Vpcs"]["Vpc"] + page2["Vpcs"]["Vpc"]]
    assert sorted(listed) == sorted(mine)  # no duplicates, nothing missing across pages

    by_name = sdk.describe_vpcs(VpcName=f"{base}-b")
    assert [v["VpcId"] for v in by_name["Vpcs"]["Vpc"]] == [vpc_b]
    assert by_name["TotalCount"] == 1
    by_tag = sdk.describe_vpcs(Tag=[{"Key": marker, "Value": "v1"}], PageSize=50)
    assert sorted(v["VpcId"] for v in by_tag["Vpcs"]["Vpc"]) == sorted(mine)

    item_a = next(v for v in page1["Vpcs"]["Vpc"] + page2["Vpcs"]["Vpc"] if v["VpcId"] == vpc_a)
    assert item_a["RouterTableIds"]["RouterTableIds"] == [created["RouteTableId"]]
    assert item_a["VRouterId"] == created["VRouterId"]

    # -- DescribeVpcAttribute: every documented field, with its type and value
    attr = sdk.describe_vpc(vpc_a)
    check_attribute(attr)
    assert attr["VpcId"] == vpc_a
    assert attr["VpcName"] == f"{base}-a"
    assert attr["Description"] == "first vpc"
    assert attr["CidrBlock"] == "192.168.0.0/16"
    assert attr["Status"] == "Available"
    assert attr["RegionId"] == riconnect_region
    assert attr["OwnerId"] == int(DEMO_ACCOUNT_ID)
    assert attr["VRouterId"] == created["VRouterId"]
    assert attr["ResourceGroupId"] == created["ResourceGroupId"]
    assert attr["IsDefault"] is False and attr["EnabledIpv6"] is False
    assert attr["DnsHostnameStatus"] in ("ENABLED", "DISABLED")
    assert sorted((t["Key"], t["Value"]) for t in attr["Tags"]["Tag"]) == sorted(
        (t["Key"], t["Value"]) for t in tags
    )
    assert attr["VSwitchIds"]["VSwitchId"] == []  # empty wrappers are still there
    if not sdk.is_core:
        assert unset_fields(sdk.last_model) == []
        assert sdk.last_model.owner_id == int(DEMO_ACCOUNT_ID)
        assert sdk.last_model.tags.tag[0].key in {t["Key"] for t in tags}
    default_cidr = sdk.describe_vpc(vpc_b)
    assert default_cidr["CidrBlock"] == "172.16.0.0/12"  # the default when none is given
    assert default_cidr["Description"] == ""

    # -- modify
    modified = sdk.modify_vpc(vpc_a, VpcName=f"{base}-renamed", Description="second words")
    assert set(modified) == {"RequestId"}
    attr = sdk.describe_vpc(vpc_a)
    assert attr["VpcName"] == f"{base}-renamed"
    assert attr["Description"] == "second words"
    assert attr["CidrBlock"] == "192.168.0.0/16"  # untouched
    assert sdk.describe_vpcs(VpcName=f"{base}-a")["Vpcs"]["Vpc"] == []

    # -- delete, and gone afterwards
    for vpc_id in mine:
        deleted = sdk.delete_vpc(vpc_id)
        assert set(deleted) == {"RequestId"}
    gone = sdk.describe_vpcs(VpcId=",".join(mine))
    assert gone["TotalCount"] == 0
    assert gone["Vpcs"] == {"Vpc": []}
    for vpc_id in mine:
        with sdk.raises("InvalidVpcID.NotFound", 404):
            sdk.describe_vpc(vpc_id)


def test_vpc_list_item_has_every_v2_model_field(riconnect_cloud: LiveCloud, sdk: Any) -> None:
    """DescribeVpcs items fill every attribute of the V2 model (or core's JSON has the keys)."""
    vpc_id = sdk.create_vpc(VpcName=unique_name("fields"), UserCidr="10.0.0.0/8")["VpcId"]
    body = sdk.describe_vpcs(VpcId=vpc_id)
    assert body["TotalCount"] == 1
    item = body["Vpcs"]["Vpc"][0]
    check_list_item(item)
    assert item["UserCidrs"]["UserCidr"] == ["10.0.0.0/8"]
    if not sdk.is_core:
        assert unset_fields(sdk.last_model) == []
    sdk.delete_vpc(vpc_id)


@pytest.mark.parametrize(
    ("language", "hangzhou"),
    [("en-US", "China (Hangzhou)"), ("zh-CN", "华东1（杭州）")],
)
def test_describe_regions(sdk: Any, language: str, hangzhou: str) -> None:
    # The V2 DescribeRegionsRequest has no RegionId at all; the server must not need one.
    body = sdk.action("DescribeRegions", {"AcceptLanguage": language})
    check_types(body, {"RequestId": str}, {"Regions": "Region"})
    regions = {r["RegionId"]: r for r in body["Regions"]["Region"]}
    assert {"cn-hangzhou", "cn-shanghai", "ap-southeast-1"} <= set(regions)
    for region in regions.values():
        check_types(region, {"RegionId": str, "LocalName": str, "RegionEndpoint": str}, {})
    assert regions["cn-hangzhou"]["LocalName"] == hangzhou
    assert regions["cn-hangzhou"]["RegionEndpoint"] == "vpc.aliyuncs.com"
    if not sdk.is_core:
        assert unset_fields(sdk.last_model) == []


def test_describe_regions_defaults_to_chinese(sdk: Any) -> None:
    body = sdk.action("DescribeRegions")
    regions = {r["RegionId"]: r["LocalName"] for r in body["Regions"]["Region"]}
    assert regions["cn-hangzhou"] == "华东1（杭州）"
