"""Signature nonces: remembered long enough to refuse a replayed request.

Authentication (api/auth.py) records a nonce only after the signature checked out, so a
forged request cannot burn a legitimate client's nonce.  A cloud on a database file or on
PostgreSQL keeps them in the database (:class:`DatabaseNonceCache`), where every server
process on it sees them; an in-memory cloud, which has one process, keeps them in memory.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import deque
from typing import TYPE_CHECKING, Protocol

from riconnect.domain.errors import ApiError
from riconnect.store.nonces import NonceStoreError

if TYPE_CHECKING:
    from riconnect.store.db import Store

log = logging.getLogger("riconnect.api")

# A request is accepted while its timestamp is within this many seconds of the clock.
TIMESTAMP_WINDOW_SECONDS = 15 * 60
_MAX_NONCE_KEY = 64  # longer nonces are stored hashed, so memory per entry stays bounded


class NonceCache(Protocol):
    """Remembers signature nonces for long enough to refuse replays.

    Kept to one method so the database-backed store can replace the in-memory one: an
    in-memory cache lives in one server process, so with several processes a replay sent
    to a different process within the window would not be caught.
    """

    def check_and_add(self, key: str, now: float) -> bool:
        """Record ``key``; True if it was new, False if it was seen and has not expired."""
        ...


class MemoryNonceCache:
    """A thread-safe, bounded, in-process :class:`NonceCache`.

    Entries live for ``ttl`` seconds, by default twice the timestamp window: a request is
    accepted while its timestamp is within 15 minutes of the clock either way, so one stamped
    15 minutes ahead stays replayable for up to 30 minutes after it was first seen.

    Every entry lives the same ``ttl``, so insertion order is expiry order and a FIFO queue
    evicts expired entries in amortised O(1).  At ``max_entries`` the oldest entries are
    dropped early: memory stays bounded at the price that, under that much load, those
    nonces could be replayed.  This is an emulator; refusing all traffic would be worse.

    Several server processes each have their own cache (see :class:`NonceCache`).
    """

    def __init__(
        self, ttl: float = 2 * TIMESTAMP_WINDOW_SECONDS, max_entries: int = 1_000_000
    ) -> None:
        if ttl <= 0 or max_entries <= 0:
            raise ValueError("ttl and max_entries must be positive")
        self._ttl = ttl
        self._max = max_entries
        self._expiry: dict[str, float] = {}
        self._order: deque[tuple[float, str]] = deque()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._expiry)

    def __bool__(self) -> bool:
        # An empty cache is still a cache: keep ``nonces or default`` from replacing it.
        return True

    def check_and_add(self, key: str, now: float) -> bool:
        with self._lock:
            self._evict_expired(now)
            expires = self._expiry.get(key)
            if expires is not None and expires > now:
                return False
            while len(self._order) >= self._max:
                self._pop_oldest()
            expires = now + self._ttl
            self._expiry[key] = expires
            self._order.append((expires, key))
            return True

    def _evict_expired(self, now: float) -> None:
        order = self._order
        while order and order[0][0] <= now:
            self._pop_oldest()

    def _pop_oldest(self) -> None:
        expires, key = self._order.popleft()
        # The key may have been re-added later (if the clock went backwards); keep that entry.
        if self._expiry.get(key) == expires:
            del self._expiry[key]


class DatabaseNonceCache:
    """A :class:`NonceCache` in the store's database, shared by every process on it.

    Entries live ``ttl`` seconds, as in :class:`MemoryNonceCache`, and are deleted some time
    after they expire.  A database error propagates (the gateway answers ServiceUnavailable).
    """

    def __init__(self, store: Store, ttl: float = 2 * TIMESTAMP_WINDOW_SECONDS) -> None:
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.table = store.nonces
        self.ttl = ttl

    def check_and_add(self, key: str, now: float) -> bool:
        try:
            return self.table.record(key, now, self.ttl)
        except NonceStoreError as exc:
            # The database is unreachable (e.g. PostgreSQL restarting): the client may retry.
            log.warning("recording a signature nonce failed: %s", exc)
            raise ApiError("ServiceUnavailable") from exc


class LoopNonceCache:
    """The :class:`DatabaseNonceCache` of a SQLite file, recorded from the event loop's
    thread: the same row in the same table (so a replay to another process is refused as
    before), on a connection that waits at most a few milliseconds for the write lock.
    ``check_and_add`` raises ``HandOver`` (store/inline.py) when it would wait longer: then
    nothing was recorded, and the request is authenticated again in a worker thread."""

    def __init__(self, cache: DatabaseNonceCache) -> None:
        self._cache = cache

    def check_and_add(self, key: str, now: float) -> bool:
        try:
            return self._cache.table.record_inline(key, now, self._cache.ttl)
        except NonceStoreError as exc:
            log.warning("recording a signature nonce failed: %s", exc)
            raise ApiError("ServiceUnavailable") from exc

    def chores_due(self) -> bool:
        return self._cache.table.chores_due()

    def chores(self, now: float) -> None:
        """The sweep and the checkpoint the loop leaves (in a worker thread: they may wait
        for a lock or the disk)."""
        self._cache.table.chores(now)


def nonces_for(store: Store) -> NonceCache:
    """Where a cloud on ``store`` keeps its nonces: memory for an in-memory store (one
    process, nothing to share), the database otherwise."""
    return MemoryNonceCache() if store.memory else DatabaseNonceCache(store)


def nonce_key(access_key_id: str, nonce: str) -> str:
    # AccessKey ids contain no NUL (accounts_file.py validates them), so the key is unambiguous.
    if len(nonce) > _MAX_NONCE_KEY:
        nonce = "#" + hashlib.sha256(nonce.encode("utf-8", "replace")).hexdigest()
    return f"{access_key_id}\0{nonce}"
