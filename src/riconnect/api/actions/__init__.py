"""The action table: every action riconnect serves, built from one module per area.

An area module (vpc.py, vpc_cidr.py, vswitch.py, route_table.py, router_interface.py, vbr.py,
resource_groups.py, resource_manager.py, regions.py, sts.py, ecs.py, bss.py) lists its actions
as ``ACTIONS``: name, product, parameters (type, required, enum, bounds, list encodings;
parsed generically by api/params.py) and the service function that runs it.  A new action
is one entry in its area's module plus one service function; a new product or area is one
module, added to ``AREAS`` below.
"""

from __future__ import annotations

from riconnect.api.actions import (
    bss,
    ecs,
    regions,
    resource_groups,
    resource_manager,
    route_table,
    router_interface,
    sts,
    vbr,
    vpc,
    vpc_cidr,
    vswitch,
)
from riconnect.api.actions.base import VPC, Action, Product

__all__ = ["ACTIONS", "DEFAULT_PRODUCT", "NAMES", "VERSIONS", "Action", "Product"]

AREAS = (
    vpc,
    vpc_cidr,
    regions,
    sts,
    router_interface,
    vbr,
    vswitch,
    route_table,
    resource_groups,
    resource_manager,
    ecs,
    bss,
)


def _build() -> dict[tuple[str, str], Action]:
    table: dict[tuple[str, str], Action] = {}
    for area in AREAS:
        for action in area.ACTIONS:
            key = (action.version, action.name)
            if key in table:
                raise RuntimeError(f"duplicate action {key}")
            table[key] = action
    return table


# (Version, Action) -> the action.
ACTIONS: dict[tuple[str, str], Action] = _build()
VERSIONS = frozenset(version for version, _ in ACTIONS)
NAMES = frozenset(name for _, name in ACTIONS)
# The product of answers that belong to no action (an unknown action, a malformed request).
DEFAULT_PRODUCT = VPC
