"""Ecs 2014-05-26: DescribeRegions, answered from the region table of domain/regions.py."""

from __future__ import annotations

from riconnect.domain.regions import REGIONS
from riconnect.service.context import Ctx, Params, Result
from riconnect.store.db import Tx


def _english(p: Params) -> bool:
    # ECS answers zh-CN names unless asked otherwise (its AcceptLanguage default).
    return (p.get("AcceptLanguage") or "zh-CN").lower().startswith(("en", "ja"))


def describe_regions(ctx: Ctx, tx: Tx, p: Params) -> Result:
    english = _english(p)
    return {
        "Regions": {
            "Region": [
                {
                    "RegionId": r.id,
                    "LocalName": r.name_en if english else r.name_zh,
                    # ECS's endpoint sits where the region's VPC endpoint does.
                    "RegionEndpoint": r.endpoint().replace("vpc", "ecs", 1),
                    "Status": "available",
                }
                for r in REGIONS
            ]
        }
    }
