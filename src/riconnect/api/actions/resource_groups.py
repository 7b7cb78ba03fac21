"""Vpc actions on resource groups and Express Connect tags: MoveResourceGroup (VPCs),
ChangeResourceGroup, TagResourcesForExpressConnect, UntagResourcesForExpressConnect
(router interfaces and VBRs).  Rules: service/resource_groups.py."""

from __future__ import annotations

from riconnect.api.actions.base import VPC, Action
from riconnect.api.params import Bool, Str, Strings, Tags
from riconnect.service import resource_groups as svc

_EXPRESS_TYPE = Str(
    "ResourceType", required=True, enum=svc.EXPRESS_TYPES, error="IllegalParam.ResourceType"
)
_GROUP = Str("NewResourceGroupId", required=True)

ACTIONS = (
    Action(
        "MoveResourceGroup",
        VPC,
        svc.move_resource_group,
        (Str("ResourceId", required=True), Str("ResourceType", required=True), _GROUP),
        writes=True,
    ),
    Action(
        "ChangeResourceGroup",
        VPC,
        svc.change_resource_group,
        (Str("ResourceId", required=True), _EXPRESS_TYPE, _GROUP),
        writes=True,
    ),
    Action(
        "TagResourcesForExpressConnect",
        VPC,
        svc.tag_resources_for_express_connect,
        (
            _EXPRESS_TYPE,
            Strings("ResourceId", max_items=svc.MAX_RESOURCES),
            Tags("Tag", max_items=20),
        ),
        writes=True,
    ),
    Action(
        "UntagResourcesForExpressConnect",
        VPC,
        svc.untag_resources_for_express_connect,
        (
            _EXPRESS_TYPE,
            Strings("ResourceId", max_items=svc.MAX_RESOURCES),
            Strings("TagKey", max_items=20),
            Bool("All"),
        ),
        writes=True,
    ),
)
