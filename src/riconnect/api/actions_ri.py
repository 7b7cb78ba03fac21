"""Action-table entries for router interfaces and VBRs (the cloud, part 2)."""

from __future__ import annotations

from riconnect.api.table import Action


def router_interface_actions() -> list[Action]:
    return []
