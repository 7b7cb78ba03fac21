"""Test helpers and pytest fixtures for code that talks to riconnect.

Use them in your own infrastructure tests by adding one line to your ``conftest.py``::

    pytest_plugins = ["riconnect.testing"]

and then, for example::

    from alibabacloud_vpc20160428 import models

    def test_my_network(riconnect_vpc, riconnect_region):
        vpc = riconnect_vpc.create_vpc(models.CreateVpcRequest(region_id=riconnect_region))
        assert vpc.body.vpc_id.startswith("vpc-")

What is here, one concern per module:

* :mod:`~riconnect.testing.live`: :class:`LiveCloud` runs ``riconnect serve`` as a real
  subprocess on a free port; :func:`free_port`, :func:`wait_healthy` and :func:`wait_until`
  are the waits around it.
* :mod:`~riconnect.testing.clients`: :func:`vpc_client`, :func:`sts_client` (the
  ``alibabacloud_*`` SDKs) and :func:`acs_client` (``aliyun-python-sdk-core``) build official
  clients pointed at a cloud, over plain HTTP and never at the real Alibaba Cloud.
* :mod:`~riconnect.testing.signing`: :func:`signed_request` and :func:`invoke` send a correctly
  signed request to a live cloud or an in-process app.
* :mod:`~riconnect.testing.inprocess`: :func:`inprocess_app` builds the ASGI app on an
  in-memory store with a ``FakeClock``, wired by the server's own code, for fast tests of the
  wire protocol; :class:`InProcessService` runs actions below the gateway.
* :mod:`~riconnect.testing.accounts`: :func:`write_accounts` writes an accounts file for
  ``LiveCloud(accounts=...)``.
* :mod:`~riconnect.testing.fixtures`: the fixtures (``riconnect_cloud``, ``riconnect_vpc``,
  ``riconnect_app``, ...), all prefixed ``riconnect_``.

Only the fixtures module imports pytest.  This package names it in ``pytest_plugins``, so
pytest loads it with the package, while ``from riconnect.testing.live import LiveCloud`` (or
any name below) in a script, the demo or a benchmark leaves pytest unimported.  The fixture
functions stay importable from here too; asking for one imports pytest.

The session cloud is shared by every test in the run: give resources unique names
(:func:`unique_name`) and filter what you list by the ids you created, or ask for
``riconnect_clean_cloud`` (the session cloud emptied before the test, in milliseconds) or
``riconnect_snapshot_cloud`` (the session cloud holding exactly a snapshot file).
"""

from __future__ import annotations

import importlib
from typing import Any

from riconnect.testing.accounts import accounts_registry, accounts_toml, write_accounts
from riconnect.testing.clients import acs_client, sts_client, vpc_client
from riconnect.testing.defaults import (
    DEFAULT_REGION,
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    DEMO_ACCOUNT_ID,
    STS_VERSION,
    VPC_VERSION,
)
from riconnect.testing.inprocess import InProcessService, inprocess_app
from riconnect.testing.live import (
    CloudStartError,
    LiveCloud,
    free_port,
    unique_name,
    wait_healthy,
    wait_until,
)
from riconnect.testing.signing import (
    PreparedRequest,
    RequestOptions,
    RiconnectApiError,
    build_request,
    invoke,
    send,
    signed_request,
    signed_request_async,
)

# pytest registers the fixtures from this module when it loads this package as a plugin.
pytest_plugins = ["riconnect.testing.fixtures"]

_FIXTURES = (
    "riconnect_acs",
    "riconnect_app",
    "riconnect_clean_cloud",
    "riconnect_cloud",
    "riconnect_cloud_options",
    "riconnect_region",
    "riconnect_snapshot_cloud",
    "riconnect_snapshot_file",
    "riconnect_sts",
    "riconnect_vpc",
)

__all__ = [
    "DEFAULT_REGION",
    "DEMO_ACCESS_KEY_ID",
    "DEMO_ACCESS_KEY_SECRET",
    "DEMO_ACCOUNT_ID",
    "STS_VERSION",
    "VPC_VERSION",
    "CloudStartError",
    "InProcessService",
    "LiveCloud",
    "PreparedRequest",
    "RequestOptions",
    "RiconnectApiError",
    "accounts_registry",
    "accounts_toml",
    "acs_client",
    "build_request",
    "free_port",
    "inprocess_app",
    "invoke",
    "send",
    "signed_request",
    "signed_request_async",
    "sts_client",
    "unique_name",
    "vpc_client",
    "wait_healthy",
    "wait_until",
    "write_accounts",
    *_FIXTURES,
]


def __getattr__(name: str) -> Any:
    # Fixture functions on demand: importing them imports pytest, which plain imports of
    # this package must not.  Not listed by dir(), so pytest registers each fixture once,
    # from the fixtures module.
    if name in _FIXTURES:
        return getattr(importlib.import_module("riconnect.testing.fixtures"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
