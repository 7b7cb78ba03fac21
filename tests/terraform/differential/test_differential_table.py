"""The differential suite's tables, without running it: every argument of the official
schema has a case or a stated reason for none, and every expected difference names a case
that exists (a renamed or removed case cannot leave a stale entry behind)."""

from __future__ import annotations

from tests.terraform.differential import cases as C
from tests.terraform.differential.data_cases import DATA_TYPES, data_cases
from tests.terraform.differential.expectations import EXPECTED
from tests.terraform.differential.validation import validation_cases


def test_every_official_argument_has_a_case_or_a_reason() -> None:
    for group in C.RESOURCE_GROUPS:
        named = {c.name for c in C.cases(group)}
        for argument in C.arguments("resource_schemas", group.type):
            assert argument in named or isinstance(group.values[argument], C.Skip), argument
    assert {d.type for d in DATA_TYPES} == set(C.official_schema()["data_source_schemas"])
    assert len(data_cases()) > len(DATA_TYPES)
    assert {g.type for g in C.RESOURCE_GROUPS} == set(C.official_schema()["resource_schemas"])


def test_every_expected_difference_names_a_case() -> None:
    ids = {c.id for g in C.RESOURCE_GROUPS for c in C.cases(g)}
    ids |= {f"zero:{g.type}" for g in C.RESOURCE_GROUPS}
    ids |= {c.address for c in data_cases()}
    ids |= {f"validate:{c.address}" for c in validation_cases()}
    assert sorted(set(EXPECTED) - ids) == []
    assert all(reason.strip() for reason in EXPECTED.values())
