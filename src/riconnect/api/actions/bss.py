"""BssOpenApi 2017-12-14 on the same port: QueryAvailableInstances and RefundInstance, the
two calls of the official Go provider's paths (service/bss.py).  Neither carries a
RegionId."""

from __future__ import annotations

from riconnect.api.actions.base import CLIENT_TOKEN, Action, Product
from riconnect.api.params import Int, Str
from riconnect.service import bss

BSS = Product("BssOpenApi", "2017-12-14", "business.aliyuncs.com")

ACTIONS = (
    Action(
        "QueryAvailableInstances",
        BSS,
        bss.query_available_instances,
        (
            Int("PageNum", min=1, max=10**6),
            Int("PageSize", min=1, max=300),
            Str("ProductCode"),
            Str("ProductType"),
            Str("SubscriptionType", enum=("Subscription", "PayAsYouGo")),
            Str("Region"),
            Str("InstanceIDs"),
            Str("RenewStatus"),
            Str("CreateTimeStart"),
            Str("CreateTimeEnd"),
            Str("EndTimeStart"),
            Str("EndTimeEnd"),
            Int("OwnerId", min=0),
        ),
        region="none",
    ),
    Action(
        "RefundInstance",
        BSS,
        bss.refund_instance,
        (
            Str("InstanceId", required=True),
            Str("ProductCode", required=True),
            Str("ProductType"),
            Str("ImmediatelyRelease"),
            CLIENT_TOKEN,
        ),
        region="none",
        writes=True,
    ),
)
