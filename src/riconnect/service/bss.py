"""BssOpenApi 2017-12-14, as far as the official Go provider's paths need it.

* ``QueryAvailableInstances``: the provider probes it once per process when ``account_type``
  is not configured (v1.285.0 connectivity/client.go:1651-1697).  Answered with the caller's
  subscription (Prepaid) router interfaces; riconnect sells nothing else.
* ``RefundInstance``: releases a Subscription router interface
  (resource_alicloud_express_connect_router_interface.go:729-778: ``ProductCode=ri``,
  ``ImmediatelyRelease=1``, no RegionId), after which the provider waits until
  DescribeRouterInterfaceAttribute no longer finds it.  Never answered ``NotApplicable``:
  the provider would retry it against Alibaba's international endpoint.

Both answer BssOpenApi's documented success envelope (``Code: Success``, ``Success: true``).
"""

from __future__ import annotations

import secrets
from typing import Any

from riconnect.domain import router_interface as ri
from riconnect.domain.clock import iso8601
from riconnect.domain.entities import GONE, RouterInterface
from riconnect.domain.errors import ApiError
from riconnect.service.context import Ctx, Params, Result, idempotent
from riconnect.service.router_interface.pairs import INTERFACES, begin
from riconnect.store.db import Tx

# The product codes BSS bills router interfaces under (China site, international site).
RI_PRODUCT_CODES = ("ri", "ri_pre_intl")
_PREPAID = ri.CHARGE_REPORTED[ri.PREPAID]


def _success(data: dict[str, Any]) -> Result:
    return {"Code": "Success", "Message": "Successful!", "Success": True, "Data": data}


def _subscriptions(ctx: Ctx, tx: Tx) -> list[RouterInterface]:
    """The caller's Prepaid router interfaces in every region, settled."""
    out = []
    for obj in tx.find(RouterInterface, ctx.account_id, charge_type=_PREPAID):
        settled = INTERFACES.settle(ctx, tx, obj)
        if settled is not None and settled.status != ri.DELETING:
            out.append(settled)
    return out


def _instance(obj: RouterInterface, product_code: str) -> dict[str, Any]:
    return {
        "InstanceID": obj.id,
        "ProductCode": product_code,
        "ProductType": "",
        "SubscriptionType": "Subscription",
        "Status": "Normal",
        "SubStatus": "Normal",
        "Region": obj.region_id,
        "OwnerId": int(obj.account_id),
        "Seller": "26842",
        "SellerId": 26842,
        "CreateTime": iso8601(obj.created_at),
        "EndTime": iso8601(obj.end_time) if obj.end_time else "",
        "StopTime": "",
        "ReleaseTime": "",
        "ExpectedReleaseTime": "",
        "RenewStatus": "AutoRenewal" if obj.auto_renew else "ManualRenewal",
        "RenewalDuration": 0,
        "RenewalDurationUnit": "M",
    }


def query_available_instances(ctx: Ctx, tx: Tx, p: Params) -> Result:
    page_num, page_size = int(p.get("PageNum") or 1), int(p.get("PageSize") or 20)
    product_code = p.get("ProductCode") or RI_PRODUCT_CODES[0]
    wanted = {i.strip() for i in (p.get("InstanceIDs") or "").split(",") if i.strip()}
    items: list[RouterInterface] = []
    if product_code in RI_PRODUCT_CODES and p.get("SubscriptionType") in (None, "Subscription"):
        items = [o for o in _subscriptions(ctx, tx) if not wanted or o.id in wanted]
        if p.get("Region"):
            items = [o for o in items if o.region_id == p["Region"]]
    start = (page_num - 1) * page_size
    return _success(
        {
            "PageNum": page_num,
            "PageSize": page_size,
            "TotalCount": len(items),
            "InstanceList": [_instance(o, product_code) for o in items[start : start + page_size]],
        }
    )


def refund_instance(ctx: Ctx, tx: Tx, p: Params) -> Result:
    def refund() -> Result:
        found = tx.find(RouterInterface, ctx.account_id, id=p["InstanceId"])
        obj = INTERFACES.settle(ctx, tx, found[0]) if found else None
        # Only a subscription is refunded; a pay-as-you-go interface is not a BSS instance.
        if (
            obj is None
            or p["ProductCode"] not in RI_PRODUCT_CODES
            or obj.charge_type != _PREPAID
            or obj.status == ri.DELETING
        ):
            raise ApiError("ResourceNotExists")
        # Released like DeleteRouterInterface releases a pay-as-you-go one: Idle or Inactive.
        if obj.status not in ri.TABLE["delete"].allowed:
            raise ApiError("ResourceStatusError")
        if p.get("ImmediatelyRelease") not in (None, "", "1"):
            # "0" stops the instance and releases it by the stop policy; riconnect has one
            # behaviour, the immediate release, and says so rather than pretending.
            raise ApiError("ResourceStatusError")
        begin(obj, ri.DELETING, GONE, ctx.now(), ctx.settings.delays.ri_delete)
        tx.update(obj)
        order_id = 210000000000000 + secrets.randbelow(10**14)
        return _success({"HostId": "cn", "OrderId": order_id, "InstanceId": obj.id})

    return idempotent(ctx, tx, p, refund)
