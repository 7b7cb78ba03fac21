"""``alicloud_vpc``, argument for argument the official resource (v1.285.0).

Create runs CreateVpc (CreateDefaultVpc for ``is_default = true``), waits for Available,
then the update steps a new VPC needs; update runs, in the official order: ClassicLink,
ModifyVpcAttribute, MoveResourceGroup, the system route table (ModifyRouteTableAttributes),
secondary CIDR blocks (Unassociate, then AssociateVpcCidrBlock) and tags.  Read is
DescribeVpcAttribute plus the system route table of DescribeRouteTableList.
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud import validators as ali
from riconnect.terraform.alicloud.base import AliResource, DeleteFlow, client_token, known_values
from riconnect.terraform.alicloud.client import CloudError
from riconnect.terraform.alicloud.fields import (
    UNSET,
    Field,
    Fields,
    as_list,
    boolean,
    changed,
    or_empty,
    tag_map,
)
from riconnect.terraform.plugin import (
    Attribute,
    Block,
    Bool,
    DiagnosticError,
    Diagnostics,
    List,
    Map,
    Number,
    Object,
    Schema,
    State,
    String,
    Timeouts,
)

_IPV6_DEPRECATED = (
    "Field '{}' has been deprecated from provider version 1.280.0. "
    "Please use the new resource 'alicloud_vpc_ipv6_cidr_block'."
)
_SECONDARY_DEPRECATED = (
    "Field 'secondary_cidr_blocks' has been deprecated from provider version 1.185.0. Field "
    "'secondary_cidr_blocks' has been deprecated from provider version 1.185.0 and it will be "
    "removed in the future version. Please use the new resource 'alicloud_vpc_ipv4_cidr_block'. "
    "`secondary_cidr_blocks` attributes and `alicloud_vpc_ipv4_cidr_block` resource cannot be "
    "used at the same time."
)
_MASK_DEPRECATED = (
    "Field 'secondary_cidr_mask' has been deprecated from provider version 1.248.0. Field "
    "'secondary_cidr_blocks' has been deprecated from provider version 1.248.0 and it will be "
    "removed in the future version. Please use the new resource 'alicloud_vpc_ipv4_cidr_block'. "
    "`secondary_cidr_mask` attributes and `alicloud_vpc_ipv4_cidr_block` resource cannot be "
    "used at the same time."
)
# ModifyVpcAttribute's transient refusals, as the official provider retries them.
_MODIFY_RETRY = ("IncorrectStatus", "IncorrectVpcStatus", "OperationConflict", "TaskConflict")


def _ipv6_blocks(value: Any, current: Any) -> list[dict[str, str]]:
    return [
        {"ipv6_cidr_block": b.get("Ipv6CidrBlock", ""), "ipv6_isp": b.get("Ipv6Isp", "")}
        for b in value or []
    ]


def _ipv6_isp(answer: dict[str, Any]) -> Any:
    # The official Read: Ipv6Isp, else the first IPv6 block's carrier; neither: not set.
    blocks = (answer.get("Ipv6CidrBlocks") or {}).get("Ipv6CidrBlock") or []
    return answer.get("Ipv6Isp") or (blocks[0].get("Ipv6Isp") if blocks else "") or UNSET


def _s(name: str, **kw: Any) -> Attribute:
    return Attribute(name, String, **kw)


class Vpc(AliResource):
    type_name = "alicloud_vpc"
    noun = "VPC"
    timeouts = Timeouts(create=600, update=300, delete=300)
    schema = Schema(
        Block(
            attributes=[
                _s("id", computed=True),
                _s("cidr_block", optional=True, computed=True),
                Attribute("classic_link_enabled", Bool, optional=True),
                _s("vpc_name", optional=True, computed=True, conflicts_with=["name"]),
                _s(
                    "name",
                    optional=True,
                    computed=True,
                    deprecated="Field 'name' has been deprecated since provider version 1.119.0. "
                    "New field 'vpc_name' instead.",
                ),
                _s("description", optional=True),
                _s(
                    "dns_hostname_status",
                    optional=True,
                    computed=True,
                    validators=[ali.string_in_slice(["ENABLED", "DISABLED"])],
                ),
                Attribute("enable_ipv6", Bool, optional=True, computed=True),
                Attribute("ipv4_cidr_mask", Number, optional=True, integer=True),
                _s("ipv4_ipam_pool_id", optional=True),
                _s(
                    "ipv6_cidr_block",
                    optional=True,
                    computed=True,
                    force_new=True,
                    deprecated=_IPV6_DEPRECATED.format("ipv6_cidr_block"),
                ),
                _s(
                    "ipv6_isp",
                    optional=True,
                    computed=True,
                    deprecated=_IPV6_DEPRECATED.format("ipv6_isp"),
                ),
                _s("resource_group_id", optional=True, computed=True),
                Attribute("tags", Map(String), optional=True),
                Attribute("user_cidrs", List(String), optional=True, computed=True, force_new=True),
                Attribute("is_default", Bool, optional=True, computed=True, force_new=True),
                Attribute("dry_run", Bool, optional=True),
                Attribute("force_delete", Bool, optional=True),
                Attribute(
                    "ipv6_cidr_blocks",
                    List(Object({"ipv6_cidr_block": String, "ipv6_isp": String})),
                    computed=True,
                ),
                Attribute(
                    "secondary_cidr_blocks",
                    List(String),
                    optional=True,
                    computed=True,
                    deprecated=_SECONDARY_DEPRECATED,
                ),
                Attribute(
                    "secondary_cidr_mask",
                    Number,
                    optional=True,
                    integer=True,
                    deprecated=_MASK_DEPRECATED,
                ),
                _s("system_route_table_description", optional=True),
                _s("system_route_table_name", optional=True),
                Attribute(
                    "system_route_table_route_propagation_enable",
                    Bool,
                    optional=True,
                    computed=True,
                ),
                _s("router_id", computed=True),
                _s("route_table_id", computed=True),
                _s(
                    "router_table_id",
                    computed=True,
                    deprecated="Field 'router_table_id' has been deprecated since provider "
                    "version 1.221.0. New field 'route_table_id' instead.",
                ),
                _s("status", computed=True),
                _s("create_time", computed=True),
                _s("region_id", computed=True),
            ],
            blocks=[timeouts.block],
        )
    )

    # DescribeVpcAttribute's answer; the route table's fields come from _read.
    fields = Fields(
        Field("cidr_block", "CidrBlock"),
        Field("classic_link_enabled", "ClassicLinkEnabled", boolean),
        Field("vpc_name", "VpcName", or_empty),
        Field("name", "VpcName", or_empty),
        Field("description", "Description", or_empty),
        Field("dns_hostname_status", "DnsHostnameStatus"),
        Field("enable_ipv6", "EnabledIpv6", boolean),
        Field("ipv6_cidr_block", "Ipv6CidrBlock", or_empty),
        Field("resource_group_id", "ResourceGroupId"),
        Field("tags", "Tags.Tag", tag_map),
        Field("user_cidrs", "UserCidrs.UserCidr", as_list),
        Field("is_default", "IsDefault", boolean),
        Field("ipv6_cidr_blocks", "Ipv6CidrBlocks.Ipv6CidrBlock", _ipv6_blocks),
        Field("secondary_cidr_blocks", "SecondaryCidrBlocks.SecondaryCidrBlock", as_list),
        Field("router_id", "VRouterId"),
        Field("status", "Status"),
        Field("create_time", "CreationTime"),
        Field("region_id", "RegionId"),
    )
    deletion = DeleteFlow(
        "DeleteVpc",
        "VpcId",
        arguments={"DryRun": "dry_run", "ForceDelete": "force_delete"},
        # Unlike the Go provider, also wait out interfaces still being deleted
        # (aliyun/terraform-provider-alicloud#9889).
        retry_codes=(
            "DependencyViolation.VSwitch",
            "DependencyViolation.RouteEntry",
            "DependencyViolation.SecurityGroup",
            "DependencyViolation.RouterInterface",
            "IncorrectVpcStatus",
        ),
    )

    def plan(
        self, prior: State | None, proposed: State, config: State, diags: Diagnostics
    ) -> State:
        # name and vpc_name are planned apart, as SDK v1 does: the one not configured keeps
        # its prior value (unknown on create) until the Read after apply sets both.
        planned = super().plan(prior, proposed, config, diags)
        if prior is not None:
            # The official DiffSuppressFunc: the same secondary blocks in another order.
            old, new = prior.get("secondary_cidr_blocks"), planned.get("secondary_cidr_blocks")
            old_list = old if isinstance(old, list) else []
            new_list = new if isinstance(new, list) else []
            if old_list and new_list and sorted(map(str, old_list)) == sorted(map(str, new_list)):
                planned["secondary_cidr_blocks"] = old
        return planned

    # -- create -------------------------------------------------------------------------

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        timeout = self.timeouts.seconds(planned, "create")
        p = known_values(planned)
        if p.get("is_default"):
            body = self.client.call(
                "CreateDefaultVpc",
                {
                    "Ipv6CidrBlock": p.get("ipv6_cidr_block"),
                    "EnableIpv6": p.get("enable_ipv6"),
                    "ResourceGroupId": p.get("resource_group_id"),
                    "ClientToken": client_token("CreateDefaultVpc"),
                },
                timeout=timeout,
                retry_codes=("TaskConflict",),
            )
        else:
            body = self.client.call(
                "CreateVpc",
                self._create_params(p),
                timeout=timeout,
                retry_codes=("TaskConflict", "UnknownError"),
            )
        vpc_id = body["VpcId"]
        # The wait's last answer is the VPC as it is now: as the Go provider's create, go on
        # with the route table only (the Read at the end describes both afresh).
        available = self._wait(vpc_id, ("Available",), timeout)
        live = self._read(planned, vpc_id, available)
        if live is None:
            raise DiagnosticError(f"VPC {vpc_id} disappeared after creation")
        return self._update(live, planned, creating=True)

    @staticmethod
    def _create_params(p: dict[str, Any]) -> dict[str, Any]:
        tags = p.get("tags") or {}
        dns = p.get("dns_hostname_status")
        mask = p.get("ipv4_cidr_mask")
        return {
            "CidrBlock": p.get("cidr_block"),
            "VpcName": p.get("vpc_name") or p.get("name"),
            "Description": p.get("description"),
            "ResourceGroupId": p.get("resource_group_id"),
            "UserCidr": ",".join(p["user_cidrs"]) if p.get("user_cidrs") else None,
            "Ipv6Isp": p.get("ipv6_isp"),
            "EnableIpv6": p.get("enable_ipv6"),
            "Ipv4IpamPoolId": p.get("ipv4_ipam_pool_id"),
            "Ipv4CidrMask": int(mask) if mask is not None else None,
            "Ipv6CidrBlock": p.get("ipv6_cidr_block"),
            "EnableDnsHostname": (dns == "ENABLED") if dns else None,
            "Tag": [{"Key": k, "Value": v} for k, v in sorted(tags.items())] or None,
            "DryRun": p.get("dry_run"),
            "ClientToken": client_token("CreateVpc"),
        }

    # -- read ---------------------------------------------------------------------------

    def _describe(self, vpc_id: str) -> dict[str, Any] | None:
        try:
            body = self.client.call("DescribeVpcAttribute", {"VpcId": vpc_id})
        except CloudError as err:
            if err.not_found:
                return None
            raise
        return body if body.get("VpcId") else None

    def _route_table(self, vpc_id: str) -> dict[str, Any]:
        tables = self.client.call("DescribeRouteTableList", {"VpcId": vpc_id})
        for table in (tables.get("RouterTableList") or {}).get("RouterTableListType") or []:
            if table.get("RouteTableType") == "System" and table.get("VpcId") == vpc_id:
                return dict(table)
        return {}

    def _read(
        self, base: State, vpc_id: str, described: dict[str, Any] | None = None
    ) -> State | None:
        """``described``: DescribeVpcAttribute's answer, when the caller has just had it."""
        vpc = described if described is not None else self._describe(vpc_id)
        if vpc is None:
            return None
        table = self._route_table(vpc_id)
        state = self._state(base, vpc_id, vpc)
        route_table = str(table.get("RouteTableId") or "")
        isp = _ipv6_isp(vpc)
        if isp is not UNSET:
            state["ipv6_isp"] = isp
        state.update(
            {
                "route_table_id": route_table,
                "router_table_id": route_table,
                "system_route_table_description": str(table.get("Description") or ""),
                "system_route_table_name": str(table.get("RouteTableName") or ""),
                "system_route_table_route_propagation_enable": bool(
                    table.get("RoutePropagationEnable", True)
                ),
            }
        )
        known = base.get("secondary_cidr_blocks")
        if isinstance(known, list) and sorted(known) == sorted(state["secondary_cidr_blocks"]):
            # The same blocks: keep the configured order (the official diff ignores it).
            state["secondary_cidr_blocks"] = list(known)
        # Unlike the official Read, a missing route table keeps the VPC's own values
        # (it would overwrite them with "": docs/fidelity.md).
        if table.get("ResourceGroupId"):
            state["resource_group_id"] = table["ResourceGroupId"]
        return state

    # -- update -------------------------------------------------------------------------

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        return self._update(prior, planned, creating=False)

    def _update(self, live: State, planned: State, *, creating: bool) -> State:
        vpc_id = live["id"]
        timeout = self.timeouts.seconds(planned, "create" if creating else "update")
        p = known_values(planned)

        def call(action: str, params: dict[str, Any], retry: tuple[str, ...] = ()) -> None:
            self.client.call(
                action, {"VpcId": vpc_id, **params}, timeout=timeout, retry_codes=retry
            )

        # (a) ClassicLink; on create only when asked for (false is the default).
        link = p.get("classic_link_enabled")
        if link is not None and link != live.get("classic_link_enabled") and (link or not creating):
            action = "EnableVpcClassicLink" if link else "DisableVpcClassicLink"
            call(action, {"ClientToken": client_token(action)}, ("IncorrectVpcStatus",))
        if not creating:
            self._modify(vpc_id, live, p, timeout)
        self._route_table_step(vpc_id, live, p, creating, timeout)
        # (e) secondary blocks: removed ones first, then the added ones.
        old = [str(b) for b in live.get("secondary_cidr_blocks") or []]
        new = p.get("secondary_cidr_blocks")
        if isinstance(new, list):
            for block in [b for b in old if b not in new]:
                call("UnassociateVpcCidrBlock", {"SecondaryCidrBlock": block})
                self._wait(vpc_id, ("Available",), timeout)
            mask = p.get("secondary_cidr_mask")
            for block in [b for b in new if b not in old]:
                call(
                    "AssociateVpcCidrBlock",
                    {
                        "SecondaryCidrBlock": block,
                        "IpVersion": "IPV4",
                        "SecondaryCidrMask": int(mask) if mask is not None else None,
                    },
                )
                self._wait(vpc_id, ("Available",), timeout)
        if not creating:
            self._retag(vpc_id, live, p, timeout)
        state = self._read(planned, vpc_id)
        if state is None:
            raise DiagnosticError(f"VPC {vpc_id} disappeared during the update")
        return state

    def _modify(self, vpc_id: str, live: State, p: dict[str, Any], timeout: float) -> None:
        # (b) ModifyVpcAttribute, then (c) MoveResourceGroup.
        # name and vpc_name: either twin may carry the new name (the other plans its prior
        # value); vpc_name wins when both changed, as in the official update.
        changes = changed(
            live,
            p,
            {
                "name": "VpcName",
                "vpc_name": "VpcName",
                "cidr_block": "CidrBlock",
                "enable_ipv6": "EnableIPv6",
                "ipv6_isp": "Ipv6Isp",
            },
        )
        if p.get("description") != live.get("description"):
            changes["Description"] = p.get("description") or ""  # "" clears it
        dns = p.get("dns_hostname_status")
        if dns and dns != live.get("dns_hostname_status"):
            changes["EnableDnsHostname"] = dns == "ENABLED"
        if changes:
            self.client.call(
                "ModifyVpcAttribute",
                {"VpcId": vpc_id, **changes},
                timeout=timeout,
                retry_codes=_MODIFY_RETRY,
            )
            self._wait(vpc_id, ("Available",), timeout)
        group = p.get("resource_group_id")
        if group and group != live.get("resource_group_id"):
            self.client.call(
                "MoveResourceGroup",
                {"ResourceId": vpc_id, "ResourceType": "VPC", "NewResourceGroupId": group},
                timeout=timeout,
            )

    def _route_table_step(
        self, vpc_id: str, live: State, p: dict[str, Any], creating: bool, timeout: float
    ) -> None:
        # (d) the system route table's name, description and route propagation.
        params = changed(
            live,
            p,
            {
                "system_route_table_name": "RouteTableName",
                "system_route_table_description": "Description",
            },
        )
        propagation = p.get("system_route_table_route_propagation_enable")
        if propagation is not None and (
            (creating and propagation is False)
            or (
                not creating
                and propagation != live.get("system_route_table_route_propagation_enable")
            )
        ):
            params["RoutePropagationEnable"] = propagation
        if not params:
            return
        table = self._route_table(vpc_id)
        self.client.call(
            "ModifyRouteTableAttributes",
            {"RouteTableId": table.get("RouteTableId") or live.get("route_table_id"), **params},
            timeout=timeout,
        )

    def _retag(self, vpc_id: str, live: State, p: dict[str, Any], timeout: float) -> None:
        # (f) tags: removed keys untagged, added or changed ones tagged.
        old_tags, new_tags = live.get("tags") or {}, p.get("tags") or {}
        target = {"ResourceType": "VPC", "ResourceId": [vpc_id]}
        removed = sorted(set(old_tags) - set(new_tags))
        if removed:
            self.client.call("UnTagResources", {**target, "TagKey": removed}, timeout=timeout)
        added = {k: v for k, v in new_tags.items() if old_tags.get(k) != v}
        if added:
            self.client.call(
                "TagResources",
                {**target, "Tag": [{"Key": k, "Value": v} for k, v in sorted(added.items())]},
                timeout=timeout,
            )
