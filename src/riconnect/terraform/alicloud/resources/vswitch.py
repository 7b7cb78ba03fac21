"""``alicloud_vswitch``: a vSwitch (CreateVSwitch, DescribeVSwitchAttributes,
ModifyVSwitchAttribute, DeleteVSwitch; tags with ResourceType VSWITCH).

Schema, flags and flow as the official provider's resource; ``is_default = true``
(CreateDefaultVSwitch) and IPv6 are refused, riconnect's VPCs having neither.
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.base import AliResource, DeleteFlow, client_token, known_values
from riconnect.terraform.alicloud.client import CloudError
from riconnect.terraform.alicloud.fields import Field, Fields, boolean, plain, tag_map
from riconnect.terraform.plugin import (
    UNKNOWN,
    Attribute,
    Block,
    Bool,
    DiagnosticError,
    Diagnostics,
    Map,
    Number,
    Schema,
    State,
    String,
    Timeouts,
    is_known,
)

CREATE_RETRY = (
    "TaskConflict",
    "IncorrectStatus.cbnStatus",
    "InvalidStatus.RouteEntry",
    "OperationFailed.IdempotentTokenProcessing",
    "IncorrectStatus",
    "CreateVSwitch.IncorrectStatus.cbnStatus",
    "IncorrectVSwitchStatus",
    "IncorrectRouteEntryStatus",
    "OperationConflict",
    "OperationFailed.DistibuteLock",
    "OperationFailed.NotifyCenCreate",
)
MODIFY_RETRY = (
    "OperationConflict",
    "OperationFailed.LastTokenProcessing",
    "IncorrectStatus.VSwitch",
    "IncorrectVSwitchStatus",
    "IncorrectStatus.VpcRouteEntry",
    "ServiceUnavailable",
)


def _tags(
    client: Any, vsw_id: str, old: dict[str, str], new: dict[str, str], timeout: float
) -> None:
    """UnTagResources the removed keys, then TagResources the added or changed ones."""
    removed = sorted(set(old) - set(new))
    if removed:
        client.call(
            "UnTagResources",
            {"ResourceType": "VSWITCH", "ResourceId": [vsw_id], "TagKey": removed},
            timeout=timeout,
        )
    added = {k: v for k, v in new.items() if old.get(k) != v}
    if added:
        client.call(
            "TagResources",
            {
                "ResourceType": "VSWITCH",
                "ResourceId": [vsw_id],
                "Tag": [{"Key": k, "Value": v} for k, v in sorted(added.items())],
            },
            timeout=timeout,
        )


class VSwitch(AliResource):
    type_name = "alicloud_vswitch"
    noun = "vSwitch"
    timeouts = Timeouts(create=300, update=300, delete=600)
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("cidr_block", String, optional=True, computed=True, force_new=True),
                Attribute("create_time", String, computed=True),
                Attribute("description", String, optional=True),
                Attribute("enable_ipv6", Bool, optional=True, computed=True),
                Attribute("ipv6_cidr_block", String, computed=True),
                Attribute(
                    "ipv6_cidr_block_mask", Number, optional=True, computed=True, integer=True
                ),
                Attribute("is_default", Bool, optional=True, computed=True, force_new=True),
                Attribute("status", String, computed=True),
                Attribute("tags", Map(String), optional=True),
                Attribute(
                    "vswitch_name",
                    String,
                    optional=True,
                    computed=True,
                    conflicts_with=["name"],
                ),
                Attribute("vpc_id", String, optional=True, computed=True, force_new=True),
                Attribute("vpc_ipv6_cidr_block", String, optional=True),
                Attribute(
                    "zone_id",
                    String,
                    optional=True,
                    computed=True,
                    force_new=True,
                    exactly_one_of=["zone_id", "availability_zone"],
                ),
                Attribute(
                    "name",
                    String,
                    optional=True,
                    computed=True,
                    deprecated="Field 'name' has been deprecated from provider version 1.119.0. "
                    "New field 'vswitch_name' instead.",
                ),
                Attribute(
                    "availability_zone",
                    String,
                    optional=True,
                    computed=True,
                    force_new=True,
                    deprecated="Field 'availability_zone' has been deprecated from provider "
                    "version 1.119.0. New field 'zone_id' instead.",
                ),
            ],
            blocks=[timeouts.block],
        )
    )

    # DescribeVSwitchAttributes' answer.
    fields = Fields(
        Field("cidr_block", "CidrBlock"),
        Field("create_time", "CreationTime"),
        Field("description", "Description", plain),
        Field("ipv6_cidr_block", "Ipv6CidrBlock", lambda v, _: v or ""),
        Field("is_default", "IsDefault", boolean),
        Field("status", "Status"),
        Field("vswitch_name", "VSwitchName"),
        Field("name", "VSwitchName"),
        Field("vpc_id", "VpcId"),
        Field("zone_id", "ZoneId"),
        Field("availability_zone", "ZoneId"),
        Field("tags", "Tags.Tag", tag_map),
    )
    deletion = DeleteFlow(
        "DeleteVSwitch",
        "VSwitchId",
        retry_codes=(
            "DependencyViolation",
            "DependencyViolation.HaVip",
            "DependencyViolation.RouteTable",
            "DependencyViolation.Snat",
            "OperationConflict",
            "IncorrectRouteEntryStatus",
            "InternalError",
            "TaskConflict",
            "SystemBusy",
            "IncorrectVSwitchStatus",
            "LastTokenProcessing",
            "OperationDenied.OtherSubnetProcessing",
        ),
    )

    def validate(self, config: State, diags: Diagnostics) -> None:
        if config.get("is_default") is True:
            diags.error(
                "is_default = true is not supported",
                "riconnect has no default VPC nor CreateDefaultVSwitch; give a vpc_id and a "
                "cidr_block instead.",
                path=("is_default",),
            )

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        timeout = self.timeouts.seconds(planned, "create")
        base, known = planned, known_values(planned)
        mask = known.get("ipv6_cidr_block_mask")
        body = self.client.call(
            "CreateVSwitch",
            {
                "CidrBlock": known.get("cidr_block"),
                "VpcId": known.get("vpc_id"),
                "VSwitchName": known.get("vswitch_name") or known.get("name"),
                "Description": known.get("description"),
                "ZoneId": known.get("availability_zone") or known.get("zone_id"),
                "Ipv6CidrBlock": int(mask) if mask is not None else None,
                "VpcIpv6CidrBlock": known.get("vpc_ipv6_cidr_block"),
                "ClientToken": client_token("CreateVSwitch"),
            },
            timeout=timeout,
            retry_codes=CREATE_RETRY,
        )
        vsw_id = body["VSwitchId"]
        self._wait(vsw_id, ("Available",), timeout)
        tags = known.get("tags") or {}
        if tags:
            _tags(self.client, vsw_id, {}, tags, timeout)
        state = self._read(base, vsw_id)
        if state is None:
            raise DiagnosticError(f"vSwitch {vsw_id} disappeared after it was created")
        return state

    def _describe(self, vsw_id: str) -> dict[str, Any] | None:
        try:
            body = self.client.call("DescribeVSwitchAttributes", {"VSwitchId": vsw_id})
        except CloudError as err:
            if err.not_found:
                return None
            raise
        return body if body.get("VSwitchId") else None

    def _read(self, base: State, vsw_id: str) -> State | None:
        item = self._describe(vsw_id)
        if item is None:
            return None
        state = self._state(base, vsw_id, item)
        enable = base.get("enable_ipv6")
        # The configured value, else whether the vSwitch has an IPv6 block (never here).
        state["enable_ipv6"] = (
            enable if is_known(enable) and enable is not None else bool(item.get("Ipv6CidrBlock"))
        )
        for name in ("ipv6_cidr_block_mask",):
            if state.get(name) is UNKNOWN:
                state[name] = None
        return state

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        vsw_id = prior["id"]
        timeout = self.timeouts.seconds(planned, "update")
        changes: dict[str, Any] = {}
        # Either twin may carry the new name (the other plans its prior value); as the
        # official update, vswitch_name wins when both changed.
        for twin in ("name", "vswitch_name"):
            if planned.get(twin) != prior.get(twin) and planned.get(twin):
                changes["VSwitchName"] = planned[twin]
        if planned.get("description") != prior.get("description"):
            changes["Description"] = planned.get("description")
        if planned.get("enable_ipv6") is True and prior.get("enable_ipv6") is not True:
            changes["EnableIPv6"] = True
        if changes:
            self.client.call(
                "ModifyVSwitchAttribute",
                {"VSwitchId": vsw_id, **changes},
                timeout=timeout,
                retry_codes=MODIFY_RETRY,
            )
            self._wait(vsw_id, ("Available",), timeout)
        old_tags, new_tags = prior.get("tags") or {}, planned.get("tags") or {}
        if old_tags != new_tags:
            _tags(self.client, vsw_id, old_tags, new_tags, timeout)
        state = self._read(planned, vsw_id)
        if state is None:
            raise DiagnosticError(f"vSwitch {vsw_id} disappeared during the update")
        return state
