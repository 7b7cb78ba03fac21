"""Official Alibaba Cloud SDK clients pointed at a riconnect cloud. No pytest here.

:func:`vpc_client` and :func:`sts_client` build the ``alibabacloud_*`` (V2 SDK) clients,
:func:`acs_client` an ``aliyun-python-sdk-core`` ``AcsClient``.  Each talks plain HTTP to the
given ``host:port`` (or :class:`~riconnect.testing.live.LiveCloud`) and never to the real
Alibaba Cloud: the core SDK always gets an explicit endpoint, so it never asks the Location
service.  The SDKs are imported when a client is built, so importing this module costs
nothing and needs none of them.
"""

from __future__ import annotations

from typing import Any

from riconnect.testing.defaults import DEFAULT_REGION, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET
from riconnect.testing.live import LiveCloud, endpoint_of

__all__ = ["acs_client", "sts_client", "vpc_client"]


def vpc_client(
    endpoint: str | LiveCloud,
    access_key_id: str = DEMO_ACCESS_KEY_ID,
    secret: str = DEMO_ACCESS_KEY_SECRET,
    signature_algorithm: str | None = None,
    *,
    region_id: str = DEFAULT_REGION,
    read_timeout_ms: int = 15_000,
    connect_timeout_ms: int = 5_000,
) -> Any:
    """An ``alibabacloud_vpc20160428.client.Client`` on ``http://<endpoint>``.

    The default signer is V3 (ACS3-HMAC-SHA256); ``signature_algorithm="v2"`` selects the
    classic HMAC-SHA1 signer (the SDK's naming).  ``region_id`` is not sent on the wire;
    each request model carries its own ``region_id``.

    The SDK sends through ``HTTP_PROXY``/``http_proxy`` when the environment names one,
    even for 127.0.0.1 (it does not honour ``NO_PROXY``): unset them for tests.
    """
    from alibabacloud_vpc20160428.client import Client

    return Client(
        _config(
            endpoint,
            access_key_id,
            secret,
            signature_algorithm,
            region_id,
            read_timeout_ms,
            connect_timeout_ms,
        )
    )


def sts_client(
    endpoint: str | LiveCloud,
    access_key_id: str = DEMO_ACCESS_KEY_ID,
    secret: str = DEMO_ACCESS_KEY_SECRET,
    signature_algorithm: str | None = None,
    *,
    region_id: str = DEFAULT_REGION,
    read_timeout_ms: int = 15_000,
    connect_timeout_ms: int = 5_000,
) -> Any:
    """An ``alibabacloud_sts20150401.client.Client`` (GetCallerIdentity) on the same server."""
    from alibabacloud_sts20150401.client import Client

    return Client(
        _config(
            endpoint,
            access_key_id,
            secret,
            signature_algorithm,
            region_id,
            read_timeout_ms,
            connect_timeout_ms,
        )
    )


def _config(
    endpoint: str | LiveCloud,
    access_key_id: str,
    secret: str,
    signature_algorithm: str | None,
    region_id: str,
    read_timeout_ms: int,
    connect_timeout_ms: int,
) -> Any:
    from alibabacloud_tea_openapi.models import Config

    address = endpoint_of(endpoint)  # host:port, no scheme: the protocol is set apart
    config = Config(
        access_key_id=access_key_id,
        access_key_secret=secret,
        endpoint=address,
        protocol="http",  # the SDK's default is HTTPS
        region_id=region_id,
        read_timeout=read_timeout_ms,
        connect_timeout=connect_timeout_ms,
    )
    if signature_algorithm is not None:
        config.signature_algorithm = signature_algorithm
    return config


def acs_client(
    endpoint: str | LiveCloud,
    region: str = DEFAULT_REGION,
    ak: str = DEMO_ACCESS_KEY_ID,
    sk: str = DEMO_ACCESS_KEY_SECRET,
    *,
    timeout: int = 15,
    connect_timeout: int = 5,
    auto_retry: bool = False,
) -> Any:
    """An ``aliyunsdkcore.client.AcsClient`` whose Vpc and Sts endpoints for ``region`` are
    ``endpoint``, so it never looks an endpoint up by region (the Location service).

    Requests built with ``CommonRequest`` should still name ``domain=endpoint``.  The core
    SDK sends the client's region as ``RegionId``; use one client per region.
    """
    from aliyunsdkcore.client import AcsClient

    client = AcsClient(
        ak,
        sk,
        region,
        auto_retry=auto_retry,
        timeout=timeout,
        connect_timeout=connect_timeout,
    )
    ep = endpoint_of(endpoint)
    for product in ("Vpc", "Sts"):
        client.add_endpoint(region, product, ep)
    return client
