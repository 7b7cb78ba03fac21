"""The error catalogue against the code: every code ``src/`` names is catalogued, and every
catalogued code is named somewhere in ``src/`` (no entries that are never raised)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from riconnect.domain.errors import CATALOGUE, ApiError, catalogued

SRC = Path(__file__).resolve().parents[2] / "src" / "riconnect"
ERRORS = SRC / "domain" / "errors.py"
# Calls whose first argument is an error code, and keywords that carry one.
CODE_CALLS = {"ApiError", "GatewayError", "catalogued", "error_bytes", "_send_error"}
CODE_KEYWORDS = {"error", "code", "financial"}


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p != ERRORS)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _code_literals() -> list[tuple[str, str]]:
    """(where, code) for every string literal passed as an error code in ``src/``."""
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            args: list[ast.expr] = []
            if name == "catalogued":
                args += node.args
            elif name in CODE_CALLS and node.args:
                args.append(node.args[0])
            args += [k.value for k in node.keywords if k.arg in CODE_KEYWORDS]
            found += [
                (f"{path.relative_to(SRC).as_posix()}:{arg.lineno}", arg.value)
                for arg in args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
    return found


def test_the_scan_finds_codes() -> None:
    assert len(_code_literals()) > 50


def test_every_code_named_in_src_is_catalogued() -> None:
    assert [(where, code) for where, code in _code_literals() if code not in CATALOGUE] == []


def test_every_catalogued_code_is_named_in_src() -> None:
    strings = {
        node.value
        for path in _sources()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert sorted(set(CATALOGUE) - strings) == []


def test_an_unknown_code_fails_at_once() -> None:
    with pytest.raises(KeyError):
        ApiError("InvalidVpcId.NotFund")
    with pytest.raises(KeyError):
        catalogued("IncorrectStatus", "IncorectStatus")
    assert catalogued("IncorrectStatus") == ("IncorrectStatus",)
