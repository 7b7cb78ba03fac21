"""The resources of provider ``alicloud``: one module per resource type, named after it
without the ``alicloud_`` prefix; a new one is added to :data:`RESOURCES`.

Each module is imported on its type's first use (:class:`~riconnect.terraform.plugin.Lazy`):
most provider processes Terraform starts need a few types or none."""

from __future__ import annotations

from riconnect.terraform.plugin import Lazy

_HERE = "riconnect.terraform.alicloud.resources"

RESOURCES = (
    Lazy("alicloud_vpc", f"{_HERE}.vpc:Vpc"),
    Lazy("alicloud_router_interface", f"{_HERE}.router_interface:RouterInterface"),
    Lazy(
        "alicloud_router_interface_connection",
        f"{_HERE}.router_interface_connection:RouterInterfaceConnection",
    ),
    Lazy(
        "alicloud_express_connect_router_interface",
        f"{_HERE}.express_connect_router_interface:ExpressConnectRouterInterface",
    ),
    Lazy(
        "alicloud_express_connect_virtual_border_router",
        f"{_HERE}.express_connect_virtual_border_router:VirtualBorderRouter",
    ),
    Lazy("alicloud_vswitch", f"{_HERE}.vswitch:VSwitch"),
    Lazy("alicloud_route_entry", f"{_HERE}.route_entry:RouteEntry"),
)
