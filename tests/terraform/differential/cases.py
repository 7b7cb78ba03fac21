"""The differential cases, generated from the official provider's schema (v1.285.0, the
snapshot docs/alicloud-v1.285.0-schema.json that scripts/schema_table.py keeps true).

For every resource type, every argument of the official schema becomes one case: one
resource instance holding the type's required arguments plus that argument at a first
value; the ``change`` step moves the argument to a second value (an in-place update for an
updatable argument, a replacement for a ForceNew one: which it is, is for the two plans to
agree on, not for this table to say).  A ``base`` instance holds the required arguments
only.  All the instances of one type live in one configuration, so one apply runs every
case of the group.

Values are what the table below says; the generator refuses an argument the table does not
cover (collecting the suite fails with a KeyError), so a new argument of the official schema
cannot go untested silently.  A ``Skip`` names why an argument has no case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from riconnect.domain.accounts import DEMO_ACCOUNT_ID, DEMO_PHYSICAL_CONNECTION_ID

REPO = Path(__file__).resolve().parents[3]
OFFICIAL_SCHEMA = REPO / "docs" / "alicloud-v1.285.0-schema.json"
REGION = "cn-hangzhou"
GROUP_1 = "rg-acfmdiffgroupone"
GROUP_2 = "rg-acfmdiffgrouptwo"


@dataclass(frozen=True)
class Skip:
    reason: str


@dataclass(frozen=True)
class Values:
    first: str  # HCL expressions
    second: str | None = None  # None: the argument is only set, never changed


def hcl(value: Any) -> str:
    """A Python value as an HCL expression (JSON is HCL for these types)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {hcl(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def V(first: Any, second: Any = None) -> Values:  # noqa: N802 - a table constructor
    return Values(hcl(first), None if second is None else hcl(second))


# -- dependencies: shared by every case of a group --------------------------------------

# riconnect allows 5 interfaces per router and one link between two routers: each case
# gets its own VPC; dep_two is the other end a few cases move to.
_OWN_VPC = """
resource "alicloud_vpc" "{name}_vpc" {
  vpc_name   = "{name}"
  cidr_block = "172.16.0.0/12"
}
"""

_VPCS = """
resource "alicloud_vpc" "dep_two" {
  vpc_name   = "dep-two"
  cidr_block = "192.168.0.0/16"
}
"""


@dataclass(frozen=True)
class ResourceGroup:
    """The cases of one resource type: its required arguments and a value table."""

    type: str
    required: dict[str, str]  # argument -> HCL expression (the case name is {name})
    values: dict[str, Values | Skip]
    prelude: str = ""
    # Per-case dependencies (HCL with {name}), for resources that need their own peers.
    per_case: str = ""
    extra_cases: dict[str, dict[str, str]] = field(default_factory=dict)


VPC = ResourceGroup(
    "alicloud_vpc",
    required={},
    values={
        "cidr_block": V("10.0.0.0/8", "172.16.0.0/12"),
        "classic_link_enabled": V(True, False),
        "description": V("first description", "second description"),
        "dns_hostname_status": V("ENABLED", "DISABLED"),
        "dry_run": V(False, True),
        "enable_ipv6": V(True, False),
        "force_delete": V(True, False),
        "ipv4_cidr_mask": V(16, 20),
        "ipv4_ipam_pool_id": V("ipam-pool-diffone", "ipam-pool-difftwo"),
        "ipv6_cidr_block": V("2408:4005:3cf::/56", "2408:4005:3d0::/56"),
        "ipv6_isp": V("BGP", "ChinaMobile"),
        "is_default": V(False, True),
        "name": V("first-name", "second-name"),
        "resource_group_id": V(GROUP_1, GROUP_2),
        "secondary_cidr_blocks": V(["192.168.0.0/16"], ["192.168.0.0/16", "10.0.0.0/16"]),
        "secondary_cidr_mask": V(16, 20),
        "system_route_table_description": V("first table", "second table"),
        "system_route_table_name": V("first-table", "second-table"),
        "system_route_table_route_propagation_enable": V(False, True),
        "tags": V({"env": "test"}, {"env": "prod", "team": "network"}),
        "user_cidrs": V(["10.0.0.0/16"], ["10.1.0.0/16"]),
        "vpc_name": V("first-vpc", "second-vpc"),
    },
)

ROUTER_INTERFACE = ResourceGroup(
    "alicloud_router_interface",
    required={
        "opposite_region": hcl(REGION),
        "router_type": hcl("VRouter"),
        "router_id": "alicloud_vpc.{name}_vpc.router_id",
        "role": hcl("InitiatingSide"),
        # Optional in the schema, required by both providers for an initiator.
        "specification": hcl("Large.2"),
    },
    prelude=_VPCS,
    per_case=_OWN_VPC,
    values={
        "description": V("first description", "second description"),
        "health_check_source_ip": V("10.0.0.1", "10.0.0.2"),
        "health_check_target_ip": V("10.0.0.3", "10.0.0.4"),
        "instance_charge_type": V("PostPaid", "PrePaid"),
        "name": V("first-name", "second-name"),
        "opposite_access_point_id": V("ap-cn-hangzhou-jg-B", "ap-cn-hangzhou-jg-A"),
        "opposite_region": V(REGION, "cn-shanghai"),
        "period": V(1, 2),
        "role": V("InitiatingSide", "AcceptingSide"),
        "router_id": Values("alicloud_vpc.{name}_vpc.router_id", "alicloud_vpc.dep_two.router_id"),
        "router_type": Skip("VBR needs a VBR's router; the VBR group covers VBR interfaces"),
        "specification": V("Large.2", "Large.1"),
    },
)

_PAIR = """
resource "alicloud_vpc" "{name}_one" {
  vpc_name   = "{name}-one"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vpc" "{name}_two" {
  vpc_name   = "{name}-two"
  cidr_block = "192.168.0.0/16"
}

resource "alicloud_router_interface" "{name}_init" {
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.{name}_one.router_id
  role            = "InitiatingSide"
  specification   = "Large.2"
  name            = "{name}"
}

resource "alicloud_router_interface" "{name}_acc" {
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.{name}_two.router_id
  role            = "AcceptingSide"
  name            = "{name}-acc"
}

resource "alicloud_router_interface_connection" "{name}_acc" {
  interface_id          = alicloud_router_interface.{name}_acc.id
  opposite_interface_id = alicloud_router_interface.{name}_init.id
}
"""

CONNECTION = ResourceGroup(
    "alicloud_router_interface_connection",
    required={
        "interface_id": "alicloud_router_interface.{name}_init.id",
        "opposite_interface_id": "alicloud_router_interface.{name}_acc.id",
        "depends_on": "[alicloud_router_interface_connection.{name}_acc]",
    },
    per_case=_PAIR,
    values={
        "interface_id": Skip("the initiator of the pair (a required reference; covered by base)"),
        "opposite_interface_id": Skip("the acceptor of the pair (covered by base)"),
        "opposite_interface_owner_id": V(DEMO_ACCOUNT_ID),
        "opposite_router_id": Values("alicloud_vpc.{name}_two.router_id"),
        "opposite_router_type": V("VRouter"),
    },
    # Item 4 of issue 11: owner and router id without a router type (the official default).
    extra_cases={
        "owner_and_router": {
            "opposite_interface_owner_id": hcl(DEMO_ACCOUNT_ID),
            "opposite_router_id": "alicloud_vpc.{name}_two.router_id",
        }
    },
)

EXPRESS = ResourceGroup(
    "alicloud_express_connect_router_interface",
    required={
        "opposite_region_id": hcl(REGION),
        "router_type": hcl("VRouter"),
        "router_id": "alicloud_vpc.{name}_vpc.router_id",
        "role": hcl("InitiatingSide"),
        "spec": hcl("Mini.2"),
    },
    prelude=_VPCS,
    per_case=_OWN_VPC,
    values={
        "access_point_id": V("ap-cn-hangzhou-jg-B", "ap-cn-hangzhou-jg-A"),
        "auto_pay": V(True, False),
        "auto_renew": V(True, False),
        "delete_health_check_ip": V(False, True),
        "description": V("first description", "second description"),
        "fast_link_mode": V(False, True),
        "hc_rate": V(2000, 3000),
        "hc_threshold": V("8", "6"),
        "health_check_source_ip": V("10.0.0.1", "10.0.0.2"),
        "health_check_target_ip": V("10.0.0.3", "10.0.0.4"),
        "opposite_access_point_id": V("ap-cn-hangzhou-jg-B", "ap-cn-hangzhou-jg-A"),
        "opposite_interface_id": Skip("deprecated; set by the connection of a pair"),
        "opposite_interface_owner_id": V(DEMO_ACCOUNT_ID),
        "opposite_region_id": V(REGION, "cn-shanghai"),
        "opposite_router_id": Values(
            "alicloud_vpc.dep_two.router_id", "alicloud_vpc.{name}_vpc.router_id"
        ),
        "opposite_router_type": V("VRouter", "VBR"),
        "payment_type": V("PayAsYouGo", "Subscription"),
        "period": V(1, 2),
        "pricing_cycle": V("Month", "Year"),
        "resource_group_id": V(GROUP_1, GROUP_2),
        "role": V("InitiatingSide", "AcceptingSide"),
        "router_id": Values("alicloud_vpc.{name}_vpc.router_id", "alicloud_vpc.dep_two.router_id"),
        "router_interface_name": V("first-name", "second-name"),
        "router_type": Skip("VBR needs a VBR's router; the VBR group covers VBR interfaces"),
        "spec": V("Mini.2", "Mini.5"),
        "status": V("Idle", "Inactive"),
        "tags": V({"env": "test"}, {"env": "prod", "kind": "express"}),
    },
)

VBR = ResourceGroup(
    "alicloud_express_connect_virtual_border_router",
    required={
        "physical_connection_id": hcl(DEMO_PHYSICAL_CONNECTION_ID),
        "vlan_id": "{vlan}",
        "local_gateway_ip": hcl("10.0.0.1"),
        "peer_gateway_ip": hcl("10.0.0.2"),
        # /29: the changed gateway addresses below (.5, .6) stay in the peers' subnet.
        "peering_subnet_mask": hcl("255.255.255.248"),
    },
    values={
        "associated_physical_connections": V('[{"PhysicalConnectionId":"x"}]'),
        "bandwidth": V(100, 200),
        "circuit_code": V("first-circuit", "second-circuit"),
        "description": V("first description", "second description"),
        "detect_multiplier": V(3, 5),
        "enable_ipv6": V(True, False),
        "include_cross_account_vbr": V(True),
        "local_gateway_ip": V("10.0.0.1", "10.0.0.5"),
        "local_ipv6_gateway_ip": V("2408:4004:cc:400::1", "2408:4004:cc:400::5"),
        "min_rx_interval": V(200, 300),
        "min_tx_interval": V(200, 300),
        "mtu": V(1500, 8500),
        "peer_gateway_ip": V("10.0.0.2", "10.0.0.6"),
        "peer_ipv6_gateway_ip": V("2408:4004:cc:400::2", "2408:4004:cc:400::6"),
        "peering_ipv6_subnet_mask": V("2408:4004:cc:400::/56", "2408:4004:cc:500::/56"),
        "peering_subnet_mask": V("255.255.255.252", "255.255.255.248"),
        "physical_connection_id": Skip("one physical connection is granted to the account"),
        "resource_group_id": V(GROUP_1, GROUP_2),
        "sitelink_enable": V(True, False),
        "status": V("active", "terminated"),
        "tags": V({"env": "test"}, {"env": "prod", "kind": "vbr"}),
        "vbr_owner_id": V(DEMO_ACCOUNT_ID),
        "virtual_border_router_name": V("first-name", "second-name"),
        "vlan_id": Values("{vlan}", "{vlan2}"),
    },
)

RESOURCE_GROUPS = (VPC, ROUTER_INTERFACE, CONNECTION, EXPRESS, VBR)


@cache
def official_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(OFFICIAL_SCHEMA.read_text())
    return data


def arguments(kind: str, type_name: str) -> dict[str, dict[str, Any]]:
    """The arguments (required or optional, ``id`` aside) of a type in the official schema."""
    block = official_schema()[kind][type_name]["block"]
    return {
        name: a
        for name, a in block["attributes"].items()
        if (a.get("optional") or a.get("required")) and name != "id"
    }


def computed_only(kind: str, type_name: str) -> list[str]:
    block = official_schema()[kind][type_name]["block"]
    return sorted(
        name
        for name, a in block["attributes"].items()
        if a.get("computed") and not a.get("optional") and not a.get("required")
    )


@dataclass(frozen=True)
class Case:
    """One resource instance of a group: ``<type>.<name>``."""

    group: ResourceGroup
    name: str  # "base", an argument, or an extra case's name
    first: dict[str, str]  # argument -> HCL, on top of the required ones
    second: dict[str, str]

    @property
    def id(self) -> str:
        return f"{self.group.type}.{self.name}"

    @property
    def address(self) -> str:
        return f"{self.group.type}.{self.name}"


def cases(group: ResourceGroup) -> list[Case]:
    """Every case of a group, in the official schema's order (base first)."""
    found = [Case(group, "base", {}, {})]
    for argument in sorted(arguments("resource_schemas", group.type)):
        entry = group.values.get(argument)
        if entry is None:
            raise KeyError(f"{group.type}.{argument}: no value in the differential table")
        if isinstance(entry, Skip):
            continue
        second = entry.first if entry.second is None else entry.second
        found.append(Case(group, argument, {argument: entry.first}, {argument: second}))
    for name, args in group.extra_cases.items():
        found.append(Case(group, name, args, args))
    return found


def render(
    group: ResourceGroup,
    step: str,
    known: set[str] | None,
    held: frozenset[str] = frozenset(),
    dropped: frozenset[str] = frozenset(),
) -> tuple[str, dict[str, str]]:
    """The configuration of a group at ``step`` ("first" or "second") for a provider whose
    schema has the arguments ``known`` (None: all); and, per case, the argument left out
    because the provider does not have it.  A ``held`` case (its plan failed) keeps its
    first configuration; a ``dropped`` one (refused in the first step) is left out.  Both
    name addresses: the case's own or one of its per-case dependencies."""
    parts = [group.prelude]
    left_out: dict[str, str] = {}
    for index, case in enumerate(cases(group)):
        name = case.name
        if _owns(name, dropped):
            continue
        subst = {"{name}": name, "{vlan}": str(100 + index), "{vlan2}": str(300 + index)}

        def fill(text: str, subst: dict[str, str] = subst) -> str:
            for key, value in subst.items():
                text = text.replace(key, value)
            return text

        if group.per_case:
            parts.append(fill(group.per_case))
        args = dict(group.required)
        args.update(case.first if step == "first" or _owns(name, held) else case.second)
        lines = []
        for argument, expression in args.items():
            if known is not None and argument != "depends_on" and argument not in known:
                left_out[case.id] = argument
                continue
            lines.append(f"  {argument} = {fill(expression)}")
        parts.append(f'resource "{group.type}" "{name}" {{\n' + "\n".join(lines) + "\n}\n")
    return "\n".join(parts), left_out


def _owns(name: str, addresses: frozenset[str]) -> bool:
    """Whether one of ``addresses`` is the case ``name`` or one of its dependencies."""
    return any(
        a.split(".", 1)[1] == name or a.split(".", 1)[1].startswith(name + "_") for a in addresses
    )
