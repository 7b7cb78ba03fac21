"""DescribeRegions."""

from __future__ import annotations

from riconnect.domain.regions import REGIONS
from riconnect.service.context import Ctx, Params, Result
from riconnect.store.db import Tx


def describe_regions(ctx: Ctx, tx: Tx, p: Params) -> Result:
    english = (p.get("AcceptLanguage") or "zh-CN").lower().startswith("en")
    return {
        "Regions": {
            "Region": [
                {
                    "RegionId": r.id,
                    "LocalName": r.name_en if english else r.name_zh,
                    "RegionEndpoint": r.endpoint(),
                }
                for r in REGIONS
            ]
        }
    }
