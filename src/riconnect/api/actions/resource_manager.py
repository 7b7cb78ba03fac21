"""ResourceManager 2020-03-31 on the same port: ListResourceGroups and GetResourceGroup
(the official provider's ``alicloud_resource_manager_resource_groups``; v1.285.0
data_source_alicloud_resource_manager_resource_groups.go:99-222).  Rules:
service/resource_manager.py."""

from __future__ import annotations

from riconnect.api.actions.base import Action, Product
from riconnect.api.params import Int, Str, Strings
from riconnect.service import resource_manager as svc

RESOURCE_MANAGER = Product("ResourceManager", "2020-03-31", "resourcemanager.aliyuncs.com")

ACTIONS = (
    Action(
        "ListResourceGroups",
        RESOURCE_MANAGER,
        svc.list_resource_groups,
        (
            Str(
                "Status",
                enum=("Creating", "Deleted", "CreateFailed", "OK", "Deleting", "PendingDelete"),
            ),
            Str("Name"),
            Str("DisplayName"),
            Str("ResourceGroupId"),
            Strings("ResourceGroupIds", max_items=100),
            Int("PageNumber", min=1, max=10**6, default=1),
            # Documented: 1 to 100, default 10.
            Int("PageSize", min=1, max=100, default=10),
        ),
        region="none",
    ),
    Action(
        "GetResourceGroup",
        RESOURCE_MANAGER,
        svc.get_resource_group,
        (Str("ResourceGroupId", required=True), Str("IncludeTags")),
        region="none",
    ),
)
