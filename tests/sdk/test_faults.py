"""Fault injection (``riconnect serve --faults``).

* ``Throttling.User=1.0``: every action of the table answers Throttling.User with
  ``x-acs-retry-after``; the V2 SDK raises ThrottlingException with ``retry_after``, the
  V1 SDK a ServerException; and nothing changes (a second server on the same database,
  without faults, sees the same state before and after, and can then do what was refused).
* ``Throttling.User=0.3``: a client with a small retry loop completes the seed flow.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from alibabacloud_tea_openapi.exceptions import ThrottlingException
from alibabacloud_vpc20160428 import models as m
from aliyunsdkcore.acs_exception.exceptions import ServerException

from riconnect.api.actions import ACTIONS
from riconnect.domain.accounts import (
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    DEMO_ACCOUNT_ID,
    DEMO_PHYSICAL_CONNECTION_ID,
)
from riconnect.testing import LiveCloud, signed_request, vpc_client
from tests.support.router_interface import REGION, V1, V2, Api, make_pair, next_vlan

RETRY_AFTER_MS = 250
THROTTLED = "Request was denied due to user flow control."


@pytest.fixture(scope="module")
def servers(ri_start_cloud: Callable[..., LiveCloud]) -> tuple[LiveCloud, LiveCloud]:
    """A normal server and a throttling one on the same database file."""
    normal = ri_start_cloud(transitions="immediate")
    throttled = ri_start_cloud(
        db=normal.db,
        faults="Throttling.User=1.0",
        extra_args=["--retry-after-ms", str(RETRY_AFTER_MS)],
    )
    return normal, throttled


def snapshot(api: Api) -> dict[str, Any]:
    """Everything the demo account has in the region, RequestIds left out."""
    out = {}
    for action, wrapper in (
        ("DescribeRouterInterfaces", "RouterInterfaceSet"),
        ("DescribeVpcs", "Vpcs"),
        ("DescribeVirtualBorderRouters", "VirtualBorderRouterSet"),
    ):
        out[action] = api.ok(action, {"PageSize": 50})[wrapper]
    return out


def test_every_action_is_throttled_and_nothing_changes(
    servers: tuple[LiveCloud, LiveCloud],
) -> None:
    normal, throttled = servers
    api = Api(normal, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
    fault = Api(throttled, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
    active = make_pair(api, "active")
    idle = make_pair(api, "configured")
    empty_vpc, _ = api.vpc("10.0.0.0/8")
    vbr = api.vbr()
    before = snapshot(api)

    # Parameters with which each write would succeed on a server without faults.
    would_succeed: dict[str, dict[str, Any]] = {
        "CreateVpc": {"CidrBlock": "10.0.0.0/8"},
        "DeleteVpc": {"VpcId": empty_vpc},
        "ModifyVpcAttribute": {"VpcId": empty_vpc, "VpcName": "renamed"},
        "TagResources": {
            "ResourceType": "VPC",
            "ResourceId.1": empty_vpc,
            "Tag.1.Key": "k",
            "Tag.1.Value": "v",
        },
        "UnTagResources": {"ResourceType": "VPC", "ResourceId.1": empty_vpc, "All": "true"},
        "CreateRouterInterface": {
            "RouterType": "VRouter",
            "RouterId": idle["vrt1"],
            "Role": "InitiatingSide",
            "Spec": "Large.2",
            "OppositeRegionId": REGION,
        },
        "ModifyRouterInterfaceAttribute": {"RouterInterfaceId": idle["init"], "Name": "renamed"},
        "ModifyRouterInterfaceSpec": {"RouterInterfaceId": active["init"], "Spec": "Large.1"},
        "ConnectRouterInterface": {"RouterInterfaceId": idle["init"]},
        "DeactivateRouterInterface": {"RouterInterfaceId": active["acc"]},
        "ActivateRouterInterface": {"RouterInterfaceId": active["acc"]},
        "DeleteRouterInterface": {"RouterInterfaceId": idle["acc"]},
        "DeleteExpressConnect": {"RouterInterfaceId": active["init"]},
        "CreateVirtualBorderRouter": {
            "PhysicalConnectionId": DEMO_PHYSICAL_CONNECTION_ID,
            "VlanId": next_vlan(),
            "LocalGatewayIp": "10.0.0.1",
            "PeerGatewayIp": "10.0.0.2",
            "PeeringSubnetMask": "255.255.255.252",
        },
        "DeleteVirtualBorderRouter": {"VbrId": vbr},
        "DescribeRouterInterfaceAttribute": {"InstanceId": active["init"]},
        "DescribeVpcAttribute": {"VpcId": empty_vpc},
    }
    answered = []
    for (version, name), action in sorted(ACTIONS.items()):
        params = {"RegionId": REGION} if action.region != "none" else {}
        params.update(would_succeed.get(name, {}))
        resp = signed_request(throttled, name, params, version=version)
        body = resp.json()
        assert (resp.status_code, body["Code"], body["Message"]) == (
            400,
            "Throttling.User",
            THROTTLED,
        )
        assert resp.headers["x-acs-retry-after"] == str(RETRY_AFTER_MS)
        answered.append(name)
    assert sorted(answered) == sorted(name for _, name in ACTIONS)
    assert set(would_succeed) <= set(answered)  # the table still has these actions
    # And through the SDKs.
    for algorithm in (None, "v2"):
        client = vpc_client(throttled, signature_algorithm=algorithm)
        with pytest.raises(ThrottlingException) as caught:
            client.connect_router_interface(
                m.ConnectRouterInterfaceRequest(region_id=REGION, router_interface_id=idle["init"])
            )
        assert caught.value.code == "Throttling.User"
        assert caught.value.retry_after == RETRY_AFTER_MS
    with pytest.raises(ServerException) as v1_caught:
        V1(throttled)("DeactivateRouterInterface", RouterInterfaceId=active["init"])
    assert v1_caught.value.get_error_code() == "Throttling.User"
    assert fault.raw("DescribeRouterInterfaces")[0] == 400

    assert snapshot(api) == before, "a throttled request changed something"
    # The refused requests were real ones: without faults they go through.
    api.ok("ConnectRouterInterface", {"RouterInterfaceId": idle["init"]})
    api.ok("DeactivateRouterInterface", {"RouterInterfaceId": active["acc"]})
    api.ok("DeleteVirtualBorderRouter", {"VbrId": vbr})
    api.ok("DeleteVpc", {"VpcId": empty_vpc})
    assert snapshot(api) != before


class Retrying:
    """A V2 client whose every call retries on ThrottlingException after ``retry_after``."""

    def __init__(self, client: Any, attempts: int = 40) -> None:
        self.client = client
        self.attempts = attempts
        self.calls = self.throttled = 0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            for _ in range(self.attempts):
                self.calls += 1
                try:
                    return method(*args, **kwargs)
                except ThrottlingException as err:
                    self.throttled += 1
                    time.sleep((err.retry_after or 0) / 1000)
            raise AssertionError(f"{name} throttled {self.attempts} times in a row")

        return call


def test_a_retrying_client_completes_the_seed_flow_at_rate_0_3(
    ri_start_cloud: Callable[..., LiveCloud],
) -> None:
    cloud = ri_start_cloud(
        faults="Throttling.User=0.3", extra_args=["--fault-seed", "7", "--retry-after-ms", "5"]
    )
    client = Retrying(vpc_client(cloud))
    sdk = V2(client)
    vpc1, vrt1 = sdk.vpc("172.16.0.0/12")
    vpc2, vrt2 = sdk.vpc("192.168.0.0/16")
    common = {"opposite_region_id": REGION, "router_type": "VRouter"}
    init = sdk.create(router_id=vrt1, role="InitiatingSide", spec="Large.2", **common)
    acc = sdk.create(router_id=vrt2, role="AcceptingSide", spec="Negative", **common)
    sdk.point(acc, init, vrt1, DEMO_ACCOUNT_ID)
    sdk.point(init, acc, vrt2, DEMO_ACCOUNT_ID)
    sdk.act("Connect", init)
    sdk.wait((init, acc), "Active")
    sdk.act("Deactivate", init)
    sdk.wait((init, acc), "Inactive")
    sdk.act("Activate", acc)
    sdk.wait((init, acc), "Active")
    sdk.act("Deactivate", acc)
    sdk.wait((init, acc), "Inactive")
    sdk.act("Delete", init)
    sdk.act("Delete", acc)
    sdk.wait((init, acc), "gone")
    sdk.delete_vpc(vpc1)
    sdk.delete_vpc(vpc2)
    # The faults really were there, at about the configured rate.
    assert client.calls >= 25
    assert 0.1 <= client.throttled / client.calls <= 0.5, (client.throttled, client.calls)
