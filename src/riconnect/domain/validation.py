"""Field rules shared by several actions (names, descriptions, tags, CIDR blocks).

Each check raises :class:`ApiError` with the code the real service uses for that field.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from riconnect.domain.errors import ApiError

_URL_PREFIX = ("http://", "https://")
# "starts with a letter or Chinese character"; then letters, digits, '.', '_', '-'.
_LETTER_OR_HAN = r"[A-Za-z\u4e00-\u9fff]"
_RI_NAME_RE = re.compile(rf"^{_LETTER_OR_HAN}[A-Za-z0-9\u4e00-\u9fff._\-]{{1,127}}$")
_VBR_NAME_RE = re.compile(rf"^{_LETTER_OR_HAN}[A-Za-z0-9\u4e00-\u9fff_\-]{{1,127}}$")
_RI_DESC_RE = re.compile(rf"^{_LETTER_OR_HAN}.{{1,255}}$", re.DOTALL)
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

MAX_TAGS = 20
# Resource group ids as Alibaba issues them: "rg-" and lower-case letters and digits.
_GROUP_ID = re.compile(r"rg-[a-z0-9]{3,40}", re.ASCII)


def _no_url(value: str) -> bool:
    return not value.lower().startswith(_URL_PREFIX)


def check_resource_group_id(value: str) -> str:
    """riconnect keeps no registry of resource groups: any well-formed id names one
    (docs/fidelity.md)."""
    if not _GROUP_ID.fullmatch(value):
        raise ApiError("InvalidResourceGroupId")
    return value


def check_vpc_name(value: str) -> None:
    if not 1 <= len(value) <= 128 or not _no_url(value) or _CONTROL_RE.search(value):
        raise ApiError(
            "InvalidVpcName.Malformed",
            detail="VpcName must be 1 to 128 characters and must not start with http:// or https://.",
        )


def check_vpc_description(value: str) -> None:
    if not 1 <= len(value) <= 256 or not _no_url(value) or _CONTROL_RE.search(value):
        raise ApiError(
            "InvalidDescription.Malformed",
            detail="Description must be 1 to 256 characters and must not start with http:// or https://.",
        )


def check_ri_name(value: str) -> None:
    if not _RI_NAME_RE.match(value) or not _no_url(value):
        raise ApiError("InvalidName.Malformd")


def check_ri_description(value: str) -> None:
    if not _RI_DESC_RE.match(value) or not _no_url(value) or _CONTROL_RE.search(value):
        raise ApiError(
            "InvalidDescription.Malformed",
            detail="Description must be 2 to 256 characters, start with a letter or Chinese "
            "character, and must not start with http:// or https://.",
        )


def check_vbr_name(value: str) -> None:
    if not _VBR_NAME_RE.match(value) or not _no_url(value):
        raise ApiError(
            "InvalidVbrName.Malformed",
            detail="Name must be 2 to 128 characters, start with a letter or Chinese character, "
            "and contain only letters, digits, '_' and '-'.",
        )


def check_tags(tags: list[tuple[str, str]]) -> None:
    if len(tags) > MAX_TAGS:
        raise ApiError("InvalidTag.Malformed", detail=f"At most {MAX_TAGS} tags are allowed.")
    seen: set[str] = set()
    for key, value in tags:
        for what, text, lo in (("key", key, 1), ("value", value, 0)):
            if not lo <= len(text) <= 128:
                raise ApiError(
                    "InvalidTag.Malformed",
                    detail=f"Tag {what} must be {lo} to 128 characters: {text!r}.",
                )
            low = text.lower()
            if low.startswith(("aliyun", "acs:")) or "http://" in low or "https://" in low:
                raise ApiError(
                    "InvalidTag.Malformed",
                    detail=f"Tag {what} must not start with 'aliyun' or 'acs:' nor contain "
                    f"http:// or https://: {text!r}.",
                )
        if key in seen:
            raise ApiError("InvalidTag.Malformed", detail=f"Duplicate tag key {key!r}.")
        seen.add(key)


def tag_list(tags: Iterable[tuple[str, str]] | None) -> list[list[str]]:
    """Checked tags in the form resources store them (``[[key, value], ...]``)."""
    pairs = list(tags or [])
    check_tags(pairs)
    return [[k, v] for k, v in pairs]


_STANDARD_BLOCKS = tuple(
    ipaddress.IPv4Network(b) for b in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
_FORBIDDEN_BLOCKS = tuple(
    ipaddress.IPv4Network(b)
    for b in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
)
DEFAULT_VPC_CIDR = "172.16.0.0/12"


def parse_vpc_cidr(value: str) -> ipaddress.IPv4Network:
    """A VPC's primary IPv4 block: one of the three RFC 1918 blocks, or a /16-/28 subnet
    of any range but the reserved ones (loopback, link-local, CGN shared, multicast)."""
    try:
        net = ipaddress.IPv4Network(value, strict=True)
    except ValueError as exc:
        raise ApiError("InvalidCidrBlock.Malformed", detail=f"{value!r}: {exc}.") from None
    if any(net.subnet_of(f) or f.subnet_of(net) for f in _FORBIDDEN_BLOCKS):
        raise ApiError(
            "InvalidCidrBlock.Malformed",
            detail=f"{value} overlaps a reserved range (0.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, "
            "169.254.0.0/16, 224.0.0.0/4, 240.0.0.0/4).",
        )
    if net in _STANDARD_BLOCKS:
        return net
    if not 16 <= net.prefixlen <= 28:
        raise ApiError(
            "InvalidCidrBlock.Malformed",
            detail=f"{value}: the mask must be between /16 and /28 unless the block is "
            "10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.",
        )
    return net


def parse_user_cidrs(value: str) -> list[str]:
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts or len(parts) > 3:
        raise ApiError(
            "InvalidUserCidr.Malformed", detail="Specify 1 to 3 comma-separated CIDR blocks."
        )
    out = []
    for p in parts:
        try:
            out.append(str(ipaddress.IPv4Network(p, strict=True)))
        except ValueError as exc:
            raise ApiError("InvalidUserCidr.Malformed", detail=f"{p!r}: {exc}.") from None
    return out


def check_client_token(value: str) -> None:
    if not 1 <= len(value) <= 64 or not value.isascii() or _CONTROL_RE.search(value):
        raise ApiError("InvalidClientToken.Malformed")


def check_ipv4(value: str, field: str) -> str:
    try:
        return str(ipaddress.IPv4Address(value))
    except ValueError:
        raise ApiError(
            "InvalidIp.Malformed", detail=f"{field} {value!r} is not an IPv4 address."
        ) from None
