"""Helpers of the operator-surface tests: plain HTTP to /riconnect/..., and router-interface
pairs built through signed requests (within one account, or across accounts and regions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from riconnect.testing import DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_ACCOUNT_ID, invoke
from riconnect.testing.live import LiveCloud

ENVELOPE = {"RequestId", "HostId", "Code", "Message", "Recommend"}
OPERATOR_PATHS = [
    ("GET", "/riconnect/status"),
    ("GET", "/riconnect/state"),
    ("POST", "/riconnect/reset"),
    ("GET", "/riconnect/snapshot"),
    ("POST", "/riconnect/snapshot"),
    ("GET", "/riconnect/requests"),
    ("GET", "/riconnect/settings"),
    ("PUT", "/riconnect/settings"),
    ("DELETE", "/riconnect/settings"),
    ("GET", "/riconnect/console/"),
    ("GET", "/riconnect/console/console.js"),
    ("GET", "/riconnect/no-such-path"),
]


@dataclass(frozen=True)
class Key:
    account: str
    id: str
    secret: str


DEMO = Key(DEMO_ACCOUNT_ID, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)


def http(cloud: LiveCloud, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One plain HTTP request to the live server (no proxies)."""
    with httpx.Client(trust_env=False, timeout=30) as client:
        return client.request(method, cloud.url + path, **kwargs)


def ok(cloud: LiveCloud, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    response = http(cloud, method, path, **kwargs)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def call(cloud: LiveCloud | str, key: Key, action: str, **params: Any) -> dict[str, Any]:
    return invoke(
        cloud,
        action,
        {k: str(v) for k, v in params.items()},
        access_key_id=key.id,
        secret=key.secret,
    )


def vpc(cloud: LiveCloud | str, key: Key, region: str, cidr: str, **extra: Any) -> dict[str, Any]:
    return call(cloud, key, "CreateVpc", RegionId=region, CidrBlock=cidr, **extra)


def pair(
    cloud: LiveCloud | str,
    a: Key,
    b: Key,
    region_a: str = "cn-hangzhou",
    region_b: str = "cn-hangzhou",
    connect: bool = True,
) -> dict[str, str]:
    """Two VPCs (a's in region_a, b's in region_b) joined by a router-interface pair that
    a initiates; connected unless told otherwise."""
    left = vpc(cloud, a, region_a, "10.10.0.0/16")
    right = vpc(cloud, b, region_b, "10.20.0.0/16")
    ini = call(
        cloud,
        a,
        "CreateRouterInterface",
        RegionId=region_a,
        Role="InitiatingSide",
        RouterType="VRouter",
        RouterId=left["VRouterId"],
        Spec="Large.2",
        OppositeRegionId=region_b,
    )["RouterInterfaceId"]
    acc = call(
        cloud,
        b,
        "CreateRouterInterface",
        RegionId=region_b,
        Role="AcceptingSide",
        RouterType="VRouter",
        RouterId=right["VRouterId"],
        Spec="Negative",
        OppositeRegionId=region_a,
    )["RouterInterfaceId"]
    for key, region, this, other, router, owner in (
        (a, region_a, ini, acc, right["VRouterId"], b.account),
        (b, region_b, acc, ini, left["VRouterId"], a.account),
    ):
        call(
            cloud,
            key,
            "ModifyRouterInterfaceAttribute",
            RegionId=region,
            RouterInterfaceId=this,
            OppositeInterfaceId=other,
            OppositeRouterId=router,
            OppositeRouterType="VRouter",
            OppositeInterfaceOwnerId=owner,
        )
    if connect:
        call(cloud, a, "ConnectRouterInterface", RegionId=region_a, RouterInterfaceId=ini)
    return {
        "left_vpc": left["VpcId"],
        "right_vpc": right["VpcId"],
        "left_router": left["VRouterId"],
        "right_router": right["VRouterId"],
        "initiator": ini,
        "acceptor": acc,
    }


def region_of(state: dict[str, Any], account: str, region: str) -> dict[str, Any] | None:
    for entry in state["Accounts"]:
        if entry["AccountId"] == account:
            for r in entry["Regions"]:
                if r["RegionId"] == region:
                    return r
    return None


def interface(state: dict[str, Any], interface_id: str) -> dict[str, Any] | None:
    for entry in state["Accounts"]:
        for r in entry["Regions"]:
            for item in r["RouterInterfaces"]:
                if item["RouterInterfaceId"] == interface_id:
                    return dict(item)
    return None


def vpc_ids(state: dict[str, Any]) -> set[str]:
    return {v["VpcId"] for a in state["Accounts"] for r in a["Regions"] for v in r["Vpcs"]}


def vpc_of(state: dict[str, Any], vpc_id: str) -> dict[str, Any]:
    """The VPC ``vpc_id`` as the state shows it."""
    [found] = [
        v
        for a in state["Accounts"]
        for r in a["Regions"]
        for v in r["Vpcs"]
        if v["VpcId"] == vpc_id
    ]
    return found
