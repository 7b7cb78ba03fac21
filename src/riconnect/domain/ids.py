"""Identifier formats.

Real ids look like ``vpc-bp15zckdt37pq72zv****``: a prefix and about 21 lower-case
alphanumerics.  RequestIds are upper-case UUIDs.

Deterministic ids (``riconnect serve --seed N``): inside :func:`seeded`, :func:`new_id` and
:func:`new_order_id` derive each value from the seed and the next number of a sequence the
caller supplies (the store's, so that every server process on one database draws from one
sequence and ids repeat from run to run whichever process answers); :func:`seed_request_ids`
makes this process's RequestIds a seeded sequence too.
"""

from __future__ import annotations

import hashlib
import os
import random
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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


# (seed, the sequence's next number) while a seeded transaction runs in this thread.
_SEEDED: ContextVar[tuple[int, Callable[[], int]] | None] = ContextVar(
    "riconnect_seeded_ids", default=None
)


@contextmanager
def seeded(seed: int, next_number: Callable[[], int]) -> Iterator[None]:
    """Within the block, generated ids derive from ``seed`` and ``next_number()``."""
    token = _SEEDED.set((seed, next_number))
    try:
        yield
    finally:
        _SEEDED.reset(token)


def _derived(seed: int, number: int, salt: str) -> bytes:
    return hashlib.sha256(f"riconnect/{seed}/{number}/{salt}".encode()).digest()


def new_id(kind: str) -> str:
    prefix = PREFIXES[kind]
    current = _SEEDED.get()
    if current is not None:
        seed, next_number = current
        digest = _derived(seed, next_number(), kind)
        return prefix + "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:_SUFFIX_LEN])
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


def new_order_id() -> int:
    """A 15-digit order number (PrePaid purchases)."""
    current = _SEEDED.get()
    if current is not None:
        seed, next_number = current
        return 200000000000000 + int.from_bytes(_derived(seed, next_number(), "order")) % 10**14
    return 200000000000000 + secrets.randbelow(10**14)


# RequestIds: version-4 UUIDs from a PRNG (reseeded from the OS at start and after fork):
# they only need to be unique, and uuid4()'s os.urandom call per request made the event loop
# give up the GIL to the worker threads in the middle of a request.
_REQUEST_IDS = random.Random()
_FREE = random.Random()  # never seeded: the operator surface's RequestIds


def _reseed_after_fork() -> None:
    _REQUEST_IDS.seed()
    _FREE.seed()


os.register_at_fork(after_in_child=_reseed_after_fork)


def seed_request_ids(seed: int | None) -> None:
    """Make this process's RequestIds the sequence of ``seed`` from now on (None: random)."""
    _REQUEST_IDS.seed(None if seed is None else f"riconnect-request-ids/{seed}")


def request_id() -> str:
    return str(uuid.UUID(int=_REQUEST_IDS.getrandbits(128), version=4)).upper()


def unseeded_request_id() -> str:
    """A RequestId that leaves the seeded sequence alone (the operator surface's: a console
    polling the state must not shift the RequestIds a test expects)."""
    return str(uuid.UUID(int=_FREE.getrandbits(128), version=4)).upper()


def default_resource_group(account_id: str) -> str:
    # Every real account has one default resource group, "rg-acfm…".
    return "rg-acfm" + stable_id("resource_group", account_id)[3:17]
