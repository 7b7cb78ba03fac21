"""``alicloud_vpc``."""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.client import CloudError, wait_for
from riconnect.terraform.alicloud.common import AliResource, client_token, known_values
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

TIMEOUTS = Timeouts(create=600, update=300, delete=300)


class Vpc(AliResource):
    type_name = "alicloud_vpc"
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
            blocks=[TIMEOUTS.block],
        )
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
        timeout = TIMEOUTS.seconds(planned, "create")
        base, planned = planned, known_values(planned)
        tags = planned.get("tags") or {}
        body = self.cloud.call(
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
        wait_for(
            lambda: self._attribute(vpc_id),
            lambda vpc: vpc is not None and vpc.get("Status") == "Available",
            timeout,
            f"VPC {vpc_id} to be Available",
        )
        return self._state(base, vpc_id)

    def _attribute(self, vpc_id: str) -> dict[str, Any] | None:
        try:
            body = self.cloud.call("DescribeVpcAttribute", {"VpcId": vpc_id})
        except CloudError as err:
            if err.not_found:
                return None
            raise
        return body if body.get("VpcId") else None

    def _state(self, base: State, vpc_id: str) -> State | None:
        vpc = self._attribute(vpc_id)
        if vpc is None:
            return None
        route_table = ""
        tables = self.cloud.call("DescribeRouteTableList", {"VpcId": vpc_id})
        for table in (tables.get("RouterTableList") or {}).get("RouterTableListType") or []:
            if table.get("RouteTableType") == "System" and table.get("VpcId") == vpc_id:
                route_table = table.get("RouteTableId", "")
        tags = {t["Key"]: t["Value"] for t in (vpc.get("Tags") or {}).get("Tag") or []}
        return {
            **base,
            "id": vpc_id,
            "cidr_block": vpc.get("CidrBlock"),
            "vpc_name": vpc.get("VpcName"),
            "name": vpc.get("VpcName"),
            "description": vpc.get("Description") or None
            if base.get("description") is None
            else vpc.get("Description"),
            "dns_hostname_status": vpc.get("DnsHostnameStatus"),
            "enable_ipv6": bool(vpc.get("EnabledIpv6")),
            "resource_group_id": vpc.get("ResourceGroupId"),
            "tags": tags or (None if not base.get("tags") else {}),
            "user_cidrs": list((vpc.get("UserCidrs") or {}).get("UserCidr") or []),
            "is_default": bool(vpc.get("IsDefault")),
            "ipv6_cidr_blocks": [
                {"ipv6_cidr_block": b.get("Ipv6CidrBlock", ""), "ipv6_isp": b.get("Ipv6Isp", "")}
                for b in (vpc.get("Ipv6CidrBlocks") or {}).get("Ipv6CidrBlock") or []
            ],
            "secondary_cidr_blocks": list(
                (vpc.get("SecondaryCidrBlocks") or {}).get("SecondaryCidrBlock") or []
            ),
            "router_id": vpc.get("VRouterId"),
            "route_table_id": route_table,
            "router_table_id": route_table,
            "status": vpc.get("Status"),
            "create_time": vpc.get("CreationTime"),
            "region_id": vpc.get("RegionId"),
        }

    def read(self, state: State, diags: Diagnostics) -> State | None:
        return self._state(state, state["id"])

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        vpc_id = prior["id"]
        timeout = TIMEOUTS.seconds(planned, "update")
        changes: dict[str, Any] = {}
        if planned.get("vpc_name") != prior.get("vpc_name"):
            changes["VpcName"] = planned.get("vpc_name")
        if planned.get("description") != prior.get("description"):
            changes["Description"] = planned.get("description") or ""
        if planned.get("cidr_block") != prior.get("cidr_block"):
            changes["CidrBlock"] = planned.get("cidr_block")
        if (
            planned.get("enable_ipv6") != prior.get("enable_ipv6")
            and planned.get("enable_ipv6") is not None
        ):
            changes["EnableIPv6"] = planned["enable_ipv6"]
        if planned.get("dns_hostname_status") != prior.get("dns_hostname_status") and planned.get(
            "dns_hostname_status"
        ):
            changes["EnableDnsHostname"] = planned["dns_hostname_status"] == "ENABLED"
        if changes:
            self.cloud.call(
                "ModifyVpcAttribute",
                {"VpcId": vpc_id, **changes},
                timeout=timeout,
                retry_codes=("IncorrectStatus", "IncorrectVpcStatus", "OperationConflict"),
            )
        old_tags, new_tags = prior.get("tags") or {}, planned.get("tags") or {}
        removed = sorted(set(old_tags) - set(new_tags))
        if removed:
            self.cloud.call(
                "UnTagResources",
                {"ResourceType": "VPC", "ResourceId": [vpc_id], "TagKey": removed},
                timeout=timeout,
            )
        added = {k: v for k, v in new_tags.items() if old_tags.get(k) != v}
        if added:
            self.cloud.call(
                "TagResources",
                {
                    "ResourceType": "VPC",
                    "ResourceId": [vpc_id],
                    "Tag": [{"Key": k, "Value": v} for k, v in sorted(added.items())],
                },
                timeout=timeout,
            )
        state = self._state(planned, vpc_id)
        if state is None:
            raise DiagnosticError(f"VPC {vpc_id} disappeared during the update")
        return state

    def delete(self, prior: State, diags: Diagnostics) -> None:
        vpc_id = prior["id"]
        timeout = TIMEOUTS.seconds(prior, "delete")
        try:
            self.cloud.call(
                "DeleteVpc",
                {
                    "VpcId": vpc_id,
                    "DryRun": prior.get("dry_run"),
                    "ForceDelete": prior.get("force_delete"),
                    "ClientToken": client_token("DeleteVpc"),
                },
                timeout=timeout,
                # Unlike the Go provider, also wait out interfaces still being deleted
                # (aliyun/terraform-provider-alicloud#9889).
                retry_codes=(
                    "DependencyViolation.VSwitch",
                    "DependencyViolation.SecurityGroup",
                    "DependencyViolation.RouterInterface",
                    "IncorrectVpcStatus",
                ),
            )
        except CloudError as err:
            if err.not_found:
                return
            raise
        wait_for(
            lambda: self._attribute(vpc_id),
            lambda vpc: vpc is None,
            timeout,
            f"VPC {vpc_id} to be deleted",
        )

    def import_(self, id: str, diags: Diagnostics) -> State | None:
        return {"id": id}
