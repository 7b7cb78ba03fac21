"""Work on the event loop's thread (a SQLite file only): a read, and the nonce a signed
request records first.  The loop must never wait long, so its connections wait at most
:data:`INLINE_BUSY_MS` for a lock; :class:`HandOver` then says to do the same work in a
worker thread, where waiting is harmless."""

from __future__ import annotations

INLINE_BUSY_MS = 20  # how long work on the event loop waits for a lock before handing over


class HandOver(Exception):
    """Work on the event loop would wait or scan: it met a lock, or a listing's keys must be
    rebuilt.  Nothing was written: run it in a worker thread instead."""
