"""What the three router-interface resources share: the API's Spec values and the two
ways to look one interface up.

``alicloud_router_interface`` and its connection read the list answer
(DescribeRouterInterfaces, as the Go provider's legacy resources do); the successor
``alicloud_express_connect_router_interface`` reads DescribeRouterInterfaceAttribute.
"""

from __future__ import annotations

from typing import Any

from riconnect.terraform.alicloud.client import AliClient, CloudError

SPECS = (
    "Mini.2",
    "Mini.5",
    "Small.1",
    "Small.2",
    "Small.5",
    "Middle.1",
    "Middle.2",
    "Middle.5",
    "Large.1",
    "Large.2",
    "Large.5",
    "Xlarge.1",
    "Negative",
)


def describe_interface(
    client: AliClient, ri_id: str, region: str | None = None
) -> dict[str, Any] | None:
    """One router interface by id, or None (an unknown id yields an empty list)."""
    params: dict[str, Any] = {"Filter": [{"Key": "RouterInterfaceId", "Value": [ri_id]}]}
    if region:
        params["RegionId"] = region
    body = client.call("DescribeRouterInterfaces", params)
    items = ((body.get("RouterInterfaceSet") or {}).get("RouterInterfaceType")) or []
    for item in items:
        if item.get("RouterInterfaceId") == ri_id:
            return dict(item)
    return None


def interface_attribute(client: AliClient, ri_id: str) -> dict[str, Any] | None:
    """One router interface's attributes, or None when it does not exist."""
    try:
        body = client.call("DescribeRouterInterfaceAttribute", {"InstanceId": ri_id})
    except CloudError as err:
        if err.not_found:
            return None
        raise
    return body if body.get("RouterInterfaceId") else None
