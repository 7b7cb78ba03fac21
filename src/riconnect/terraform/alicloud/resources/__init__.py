"""The resources of provider ``alicloud``: one module per resource type, named after it
without the ``alicloud_`` prefix; a new one is added to :data:`RESOURCES`."""

from __future__ import annotations

from riconnect.terraform.alicloud.resources.express_connect_router_interface import (
    ExpressConnectRouterInterface,
)
from riconnect.terraform.alicloud.resources.express_connect_virtual_border_router import (
    VirtualBorderRouter,
)
from riconnect.terraform.alicloud.resources.route_entry import RouteEntry
from riconnect.terraform.alicloud.resources.router_interface import RouterInterface
from riconnect.terraform.alicloud.resources.router_interface_connection import (
    RouterInterfaceConnection,
)
from riconnect.terraform.alicloud.resources.vpc import Vpc
from riconnect.terraform.alicloud.resources.vswitch import VSwitch

RESOURCES = (
    Vpc,
    RouterInterface,
    RouterInterfaceConnection,
    ExpressConnectRouterInterface,
    VirtualBorderRouter,
    VSwitch,
    RouteEntry,
)
