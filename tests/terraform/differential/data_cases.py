"""The differential cases of the data sources, generated like the resources' (cases.py): one
``data`` block per argument of the official schema, with the value of the table below, and
a ``base`` block without arguments; all read after a few objects exist (``depends_on``), so
there is something to find.  Compared: the data sources' values in ``terraform show -json``
and the errors of their reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from riconnect.domain.accounts import DEMO_ACCOUNT_ID, DEMO_PHYSICAL_CONNECTION_ID
from tests.terraform.differential.cases import Skip, V, Values, arguments, hcl

_OUTPUT = Skip("writes the list to a file; the list itself is compared")

PRELUDE = """
resource "alicloud_vpc" "data_one" {
  vpc_name    = "diff-data-one"
  cidr_block  = "10.0.0.0/8"
  description = "first of the data cases"
  tags = {
    env = "data"
  }
}

# Created after the first, so that both clouds list them in the same order.
resource "alicloud_vpc" "data_two" {
  vpc_name   = "diff-data-two"
  cidr_block = "192.168.0.0/16"
  depends_on = [alicloud_vpc.data_one]
}

resource "alicloud_router_interface" "data_ri" {
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.data_one.router_id
  role            = "InitiatingSide"
  specification   = "Large.2"
  name            = "diff-data-ri"
  description     = "an interface for the data cases"
}
"""
DEPENDS = "[alicloud_vpc.data_one, alicloud_vpc.data_two, alicloud_router_interface.data_ri]"


@dataclass(frozen=True)
class DataType:
    type: str
    values: dict[str, Values | Skip]


DATA_TYPES = (
    DataType("alicloud_account", {}),
    DataType(
        "alicloud_regions",
        {"current": V(True), "name": V("cn-shanghai"), "output_file": _OUTPUT},
    ),
    DataType(
        "alicloud_vpcs",
        {
            "cidr_block": V("10.0.0.0/8"),
            "dhcp_options_set_id": V("dopt-nothingmatches"),
            "dry_run": V(False),
            "enable_details": V(False),
            "ids": Values("[alicloud_vpc.data_one.id]"),
            "is_default": V(False),
            "name_regex": V("^diff-data"),
            "output_file": _OUTPUT,
            "page_number": V(1),
            "page_size": V(1),
            "resource_group_id": Values("alicloud_vpc.data_one.resource_group_id"),
            "status": V("Available"),
            "tags": V({"env": "data"}),
            "vpc_name": V("diff-data-two"),
            "vpc_owner_id": V(int(DEMO_ACCOUNT_ID)),
            "vswitch_id": V("vsw-nothingmatches"),
        },
    ),
    DataType(
        "alicloud_resource_manager_resource_groups",
        {
            "enable_details": V(True),
            "ids": Values("[alicloud_vpc.data_one.resource_group_id]"),
            "name_regex": V("^default$"),
            "output_file": _OUTPUT,
            "status": V("OK"),
        },
    ),
    DataType(
        "alicloud_express_connect_physical_connections",
        {
            "ids": V([DEMO_PHYSICAL_CONNECTION_ID]),
            "include_reservation_data": V(False),
            "name_regex": V("^nothing-matches"),
            "output_file": _OUTPUT,
            "status": V("Enabled"),
        },
    ),
    DataType(
        "alicloud_router_interfaces",
        {
            "ids": Values("[alicloud_router_interface.data_ri.id]"),
            "name_regex": V("^diff-data"),
            "opposite_interface_id": V("ri-nothingmatches"),
            "opposite_interface_owner_id": V(DEMO_ACCOUNT_ID),
            "output_file": _OUTPUT,
            "role": V("InitiatingSide"),
            "router_id": Values("alicloud_vpc.data_one.router_id"),
            "router_type": V("VRouter"),
            "specification": V("Large.2"),
            "status": V("Idle"),
        },
    ),
)


@dataclass(frozen=True)
class DataCase:
    type: str
    name: str
    args: dict[str, str]

    @property
    def address(self) -> str:
        return f"data.{self.type}.{self.name}"

    id = address


def data_cases() -> list[DataCase]:
    found = []
    for data_type in DATA_TYPES:
        found.append(DataCase(data_type.type, "base", {}))
        for argument in sorted(arguments("data_source_schemas", data_type.type)):
            entry = data_type.values.get(argument)
            if entry is None:
                raise KeyError(f"{data_type.type}.{argument}: no value in the data table")
            if isinstance(entry, Skip):
                continue
            found.append(DataCase(data_type.type, argument, {argument: entry.first}))
    return found


def render_data(
    known: dict[str, set[str]] | None, dropped: frozenset[str] = frozenset()
) -> tuple[str, dict[str, str]]:
    """The data configuration for a provider whose data sources have the arguments
    ``known`` ({type: arguments}; None: all), and what was left out (case -> why)."""
    parts = [PRELUDE]
    left_out: dict[str, str] = {}
    for case in data_cases():
        if case.address in dropped:
            continue
        if known is not None and case.type not in known:
            left_out[case.address] = f"the data source {case.type}"
            continue
        lines = []
        for argument, expression in case.args.items():
            if known is not None and argument not in known[case.type]:
                left_out[case.address] = argument
                continue
            lines.append(f"  {argument} = {expression}")
        lines.append(f"  depends_on = {DEPENDS}")
        parts.append(f'data "{case.type}" "{case.name}" {{\n' + "\n".join(lines) + "\n}\n")
    return "\n".join(parts), left_out


__all__ = ["DATA_TYPES", "DataCase", "data_cases", "hcl", "render_data"]
