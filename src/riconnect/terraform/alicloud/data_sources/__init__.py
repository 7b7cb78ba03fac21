"""The data sources of provider ``alicloud``: one module per data source type, named after
it without the ``alicloud_`` prefix; a new one is added to :data:`DATA_SOURCES`."""

from __future__ import annotations

from riconnect.terraform.alicloud.data_sources.account import Account
from riconnect.terraform.alicloud.data_sources.express_connect_physical_connections import (
    PhysicalConnections,
)
from riconnect.terraform.alicloud.data_sources.regions import Regions
from riconnect.terraform.alicloud.data_sources.resource_manager_resource_groups import (
    ResourceGroups,
)
from riconnect.terraform.alicloud.data_sources.route_entries import RouteEntries
from riconnect.terraform.alicloud.data_sources.route_tables import RouteTables
from riconnect.terraform.alicloud.data_sources.router_interfaces import RouterInterfaces
from riconnect.terraform.alicloud.data_sources.vpcs import Vpcs
from riconnect.terraform.alicloud.data_sources.vswitches import VSwitches
from riconnect.terraform.alicloud.data_sources.zones import Zones

DATA_SOURCES = (
    RouterInterfaces,
    Regions,
    Zones,
    Account,
    Vpcs,
    VSwitches,
    RouteTables,
    RouteEntries,
    ResourceGroups,
    PhysicalConnections,
)
