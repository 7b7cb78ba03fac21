"""The resources and data sources of provider ``alicloud``."""

from __future__ import annotations

from riconnect.terraform.alicloud.connection import RouterInterfaceConnection
from riconnect.terraform.alicloud.data_router_interfaces import RouterInterfaces
from riconnect.terraform.alicloud.express import ExpressConnectRouterInterface
from riconnect.terraform.alicloud.router_interface import RouterInterface
from riconnect.terraform.alicloud.vbr import VirtualBorderRouter
from riconnect.terraform.alicloud.vpc import Vpc

RESOURCES = (
    Vpc,
    RouterInterface,
    RouterInterfaceConnection,
    ExpressConnectRouterInterface,
    VirtualBorderRouter,
)
DATA_SOURCES = (RouterInterfaces,)
