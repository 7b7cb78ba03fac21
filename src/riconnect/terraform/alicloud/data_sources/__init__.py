"""The data sources of provider ``alicloud``: one module per data source type, named after
it without the ``alicloud_`` prefix; a new one is added to :data:`DATA_SOURCES`."""

from __future__ import annotations

from riconnect.terraform.alicloud.data_sources.router_interfaces import RouterInterfaces

DATA_SOURCES = (RouterInterfaces,)
