"""Every error code of Alibaba Cloud's API reference for these actions (https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-dir)
that riconnect can produce,
provoked over HTTP against a live server, plus MissingParameter for every required
parameter of the action table (generated from ``riconnect.api.actions``).

Each case builds what it needs, sends one request, and checks the HTTP status, the code,
the documented message where the docs give one, and that the interfaces involved look
exactly the same afterwards (an error changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from riconnect.api.actions import router_interface as router_interface_actions
from riconnect.api.actions import vbr as vbr_actions
from riconnect.domain.accounts import (
    DEMO_ACCESS_POINT_ID,
    DEMO_ACCOUNT_ID,
    DEMO_PHYSICAL_CONNECTION_ID,
    ram_user_uid,
)
from riconnect.service.admin import set_business_status
from riconnect.store.db import Store
from riconnect.testing import LiveCloud
from tests.support.router_interface import (
    Api,
    make_pair,
    next_vlan,
    unique,
    view_without_request_id,
)

UNKNOWN_RI = "ri-" + "0" * 21
UNKNOWN_VBR = "vbr-" + "0" * 21
BAD_REGION = "xx-nowhere-1"
RAM_UID = ram_user_uid(DEMO_ACCOUNT_ID, "ops")


@dataclass
class World:
    a: Api  # the demo account on the immediate server
    b: Api  # another account on the same server
    slow: Api  # the demo account on a server whose RI transitions last two minutes
    cloud: LiveCloud


@dataclass
class Probe:
    api: Api
    action: str
    params: dict[str, Any]
    watch: list[str] = field(default_factory=list)  # interfaces that must not change
    region: str | None = None


@pytest.fixture(scope="module")
def world(api_a: Api, api_b: Api, api_slow: Api, ri_cloud: LiveCloud) -> World:
    return World(api_a, api_b, api_slow, ri_cloud)


def _id(p: dict[str, str], side: str = "init") -> dict[str, str]:
    return {"RouterInterfaceId": p[side]}


def _create(router: str, role: str, spec: str, **extra: Any) -> dict[str, Any]:
    return {
        "RouterType": "VRouter",
        "RouterId": router,
        "Role": role,
        "Spec": spec,
        "OppositeRegionId": "cn-hangzhou",
        **extra,
    }


def _router(w: World) -> str:
    return w.a.vpc()[1]


def _locked(w: World, state: str, side: str, action: str, **params: Any) -> Probe:
    """A pair whose ``side`` billing has locked (``riconnect admin set-business-status``)."""
    p = make_pair(w.a, state)
    set_business_status(Store(w.cloud.db), DEMO_ACCOUNT_ID, p[side], "FinancialLocked")
    return Probe(w.a, action, {**_id(p, side), **params}, [p["init"], p["acc"]])


def _connecting(w: World, side: str, action: str, **params: Any) -> Probe:
    """A pair on the slow server, left Connecting / AcceptingConnecting."""
    p = make_pair(w.slow, "configured")
    w.slow.ok("ConnectRouterInterface", _id(p))
    assert w.slow.attribute(p["init"])["Status"] == "Connecting"
    return Probe(w.slow, action, {**_id(p, side), **params}, [p["init"], p["acc"]])


def _deleting(w: World, action: str, resource: str, id_name: str) -> Probe:
    """Delete on the slow server (the deletion lasts two minutes), then delete again."""
    w.slow.ok(action, {id_name: resource})
    return Probe(w.slow, action, {id_name: resource})


def _same_router(w: World) -> Probe:
    _, vrt = w.a.vpc()
    init = w.a.ri(vrt, "InitiatingSide")
    acc = w.a.ri(vrt, "AcceptingSide")
    w.a.point(acc, init, vrt, DEMO_ACCOUNT_ID)
    w.a.point(init, acc, vrt, DEMO_ACCOUNT_ID)
    return Probe(w.a, "ConnectRouterInterface", {"RouterInterfaceId": init}, [init, acc])


def _second_pair(w: World) -> Probe:
    p = make_pair(w.a, "active")
    init = w.a.ri(p["vrt1"], "InitiatingSide")
    acc = w.a.ri(p["vrt2"], "AcceptingSide")
    w.a.point(acc, init, p["vrt1"], DEMO_ACCOUNT_ID)
    w.a.point(init, acc, p["vrt2"], DEMO_ACCOUNT_ID)
    return Probe(w.a, "ConnectRouterInterface", {"RouterInterfaceId": init}, [init, acc])


def _acceptor_unset(w: World) -> Probe:
    p = make_pair(w.a, "unconfigured")
    w.a.point(p["init"], p["acc"], p["vrt2"], DEMO_ACCOUNT_ID)
    return Probe(w.a, "ConnectRouterInterface", _id(p), [p["init"], p["acc"]])


def _full_router(w: World) -> Probe:
    vrt = _router(w)
    for _ in range(5):
        w.a.ri(vrt, "InitiatingSide")
    return Probe(w.a, "CreateRouterInterface", _create(vrt, "InitiatingSide", "Large.2"))


def _prepaid(w: World) -> Probe:
    ri_id = w.a.ri(
        _router(w),
        "InitiatingSide",
        InstanceChargeType="PrePaid",
        PricingCycle="Month",
        Period=1,
        AutoPay=True,
    )
    assert w.a.attribute(ri_id)["ChargeType"] == "Prepaid"
    return Probe(w.a, "DeleteRouterInterface", {"RouterInterfaceId": ri_id}, [ri_id])


def _repoint(w: World, state: str, side: str) -> Probe:
    p = make_pair(w.a, state)
    other = w.a.ri(_router(w), "AcceptingSide" if side == "init" else "InitiatingSide")
    params = {
        "RouterInterfaceId": p[side],
        "OppositeInterfaceId": other,
        "OppositeRouterId": p["vrt2"],
        "OppositeRouterType": "VRouter",
        "OppositeInterfaceOwnerId": DEMO_ACCOUNT_ID,
    }
    return Probe(w.a, "ModifyRouterInterfaceAttribute", params, [p["init"], p["acc"]])


def _vbr_with_interface(w: World) -> Probe:
    vbr = w.a.vbr()
    w.a.ok(
        "CreateRouterInterface",
        {
            "RouterType": "VBR",
            "RouterId": vbr,
            "AccessPointId": DEMO_ACCESS_POINT_ID,
            "Role": "InitiatingSide",
            "Spec": "Middle.1",
            "OppositeRegionId": "cn-hangzhou",
        },
    )
    return Probe(w.a, "DeleteVirtualBorderRouter", {"VbrId": vbr})


def _vlan_used(w: World) -> Probe:
    vlan = next_vlan()
    params = {
        "PhysicalConnectionId": DEMO_PHYSICAL_CONNECTION_ID,
        "VlanId": vlan,
        "LocalGatewayIp": "10.0.0.1",
        "PeerGatewayIp": "10.0.0.2",
        "PeeringSubnetMask": "255.255.255.252",
    }
    w.a.ok("CreateVirtualBorderRouter", params)
    return Probe(w.a, "CreateVirtualBorderRouter", {**params, "Name": unique("vbr")})


def _peer_deleted(w: World) -> Probe:
    p = make_pair(w.a, "inactive")
    w.a.ok("DeleteRouterInterface", _id(p, "acc"))
    return Probe(w.a, "ActivateRouterInterface", _id(p), [p["init"]])


def _delete_vpc_with_interface(w: World) -> Probe:
    vpc, vrt = w.a.vpc()
    ri_id = w.a.ri(vrt, "InitiatingSide")
    return Probe(w.a, "DeleteVpc", {"VpcId": vpc}, [ri_id])


def _in(state: str, action: str, side: str = "init", **params: Any) -> Callable[[World], Probe]:
    def build(w: World) -> Probe:
        p = make_pair(w.a, state)
        return Probe(w.a, action, {"RouterInterfaceId": p[side], **params}, [p["init"], p["acc"]])

    return build


def _ri_create(**params: Any) -> Callable[[World], Probe]:
    def build(w: World) -> Probe:
        return Probe(w.a, "CreateRouterInterface", _create(_router(w), **params))

    return build


def _modify_new(**params: Any) -> Callable[[World], Probe]:
    def build(w: World) -> Probe:
        ri_id = w.a.ri(_router(w), "InitiatingSide")
        return Probe(
            w.a, "ModifyRouterInterfaceAttribute", {"RouterInterfaceId": ri_id, **params}, [ri_id]
        )

    return build


def _unknown(
    action: str, id_name: str = "RouterInterfaceId", **params: Any
) -> Callable[..., Probe]:
    return lambda w: Probe(w.a, action, {id_name: UNKNOWN_RI, **params})


MSG_STATUS = "RouterInterface can be operated by this action only when it's status is {}."
MSG_DELETE = (
    "This openeration would be allowed only when status of this RouterInterface is Idle/Inactive."
)
MSG_MODIFY = (
    "RouterInterface can be operated by this action only when the status is Active,idle or "
    "inactive."
)
MSG_NOT_SET = (
    "OppositeInterfaceId/OppositeRouterId/OppositeRouterType/OppositeInterfaceOwnerId must be "
    "all set."
)
MSG_SPEC = "The specified Spec is not supported."
MSG_NAME = "The attribute name is illeagl."
MSG_LOCKED = "This RouterInterface is financiel locked because of bills outstanding."

# (case, HTTP status, Code, Message or None when the docs give no exact text)
CASES = [
    # ConnectRouterInterface
    pytest.param(
        _in("configured", "ConnectRouterInterface", "acc"),
        400,
        "IncorrectRole.NotInitiatingSide",
        "The specified RouterInterface is not InitiatingSide.",
        id="connect-acceptor",
    ),
    pytest.param(
        _in("active", "ConnectRouterInterface"),
        400,
        "IncorrectRIStatus",
        MSG_STATUS.format("Idle"),
        id="connect-active",
    ),
    pytest.param(
        _in("inactive", "ConnectRouterInterface"),
        400,
        "IncorrectRIStatus",
        MSG_STATUS.format("Idle"),
        id="connect-inactive",
    ),
    pytest.param(
        _in("unconfigured", "ConnectRouterInterface"),
        400,
        "IncorrectOppositeInterfaceInfo.NotSet",
        MSG_NOT_SET,
        id="connect-initiator-unset",
    ),
    pytest.param(
        _acceptor_unset,
        400,
        "IncorrectOppositeInterfaceInfo.NotSet",
        MSG_NOT_SET,
        id="connect-acceptor-unset",
    ),
    pytest.param(
        _same_router,
        400,
        "IncorrectOppositeInterfaceInfo",
        "Cannot connect on the same router",
        id="connect-same-router",
    ),
    pytest.param(
        _second_pair,
        400,
        "Forbidden.OnlyOneConnection",
        "The Specified routers have a connection already",
        id="connect-second-pair",
    ),
    pytest.param(
        lambda w: _locked(w, "configured", "init", "ConnectRouterInterface"),
        400,
        "Forbidden.BillsOutstanding",
        "You cannot use this action because you have bills outstanding.",
        id="connect-locked",
    ),
    pytest.param(
        _unknown("ConnectRouterInterface"),
        404,
        "InvalidRouterInterfaceId.NotFound",
        "The specified RouterInterfaceId does not exist in our records.",
        id="connect-unknown",
    ),
    # ActivateRouterInterface
    pytest.param(
        _in("configured", "ActivateRouterInterface"),
        400,
        "IncorrectRIStatus",
        MSG_STATUS.format("Inactive"),
        id="activate-idle",
    ),
    pytest.param(
        _in("active", "ActivateRouterInterface", "acc"),
        400,
        "IncorrectRIStatus",
        MSG_STATUS.format("Inactive"),
        id="activate-active",
    ),
    pytest.param(
        lambda w: _locked(w, "inactive", "acc", "ActivateRouterInterface"),
        400,
        "Forbidden.FinancialLocked",
        MSG_LOCKED,
        id="activate-locked",
    ),
    pytest.param(
        _unknown("ActivateRouterInterface"),
        404,
        "InvalidRouterInterfaceId.NotFound",
        "The specified RouterInterfaceId does not exist in our records.",
        id="activate-unknown",
    ),
    pytest.param(
        _peer_deleted,
        400,
        "IncorrectOppositeInterfaceInfo.Mismatch",
        None,
        id="activate-peer-deleted",
    ),
    # DeactivateRouterInterface
    pytest.param(
        _in("configured", "DeactivateRouterInterface"),
        400,
        "IncorrectRIStatus",
        MSG_STATUS.format("Active"),
        id="deactivate-idle",
    ),
    pytest.param(
        _in("inactive", "DeactivateRouterInterface", "acc"),
        400,
        "IncorrectRIStatus",
        MSG_STATUS.format("Active"),
        id="deactivate-inactive",
    ),
    pytest.param(
        lambda w: _locked(w, "active", "init", "DeactivateRouterInterface"),
        400,
        "Forbidden.FinancialLocked",
        MSG_LOCKED,
        id="deactivate-locked",
    ),
    pytest.param(
        lambda w: _locked(
            w, "configured", "init", "ModifyRouterInterfaceAttribute", Name="renamed"
        ),
        400,
        "Forbidden.FinancialLocked",
        MSG_LOCKED,
        id="modify-attribute-locked",
    ),
    pytest.param(
        _unknown("DeactivateRouterInterface"),
        404,
        "InvalidRouterInterfaceId.NotFound",
        "The specified RouterInterfaceId does not exist in our records.",
        id="deactivate-unknown",
    ),
    # DeleteRouterInterface
    pytest.param(
        _in("active", "DeleteRouterInterface"),
        400,
        "IncorrectStatus",
        MSG_DELETE,
        id="delete-active",
    ),
    pytest.param(
        _in("active", "DeleteRouterInterface", "acc"),
        400,
        "IncorrectStatus",
        MSG_DELETE,
        id="delete-active-acceptor",
    ),
    pytest.param(
        lambda w: _connecting(w, "init", "DeleteRouterInterface"),
        400,
        "IncorrectStatus",
        MSG_DELETE,
        id="delete-connecting",
    ),
    pytest.param(
        _prepaid,
        500,
        "InvalidRouterInterfaceChargeType.Malformed",
        "The prepaid routerinterface can not delete.",
        id="delete-prepaid",
    ),
    pytest.param(
        _unknown("DeleteRouterInterface"),
        404,
        "InvalidInstanceId.NotFound",
        "The InstanceId provided does not exist in our records.",
        id="delete-unknown",
    ),
    # DescribeRouterInterfaceAttribute
    pytest.param(
        _unknown("DescribeRouterInterfaceAttribute", "InstanceId"),
        404,
        "InvalidInstanceId.NotFound",
        "The InstanceId provided does not exist in our records.",
        id="attribute-unknown",
    ),
    pytest.param(
        lambda w: Probe(
            w.b, "DescribeRouterInterfaceAttribute", {"InstanceId": make_pair(w.a)["init"]}
        ),
        404,
        "InvalidInstanceId.NotFound",
        None,
        id="attribute-other-account",
    ),
    # ModifyRouterInterfaceAttribute
    pytest.param(
        lambda w: _connecting(w, "init", "ModifyRouterInterfaceAttribute", Name=unique()),
        400,
        "IncorrectStatus",
        MSG_MODIFY,
        id="modify-connecting",
    ),
    pytest.param(
        lambda w: _connecting(w, "acc", "ModifyRouterInterfaceAttribute", Name=unique()),
        400,
        "IncorrectStatus",
        MSG_MODIFY,
        id="modify-accepting-connecting",
    ),
    pytest.param(
        lambda w: _repoint(w, "active", "init"),
        400,
        "IncorrectStatus",
        None,
        id="modify-opposite-active",
    ),
    pytest.param(
        lambda w: _repoint(w, "inactive", "acc"),
        400,
        "IncorrectStatus",
        None,
        id="modify-opposite-inactive",
    ),
    pytest.param(
        _modify_new(Name="1starts-with-a-digit"),
        400,
        "InvalidName.Malformd",
        MSG_NAME,
        id="modify-name-digit",
    ),
    pytest.param(
        _modify_new(Name="x"), 400, "InvalidName.Malformd", MSG_NAME, id="modify-name-short"
    ),
    pytest.param(
        _modify_new(OppositeRouterType="Router"),
        400,
        "InvalidOppositeRouterType.ValueNotSupported",
        None,
        id="modify-opposite-router-type",
    ),
    pytest.param(
        _modify_new(OppositeInterfaceOwnerId=RAM_UID),
        400,
        "InvalidOppositeInterfaceOwnerId.Malformed",
        None,
        id="modify-owner-ram-user",
    ),
    pytest.param(
        _unknown("ModifyRouterInterfaceAttribute", Name="fine-name"),
        404,
        "InvalidRouterInterfaceId.NotFound",
        None,
        id="modify-unknown",
    ),
    # ModifyRouterInterfaceSpec
    pytest.param(
        _in("configured", "ModifyRouterInterfaceSpec", Spec="Negative"),
        400,
        "InvalidSpec.ValudNotSupported",
        MSG_SPEC,
        id="spec-to-negative",
    ),
    pytest.param(
        _in("active", "ModifyRouterInterfaceSpec", Spec="Huge.9"),
        400,
        "InvalidSpec.ValudNotSupported",
        MSG_SPEC,
        id="spec-unknown-value",
    ),
    pytest.param(
        _in("inactive", "ModifyRouterInterfaceSpec", Spec="Large.1"),
        400,
        "InvalidInstance.StatusError",
        "The router instance status error.",
        id="spec-inactive",
    ),
    pytest.param(
        _in("configured", "ModifyRouterInterfaceSpec", "acc", Spec="Large.1"),
        400,
        "IncorrectRole.NotInitiatingSide",
        None,
        id="spec-acceptor",
    ),
    pytest.param(
        lambda w: _locked(w, "active", "init", "ModifyRouterInterfaceSpec", Spec="Large.1"),
        400,
        "Forbidden.FinancialLocked",
        None,
        id="spec-locked",
    ),
    pytest.param(
        _unknown("ModifyRouterInterfaceSpec", Spec="Large.1"),
        404,
        "InvalidRouterInterfaceId.NotFound",
        None,
        id="spec-unknown",
    ),
    # CreateRouterInterface
    pytest.param(
        _ri_create(role="InitiatingSide", spec="Huge.9"),
        400,
        "InvalidSpec.ValudNotSupported",
        None,
        id="create-spec-unknown",
    ),
    pytest.param(
        _ri_create(role="InitiatingSide", spec="Negative"),
        400,
        "InvalidSpec.ValudNotSupported",
        MSG_SPEC,
        id="create-initiator-negative",
    ),
    pytest.param(
        _ri_create(role="AcceptingSide", spec="Large.2"),
        400,
        "InvalidSpec.ValudNotSupported",
        MSG_SPEC,
        id="create-acceptor-not-negative",
    ),
    pytest.param(
        _ri_create(role="InitiatingSide", spec="Large.2", Name="-dash-first"),
        400,
        "InvalidName.Malformd",
        MSG_NAME,
        id="create-name",
    ),
    pytest.param(
        _ri_create(role="InitiatingSide", spec="Large.2", Name="http://x.example"),
        400,
        "InvalidName.Malformd",
        MSG_NAME,
        id="create-name-url",
    ),
    pytest.param(
        lambda w: Probe(
            w.a,
            "CreateRouterInterface",
            _create(_router(w), "InitiatingSide", "Large.2", OppositeRegionId=BAD_REGION),
        ),
        400,
        "InvalidOppositeRegionId.NotFound",
        "The OppositeRegionId provided does not exist in our records.",
        id="create-opposite-region",
    ),
    pytest.param(
        _ri_create(role="InitiatingSide", spec="Large.2", OppositeRouterType="Router"),
        400,
        "InvalidOppositeRouterType.ValueNotSupported",
        None,
        id="create-opposite-router-type",
    ),
    pytest.param(
        _ri_create(role="InitiatingSide", spec="Large.2", OppositeInterfaceOwnerId=RAM_UID),
        400,
        "InvalidOppositeInterfaceOwnerId.Malformed",
        None,
        id="create-owner-ram-user",
    ),
    pytest.param(
        _ri_create(role="InitiatingSide", spec="Large.2", OppositeInterfaceOwnerId="9" * 16),
        400,
        "InvalidOppositeInterfaceOwnerId.Malformed",
        None,
        id="create-owner-unknown",
    ),
    pytest.param(
        _full_router, 400, "QuotaExceeded.RouterInterface", None, id="create-sixth-on-router"
    ),
    pytest.param(
        lambda w: Probe(
            w.a, "CreateRouterInterface", _create("vrt-" + "0" * 21, "InitiatingSide", "Large.2")
        ),
        404,
        "InvalidRouterId.NotFound",
        None,
        id="create-unknown-router",
    ),
    pytest.param(
        lambda w: Probe(
            w.b, "CreateRouterInterface", _create(_router(w), "InitiatingSide", "Large.2")
        ),
        404,
        "InvalidRouterId.NotFound",
        None,
        id="create-on-other-accounts-router",
    ),
    pytest.param(
        _ri_create(role="Middle", spec="Large.2"),
        400,
        "InvalidRole.Malformed",
        None,
        id="create-role-unknown",
    ),
    pytest.param(
        lambda w: Probe(
            w.a,
            "CreateRouterInterface",
            {
                **_create(w.a.vbr(), "AcceptingSide", "Negative"),
                "RouterType": "VBR",
                "AccessPointId": DEMO_ACCESS_POINT_ID,
            },
        ),
        400,
        "InvalidRole.Malformed",
        None,
        id="create-vbr-as-acceptor",
    ),
    # Parameters that are required only in some cases (the API reference's conditionally required parameters)
    pytest.param(
        lambda w: Probe(
            w.a,
            "CreateRouterInterface",
            {**_create(w.a.vbr(), "InitiatingSide", "Middle.1"), "RouterType": "VBR"},
        ),
        400,
        "MissingParameter",
        'The input parameter "AccessPointId" that is mandatory for processing this request '
        "is not supplied.",
        id="create-vbr-without-access-point",
    ),
    pytest.param(
        _ri_create(role="AcceptingSide", spec="Negative", OppositeRouterType="VBR"),
        400,
        "MissingParameter",
        None,
        id="create-opposite-vbr-without-opposite-access-point",
    ),
    pytest.param(
        _ri_create(role="InitiatingSide", spec="Large.2", InstanceChargeType="PrePaid"),
        400,
        "MissingParameter",
        None,
        id="create-prepaid-without-period",
    ),
    pytest.param(
        lambda w: Probe(
            w.a,
            "CreateVirtualBorderRouter",
            {"PhysicalConnectionId": DEMO_PHYSICAL_CONNECTION_ID, "VlanId": next_vlan()},
        ),
        400,
        "MissingParameter",
        None,
        id="vbr-without-peering-addresses",
    ),
    # DeleteVpc
    pytest.param(
        _delete_vpc_with_interface,
        400,
        "DependencyViolation.RouterInterface",
        None,
        id="delete-vpc-with-interface",
    ),
    pytest.param(
        lambda w: _deleting(w, "DeleteVpc", w.slow.vpc()[0], "VpcId"),
        400,
        "IncorrectVpcStatus",
        "Current VPC status does not support this operation.",
        id="delete-vpc-deleting",
    ),
    # VBRs
    pytest.param(
        lambda w: _deleting(w, "DeleteVirtualBorderRouter", w.slow.vbr(), "VbrId"),
        400,
        "InvalidOperation.OperationNotAllowedInState",
        "The specified VirutalBorderRouter is in invalid state.",
        id="vbr-delete-deleting",
    ),
    pytest.param(
        lambda w: Probe(w.a, "DeleteVirtualBorderRouter", {"VbrId": UNKNOWN_VBR}),
        404,
        "InvalidVbrId.NotFound",
        "The specified VirutalBorderRouter does not exist in our records.",
        id="vbr-delete-unknown",
    ),
    pytest.param(
        _vbr_with_interface,
        400,
        "InvalidOperation.RouterInterfaceNotDeleted",
        "The specified VirutalBorderRouter still has routerInterface.",
        id="vbr-delete-with-interface",
    ),
    pytest.param(_vlan_used, 400, "InvalidVlanId.Used", None, id="vbr-vlan-used"),
    pytest.param(
        lambda w: Probe(
            w.a,
            "CreateVirtualBorderRouter",
            {
                "PhysicalConnectionId": "pc-" + "0" * 21,
                "VlanId": 1,
                "LocalGatewayIp": "10.0.0.1",
                "PeerGatewayIp": "10.0.0.2",
                "PeeringSubnetMask": "255.255.255.252",
            },
        ),
        404,
        "InvalidPhysicalConnectionId.NotFound",
        None,
        id="vbr-unknown-physical-connection",
    ),
    pytest.param(
        lambda w: Probe(
            w.b,
            "CreateVirtualBorderRouter",
            {
                "PhysicalConnectionId": DEMO_PHYSICAL_CONNECTION_ID,
                "VlanId": next_vlan(),
                "LocalGatewayIp": "10.0.0.1",
                "PeerGatewayIp": "10.0.0.2",
                "PeeringSubnetMask": "255.255.255.252",
            },
        ),
        404,
        "InvalidPhysicalConnectionId.NotFound",
        None,
        id="vbr-other-accounts-physical-connection",
    ),
]


@pytest.mark.parametrize(("case", "status", "code", "message"), CASES)
def test_error_code(
    world: World,
    case: Callable[[World], Probe],
    status: int,
    code: str,
    message: str | None,
) -> None:
    probe = case(world)
    before = [view_without_request_id(probe.api, ri_id) for ri_id in probe.watch]
    got_status, body, _ = probe.api.raw(probe.action, probe.params, region=probe.region)
    assert (got_status, body.get("Code")) == (status, code), body
    if message is not None:
        assert body["Message"] == message
    assert body["RequestId"] and body["HostId"] == "vpc.aliyuncs.com"
    after = [view_without_request_id(probe.api, ri_id) for ri_id in probe.watch]
    assert after == before, "an error answer changed an interface"


# -- region and required parameters, generated from the action table ----------------------

ACTIONS = [*router_interface_actions.ACTIONS, *vbr_actions.ACTIONS]

# A valid-looking value for every required parameter of the table; a new required
# parameter without a sample fails test_every_required_parameter_has_a_sample.
SAMPLES: dict[str, str] = {
    "RegionId": "cn-hangzhou",
    "Role": "InitiatingSide",
    "RouterType": "VRouter",
    "RouterId": "vrt-" + "0" * 21,
    "Spec": "Large.2",
    "OppositeRegionId": "cn-hangzhou",
    "RouterInterfaceId": UNKNOWN_RI,
    "InstanceId": UNKNOWN_RI,
    "PhysicalConnectionId": DEMO_PHYSICAL_CONNECTION_ID,
    "VlanId": "2999",
    "VbrId": UNKNOWN_VBR,
}


def _required(action: Any) -> list[str]:
    names = ["RegionId"] if action.region == "required" else []
    for param in action.params:
        if param.required:
            names.append(f"{param.name}.1" if param.kind == "list" else param.name)
    return names


MISSING = [
    pytest.param(action.name, name, id=f"{action.name}-{name}")
    for action in ACTIONS
    for name in _required(action)
]


def test_every_required_parameter_has_a_sample() -> None:
    assert {n for a in ACTIONS for n in _required(a)} <= set(SAMPLES)


@pytest.mark.parametrize(("action", "missing"), MISSING)
def test_missing_parameter(api_a: Api, action: str, missing: str) -> None:
    action_entry = next(a for a in ACTIONS if a.name == action)
    params = {n: SAMPLES[n] for n in _required(action_entry) if n not in ("RegionId", missing)}
    region = "" if missing == "RegionId" else "cn-hangzhou"
    status, body, _ = api_a.raw(action, params, region=region)
    assert (status, body["Code"]) == (400, "MissingParameter"), body
    assert f'"{missing}"' in body["Message"]
    # An empty value counts as missing too.
    status, body, _ = api_a.raw(action, {**params, missing: ""}, region=region or "")
    assert (status, body["Code"]) == (400, "MissingParameter"), body


@pytest.mark.parametrize("action", [a.name for a in ACTIONS])
def test_unknown_region(api_a: Api, action: str) -> None:
    entry = next(a for a in ACTIONS if a.name == action)
    params = {n: SAMPLES[n] for n in _required(entry) if n != "RegionId"}
    status, body, _ = api_a.raw(action, params, region=BAD_REGION)
    assert (status, body["Code"]) == (404, "InvalidRegionId.NotFound"), body
    assert body["Message"] == "The specified RegionId does not exist in our records."


def test_describe_with_an_unknown_id_is_an_empty_list(api_a: Api) -> None:
    body = api_a.ok(
        "DescribeRouterInterfaces",
        {"Filter.1.Key": "RouterInterfaceId", "Filter.1.Value.1": UNKNOWN_RI},
    )
    assert body["TotalCount"] == 0
    assert body["RouterInterfaceSet"] == {"RouterInterfaceType": []}
    assert (body["PageNumber"], body["PageSize"]) == (1, 10)
