"""``alicloud_express_connect_virtual_border_router``: a VBR on a physical connection.

The official provider's schema and flows (v1.285.0): create with
CreateVirtualBorderRouter, then the update flow (which on create sends the link settings
CreateVirtualBorderRouter does not take); update: ``status`` through
Terminate/RecoverVirtualBorderRouter, every other argument in place through
ModifyVirtualBorderRouterAttribute, ChangeResourceGroup and the Express Connect tag actions
(ResourceType ``VIRTUALBORDERROUTER``); only ``physical_connection_id`` forces replacement.
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.base import AliResource, DeleteFlow, client_token, known_values
from riconnect.terraform.alicloud.fields import (
    Field,
    Fields,
    boolean,
    int_or_zero,
    or_empty,
    tag_map,
)
from riconnect.terraform.alicloud.validators import int_in_slice
from riconnect.terraform.plugin import (
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
)

RESOURCE_TYPE = "VIRTUALBORDERROUTER"
CREATE_RETRY = ("TaskConflict",)


def _nonzero(value: Any, current: Any) -> Any:
    # The official Read sets these only when the answer holds a non-zero value.
    return int(value) if value not in (None, 0, "0") else current


FIELDS = Fields(
    Field("bandwidth", "Bandwidth", int_or_zero),
    Field("circuit_code", "CircuitCode", or_empty),
    Field("create_time", "CreationTime", or_empty),
    Field("description", "Description", or_empty),
    Field("detect_multiplier", "DetectMultiplier", _nonzero),
    Field("enable_ipv6", "EnableIpv6", boolean),
    Field("local_gateway_ip", "LocalGatewayIp", or_empty),
    Field("local_ipv6_gateway_ip", "LocalIpv6GatewayIp", or_empty),
    Field("min_rx_interval", "MinRxInterval", _nonzero),
    Field("min_tx_interval", "MinTxInterval", _nonzero),
    Field("mtu", "Mtu", int_or_zero),
    Field("peer_gateway_ip", "PeerGatewayIp", or_empty),
    Field("peer_ipv6_gateway_ip", "PeerIpv6GatewayIp", or_empty),
    Field("peering_ipv6_subnet_mask", "PeeringIpv6SubnetMask", or_empty),
    Field("peering_subnet_mask", "PeeringSubnetMask", or_empty),
    Field("physical_connection_id", "PhysicalConnectionId", or_empty),
    Field("resource_group_id", "ResourceGroupId", or_empty),
    Field("route_table_id", "RouteTableId", or_empty),
    Field("sitelink_enable", "SitelinkEnable", boolean),
    Field("status", "Status", or_empty),
    Field("virtual_border_router_name", "Name", or_empty),
    Field("vlan_id", "VlanId", int_or_zero),
    Field("tags", "Tags.Tags", tag_map),
)

# ModifyVirtualBorderRouterAttribute, as the official Update builds it (lines 359-491):
# changes to these only count after create ...
_AFTER_CREATE = {
    "vlan_id": "VlanId",
    "circuit_code": "CircuitCode",
    "bandwidth": "Bandwidth",
    "description": "Description",
    "peering_ipv6_subnet_mask": "PeeringIpv6SubnetMask",
    "local_ipv6_gateway_ip": "LocalIpv6GatewayIp",
    "local_gateway_ip": "LocalGatewayIp",
    "virtual_border_router_name": "Name",
    "enable_ipv6": "EnableIpv6",
    "peer_ipv6_gateway_ip": "PeerIpv6GatewayIp",
    "peering_subnet_mask": "PeeringSubnetMask",
    "peer_gateway_ip": "PeerGatewayIp",
}
# ... these also on create (CreateVirtualBorderRouter has no such parameters).
_ALWAYS = {
    "min_rx_interval": "MinRxInterval",
    "mtu": "Mtu",
    "min_tx_interval": "MinTxInterval",
    "detect_multiplier": "DetectMultiplier",
    "sitelink_enable": "SitelinkEnable",
}
# Sent whenever set or changed (a removed one as "", which clears it).
_SET_OR_CHANGED = (
    "circuit_code",
    "description",
    "peering_ipv6_subnet_mask",
    "local_ipv6_gateway_ip",
    "virtual_border_router_name",
    "peer_ipv6_gateway_ip",
    "min_rx_interval",
    "mtu",
    "min_tx_interval",
    "detect_multiplier",
)
# Sent only when changed (after create for the first two).
_ONLY_CHANGED = ("bandwidth", "enable_ipv6", "sitelink_enable")
_ALWAYS_SENT = ("vlan_id", "local_gateway_ip", "peering_subnet_mask", "peer_gateway_ip")
_NUMBERS = (
    "vlan_id",
    "bandwidth",
    "mtu",
    "min_rx_interval",
    "min_tx_interval",
    "detect_multiplier",
)


def _zero_is_unset(value: Any) -> Any:
    # The SDK's HasChange compares an unset value as its type's zero ("", 0, false).
    return None if value in (None, "", 0, False) else value


def _s(name: str, **kw: Any) -> Attribute:
    return Attribute(name, String, **kw)


def _n(name: str, **kw: Any) -> Attribute:
    # The SDK's TypeInt: a whole number.
    return Attribute(name, Number, integer=True, **kw)


class VirtualBorderRouter(AliResource):
    type_name = "alicloud_express_connect_virtual_border_router"
    noun = "VBR"
    timeouts = Timeouts(create=300, update=300, delete=300)
    fields = FIELDS
    deletion = DeleteFlow(
        "DeleteVirtualBorderRouter",
        "VbrId",
        # The official retries a VBR's BGP groups; riconnect's interfaces still being
        # deleted are retried too (docs/fidelity.md).
        retry_codes=("DependencyViolation.BgpGroup", "InvalidOperation.RouterInterfaceNotDeleted"),
    )
    schema = Schema(
        Block(
            attributes=[
                _s("id", computed=True),
                _n("bandwidth", optional=True, computed=True),
                _s("circuit_code", optional=True),
                _s("create_time", computed=True),
                _s("description", optional=True),
                _n("detect_multiplier", optional=True, computed=True),
                Attribute("enable_ipv6", Bool, optional=True),
                _s("local_gateway_ip", required=True),
                _s("local_ipv6_gateway_ip", optional=True),
                _n("min_rx_interval", optional=True, computed=True),
                _n("min_tx_interval", optional=True, computed=True),
                _n("mtu", optional=True, computed=True, validators=[int_in_slice([0, 1500, 8500])]),
                _s("peer_gateway_ip", required=True),
                _s("peer_ipv6_gateway_ip", optional=True),
                _s("peering_ipv6_subnet_mask", optional=True),
                _s("peering_subnet_mask", required=True),
                _s("physical_connection_id", required=True, force_new=True),
                _s("resource_group_id", optional=True, computed=True),
                _s("route_table_id", computed=True),
                Attribute("sitelink_enable", Bool, optional=True),
                _s("status", optional=True, computed=True),
                Attribute("tags", Map(String), optional=True),
                _s("vbr_owner_id", optional=True),
                _s("virtual_border_router_name", optional=True),
                _n("vlan_id", required=True),
                _s(
                    "associated_physical_connections",
                    optional=True,
                    deprecated="Field `associated_physical_connections` has been deprecated from "
                    "provider version 1.263.0. Please use the resource "
                    "`alicloud_express_connect_vbr_pconn_association` instead.",
                ),
                Attribute(
                    "include_cross_account_vbr",
                    Bool,
                    optional=True,
                    removed="Field `include_cross_account_vbr` has been removed from provider "
                    "version 1.263.0.",
                ),
            ],
            blocks=[timeouts.block],
        )
    )

    def _describe(self, vbr_id: str) -> dict[str, Any] | None:
        body = self.client.call(
            "DescribeVirtualBorderRouters",
            {
                "IncludeCrossAccountVbr": True,
                "Filter": [{"Key": "VbrId", "Value": [vbr_id]}],
            },
        )
        for item in (body.get("VirtualBorderRouterSet") or {}).get("VirtualBorderRouterType") or []:
            if item.get("VbrId") == vbr_id:
                return dict(item)
        return None

    # -- create -------------------------------------------------------------------------

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        timeout = self.timeouts.seconds(planned, "create")
        p = known_values(planned)
        tags = p.get("tags") or {}
        body = self.client.call(
            "CreateVirtualBorderRouter",
            {
                "VbrOwnerId": p.get("vbr_owner_id") or None,
                "VlanId": int(p["vlan_id"]),
                "Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())] or None,
                "ResourceGroupId": p.get("resource_group_id") or None,
                "CircuitCode": p.get("circuit_code") or None,
                "Bandwidth": int(p["bandwidth"]) if p.get("bandwidth") is not None else None,
                "Description": p.get("description") or None,
                "PeeringIpv6SubnetMask": p.get("peering_ipv6_subnet_mask") or None,
                "LocalIpv6GatewayIp": p.get("local_ipv6_gateway_ip") or None,
                "LocalGatewayIp": p["local_gateway_ip"],
                "Name": p.get("virtual_border_router_name") or None,
                "PeerIpv6GatewayIp": p.get("peer_ipv6_gateway_ip") or None,
                "EnableIpv6": p.get("enable_ipv6"),
                "PeeringSubnetMask": p["peering_subnet_mask"],
                "PhysicalConnectionId": p["physical_connection_id"],
                "PeerGatewayIp": p["peer_gateway_ip"],
                "ClientToken": client_token("CreateVirtualBorderRouter"),
            },
            timeout=timeout,
            retry_codes=CREATE_RETRY,
        )
        vbr_id = body["VbrId"]
        self._wait(vbr_id, ("active", "unconfirmed"), timeout)
        return self._update({"id": vbr_id}, planned, creating=True)

    # -- update -----------------------------------------------------------------------------

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        return self._update(prior, planned, creating=False)

    def _update(self, prior: State, planned: State, *, creating: bool) -> State:
        vbr_id = prior["id"]
        timeout = self.timeouts.seconds(planned, "create" if creating else "update")
        new = known_values(planned)
        # On create every configured value is a change from nothing, as in the SDK.
        old = {} if creating else prior
        target = new.get("status")
        if target == "terminated":
            # Modify first: a terminated VBR takes no modification (unlike the official
            # order, which then waits for "active" in vain; docs/fidelity.md).
            self._modify(vbr_id, old, new, creating, timeout)
            self._set_status(vbr_id, target, timeout)
        else:
            self._set_status(vbr_id, target, timeout)
            self._modify(vbr_id, old, new, creating, timeout)
        if not creating:
            self._regroup(vbr_id, old, new, timeout)
        self._retag(vbr_id, old, new, timeout)
        state = self._read(planned, vbr_id)
        if state is None:
            raise DiagnosticError(f"VBR {vbr_id} disappeared during the update")
        return state

    def _set_status(self, vbr_id: str, target: Any, timeout: float) -> None:
        if target not in ("terminated", "active"):
            return  # the official provider acts on these two values only
        live = self._describe(vbr_id)
        if live is None or live.get("Status") == target:
            return
        action = (
            "TerminateVirtualBorderRouter"
            if target == "terminated"
            else ("RecoverVirtualBorderRouter")
        )
        self.client.call(
            action, {"VbrId": vbr_id, "ClientToken": client_token(action)}, timeout=timeout
        )
        self._wait(vbr_id, (target,), timeout)

    def _modify(self, vbr_id: str, old: State, new: State, creating: bool, timeout: float) -> None:
        def changed(attribute: str) -> bool:
            return bool(_zero_is_unset(new.get(attribute)) != _zero_is_unset(old.get(attribute)))

        update = any(changed(a) for a in _ALWAYS) or (
            not creating and any(changed(a) for a in _AFTER_CREATE)
        )
        if not update:
            return
        names = {**_AFTER_CREATE, **_ALWAYS}
        request: dict[str, Any] = {
            "VbrId": vbr_id,
            "ClientToken": client_token("ModifyVirtualBorderRouterAttribute"),
        }
        for attribute in _ALWAYS_SENT:
            request[names[attribute]] = new.get(attribute)
        for attribute in _SET_OR_CHANGED:
            value = new.get(attribute)
            if value not in (None, "") or changed(attribute):
                request[names[attribute]] = "" if value is None else value
        for attribute in _ONLY_CHANGED:
            if changed(attribute) and new.get(attribute) is not None:
                if attribute != "sitelink_enable" and creating:
                    continue
                request[names[attribute]] = new[attribute]
        if new.get("associated_physical_connections"):
            request["AssociatedPhysicalConnections"] = new["associated_physical_connections"]
        for attribute in _NUMBERS:
            name = names[attribute]
            if request.get(name) not in (None, ""):
                request[name] = int(request[name])
        self.client.call("ModifyVirtualBorderRouterAttribute", request, timeout=timeout)
        self._wait(vbr_id, ("active",), timeout)

    def _regroup(self, vbr_id: str, old: State, new: State, timeout: float) -> None:
        group = new.get("resource_group_id")
        if group and group != old.get("resource_group_id"):
            self.client.call(
                "ChangeResourceGroup",
                {"ResourceId": vbr_id, "ResourceType": RESOURCE_TYPE, "NewResourceGroupId": group},
                timeout=timeout,
            )

    def _retag(self, vbr_id: str, old: State, new: State, timeout: float) -> None:
        """The official SetResourceTags: untag the removed keys, tag the new values."""
        before, after = old.get("tags") or {}, new.get("tags") or {}
        target = {"ResourceType": RESOURCE_TYPE, "ResourceId": [vbr_id]}
        removed = sorted(set(before) - set(after))
        if removed:
            self.client.call(
                "UntagResourcesForExpressConnect", {**target, "TagKey": removed}, timeout=timeout
            )
        added = {k: v for k, v in after.items() if before.get(k) != v}
        if added:
            self.client.call(
                "TagResourcesForExpressConnect",
                {**target, "Tag": [{"Key": k, "Value": v} for k, v in sorted(added.items())]},
                timeout=timeout,
            )
