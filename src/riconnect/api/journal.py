"""The request journal: the most recent requests, for people and tests to look at.

Every request the gateway answers, success or error, becomes one :class:`Entry` (time,
action, account, region, the resource ids it named or created, its parameters without
signatures or secrets, status, error code, RequestId, duration); so do the operator's
changes (reset, snapshot load, settings), as ``riconnect:Reset`` and so on.  The journal
keeps the last ``--journal-size`` in memory (``GET /riconnect/requests``) and, with
``--journal FILE``, appends each as one JSON line.

The in-memory journal belongs to its process: with ``--workers N`` each worker answers with
the requests it served.  The file is shared: every process appends whole lines to it.
Recording costs a few microseconds per request: the entry keeps references, and the
parameters are cleaned when the entry is read or written to the file.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Signature material and protocol fields (their values are shown in their own fields or
# are noise); never shown among the parameters.
_HIDDEN = frozenset(
    {
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "SignatureType",
        "AccessKeyId",
        "Timestamp",
        "Action",
        "Version",
        "Format",
        "RegionId",
    }
)
# Parameters whose values are secrets wherever they appear.
_SECRET = re.compile(r"(?i)secret|password|securitytoken|accesskey")
_RESOURCE_ID = re.compile(r"^(?:vpc|vrt|vtb|ri|vbr|pc)-[a-z0-9]{6,}$")
REDACTED = "******"
NO_CODE = "-"  # the code of an answer that is not an error


def clean_params(params: Mapping[str, str]) -> dict[str, str]:
    """The parameters as the journal shows them: no signature, no secret."""
    return {
        k: (REDACTED if _SECRET.search(k) else v) for k, v in params.items() if k not in _HIDDEN
    }


def resource_ids(values: Any) -> list[str]:
    """Resource ids among ``values`` (strings, comma-separated lists of ids)."""
    found: list[str] = []
    for value in values:
        if not isinstance(value, str) or "-" not in value:
            continue
        for part in value.split(","):
            part = part.strip()
            if _RESOURCE_ID.match(part) and part not in found:
                found.append(part)
    return found


@dataclass(slots=True)
class Trace:
    """What the gateway learns about a request while it answers it."""

    method: str = ""
    params: Mapping[str, str] | None = None
    version: str = ""
    access_key_id: str = ""
    result: Mapping[str, Any] | None = None


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs microseconds
class Entry:
    seq: int
    time: float
    method: str
    action: str
    version: str
    account: str
    region: str
    access_key_id: str
    params: Mapping[str, str]
    answered: tuple[str, ...]  # the answer's top-level texts (a create's new ids among them)
    status: int
    code: str
    request_id: str
    ms: float
    process: int

    def view(self) -> dict[str, Any]:
        params = clean_params(self.params)
        return {
            "Seq": self.seq,
            "Time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.time)),
            "Timestamp": round(self.time, 6),
            "Method": self.method,
            "Action": self.action,
            "Version": self.version,
            "AccountId": self.account,
            "RegionId": self.region,
            "AccessKeyId": self.access_key_id,
            "ResourceIds": resource_ids([*params.values(), *self.answered]),
            "Parameters": params,
            "Status": self.status,
            "Code": self.code,
            "RequestId": self.request_id,
            "DurationMs": round(self.ms, 3),
            "Process": self.process,
        }


class Journal:
    def __init__(self, size: int = 1000, path: str = "") -> None:
        self.size = size
        self._entries: deque[Entry] = deque(maxlen=size)
        self._seq = 0
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self.path = path
        self._fd: int | None = None
        if path:
            # O_APPEND: each line lands whole at the end, whichever process writes it.
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def record(
        self,
        *,
        method: str,
        action: str,
        version: str,
        account: str,
        region: str,
        access_key_id: str,
        params: Mapping[str, str],
        result: Mapping[str, Any] | None,
        status: int,
        code: str,
        request_id: str,
        ms: float,
    ) -> None:
        answered = tuple(v for v in result.values() if type(v) is str) if result else ()
        with self._lock:
            self._seq += 1
            entry = Entry(
                self._seq,
                time.time(),
                method,
                action,
                version,
                account,
                region,
                access_key_id,
                params,
                answered,
                status,
                code,
                request_id,
                ms,
                self._pid,
            )
            self._entries.append(entry)
        if self._fd is not None:
            line = json.dumps(entry.view(), ensure_ascii=False, separators=(",", ":")) + "\n"
            os.write(self._fd, line.encode())

    def query(
        self, limit: int = 100, action: str | None = None, account: str | None = None
    ) -> list[dict[str, Any]]:
        """The most recent entries first, at most ``limit``, matching the filters."""
        with self._lock:
            entries = list(self._entries)
        out = []
        for entry in reversed(entries):
            if action is not None and entry.action != action:
                continue
            if account is not None and entry.account != account:
                continue
            out.append(entry.view())
            if len(out) >= limit:
                break
        return out

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
