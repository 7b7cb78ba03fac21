"""``alicloud_vpc``."""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.base import AliResource, DeleteFlow, client_token, known_values
from riconnect.terraform.alicloud.client import CloudError
from riconnect.terraform.alicloud.fields import (
    Field,
    Fields,
    as_list,
    boolean,
    changed,
    null_if_empty,
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
    Object,
    Schema,
    State,
    String,
    Timeouts,
    mark_unknown,
)
from riconnect.terraform.plugin.validators import length_between, one_of


def _ipv6_blocks(value: Any, current: Any) -> list[dict[str, str]]:
    return [
        {"ipv6_cidr_block": b.get("Ipv6CidrBlock", ""), "ipv6_isp": b.get("Ipv6Isp", "")}
        for b in value or []
    ]


class Vpc(AliResource):
    type_name = "alicloud_vpc"
    noun = "VPC"
    timeouts = Timeouts(create=600, update=300, delete=300)
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("cidr_block", String, optional=True, computed=True),
                Attribute(
                    "vpc_name",
                    String,
                    optional=True,
                    computed=True,
                    validators=[length_between(1, 128)],
                ),
                Attribute(
                    "name",
                    String,
                    optional=True,
                    computed=True,
                    deprecated="Field 'name' has been deprecated since provider version 1.119.0. "
                    "New field 'vpc_name' instead.",
                ),
                Attribute(
                    "description", String, optional=True, validators=[length_between(1, 256)]
                ),
                Attribute(
                    "dns_hostname_status",
                    String,
                    optional=True,
                    computed=True,
                    validators=[one_of(["ENABLED", "DISABLED"])],
                ),
                Attribute("enable_ipv6", Bool, optional=True, computed=True),
                Attribute("resource_group_id", String, optional=True, computed=True),
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
                Attribute("secondary_cidr_blocks", List(String), computed=True),
                Attribute("router_id", String, computed=True),
                Attribute("route_table_id", String, computed=True),
                Attribute(
                    "router_table_id",
                    String,
                    computed=True,
                    deprecated="Use 'route_table_id' instead.",
                ),
                Attribute("status", String, computed=True),
                Attribute("create_time", String, computed=True),
                Attribute("region_id", String, computed=True),
            ],
            blocks=[timeouts.block],
        )
    )

    # DescribeVpcAttribute's answer; route_table_id comes from DescribeRouteTableList.
    fields = Fields(
        Field("cidr_block", "CidrBlock"),
        Field("vpc_name", "VpcName"),
        Field("name", "VpcName"),
        Field("description", "Description", null_if_empty),
        Field("dns_hostname_status", "DnsHostnameStatus"),
        Field("enable_ipv6", "EnabledIpv6", boolean),
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

    def validate(self, config: State, diags: Diagnostics) -> None:
        if config.get("name") and config.get("vpc_name"):
            diags.error('"name": conflicts with vpc_name', path=("name",))
        if config.get("is_default") is True:
            diags.error(
                "is_default = true is not supported",
                "riconnect has no CreateDefaultVpc; create a VPC with a cidr_block instead.",
                path=("is_default",),
            )

    def plan(
        self, prior: State | None, proposed: State, config: State, diags: Diagnostics
    ) -> State:
        planned = super().plan(prior, proposed, config, diags)
        if config.get("vpc_name") is None and config.get("name") is not None:
            planned["vpc_name"] = config["name"]
        if config.get("name") is None and planned.get("vpc_name") is not None:
            planned["name"] = planned["vpc_name"]
        if prior is not None and planned.get("cidr_block") != prior.get("cidr_block"):
            mark_unknown(planned, "status")
        return planned

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        timeout = self.timeouts.seconds(planned, "create")
        base, planned = planned, known_values(planned)
        tags = planned.get("tags") or {}
        body = self.client.call(
            "CreateVpc",
            {
                "CidrBlock": planned.get("cidr_block"),
                "VpcName": planned.get("vpc_name") or planned.get("name"),
                "Description": planned.get("description"),
                "ResourceGroupId": planned.get("resource_group_id"),
                "UserCidr": ",".join(planned["user_cidrs"]) if planned.get("user_cidrs") else None,
                "EnableIpv6": planned.get("enable_ipv6"),
                "EnableDnsHostname": (planned.get("dns_hostname_status") == "ENABLED")
                if planned.get("dns_hostname_status")
                else None,
                "Tag": [{"Key": k, "Value": v} for k, v in sorted(tags.items())] or None,
                "DryRun": planned.get("dry_run"),
                "ClientToken": client_token("CreateVpc"),
            },
            timeout=timeout,
            retry_codes=("TaskConflict", "UnknownError"),
        )
        vpc_id = body["VpcId"]
        self._wait(vpc_id, ("Available",), timeout)
        return self._read(base, vpc_id)

    def _describe(self, vpc_id: str) -> dict[str, Any] | None:
        try:
            body = self.client.call("DescribeVpcAttribute", {"VpcId": vpc_id})
        except CloudError as err:
            if err.not_found:
                return None
            raise
        return body if body.get("VpcId") else None

    def _read(self, base: State, vpc_id: str) -> State | None:
        vpc = self._describe(vpc_id)
        if vpc is None:
            return None
        route_table = ""
        tables = self.client.call("DescribeRouteTableList", {"VpcId": vpc_id})
        for table in (tables.get("RouterTableList") or {}).get("RouterTableListType") or []:
            if table.get("RouteTableType") == "System" and table.get("VpcId") == vpc_id:
                route_table = table.get("RouteTableId", "")
        return {
            **self._state(base, vpc_id, vpc),
            "route_table_id": route_table,
            "router_table_id": route_table,
        }

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        vpc_id = prior["id"]
        timeout = self.timeouts.seconds(planned, "update")
        changes = changed(
            prior,
            planned,
            {"vpc_name": "VpcName", "cidr_block": "CidrBlock", "enable_ipv6": "EnableIPv6"},
        )
        if planned.get("description") != prior.get("description"):
            changes["Description"] = planned.get("description") or ""  # "" clears it
        dns = planned.get("dns_hostname_status")
        if dns and dns != prior.get("dns_hostname_status"):
            changes["EnableDnsHostname"] = dns == "ENABLED"
        if changes:
            self.client.call(
                "ModifyVpcAttribute",
                {"VpcId": vpc_id, **changes},
                timeout=timeout,
                retry_codes=("IncorrectStatus", "IncorrectVpcStatus", "OperationConflict"),
            )
        group = planned.get("resource_group_id")
        if isinstance(group, str) and group and group != prior.get("resource_group_id"):
            # As the Go provider moves it (resource_alicloud_vpc.go:555-582).
            self.client.call(
                "MoveResourceGroup",
                {"ResourceId": vpc_id, "ResourceType": "VPC", "NewResourceGroupId": group},
                timeout=timeout,
            )
        old_tags, new_tags = prior.get("tags") or {}, planned.get("tags") or {}
        removed = sorted(set(old_tags) - set(new_tags))
        if removed:
            self.client.call(
                "UnTagResources",
                {"ResourceType": "VPC", "ResourceId": [vpc_id], "TagKey": removed},
                timeout=timeout,
            )
        added = {k: v for k, v in new_tags.items() if old_tags.get(k) != v}
        if added:
            self.client.call(
                "TagResources",
                {
                    "ResourceType": "VPC",
                    "ResourceId": [vpc_id],
                    "Tag": [{"Key": k, "Value": v} for k, v in sorted(added.items())],
                },
                timeout=timeout,
            )
        state = self._read(planned, vpc_id)
        if state is None:
            raise DiagnosticError(f"VPC {vpc_id} disappeared during the update")
        return state
