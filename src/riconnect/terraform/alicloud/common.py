"""Pieces shared by the alicloud resources."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from riconnect.terraform.alicloud.client import Cloud, CloudError, wait_for
from riconnect.terraform.plugin import DataSource, Resource

if TYPE_CHECKING:
    from riconnect.terraform.alicloud.provider import AlicloudProvider

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
DEPRECATED_199 = (
    "This resource has been deprecated since v1.199.0 and will be removed in the future. "
    "Please use '{successor}' instead."
)


def known_values(state: dict[str, Any]) -> dict[str, Any]:
    """The planned values an API call can use: "known after apply" ones count as unset."""
    from riconnect.terraform.plugin import UNKNOWN

    return {k: (None if v is UNKNOWN else v) for k, v in state.items()}


def client_token(action: str) -> str:
    # The Go provider's format: TF-<Action>-<unix time>-<uuid>, at most 64 characters.
    return f"TF-{action}-{int(time.time())}-{uuid.uuid4()}"[:64]


class AliResource(Resource):
    provider: AlicloudProvider
    deprecation_message: ClassVar[str] = ""

    @property
    def cloud(self) -> Cloud:
        return self.provider.cloud


class AliDataSource(DataSource):
    provider: AlicloudProvider

    @property
    def cloud(self) -> Cloud:
        return self.provider.cloud


# -- router interfaces ------------------------------------------------------------------


def describe_interface(
    cloud: Cloud, ri_id: str, region: str | None = None
) -> dict[str, Any] | None:
    """One router interface by id, or None (an unknown id yields an empty list)."""
    params: dict[str, Any] = {"Filter": [{"Key": "RouterInterfaceId", "Value": [ri_id]}]}
    if region:
        params["RegionId"] = region
    body = cloud.call("DescribeRouterInterfaces", params)
    items = ((body.get("RouterInterfaceSet") or {}).get("RouterInterfaceType")) or []
    for item in items:
        if item.get("RouterInterfaceId") == ri_id:
            return dict(item)
    return None


def interface_attribute(cloud: Cloud, ri_id: str) -> dict[str, Any] | None:
    try:
        body = cloud.call("DescribeRouterInterfaceAttribute", {"InstanceId": ri_id})
    except CloudError as err:
        if err.not_found:
            return None
        raise
    return body if body.get("RouterInterfaceId") else None


def wait_interface(
    cloud: Cloud, ri_id: str, statuses: tuple[str, ...], timeout: float
) -> dict[str, Any] | None:
    """Wait until the interface is in one of ``statuses`` ("Deleted" = gone)."""
    want_gone = "Deleted" in statuses

    def ok(item: dict[str, Any] | None) -> bool:
        if item is None:
            if not want_gone:
                raise RuntimeError(
                    f"router interface {ri_id} disappeared while waiting for {'/'.join(statuses)}"
                )
            return True
        return item.get("Status") in statuses

    result: dict[str, Any] | None = wait_for(
        lambda: describe_interface(cloud, ri_id),
        ok,
        timeout,
        f"router interface {ri_id} to be {'/'.join(statuses)}",
    )
    return result
