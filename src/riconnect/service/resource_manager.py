"""ResourceManager 2020-03-31: ListResourceGroups and GetResourceGroup.

The registry holds each account's default resource group, as every real account has one:
id ``rg-acfm…`` (the group new resources join when they name none, domain/ids.py), name
``default``.  The official provider's acceptance tests find it with the data source
``alicloud_resource_manager_resource_groups`` and ``name_regex = "default"``.  Other
well-formed group ids are accepted by MoveResourceGroup and ChangeResourceGroup without
being listed here (docs/fidelity.md "Resource groups").
"""

from __future__ import annotations

import re
from typing import Any

from riconnect.domain import ids
from riconnect.domain.errors import ApiError
from riconnect.domain.regions import REGIONS
from riconnect.service.context import Ctx, Params, Result, paging
from riconnect.store.db import Tx

DEFAULT_NAME = "default"
DEFAULT_DISPLAY_NAME = "Default Resource Group"
# Accounts have no creation time in riconnect: the group is dated at riconnect's epoch.
CREATE_DATE = "2020-03-31T00:00:00+08:00"


def _groups(account_id: str) -> list[dict[str, Any]]:
    return [
        {
            "Id": ids.default_resource_group(account_id),
            "Name": DEFAULT_NAME,
            "DisplayName": DEFAULT_DISPLAY_NAME,
            "AccountId": account_id,
            "Status": "OK",
            "CreateDate": CREATE_DATE,
        }
    ]


def _with_regions(group: dict[str, Any]) -> dict[str, Any]:
    statuses = [{"RegionId": r.id, "Status": "OK"} for r in REGIONS]
    return {**group, "RegionStatuses": {"RegionStatus": statuses}}


def list_resource_groups(ctx: Ctx, tx: Tx, p: Params) -> Result:
    groups = _groups(ctx.account_id)
    if p.get("Status"):
        groups = [g for g in groups if g["Status"] == p["Status"]]
    if p.get("Name"):
        groups = [g for g in groups if g["Name"] == p["Name"]]
    if p.get("DisplayName"):
        # Documented as a fuzzy match.
        wanted = re.escape(p["DisplayName"])
        groups = [g for g in groups if re.search(wanted, g["DisplayName"], re.IGNORECASE)]
    wanted_ids = set(p.get("ResourceGroupIds") or []) | (
        {p["ResourceGroupId"]} if p.get("ResourceGroupId") else set()
    )
    if wanted_ids:
        groups = [g for g in groups if g["Id"] in wanted_ids]
    page_number, page_size = paging(p)
    start = (page_number - 1) * page_size
    return {
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": len(groups),
        "ResourceGroups": {
            "ResourceGroup": [_with_regions(g) for g in groups[start : start + page_size]]
        },
    }


def get_resource_group(ctx: Ctx, tx: Tx, p: Params) -> Result:
    for group in _groups(ctx.account_id):
        if group["Id"] == p["ResourceGroupId"]:
            return {"ResourceGroup": _with_regions(group)}
    raise ApiError("EntityNotExists.ResourceGroup")
