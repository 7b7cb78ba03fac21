"""Go patterns evaluated with Python's ``re`` (gomatch) match what Go's ``regexp`` matches.

The reference is Go itself: a small program (standard library only) runs
``regexp.MustCompile(p).MatchString(s)`` for every pair, and every answer must agree.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from riconnect.terraform.alicloud.data_sources.common import compiled
from riconnect.terraform.plugin import DiagnosticError
from riconnect.terraform.plugin.gomatch import Unsupported, compile_go, translate
from riconnect.terraform.plugin.goregexp import regexp_error

INPUTS = [
    "",
    "a",
    "A",
    "ab",
    "aB",
    "abc",
    "a\n",
    "a\nb",
    "b\na",
    "vpc-1",
    "VPC_2",
    "x{,3}",
    "a{2}",
    "aa",
    "a.b",
    "a.bb",
    "axb",
    "é",
    "٣",
    "tab\there",
    "ri-to-b",
    "[x]",
    "A~B",
    "#1 ",
    "☺",
    "]a",
]

PATTERNS = [
    "^a$",
    "a$",
    "a\\z",
    "^$",
    "(?m)^a$",
    "(?m:a$)",
    "a(?i)b|c",
    "(?i)^ab",
    "a(?i)b(?-i)c|d",
    "(?i-i)A",
    "(?s)a.b",
    "a.b",
    "\\Qa.b\\E",
    "\\Qa.b",
    "[[:alpha:]]+$",
    "^[[:digit:][:upper:]]",
    "[[:punct:]]",
    "x{,3}",
    "a{2}",
    "^a{1,}$",
    "(?U)^a+",
    "(?U)a+?$",
    "(?<n>vpc)-\\d",
    "(?P<n>VPC)_\\d",
    "\\x{263a}",
    "\\x41",
    "\\101",
    "\\d",
    "^\\w+$",
    "\\s",
    "\\S\\D",
    "\\bb",
    "[\\d-]",
    "[^]a]",
    "^[]a]",
    "[a-c\\]]",
    "[~&#]",
    "[\\t]",
    "^ri-.*-b$",
    "\\A[a-z]",
    "a|",
    "(?i)é",
]


def _go_matches(cases: list[tuple[str, str]], tmp_path: Path) -> list[bool]:
    go = shutil.which("go")
    if go is None:
        pytest.skip("outside tool: go (the Go toolchain; https://go.dev/dl)")
    program = tmp_path / "match.go"
    program.write_text(
        "package main\n"
        'import ("encoding/json"; "os"; "regexp")\n'
        "func main() {\n"
        "  var cases [][2]string\n"
        "  if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil { panic(err) }\n"
        "  out := make([]bool, len(cases))\n"
        "  for i, c := range cases { out[i] = regexp.MustCompile(c[0]).MatchString(c[1]) }\n"
        "  json.NewEncoder(os.Stdout).Encode(out)\n"
        "}\n"
    )
    env = {**os.environ, "GO111MODULE": "off", "GOFLAGS": ""}
    run = subprocess.run(
        [go, "run", str(program)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=True,
    )
    result: list[bool] = json.loads(run.stdout)
    return result


def test_every_pattern_is_valid_go() -> None:
    assert [p for p in PATTERNS if regexp_error(p) is not None] == []


def test_matches_agree_with_go(tmp_path: Path) -> None:
    cases = [(p, s) for p in PATTERNS for s in INPUTS]
    expected = _go_matches(cases, tmp_path)
    ours = [compile_go(p).search(s) is not None for p, s in cases]
    differ = [(p, s, e) for (p, s), e, o in zip(cases, expected, ours, strict=True) if e != o]
    assert differ == []
    # The corpus tells the dialects apart: Python's re reading the Go pattern as written
    # would get some of these wrong (or refuse the pattern).
    raw_wrong = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # re's notes on "[[" as written
        for (p, s), e in zip(cases, expected, strict=True):
            try:
                raw_wrong += (re.search(p, s) is not None) != e
            except re.error:
                raw_wrong += 1
    assert raw_wrong > 20


@pytest.mark.parametrize("pattern", ["\\pL", "\\p{Greek}", "[\\PN]", "[[:^alpha:]]", "[\\W]"])
def test_what_re_cannot_express_is_refused(pattern: str) -> None:
    assert regexp_error(pattern) is None
    with pytest.raises(Unsupported):
        translate(pattern)


def test_data_sources_filter_with_go_semantics() -> None:
    pattern = compiled("^vpc-1\\z")
    assert pattern is not None
    assert pattern.search("vpc-1") and not pattern.search("vpc-1\n")
    with pytest.raises(DiagnosticError, match="not supported in name_regex"):
        compiled("\\pL")
