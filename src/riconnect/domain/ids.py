"""Identifier formats.

Real ids look like ``vpc-bp15zckdt37pq72zv****``: a prefix and about 21 lower-case
alphanumerics.  RequestIds are upper-case UUIDs.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import uuid

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_SUFFIX_LEN = 21

PREFIXES = {
    "vpc": "vpc-",
    "vrouter": "vrt-",
    "route_table": "vtb-",
    "router_interface": "ri-",
    "vbr": "vbr-",
    "physical_connection": "pc-",
    "resource_group": "rg-",
    "vswitch": "vsw-",
    "route_entry": "rte-",
}


# The largest multiple of len(_ALPHABET) below 256: bytes at or above it are skipped, so
# every character stays equally likely.
_UNBIASED = 256 - 256 % len(_ALPHABET)


def new_id(kind: str) -> str:
    prefix = PREFIXES[kind]
    # One urandom read per id (secrets.choice per character made 21 of them: 30 us).
    chars: list[str] = []
    while len(chars) < _SUFFIX_LEN:
        chars += [_ALPHABET[b % len(_ALPHABET)] for b in secrets.token_bytes(32) if b < _UNBIASED]
    return prefix + "".join(chars[:_SUFFIX_LEN])


def stable_id(kind: str, *parts: str) -> str:
    """A deterministic id derived from ``parts`` (default resource groups, seeded objects)."""
    digest = hashlib.sha256("\0".join(parts).encode()).digest()
    suffix = "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:_SUFFIX_LEN])
    return PREFIXES[kind] + suffix


def request_id() -> str:
    # A version-4 UUID from the process's PRNG (reseeded from the OS at start and after
    # fork): RequestIds only need to be unique, and uuid4()'s os.urandom call per request
    # made the event loop give up the GIL to the worker threads in the middle of a request.
    return str(uuid.UUID(int=random.getrandbits(128), version=4)).upper()


def default_resource_group(account_id: str) -> str:
    # Every real account has one default resource group, "rg-acfm…".
    return "rg-acfm" + stable_id("resource_group", account_id)[3:17]
