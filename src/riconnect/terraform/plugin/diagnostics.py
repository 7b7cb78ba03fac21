"""Diagnostics: the only way errors and warnings reach the Terraform user.

An attribute path is a tuple of steps: ``str`` = attribute name, ``int`` = list element
index, :class:`Key` = map key / string element key. Example: ``("endpoint", 0, "ip")``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum


class Severity(IntEnum):
    # Same numbers as the protocol's Diagnostic.Severity enum.
    ERROR = 1
    WARNING = 2


@dataclass(frozen=True)
class Key:
    """A map key (or string element key) step in an attribute path."""

    value: str


PathStep = str | int | Key
Path = tuple[PathStep, ...]


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    summary: str
    detail: str = ""
    path: Path | None = None


class DiagnosticError(Exception):
    """Raise from provider code to report a clean error, optionally on an attribute."""

    def __init__(self, summary: str, detail: str = "", path: Path | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.detail = detail
        self.path = path


class Diagnostics:
    """An ordered collection of diagnostics that provider code appends to."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, summary: str, detail: str = "", path: Path | None = None) -> None:
        self._items.append(Diagnostic(Severity.ERROR, summary, detail, path))

    def warning(self, summary: str, detail: str = "", path: Path | None = None) -> None:
        self._items.append(Diagnostic(Severity.WARNING, summary, detail, path))

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def extend(self, other: Diagnostics) -> None:
        self._items.extend(other)

    def add_exception(self, exc: BaseException) -> None:
        """Turn an exception into one ERROR diagnostic (never a traceback)."""
        self._items.append(exception_to_diagnostic(exc))

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __repr__(self) -> str:
        return f"Diagnostics({self._items!r})"


def exception_to_diagnostic(exc: BaseException) -> Diagnostic:
    if isinstance(exc, DiagnosticError):
        return Diagnostic(Severity.ERROR, exc.summary, exc.detail, exc.path)
    name = type(exc).__name__
    summary = str(exc).strip() or name
    detail = (
        f"The provider failed with {name}. "
        "Run with TF_LOG=debug to see the provider's log for details."
    )
    return Diagnostic(Severity.ERROR, summary, detail)
