"""Vpc DescribePhysicalConnections: the physical connections the operator granted the caller
(accounts file or ``riconnect admin add-physical-connection``; no API creates them).

Every field the official provider's ``alicloud_express_connect_physical_connections`` reads
is present, as a string where it asserts one (v1.285.0
data_source_alicloud_express_connect_physical_connections.go:164-293: ``Status`` is
type-asserted).  A granted circuit is in service: ``Enabled``, ``Normal``, pay-by-subscription,
on a 10G port; fields an operator would fill in (location, LOA, port) are empty.
"""

from __future__ import annotations

from typing import Any

from riconnect.domain.clock import iso8601
from riconnect.domain.entities import PhysicalConnection
from riconnect.service.context import Ctx, Params, Result, paging
from riconnect.store.db import Tx

# Filter.N.Key values of the documented API, and the field each one matches.
FILTER_FIELDS = {
    "PhysicalConnectionId": "PhysicalConnectionId",
    "AccessPointId": "AccessPointId",
    "Type": "Type",
    "LineOperator": "LineOperator",
    "Spec": "Spec",
    "Status": "Status",
    "Name": "Name",
}
FILTER_KEYS = tuple(FILTER_FIELDS)


def _view(pc: PhysicalConnection) -> dict[str, Any]:
    created = iso8601(pc.created_at)
    return {
        "PhysicalConnectionId": pc.id,
        "AccessPointId": pc.access_point_id,
        "Name": pc.name,
        "Description": "",
        "Type": "VPC",
        "Status": "Enabled",
        "BusinessStatus": "Normal",
        "ChargeType": "Prepaid",
        "LineOperator": "CO",
        "Spec": "10G",
        "PortType": "10GBase-LR",
        "PortNumber": "",
        "Bandwidth": pc.bandwidth,
        "CircuitCode": "",
        "AdLocation": "",
        "PeerLocation": "",
        "LoaStatus": "",
        "RedundantPhysicalConnectionId": "",
        "CreationTime": created,
        "EnabledTime": created,
        "EndTime": "",
        "HasReservationData": "false",
        "ReservationActiveTime": "",
        "ReservationInternetChargeType": "",
        "ReservationOrderType": "",
        "ProductType": "",
        "VirtualPhysicalConnectionCount": 0,
        "ResourceGroupId": "",
        "Tags": {"Tags": []},
    }


def describe_physical_connections(ctx: Ctx, tx: Tx, p: Params) -> Result:
    views = [
        _view(pc)
        for pc in tx.find(PhysicalConnection, ctx.account_id)
        if pc.region_id == ctx.region_id
    ]
    for key, values in p.get("Filter") or []:
        field = FILTER_FIELDS[key]
        views = [v for v in views if str(v[field]) in values]
    page_number, page_size = paging(p)
    start = (page_number - 1) * page_size
    return {
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": len(views),
        "PhysicalConnectionSet": {"PhysicalConnectionType": views[start : start + page_size]},
    }
