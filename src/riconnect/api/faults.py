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

__all__ = ["TRANSIENT_CODES", "FaultInjector", "FaultRule", "parse_rules"]

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
            raise ValueError(f"rule {text!r} is not [Action:]Code=RATE")
        return cls.build(action.strip() or "*", code.strip(), rate_text.strip())

    @classmethod
    def build(cls, action: str, code: str, rate: Any) -> FaultRule:
        if code not in TRANSIENT_CODES:
            raise ValueError(
                f"unknown fault code {code!r}{_suggest(code, TRANSIENT_CODES)}: "
                f"choose one of {', '.join(TRANSIENT_CODES)}"
            )
        if action != "*":
            # Imported here: the action table loads every service module, which the
            # help text (that lists TRANSIENT_CODES) should not pay for.
            from riconnect.api.actions import NAMES

            if action not in NAMES:
                raise ValueError(
                    f"unknown action {action!r}{_suggest(action, NAMES)}: name an action "
                    "riconnect serves, or none (Code=RATE) for every action"
                )
        try:
            value = float(rate)
        except (TypeError, ValueError):
            raise ValueError(f"rate {rate!r} is not a number from 0 to 1") from None
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"rate {value:g} must be from 0 to 1")
        return cls(action, code, value)


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def parse_rules(text: str) -> list[FaultRule]:
    """``--faults``: comma-separated ``[Action:]Code=RATE`` rules."""
    return [FaultRule.parse(rule) for rule in (r.strip() for r in text.split(",")) if rule]


_SECTION_KEYS = frozenset({"rule", "seed", "retry_after_ms"})
_RULE_KEYS = frozenset({"action", "code", "rate"})


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
        """The ``[faults]`` table of the accounts file (``rule``: a list of tables with
        ``action``, ``code`` and ``rate``; ``seed``; ``retry_after_ms``) plus ``--faults``
        rules.  ValueError names the entry at fault."""
        unknown = sorted(set(section) - _SECTION_KEYS)
        if unknown:
            raise ValueError(
                f"[faults]: unknown key {unknown[0]!r}{_suggest(unknown[0], _SECTION_KEYS)}; "
                f"known keys: {', '.join(sorted(_SECTION_KEYS))}"
            )
        rules = []
        for i, r in enumerate(section.get("rule", [])):
            where = f"[[faults.rule]] {i}"
            if not isinstance(r, Mapping) or set(r) - _RULE_KEYS:
                raise ValueError(f"{where}: a table of {', '.join(sorted(_RULE_KEYS))} only")
            try:
                rules.append(
                    FaultRule.build(
                        str(r.get("action", "*")), str(r.get("code", "")), r.get("rate")
                    )
                )
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
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
