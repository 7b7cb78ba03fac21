"""Provider ``alicloud``: the real provider's resources for VPCs and router interfaces.

Layout (imports point down this list, never up: a resource never imports the provider)::

    provider.py        AlicloudProvider: schema, credentials, endpoints; configure -> AliClient
    resources/         one module per resource type (vpc.py = alicloud_vpc), RESOURCES
    data_sources/      one module per data source type, DATA_SOURCES
    base.py            AliResource / AliDataSource: the dialect every resource speaks,
                       DeleteFlow, known_values, client_token
    fields.py          attribute <-> API field tables (Field, Fields) and update parameters
    waits.py           polling until an object reaches a status or is gone
    router_interface_common.py   Spec values and interface lookups the RI resources share
    client.py          AliClient: the official SDK with retries; CloudError

Adding a resource: a module in ``resources/`` with an :class:`~.base.AliResource`
subclass (schema, ``noun``, ``timeouts``, ``fields``, ``deletion``, ``_describe``,
``create``, ``update``), listed in ``resources.RESOURCES``; see :mod:`.base`.  A data
source likewise in ``data_sources/`` with an :class:`~.base.AliDataSource` (``read``).
"""
