"""Waiting for the cloud: poll a lookup until the object is where an operation wants it.

Polls quickly first (a local cloud settles at once), then backs off to 5 s as the Go
provider's waits do against the real cloud.  A wait that runs out raises
:class:`TimeoutError` naming what it waited for and the status last seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

Lookup = Callable[[], "dict[str, Any] | None"]

# The status a wait asks for when it waits for the object to disappear.
GONE = ("Deleted",)


def wait_for(
    describe: Callable[[], Any], ok: Callable[[Any], bool], timeout: float, what: str
) -> Any:
    """Poll ``describe()`` until ``ok(result)``; a clear error when the time runs out."""
    deadline = time.monotonic() + timeout
    delay = 0.1
    last: Any = None
    while True:
        last = describe()
        if ok(last):
            return last
        if time.monotonic() + delay > deadline:
            raise TimeoutError(
                f"timed out after {timeout:g}s waiting for {what} (last seen: {_describe_state(last)})"
            )
        time.sleep(delay)
        delay = min(delay * 1.5, 5.0)


def wait_status(
    describe: Lookup,
    statuses: tuple[str, ...],
    timeout: float,
    what: str,
    *,
    vanish_is_error: bool = False,
) -> dict[str, Any] | None:
    """Wait until ``describe()`` shows ``Status`` in ``statuses``; ``"Deleted"`` among them
    also accepts the object being gone (``describe()`` is None).

    An object that disappears while a status is awaited is waited for on (it may be a
    lookup lagging behind), or with ``vanish_is_error`` an error at once.
    """
    want_gone = "Deleted" in statuses

    def ok(item: dict[str, Any] | None) -> bool:
        if item is None:
            if want_gone:
                return True
            if vanish_is_error:
                raise RuntimeError(f"{what} disappeared while waiting for {'/'.join(statuses)}")
            return False
        return item.get("Status") in statuses

    result: dict[str, Any] | None = wait_for(
        describe, ok, timeout, f"{what} to be {'/'.join(statuses)}"
    )
    return result


def _describe_state(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("Status", value))
    return "not found" if value is None else str(value)
