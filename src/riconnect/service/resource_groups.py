"""Moving resources between resource groups, and the tags of Express Connect resources.

* ``MoveResourceGroup`` (ResourceType ``Vpc``): the official Go provider calls it when
  ``resource_group_id`` of an ``alicloud_vpc`` changes in place (v1.285.0
  resource_alicloud_vpc.go:555-582); its Read then takes the group from DescribeVpcAttribute
  and from the VPC's System route table (DescribeRouteTableList), which both follow the VPC.
* ``ChangeResourceGroup`` (``ROUTERINTERFACE``, ``VIRTUALBORDERROUTER``):
  resource_alicloud_express_connect_router_interface.go:582-609 and
  resource_alicloud_express_connect_virtual_border_router.go:493-520.
* ``TagResourcesForExpressConnect`` / ``UntagResourcesForExpressConnect`` (the same two
  types): service_alicloud_express_connect_v2.go:861-945, also right after each create
  that had tags.

riconnect keeps no registry of resource groups: any well-formed id is accepted (see
docs/fidelity.md).  Physical connections are the operator's, not the caller's to move or
tag, so ``PHYSICALCONNECTION`` is refused.
"""

from __future__ import annotations

import re

from riconnect.domain.entities import RouterInterface, RouteTable, Vbr
from riconnect.domain.errors import ApiError
from riconnect.domain.validation import check_tags, tag_list
from riconnect.service.context import Ctx, Params, Result
from riconnect.service.router_interface.pairs import INTERFACES
from riconnect.service.vbr import VBRS
from riconnect.service.vpc import VPCS
from riconnect.store.db import Tx

# Resource group ids as Alibaba issues them: "rg-" and lower-case letters and digits.
_GROUP_ID = re.compile(r"rg-[a-z0-9]{3,40}", re.ASCII)
ROUTER_INTERFACE = "ROUTERINTERFACE"
VIRTUAL_BORDER_ROUTER = "VIRTUALBORDERROUTER"
EXPRESS_TYPES = (ROUTER_INTERFACE, VIRTUAL_BORDER_ROUTER)
MAX_RESOURCES = 20  # ResourceId.N of the Express Connect tag actions

Express = RouterInterface | Vbr


def _group(value: str) -> str:
    if not _GROUP_ID.fullmatch(value):
        raise ApiError("InvalidResourceGroupId")
    return value


def move_resource_group(ctx: Ctx, tx: Tx, p: Params) -> Result:
    # The documented values are "Vpc" (current) and "vpc" (older pages): one type, any case.
    if p["ResourceType"].lower() != "vpc":
        raise ApiError("IllegalParam.ResourceType")
    group = _group(p["NewResourceGroupId"])
    vpc = VPCS.get(ctx, tx, p["ResourceId"])
    if vpc is None:
        raise ApiError("InvalidResourceId.NotFound")
    if vpc.resource_group_id != group:
        vpc.resource_group_id = group
        vpc.modified_at = ctx.now()
        tx.update(vpc)
    # The System route table belongs with its VPC (docs/fidelity.md): the official provider
    # reads the VPC's group back from DescribeRouteTableList too.
    for table in tx.find(RouteTable, vpc.account_id, vpc_id=vpc.id, table_type="System"):
        if table.resource_group_id != group:
            table.resource_group_id = group
            table.modified_at = ctx.now()
            tx.update(table)
    return {}


def _express(ctx: Ctx, tx: Tx, resource_type: str, resource_id: str) -> Express:
    found: Express | None
    if resource_type == ROUTER_INTERFACE:
        found = INTERFACES.get(ctx, tx, resource_id)
    else:
        found = VBRS.get(ctx, tx, resource_id)
    if found is None:
        raise ApiError("InvalidResourceId.NotFound")
    return found


def _save(ctx: Ctx, tx: Tx, obj: Express) -> None:
    if isinstance(obj, RouterInterface):  # a VBR keeps no modification time
        obj.modified_at = ctx.now()
    tx.update(obj)


def change_resource_group(ctx: Ctx, tx: Tx, p: Params) -> Result:
    group = _group(p["NewResourceGroupId"])
    obj = _express(ctx, tx, p["ResourceType"], p["ResourceId"])
    if obj.resource_group_id != group:
        obj.resource_group_id = group
        _save(ctx, tx, obj)
    return {}


def _targets(ctx: Ctx, tx: Tx, p: Params) -> list[Express]:
    ids = p.get("ResourceId") or []
    if not ids:
        raise ApiError("MissingParameter", name="ResourceId.1")
    return [_express(ctx, tx, p["ResourceType"], resource_id) for resource_id in ids]


def tag_resources_for_express_connect(ctx: Ctx, tx: Tx, p: Params) -> Result:
    new = tag_list(p.get("Tag"))
    if not new:
        raise ApiError("MissingParameter", name="Tag.1.Key")
    for obj in _targets(ctx, tx, p):
        merged = {k: v for k, v in obj.tags}
        merged.update({k: v for k, v in new})
        check_tags(list(merged.items()))  # at most 20 per resource, after the merge
        obj.tags = [[k, v] for k, v in merged.items()]
        _save(ctx, tx, obj)
    return {}


def untag_resources_for_express_connect(ctx: Ctx, tx: Tx, p: Params) -> Result:
    keys = set(p.get("TagKey") or [])
    remove_all = bool(p.get("All"))
    if not keys and not remove_all:
        raise ApiError("MissingParameter", name="TagKey.1")
    for obj in _targets(ctx, tx, p):
        kept = [] if remove_all else [[k, v] for k, v in obj.tags if k not in keys]
        if kept != obj.tags:
            obj.tags = kept
            _save(ctx, tx, obj)
    return {}
