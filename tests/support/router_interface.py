"""Helpers shared by the router-interface tests (tests/service in-process, tests/sdk live).

* ``ACCOUNTS``: the accounts of the live servers (the demo account and accounts B, C, D).

* :class:`Service`: the service functions called in-process, without HTTP, with parameters
  parsed by ``riconnect.api.params.parse`` against the action table (so the table is
  exercised too), over an in-memory store and a ``FakeClock``.
* :class:`Api`: signed RPC requests to a live server (``riconnect.testing.signed_request``),
  returning ``(status, body, headers)`` without raising, for table-driven tests;
  :func:`make_pair` builds a pair of interfaces in a given state with it.
* :class:`V1` / :class:`V2`: thin conveniences over the two official SDKs.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from alibabacloud_vpc20160428 import models as m
from Tea.exceptions import TeaException

from riconnect.domain.accounts import (
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    DEMO_ACCESS_POINT_ID,
    DEMO_ACCOUNT_ID,
    DEMO_PHYSICAL_CONNECTION_ID,
    DEMO_REGION_ID,
)
from riconnect.domain.clock import FakeClock
from riconnect.domain.errors import ApiError
from riconnect.domain.transitions import Delays
from riconnect.service.context import Settings
from riconnect.store.db import Store
from riconnect.testing import InProcessService, LiveCloud, signed_request, wait_until
from riconnect.testing.accounts import AccessKey, Account, PhysicalConnection, RamUser

REGION = "cn-hangzhou"
REGION2 = "cn-shanghai"

# A second and third account for cross-account and isolation tests (accounts file).
ACCOUNT_B = "2222333344445555"
KEY_B = "LTAI5tRiconnectTestKeyB1"
SECRET_B = "riconnectTestSecretB000000000000"
ACCOUNT_C = "3333444455556666"
KEY_C = "LTAI5tRiconnectTestKeyC1"
SECRET_C = "riconnectTestSecretC000000000000"
# Used only by tests/sdk/test_router_interface_describe.py, so that unfiltered lists hold exactly its fleet.
ACCOUNT_D = "4444555566667777"
KEY_D = "LTAI5tRiconnectTestKeyD1"
SECRET_D = "riconnectTestSecretD000000000000"
RAM_USER = "ops"
RAM_KEY = "LTAI5tRiconnectTestRam01"
RAM_SECRET = "riconnectTestRamSecret0000000000"

# The demo account (with its physical connection) plus three more main accounts.
ACCOUNTS = [
    Account(
        DEMO_ACCOUNT_ID,
        name="demo",
        access_keys=[AccessKey(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)],
        ram_users=[RamUser(RAM_USER, [AccessKey(RAM_KEY, RAM_SECRET)])],
        physical_connections=[
            PhysicalConnection(DEMO_ACCESS_POINT_ID, DEMO_REGION_ID, id=DEMO_PHYSICAL_CONNECTION_ID)
        ],
    ),
    Account(ACCOUNT_B, name="b", access_keys=[AccessKey(KEY_B, SECRET_B)]),
    Account(ACCOUNT_C, name="c", access_keys=[AccessKey(KEY_C, SECRET_C)]),
    Account(
        ACCOUNT_D,
        name="d",
        access_keys=[AccessKey(KEY_D, SECRET_D)],
        physical_connections=[PhysicalConnection(DEMO_ACCESS_POINT_ID, DEMO_REGION_ID)],
    ),
]


def unique(prefix: str = "ri") -> str:
    """A valid router interface / VBR name (letters, digits, '-') no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def new_account_id() -> str:
    return "9" + "".join(secrets.choice("0123456789") for _ in range(15))


# -- in-process ---------------------------------------------------------------------------


class Service(InProcessService):
    """Call actions in-process (``riconnect.testing.InProcessService``): table parsing, then
    ``execute`` on the handler; Python values are sent as the SDK would send them."""

    clock: FakeClock

    def __init__(
        self,
        store: Store,
        clock: FakeClock,
        delays: Delays,
        account_id: str,
        *,
        directory: Any = None,
        vpc_quota: int = 1000,
    ) -> None:
        settings = Settings(delays=delays, vpc_quota=vpc_quota)
        super().__init__(store, clock, settings, account_id, directory=directory)

    def as_account(self, account_id: str) -> Service:
        return Service(
            self.store,
            self.clock,
            self.settings.delays,
            account_id,
            directory=self.directory,
            vpc_quota=self.settings.vpc_quota,
        )

    def call(self, action_name: str, region: str = REGION, **raw: Any) -> dict[str, Any]:
        """Run one action; raises :class:`ApiError` like the wire layer would answer it."""
        wire = {k: _wire(v) for k, v in raw.items() if v is not None}
        return self.run(action_name, wire, region)

    def code(self, action_name: str, region: str = REGION, **raw: Any) -> str:
        """The error code the action answers ('' when it succeeds)."""
        try:
            self.call(action_name, region, **raw)
        except ApiError as err:
            return err.code
        return ""

    # conveniences
    def vpc(self, cidr: str = "172.16.0.0/12", region: str = REGION) -> tuple[str, str]:
        out = self.call("CreateVpc", region, CidrBlock=cidr)
        return out["VpcId"], out["VRouterId"]

    def interfaces(self, region: str = REGION) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self.call("DescribeRouterInterfaces", region, PageSize=50, PageNumber=page)
            items = body["RouterInterfaceSet"]["RouterInterfaceType"]
            out += items
            if len(items) < 50:
                return out
            page += 1

    def attribute(self, ri_id: str, region: str = REGION) -> dict[str, Any]:
        return self.call("DescribeRouterInterfaceAttribute", region, InstanceId=ri_id)


def _wire(value: Any) -> str:
    """How a value travels: every value is a string; Python booleans as the SDK sends them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten(prefix: str, items: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``Filter``/``Tags`` lists to the wire's ``Prefix.N.Key`` / ``Prefix.N.Value[.M]``."""
    out: dict[str, str] = {}
    for n, item in enumerate(items, 1):
        out[f"{prefix}.{n}.Key"] = item["Key"]
        value = item.get("Value")
        if isinstance(value, list):
            for m, v in enumerate(value, 1):
                out[f"{prefix}.{n}.Value.{m}"] = v
        elif value is not None:
            out[f"{prefix}.{n}.Value"] = value
    return out


# -- over HTTP ----------------------------------------------------------------------------


class Api:
    """Signed requests to a live server as one account; never raises for error answers."""

    def __init__(self, cloud: LiveCloud, key: str, secret: str, region: str = REGION) -> None:
        self.cloud = cloud
        self.key = key
        self.secret = secret
        self.region = region

    def raw(
        self, action: str, params: Mapping[str, Any] | None = None, *, region: str | None = None
    ) -> tuple[int, dict[str, Any], Mapping[str, str]]:
        query: dict[str, str] = {}
        rid = self.region if region is None else region
        if rid:
            query["RegionId"] = rid
        for k, v in (params or {}).items():
            if v is not None:
                query[k] = _wire(v)
        resp = signed_request(self.cloud, action, query, access_key_id=self.key, secret=self.secret)
        return resp.status_code, resp.json(), resp.headers

    def ok(self, action: str, params: Mapping[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        status, body, _ = self.raw(action, params, **kw)
        assert status == 200, f"{action} {params}: {status} {body}"
        return body

    def err(
        self, action: str, params: Mapping[str, Any] | None = None, **kw: Any
    ) -> tuple[int, str, str]:
        """(HTTP status, Code, Message) of an answer that must be an error."""
        status, body, _ = self.raw(action, params, **kw)
        assert status != 200, f"{action} {params} unexpectedly succeeded: {body}"
        return status, body["Code"], body["Message"]

    # conveniences
    def vpc(self, cidr: str = "172.16.0.0/12", region: str | None = None) -> tuple[str, str]:
        body = self.ok("CreateVpc", {"CidrBlock": cidr}, region=region)
        return body["VpcId"], body["VRouterId"]

    def ri(self, router_id: str, role: str, region: str | None = None, **extra: Any) -> str:
        params = {
            "RouterType": "VRouter",
            "RouterId": router_id,
            "Role": role,
            "Spec": "Large.2" if role == "InitiatingSide" else "Negative",
            "OppositeRegionId": region or self.region,
            **extra,
        }
        return self.ok("CreateRouterInterface", params, region=region)["RouterInterfaceId"]

    def attribute(self, ri_id: str, region: str | None = None) -> dict[str, Any]:
        return self.ok("DescribeRouterInterfaceAttribute", {"InstanceId": ri_id}, region=region)

    def vbr(self) -> str:
        """A VBR on the demo physical connection, on a VLAN no other VBR of the run uses."""
        body = self.ok(
            "CreateVirtualBorderRouter",
            {
                "PhysicalConnectionId": DEMO_PHYSICAL_CONNECTION_ID,
                "VlanId": next_vlan(),
                "LocalGatewayIp": "10.0.0.1",
                "PeerGatewayIp": "10.0.0.2",
                "PeeringSubnetMask": "255.255.255.252",
            },
        )
        return str(body["VbrId"])

    def point(
        self,
        ri_id: str,
        at_ri: str,
        at_router: str,
        owner: str,
        router_type: str = "VRouter",
        region: str | None = None,
    ) -> dict[str, Any]:
        """ModifyRouterInterfaceAttribute: tell ``ri_id`` about its opposite side."""
        return self.ok(
            "ModifyRouterInterfaceAttribute",
            {
                "RouterInterfaceId": ri_id,
                "OppositeInterfaceId": at_ri,
                "OppositeRouterId": at_router,
                "OppositeRouterType": router_type,
                "OppositeInterfaceOwnerId": owner,
            },
            region=region,
        )


class V1:
    """``aliyun-python-sdk-core`` + ``aliyun-python-sdk-vpc`` for one region, every request
    sent to an explicit endpoint (the client's endpoint table also names it)."""

    def __init__(
        self,
        cloud: LiveCloud,
        region: str = REGION,
        key: str = DEMO_ACCESS_KEY_ID,
        secret: str = DEMO_ACCESS_KEY_SECRET,
    ) -> None:
        from riconnect.testing import acs_client

        self.endpoint = cloud.endpoint
        self.region = region
        self.client = acs_client(cloud, region, key, secret)

    def __call__(self, action: str, **setters: Any) -> dict[str, Any]:
        """Run ``<action>Request`` with ``set_<Name>(value)`` for each keyword; the decoded
        JSON body.  Error answers raise ``aliyunsdkcore`` ``ServerException``."""
        import importlib
        import json

        module = importlib.import_module(f"aliyunsdkvpc.request.v20160428.{action}Request")
        request = getattr(module, f"{action}Request")()
        request.set_endpoint(self.endpoint)
        for name, value in setters.items():
            getattr(request, f"set_{name}")(value)
        body: dict[str, Any] = json.loads(self.client.do_action_with_exception(request))
        return body

    def code(self, action: str, **setters: Any) -> str:
        from aliyunsdkcore.acs_exception.exceptions import ServerException

        try:
            self(action, **setters)
        except ServerException as err:
            return str(err.get_error_code())
        return ""


_vlans = iter(range(100 + secrets.randbelow(1000), 3000))


def next_vlan() -> int:
    """A VLAN id no other VBR of this test run uses on the demo physical connection."""
    return next(_vlans)


# -- building blocks over HTTP --------------------------------------------------------------


def owner_of(api: Api) -> str:
    from riconnect.domain.accounts import DEMO_ACCOUNT_ID

    return {KEY_B: ACCOUNT_B, KEY_C: ACCOUNT_C, KEY_D: ACCOUNT_D}.get(api.key, DEMO_ACCOUNT_ID)


def make_pair(api: Api, state: str = "configured", **create: Any) -> dict[str, str]:
    """Two fresh VPCs with an initiator (Large.2) and a Negative acceptor between them.

    ``state``: ``unconfigured`` (no opposite info), ``configured`` (both sides point at each
    other), ``active`` (connected), ``inactive`` (connected, then deactivated).  With timed
    transitions the caller waits; on an immediate server each state is reached at once.
    """
    vpc1, vrt1 = api.vpc("172.16.0.0/12")
    vpc2, vrt2 = api.vpc("192.168.0.0/16")
    init = api.ri(vrt1, "InitiatingSide", **create)
    acc = api.ri(vrt2, "AcceptingSide")
    owner = owner_of(api)
    if state != "unconfigured":
        api.point(acc, init, vrt1, owner)
        api.point(init, acc, vrt2, owner)
    if state in ("active", "inactive"):
        api.ok("ConnectRouterInterface", {"RouterInterfaceId": init})
    if state == "inactive":
        api.ok("DeactivateRouterInterface", {"RouterInterfaceId": init})
    return {"init": init, "acc": acc, "vrt1": vrt1, "vrt2": vrt2, "vpc1": vpc1, "vpc2": vpc2}


def view_without_request_id(api: Api, ri_id: str) -> tuple[int, dict[str, Any]]:
    status, body, _ = api.raw("DescribeRouterInterfaceAttribute", {"InstanceId": ri_id})
    return status, {k: v for k, v in body.items() if k != "RequestId"}


# -- the V2 SDK ------------------------------------------------------------------------------


class V2:
    """Thin conveniences over an ``alibabacloud_vpc20160428`` client; views as wire dicts."""

    def __init__(self, client: Any, region: str = REGION) -> None:
        self.c = client
        self.region = region

    def vpc(self, cidr: str) -> tuple[str, str]:
        body = self.c.create_vpc(
            m.CreateVpcRequest(region_id=self.region, cidr_block=cidr, vpc_name=unique("vpc"))
        ).body
        assert body.vpc_id.startswith("vpc-") and body.vrouter_id.startswith("vrt-")
        wait_until(lambda: self.vpc_status(body.vpc_id) == "Available", message="VPC Available")
        return body.vpc_id, body.vrouter_id

    def vpc_status(self, vpc_id: str) -> str:
        try:
            req = m.DescribeVpcAttributeRequest(region_id=self.region, vpc_id=vpc_id)
            return str(self.c.describe_vpc_attribute(req).body.status)
        except TeaException as err:
            if err.code in ("InvalidVpcID.NotFound", "Forbidden.VpcNotFound"):
                return "gone"
            raise

    def listed_vpc_status(self, vpc_id: str) -> str:
        """The VPC's status as DescribeVpcs lists it ("gone" when it is not listed)."""
        req = m.DescribeVpcsRequest(region_id=self.region, vpc_id=vpc_id)
        vpcs = self.c.describe_vpcs(req).body.vpcs.vpc
        return str(vpcs[0].status) if vpcs else "gone"

    def delete_vpc(self, vpc_id: str) -> None:
        self.c.delete_vpc(m.DeleteVpcRequest(region_id=self.region, vpc_id=vpc_id))
        wait_until(lambda: self.vpc_status(vpc_id) == "gone", message="VPC deleted")

    def create(self, **kw: Any) -> str:
        req = m.CreateRouterInterfaceRequest(region_id=self.region, **kw)
        ri_id = self.c.create_router_interface(req).body.router_interface_id
        assert ri_id.startswith("ri-")
        return str(ri_id)

    def point(self, ri_id: str, at: str, router: str, owner: str, kind: str = "VRouter") -> None:
        self.c.modify_router_interface_attribute(
            m.ModifyRouterInterfaceAttributeRequest(
                region_id=self.region,
                router_interface_id=ri_id,
                opposite_interface_id=at,
                opposite_router_id=router,
                opposite_router_type=kind,
                opposite_interface_owner_id=int(owner),  # int/Long in this action only
            )
        )

    def listed(self, *ri_ids: str) -> dict[str, dict[str, Any]]:
        req = m.DescribeRouterInterfacesRequest(
            region_id=self.region,
            page_size=50,
            filter=[m.DescribeRouterInterfacesRequestFilter(key="RouterInterfaceId", value=ri_ids)],
        )
        body = self.c.describe_router_interfaces(req).body
        assert body.router_interface_set is not None
        items = [i.to_map() for i in body.router_interface_set.router_interface_type]
        assert body.total_count == len(items)
        return {i["RouterInterfaceId"]: i for i in items}

    def attr(self, ri_id: str) -> dict[str, Any]:
        req = m.DescribeRouterInterfaceAttributeRequest(region_id=self.region, instance_id=ri_id)
        return dict(self.c.describe_router_interface_attribute(req).body.to_map())

    def status(self, ri_id: str) -> str:
        try:
            return str(self.attr(ri_id)["Status"])
        except TeaException as err:
            if err.code == "InvalidInstanceId.NotFound":
                return "gone"
            raise

    def act(self, action: str, ri_id: str) -> None:
        request_class = getattr(m, f"{action}RouterInterfaceRequest")
        method = getattr(self.c, f"{_snake(action)}_router_interface")
        method(request_class(region_id=self.region, router_interface_id=ri_id))

    def wait(self, ri_ids: tuple[str, ...], status: str, timeout: float = 10.0) -> None:
        wait_until(
            lambda: all(self.status(r) == status for r in ri_ids),
            timeout=timeout,
            message=f"{ri_ids} {status}",
        )


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
