"""The data sources of provider ``alicloud``: one module per data source type, named after
it without the ``alicloud_`` prefix; a new one is added to :data:`DATA_SOURCES`.

Each module is imported on its type's first use, as the resources are."""

from __future__ import annotations

from riconnect.terraform.plugin import Lazy

_HERE = "riconnect.terraform.alicloud.data_sources"

DATA_SOURCES = (
    Lazy("alicloud_router_interfaces", f"{_HERE}.router_interfaces:RouterInterfaces"),
    Lazy("alicloud_regions", f"{_HERE}.regions:Regions"),
    Lazy("alicloud_zones", f"{_HERE}.zones:Zones"),
    Lazy("alicloud_account", f"{_HERE}.account:Account"),
    Lazy("alicloud_vpcs", f"{_HERE}.vpcs:Vpcs"),
    Lazy("alicloud_vswitches", f"{_HERE}.vswitches:VSwitches"),
    Lazy("alicloud_route_tables", f"{_HERE}.route_tables:RouteTables"),
    Lazy("alicloud_route_entries", f"{_HERE}.route_entries:RouteEntries"),
    Lazy(
        "alicloud_resource_manager_resource_groups",
        f"{_HERE}.resource_manager_resource_groups:ResourceGroups",
    ),
    Lazy(
        "alicloud_express_connect_physical_connections",
        f"{_HERE}.express_connect_physical_connections:PhysicalConnections",
    ),
)
