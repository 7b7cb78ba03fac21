"""The Alibaba Cloud regions riconnect knows, with their local names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    id: str
    name_zh: str
    name_en: str

    def endpoint(self) -> str:
        # The central endpoint serves the older regions; newer ones have their own.
        if self.id in _CENTRAL:
            return "vpc.aliyuncs.com"
        return f"vpc.{self.id}.aliyuncs.com"


_CENTRAL = {
    "cn-qingdao",
    "cn-beijing",
    "cn-hangzhou",
    "cn-shanghai",
    "cn-shenzhen",
    "cn-hongkong",
    "ap-southeast-1",
    "us-east-1",
    "us-west-1",
}

REGIONS: tuple[Region, ...] = (
    Region("cn-qingdao", "华北1（青岛）", "China (Qingdao)"),
    Region("cn-beijing", "华北2（北京）", "China (Beijing)"),
    Region("cn-zhangjiakou", "华北3（张家口）", "China (Zhangjiakou)"),
    Region("cn-huhehaote", "华北5（呼和浩特）", "China (Hohhot)"),
    Region("cn-wulanchabu", "华北6（乌兰察布）", "China (Ulanqab)"),
    Region("cn-hangzhou", "华东1（杭州）", "China (Hangzhou)"),
    Region("cn-shanghai", "华东2（上海）", "China (Shanghai)"),
    Region("cn-nanjing", "华东5（南京-本地地域）", "China (Nanjing - Local Region)"),
    Region("cn-fuzhou", "华东6（福州-本地地域）", "China (Fuzhou - Local Region)"),
    Region("cn-shenzhen", "华南1（深圳）", "China (Shenzhen)"),
    Region("cn-heyuan", "华南2（河源）", "China (Heyuan)"),
    Region("cn-guangzhou", "华南3（广州）", "China (Guangzhou)"),
    Region("cn-chengdu", "西南1（成都）", "China (Chengdu)"),
    Region("cn-hongkong", "中国香港", "China (Hong Kong)"),
    Region("ap-northeast-1", "日本（东京）", "Japan (Tokyo)"),
    Region("ap-northeast-2", "韩国（首尔）", "South Korea (Seoul)"),
    Region("ap-southeast-1", "新加坡", "Singapore"),
    Region("ap-southeast-3", "马来西亚（吉隆坡）", "Malaysia (Kuala Lumpur)"),
    Region("ap-southeast-5", "印度尼西亚（雅加达）", "Indonesia (Jakarta)"),
    Region("ap-southeast-6", "菲律宾（马尼拉）", "Philippines (Manila)"),
    Region("ap-southeast-7", "泰国（曼谷）", "Thailand (Bangkok)"),
    Region("us-east-1", "美国（弗吉尼亚）", "US (Virginia)"),
    Region("us-west-1", "美国（硅谷）", "US (Silicon Valley)"),
    Region("eu-west-1", "英国（伦敦）", "UK (London)"),
    Region("eu-central-1", "德国（法兰克福）", "Germany (Frankfurt)"),
    Region("me-east-1", "阿联酋（迪拜）", "UAE (Dubai)"),
    Region("me-central-1", "沙特（利雅得）", "SAU (Riyadh)"),
    Region("na-south-1", "墨西哥", "Mexico"),
)

BY_ID: dict[str, Region] = {r.id: r for r in REGIONS}


def is_known(region_id: str) -> bool:
    return region_id in BY_ID


def is_mainland_china(region_id: str) -> bool:
    return region_id.startswith("cn-") and region_id != "cn-hongkong"
