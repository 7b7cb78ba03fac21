"""Code and documents cite what a reader of this repository can open: public Alibaba Cloud
or Terraform documentation (URLs) or files of the repository (issue 16: docstrings cited
notes that exist only outside it)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Names of working notes that were never part of the repository.
OUTSIDE = re.compile(
    r"vpc-api\.md|router-interfaces\.md|api-fields\.md|terraform-provider-behaviour\.md"
    r"|official-provider\.md|emulator-lessons\.md|\.\./shared\b|/work/(shared|notes)\b"
    r"|\bshared/(reference|seed)\b"
)
SUFFIXES = {".py", ".md", ".toml", ".tf", ".cfg", ".txt", ".mako", ""}


def _files() -> list[Path]:
    out = []
    for top in ("src", "tests", "bench", "docs", "examples", ".ci"):
        out += [p for p in (ROOT / top).rglob("*") if p.is_file() and p.suffix in SUFFIXES]
    out += [ROOT / "README.md", ROOT / "Makefile", ROOT / "pyproject.toml"]
    # Tests may read the seed document beside a checkout (it is their specification).
    allowed = {Path(__file__), ROOT / "tests" / "examples" / "test_seed_verbatim.py"}
    return [p for p in out if "__pycache__" not in p.parts and p not in allowed]


def test_nothing_cites_files_outside_the_repository() -> None:
    found = []
    for path in _files():
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "cite public documentation or docs/fidelity.md instead:\n" + "\n".join(found)


def test_cited_repository_documents_exist() -> None:
    missing = []
    for path in _files():
        for name in set(
            re.findall(
                r"\b((?:docs|bench|examples)/[\w./-]+\.(?:md|tf|toml))",
                path.read_text(errors="replace"),
            )
        ):
            if not (ROOT / name).exists() and "*" not in name:
                missing.append(f"{path.relative_to(ROOT)} cites {name}")
    assert not missing, "\n".join(missing)
