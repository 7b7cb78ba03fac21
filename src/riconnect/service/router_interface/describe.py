"""Router interface reads: DescribeRouterInterfaces, DescribeRouterInterfaceAttribute, and
the view both answer with (this side, plus what it knows of its peer)."""

from __future__ import annotations

from typing import Any

from riconnect.domain import router_interface as ri
from riconnect.domain.clock import iso8601
from riconnect.domain.entities import RouterInterface
from riconnect.service.context import Ctx, Params, Result, paging
from riconnect.service.router_interface.pairs import INTERFACES, peer_of
from riconnect.store.db import Tx

_FILTER_COLUMNS = {
    "RouterInterfaceId": "id",
    "RouterId": "router_id",
    "RouterType": "router_type",
    "RouterInterfaceOwnerId": "account_id",
    "OppositeInterfaceId": "opposite_interface_id",
    "OppositeRouterType": "opposite_router_type",
    "OppositeRouterId": "opposite_router_id",
    "OppositeInterfaceOwnerId": "opposite_interface_owner_id",
    "Status": "status",
    "Name": "name",
}

FILTER_KEYS = tuple(_FILTER_COLUMNS)

Peers = dict[tuple[str, str, str], RouterInterface | None]


def _peer_key(obj: RouterInterface) -> tuple[str, str, str]:
    return obj.peer_account_id, obj.peer_region_id, obj.peer_id


def load_peers(ctx: Ctx, tx: Tx, items: list[RouterInterface]) -> Peers:
    """The peers of ``items`` (settled), one query per owner and region instead of one per
    interface; a peer that no longer exists maps to None, as :func:`peer_of` answers."""
    wanted: dict[tuple[str, str], list[str]] = {}
    for obj in items:
        if obj.peer_id:
            wanted.setdefault((obj.peer_account_id, obj.peer_region_id), []).append(obj.peer_id)
    found: Peers = {}
    for (account_id, region_id), peer_ids in wanted.items():
        unique = sorted(set(peer_ids))
        for key in unique:
            found[(account_id, region_id, key)] = None
        for peer in tx.get_many(RouterInterface, account_id, region_id, unique):
            found[(account_id, region_id, peer.id)] = INTERFACES.settle(ctx, tx, peer)
    return found


def view(
    ctx: Ctx,
    tx: Tx,
    obj: RouterInterface,
    *,
    attribute: bool,
    reservation: bool = False,
    peers: Peers | None = None,
) -> dict[str, Any]:
    if not obj.peer_id:
        peer = None
    elif peers is not None:
        peer = peers.get(_peer_key(obj))
    else:
        peer = peer_of(ctx, tx, obj)
    if obj.peer_id and peer is None:
        opposite_status, opposite_spec, opposite_bw, opposite_business = ri.DELETED, "", 0, ""
    elif peer is not None:
        opposite_status, opposite_spec = peer.status, peer.spec
        # A Negative acceptor carries what its initiator bought.
        opposite_bw = ri.bandwidth(peer.spec) or ri.bandwidth(obj.spec)
        opposite_business = peer.business_status
    else:
        opposite_status = opposite_spec = opposite_business = ""
        opposite_bw = 0
    own_bw = ri.bandwidth(obj.spec)
    if obj.spec == ri.NEGATIVE and peer is not None:
        own_bw = ri.bandwidth(peer.spec)  # an acceptor carries what its initiator bought
    out: dict[str, Any] = {
        "RouterInterfaceId": obj.id,
        "Name": obj.name,
        "Description": obj.description,
        "Role": obj.role,
        "RouterType": obj.router_type,
        "RouterId": obj.router_id,
        "VpcInstanceId": obj.vpc_id,
        "AccessPointId": obj.access_point_id,
        "Spec": obj.spec,
        "Bandwidth": own_bw,
        "Status": obj.status,
        "BusinessStatus": obj.business_status,
        "ChargeType": obj.charge_type,
        "CreationTime": iso8601(obj.created_at),
        "ConnectedTime": iso8601(obj.connected_at) if obj.connected_at else "",
        "EndTime": iso8601(obj.end_time) if obj.end_time else "",
        "CrossBorder": ri.cross_border(obj.region_id, obj.opposite_region_id),
        "FastLinkMode": str(obj.fast_link_mode).lower() if attribute else obj.fast_link_mode,
        "HealthCheckSourceIp": obj.health_check_source_ip,
        "HealthCheckTargetIp": obj.health_check_target_ip,
        "HcRate": obj.hc_rate,
        "HcThreshold": obj.hc_threshold,
        "OppositeRegionId": obj.opposite_region_id,
        "OppositeInterfaceId": obj.opposite_interface_id,
        "OppositeRouterId": obj.opposite_router_id,
        "OppositeRouterType": obj.opposite_router_type,
        "OppositeInterfaceOwnerId": obj.opposite_interface_owner_id,
        "OppositeAccessPointId": obj.opposite_access_point_id,
        "OppositeVpcInstanceId": peer.vpc_id if peer is not None else "",
        "OppositeInterfaceStatus": opposite_status,
        "OppositeInterfaceSpec": opposite_spec,
        "OppositeBandwidth": opposite_bw,
        "OppositeInterfaceBusinessStatus": opposite_business,
        "ResourceGroupId": obj.resource_group_id,
        "HasReservationData": "false",
        "Tags": {"Tags": [{"Key": k, "Value": v} for k, v in obj.tags]},
    }
    if not obj.hc_threshold:
        # Absent until set, not 0: the Go provider sets hc_threshold (a string, Optional and
        # not Computed) only when the key is present (v1.285.0
        # resource_alicloud_express_connect_router_interface.go:352-354); a 0 here was a
        # permanent `hc_threshold = "0" -> null` diff in every plan.
        del out["HcThreshold"]
    if attribute or reservation:
        out.update(
            {
                "ReservationActiveTime": "",
                "ReservationBandwidth": "",
                "ReservationInternetChargeType": "",
                "ReservationOrderType": "",
            }
        )
    if attribute:
        has_hc = bool(obj.health_check_source_ip)
        out.update(
            {
                "Code": "200",
                "Message": "successful",
                "Success": True,
                "GmtModified": iso8601(obj.modified_at or obj.created_at),
                "HealthCheckStatus": "Normal" if has_hc else "NoHealthCheckConfig",
            }
        )
    else:
        out["Ipv6Status"] = ""
    return out


def describe_router_interfaces(ctx: Ctx, tx: Tx, p: Params) -> Result:
    INTERFACES.settle_due(ctx, tx)
    page_number, page_size = paging(p)
    conditions: list[tuple[str, list[Any]]] = [
        (_FILTER_COLUMNS[key], values) for key, values in (p.get("Filter") or [])
    ]
    if p.get("ResourceGroupId"):
        conditions.append(("resource_group_id", [p["ResourceGroupId"]]))
    items, total = INTERFACES.page(ctx, tx, conditions, p.get("Tags") or [], page_number, page_size)
    reservation = bool(p.get("IncludeReservationData"))
    peers = load_peers(ctx, tx, items)
    return {
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": total,
        "RouterInterfaceSet": {
            "RouterInterfaceType": [
                view(ctx, tx, o, attribute=False, reservation=reservation, peers=peers)
                for o in items
            ]
        },
    }


def describe_router_interface_attribute(ctx: Ctx, tx: Tx, p: Params) -> Result:
    obj = INTERFACES.load(ctx, tx, p["InstanceId"], code="InvalidInstanceId.NotFound")
    return view(ctx, tx, obj, attribute=True)
