"""Fault injection, for testing users' retry logic against the errors the real service
answers transiently.  Off unless configured; an injected error changes no state because
it is raised before the service runs."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from riconnect.domain.errors import ApiError, catalogued

# The transient errors the real service answers, and the ones clients retry.
TRANSIENT_CODES = catalogued(
    "Throttling.User", "ServiceUnavailable", "OperationConflict", "IncorrectStatus"
)
_MESSAGES = {
    "IncorrectStatus": "The resource is in a transitional state; please try again later.",
}


@dataclass(frozen=True)
class FaultRule:
    action: str  # an action name, or "*" for every action
    code: str
    rate: float  # 0..1

    @classmethod
    def parse(cls, text: str) -> FaultRule:
        """``[Action:]Code=rate``, e.g. ``Throttling.User=0.3`` or ``CreateVpc:ServiceUnavailable=0.1``."""
        lhs, sep, rate_text = text.partition("=")
        action, colon, code = lhs.partition(":")
        if not colon:
            action, code = "*", lhs
        if not sep:
            raise ValueError(f"fault rule {text!r}: expected [Action:]Code=rate")
        return cls.build(action.strip() or "*", code.strip(), rate_text.strip())

    @classmethod
    def build(cls, action: str, code: str, rate: Any) -> FaultRule:
        if code not in TRANSIENT_CODES:
            raise ValueError(f"fault code {code!r}: choose one of {', '.join(TRANSIENT_CODES)}")
        try:
            value = float(rate)
        except (TypeError, ValueError):
            raise ValueError(f"fault rate {rate!r} is not a number") from None
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"fault rate {value} must be between 0 and 1")
        return cls(action, code, value)


class FaultInjector:
    def __init__(
        self,
        rules: Iterable[FaultRule] = (),
        retry_after_ms: int = 1000,
        seed: int | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self.retry_after_ms = retry_after_ms
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.injected = 0

    @classmethod
    def from_config(
        cls, section: Mapping[str, Any], extra_rules: Iterable[str] = ()
    ) -> FaultInjector:
        """The ``[faults]`` table of the accounts file plus ``--fault`` flags."""
        rules = [
            FaultRule.build(str(r.get("action", "*")), str(r.get("code", "")), r.get("rate"))
            for r in section.get("rule", [])
        ]
        rules += [FaultRule.parse(text) for text in extra_rules]
        seed = section.get("seed")
        return cls(
            rules, int(section.get("retry_after_ms", 1000)), int(seed) if seed is not None else None
        )

    @property
    def enabled(self) -> bool:
        return bool(self.rules)

    def maybe_fail(self, action: str) -> None:
        if not self.rules:
            return
        for rule in self.rules:
            if rule.action not in ("*", action):
                continue
            with self._lock:
                hit = self._rng.random() < rule.rate
                if hit:
                    self.injected += 1
            if hit:
                err = ApiError(rule.code, _MESSAGES.get(rule.code))
                if rule.code == "Throttling.User":
                    # The V2 SDK turns this header into ThrottlingException.retry_after.
                    err.headers["x-acs-retry-after"] = str(self.retry_after_ms)
                raise err
