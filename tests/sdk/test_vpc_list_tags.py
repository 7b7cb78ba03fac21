"""ListTagResources for VPCs (Vpc 2016-04-28), through each of the three official clients:
by resource id, by tag (a key alone matches any value), both, paging with NextToken, and the
documented refusals."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

HZ = "cn-hangzhou"


@pytest.fixture
def tagged(sdk: Any) -> Iterator[tuple[str, str, str]]:
    """Two VPCs of the shared demo account with tag keys no other test uses."""
    prefix = f"lt{uuid.uuid4().hex[:8]}"
    first = sdk.call(
        "CreateVpc",
        {
            "RegionId": HZ,
            "Tag.1.Key": f"{prefix}-env",
            "Tag.1.Value": "test",
            "Tag.2.Key": f"{prefix}-team",
            "Tag.2.Value": "network",
        },
    )["VpcId"]
    second = sdk.call(
        "CreateVpc", {"RegionId": HZ, "Tag.1.Key": f"{prefix}-env", "Tag.1.Value": "prod"}
    )["VpcId"]
    yield prefix, first, second
    for vpc_id in (first, second):
        sdk.call("DeleteVpc", {"RegionId": HZ, "VpcId": vpc_id})


def _list(sdk: Any, **params: Any) -> tuple[list[tuple[str, str, str]], str]:
    body = sdk.call("ListTagResources", {"RegionId": HZ, "ResourceType": "VPC", **params})
    entries = body["TagResources"]["TagResource"]
    assert all(e["ResourceType"] == "VPC" for e in entries), entries
    return [(e["ResourceId"], e["TagKey"], e["TagValue"]) for e in entries], body["NextToken"]


def test_list_by_resource_id_tag_and_both(sdk: Any, tagged: tuple[str, str, str]) -> None:
    prefix, first, second = tagged
    env, team = f"{prefix}-env", f"{prefix}-team"
    by_id, token = _list(sdk, **{"ResourceId.1": first})
    assert by_id == [(first, env, "test"), (first, team, "network")] and token == ""
    # A key alone: every value of that key, and only that key's entries.
    by_key, _ = _list(sdk, **{"Tag.1.Key": env})
    assert sorted(by_key) == sorted([(first, env, "test"), (second, env, "prod")])
    by_pair, _ = _list(sdk, **{"Tag.1.Key": env, "Tag.1.Value": "prod"})
    assert by_pair == [(second, env, "prod")]
    # ResourceId.N must match every given pair.
    none, _ = _list(sdk, **{"ResourceId.1": first, "Tag.1.Key": env, "Tag.1.Value": "prod"})
    assert none == []
    both, _ = _list(sdk, **{"ResourceId.1": first, "ResourceId.2": second, "Tag.1.Key": team})
    assert both == [(first, team, "network")]
    unknown, _ = _list(sdk, **{"ResourceId.1": "vpc-doesnotexist0000000"})
    assert unknown == []


def test_pages_with_next_token(sdk: Any, tagged: tuple[str, str, str]) -> None:
    _, first, second = tagged
    ids = {"ResourceId.1": first, "ResourceId.2": second}
    everything, _ = _list(sdk, **ids)
    assert len(everything) == 3
    pages, token = [], ""
    while True:
        page, token = _list(sdk, MaxResults=2, **ids, **({"NextToken": token} if token else {}))
        pages.append(page)
        if not token:
            break
    assert [len(p) for p in pages] == [2, 1]
    assert [e for p in pages for e in p] == everything


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "MissingParameter"),  # neither ResourceId.N nor Tag.N
        ({"Tag.1.Value": "prod"}, "MissingParameter"),  # a value without its key
        ({"ResourceId.1": "vpc-x", "NextToken": "not-a-token"}, "InvalidParameter"),
        ({"ResourceId.1": "vpc-x", "MaxResults": 51}, "InvalidParameter"),
        ({"ResourceId.1": "vpc-x", "ResourceType": "VSWITCH"}, "InvalidParameter"),
    ],
)
def test_refusals(sdk: Any, params: dict[str, Any], code: str) -> None:
    with sdk.raises(code, 400):
        sdk.call("ListTagResources", {"RegionId": HZ, "ResourceType": "VPC", **params})
