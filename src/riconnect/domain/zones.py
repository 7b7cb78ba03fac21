"""The zones of each region riconnect knows, and the ECS catalogue a zone offers.

Zone ids are ECS's "Regions and zones" list (https://help.aliyun.com/zh/ecs/user-guide/regions-and-zones);
the letters are not contiguous (Hangzhou has no -c or -d).  Local names follow the
documented forms: "杭州 可用区H" in Chinese, "Hangzhou Zone H" in English (see
docs/fidelity.md for the languages the documents do not show).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from riconnect.domain.regions import BY_ID, REGIONS


def _letters(region: str, letters: str, joined: bool = False) -> tuple[str, ...]:
    # "cn-hangzhou-h" in mainland China and Hong Kong; "ap-northeast-1a" elsewhere.
    return tuple(f"{region}{'' if joined else '-'}{letter}" for letter in letters)


_ZONES: dict[str, tuple[str, ...]] = {
    "cn-qingdao": _letters("cn-qingdao", "bc"),
    "cn-beijing": _letters("cn-beijing", "abcdefghijkl"),
    "cn-zhangjiakou": _letters("cn-zhangjiakou", "abc"),
    "cn-huhehaote": _letters("cn-huhehaote", "ab"),
    "cn-wulanchabu": _letters("cn-wulanchabu", "abc"),
    "cn-hangzhou": _letters("cn-hangzhou", "befghijk"),
    "cn-shanghai": _letters("cn-shanghai", "abcdefgklmno"),
    "cn-nanjing": _letters("cn-nanjing", "a"),
    "cn-fuzhou": _letters("cn-fuzhou", "a"),
    "cn-shenzhen": _letters("cn-shenzhen", "abcdef"),
    "cn-heyuan": _letters("cn-heyuan", "ab"),
    "cn-guangzhou": _letters("cn-guangzhou", "ab"),
    "cn-chengdu": _letters("cn-chengdu", "ab"),
    "cn-hongkong": _letters("cn-hongkong", "bcd"),
    "ap-northeast-1": _letters("ap-northeast-1", "abc", joined=True),
    "ap-northeast-2": _letters("ap-northeast-2", "ab", joined=True),
    "ap-southeast-1": _letters("ap-southeast-1", "abc", joined=True),
    "ap-southeast-3": _letters("ap-southeast-3", "abc", joined=True),
    "ap-southeast-5": _letters("ap-southeast-5", "abc", joined=True),
    "ap-southeast-6": _letters("ap-southeast-6", "ab", joined=True),
    "ap-southeast-7": _letters("ap-southeast-7", "ab", joined=True),
    "us-east-1": _letters("us-east-1", "ab", joined=True),
    "us-west-1": _letters("us-west-1", "ab", joined=True),
    "eu-west-1": _letters("eu-west-1", "ab", joined=True),
    "eu-central-1": _letters("eu-central-1", "abc", joined=True),
    "me-east-1": _letters("me-east-1", "ab", joined=True),
    "me-central-1": _letters("me-central-1", "ab", joined=True),
    "na-south-1": _letters("na-south-1", "a", joined=True),
}
assert set(_ZONES) == {r.id for r in REGIONS}, "every region needs its zones"

# What ECS reports each zone offers (DescribeZones / DescribeAvailableResource).  A plausible
# fixed catalogue: riconnect creates no instances or disks, but the provider's alicloud_zones
# drops a zone without instance types and disk categories.
INSTANCE_TYPES = (
    "ecs.g6.large",
    "ecs.g6.xlarge",
    "ecs.c6.large",
    "ecs.r6.large",
    "ecs.g7.large",
    "ecs.n4.large",
    "ecs.t5-lc1m2.small",
)
DISK_CATEGORIES = ("cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd")
RESOURCE_TYPES = ("Instance", "Disk", "VSwitch", "IoOptimized", "DedicatedHost")
NETWORK_TYPES = ("vpc",)


def _city(name: str) -> str:
    """ "华东1（杭州）" -> "杭州"; "China (Hangzhou)" -> "Hangzhou"; "Singapore" -> itself."""
    match = re.search(r"[（(]([^）)]+)[）)]", name)
    city = match.group(1) if match else name
    return city.split(" - ")[0].split("-本地")[0]


@dataclass(frozen=True)
class Zone:
    id: str
    region_id: str

    @property
    def letter(self) -> str:
        return self.id[-1].upper()

    def local_name(self, language: str) -> str:
        """The zone's name in ``language`` (AcceptLanguage): Chinese unless English or
        Japanese is asked for (Japanese names are not documented: English is used)."""
        region = BY_ID[self.region_id]
        if language.lower().startswith(("en", "ja")):
            return f"{_city(region.name_en)} Zone {self.letter}"
        return f"{_city(region.name_zh)} 可用区{self.letter}"


def zones_of(region_id: str) -> tuple[Zone, ...]:
    return tuple(Zone(zone_id, region_id) for zone_id in _ZONES.get(region_id, ()))


def find(region_id: str, zone_id: str) -> Zone | None:
    return Zone(zone_id, region_id) if zone_id in _ZONES.get(region_id, ()) else None
