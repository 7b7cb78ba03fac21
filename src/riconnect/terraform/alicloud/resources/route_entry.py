"""``alicloud_route_entry``: a custom route of a route table (CreateRouteEntry,
DescribeRouteTables, DeleteRouteEntry).

Every argument forces replacement.  The id, and the import id, is
``route_table_id:router_id:destination_cidrblock:nexthop_type:nexthop_id`` (``:`` of an IPv6
destination written ``_``), ``router_id`` being the table's vRouter.  As the official
provider does, every create and delete first waits until every route of the table is
``Available`` (the cloud refuses route changes while one is pending), and the entry is found
by destination, next hop type and next hop id.
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud import validators as ali
from riconnect.terraform.alicloud.base import AliResource, client_token, known_values
from riconnect.terraform.alicloud.client import CloudError
from riconnect.terraform.alicloud.fields import Field, Fields, plain
from riconnect.terraform.alicloud.waits import wait_for
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    DiagnosticError,
    Diagnostics,
    Schema,
    State,
    String,
    Timeouts,
)

ALL_AVAILABLE_TIMEOUT = 120.0  # the official provider's DefaultTimeout for these waits
CREATE_RETRY = (
    "TaskConflict",
    "OperationConflict",
    "IncorrectRouteEntryStatus",
    "IncorrectVpcStatus",
    "IncorrectVSwitchStatus",
    "IncorrectHaVipStatus",
    "IncorrectInstanceStatus",
    "InvalidVBRStatus",
    "IncorrectStatus.Ipv4Gateway",
    "IncorrectStatus.Ipv6Address",
    "LastTokenProcessing",
    "IncorrectStatus.VpcPeer",
    "IncorrectStatus.MultiScopeRiRouteEntry",
    "IncorrectStatus.RouteTableStatus",
    "OperationFailed.DistibuteLock",
    "ServiceUnavailable",
    "SystemBusy",
    "UnknownError",
    "IncorrectStatus.RouterInterface",
    "IncorrectStatus.PrefixList",
)
DELETE_RETRY = (
    "IncorrectVpcStatus",
    "TaskConflict",
    "OperationConflict",
    "SystemBusy",
    "IncorrectRouteEntryStatus",
    "IncorrectVSwitchStatus",
    "IncorrectInstanceStatus",
    "Forbbiden",
    "UnknownError",
)


def parse_id(entry_id: str) -> list[str]:
    parts = entry_id.split(":")
    if len(parts) != 5:
        raise DiagnosticError(
            f"Invalid resource id {entry_id!r}: expected "
            "route_table_id:router_id:destination_cidrblock:nexthop_type:nexthop_id"
        )
    parts[2] = parts[2].replace("_", ":")
    return parts


class RouteEntry(AliResource):
    type_name = "alicloud_route_entry"
    noun = "route entry"
    timeouts = Timeouts(create=600, delete=600)
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("route_table_id", String, required=True, force_new=True),
                Attribute("destination_cidrblock", String, optional=True, force_new=True),
                Attribute("nexthop_type", String, optional=True, force_new=True),
                Attribute("nexthop_id", String, optional=True, force_new=True),
                Attribute(
                    "name",
                    String,
                    optional=True,
                    force_new=True,
                    validators=[ali.string_len_between(2, 128)],
                ),
                Attribute("description", String, optional=True, force_new=True),
                Attribute(
                    "router_id",
                    String,
                    computed=True,
                    deprecated="Attribute router_id has been deprecated and suggest removing "
                    "it from your template.",
                ),
            ],
            blocks=[timeouts.block],
        )
    )
    # One entry of DescribeRouteTables' RouteEntrys.
    fields = Fields(
        Field("route_table_id", "RouteTableId"),
        Field("destination_cidrblock", "DestinationCidrBlock"),
        Field("nexthop_type", "NextHopType"),
        Field("nexthop_id", "InstanceId"),
        Field("name", "RouteEntryName", plain),
        Field("description", "Description", plain),
    )

    # -- the route table --------------------------------------------------------------------

    def _table(self, table_id: str, timeout: float = 300.0) -> dict[str, Any] | None:
        body = self.client.call(
            "DescribeRouteTables", {"RouteTableId": table_id, "PageSize": 50}, timeout=timeout
        )
        tables = (body.get("RouteTables") or {}).get("RouteTable") or []
        if not tables or tables[0].get("RouteTableId") != table_id:
            return None
        table: dict[str, Any] = tables[0]
        return table

    @staticmethod
    def _entries(table: dict[str, Any] | None) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = ((table or {}).get("RouteEntrys") or {}).get(
            "RouteEntry"
        ) or []
        return entries

    def _wait_all_available(self, table_id: str) -> None:
        wait_for(
            lambda: self._table(table_id),
            lambda t: all(e.get("Status") == "Available" for e in self._entries(t)),
            ALL_AVAILABLE_TIMEOUT,
            f"every route of {table_id} to be Available",
        )

    # -- CRUD ---------------------------------------------------------------------------------

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        timeout = self.timeouts.seconds(planned, "create")
        base, known = planned, known_values(planned)
        table_id = known["route_table_id"]
        table = self._table(table_id)
        if table is None:
            raise DiagnosticError(f"route table {table_id} not found", path=("route_table_id",))
        self._wait_all_available(table_id)
        destination = known.get("destination_cidrblock")
        self.client.call(
            "CreateRouteEntry",
            {
                "RouteTableId": table_id,
                "DestinationCidrBlock": destination,
                "NextHopType": known.get("nexthop_type"),
                "NextHopId": known.get("nexthop_id"),
                "RouteEntryName": known.get("name"),
                "Description": known.get("description"),
                "ClientToken": client_token("CreateRouteEntry"),
            },
            timeout=timeout,
            retry_codes=CREATE_RETRY,
        )
        entry_id = ":".join(
            [
                table_id,
                str(table.get("VRouterId", "")),
                str(destination or "").replace(":", "_"),
                str(known.get("nexthop_type") or ""),
                str(known.get("nexthop_id") or ""),
            ]
        )
        self._wait(entry_id, ("Available",), ALL_AVAILABLE_TIMEOUT)
        state = self._read(base, entry_id)
        if state is None:
            raise DiagnosticError(f"route entry {entry_id} disappeared after it was created")
        return state

    def _describe(self, entry_id: str) -> dict[str, Any] | None:
        table_id, _, destination, hop_type, hop_id = parse_id(entry_id)
        try:
            table = self._table(table_id)
        except CloudError as err:
            if err.not_found:
                return None
            raise
        for entry in self._entries(table):
            if (
                entry.get("DestinationCidrBlock") == destination
                and entry.get("NextHopType") == hop_type
                and entry.get("InstanceId") == hop_id
            ):
                return entry
        return None

    def _read(self, base: State, entry_id: str) -> State | None:
        entry = self._describe(entry_id)
        if entry is None:
            return None
        return {**self._state(base, entry_id, entry), "router_id": parse_id(entry_id)[1]}

    def import_(self, id: str, diags: Diagnostics) -> State | None:
        parse_id(id)  # a malformed id fails here, naming the expected format
        return {"id": id}

    def delete(self, prior: State, diags: Diagnostics) -> None:
        entry_id = prior["id"]
        timeout = self.timeouts.seconds(prior, "delete")
        table_id, _, destination, _, hop_id = parse_id(entry_id)
        if self._table(table_id) is None:
            return
        self._wait_all_available(table_id)
        try:
            self.client.call(
                "DeleteRouteEntry",
                {
                    "RouteTableId": table_id,
                    "DestinationCidrBlock": destination,
                    "NextHopId": hop_id,
                },
                timeout=timeout,
                retry_codes=DELETE_RETRY,
            )
        except CloudError as err:
            if err.code == "InvalidRouteEntry.NotFound" or err.not_found:
                return
            raise
        self._wait(entry_id, ("Deleted",), ALL_AVAILABLE_TIMEOUT)
