"""Router interface actions, by concern: commands (create, modify, delete), link (connect,
activate, deactivate, fast link, express connect), describe; pairs.py holds what they share.
"""

from riconnect.service.router_interface.commands import (
    create_router_interface,
    delete_router_interface,
    modify_router_interface_attribute,
    modify_router_interface_spec,
)
from riconnect.service.router_interface.describe import (
    FILTER_KEYS,
    describe_router_interface_attribute,
    describe_router_interfaces,
)
from riconnect.service.router_interface.link import (
    activate_router_interface,
    connect_router_interface,
    deactivate_router_interface,
    delete_express_connect,
)

__all__ = [
    "FILTER_KEYS",
    "activate_router_interface",
    "connect_router_interface",
    "create_router_interface",
    "deactivate_router_interface",
    "delete_express_connect",
    "delete_router_interface",
    "describe_router_interface_attribute",
    "describe_router_interfaces",
    "modify_router_interface_attribute",
    "modify_router_interface_spec",
]
