"""The Go plugin SDK v1's validation texts, unit by unit: Go's formatting of values, Go's
regexp syntax errors, the helper/validation validators, the schema rules (ConflictsWith,
ExactlyOneOf, AtLeastOneOf, RequiredWith, Deprecated, Removed, TypeInt) and the official
provider's own validators with their TF_SKIP_RESOURCE_SCHEMA_VALIDATION note.

The expected texts are Go's own output (go1.26 ``fmt`` and ``regexp``) and the messages of
terraform-plugin-sdk v1.17.2 and aliyun/terraform-provider-alicloud v1.285.0.
"""

from __future__ import annotations

from typing import Any

import pytest

from riconnect.terraform.alicloud import validators as ali
from riconnect.terraform.plugin import UNKNOWN, Attribute, Block, Diagnostics, Number, String
from riconnect.terraform.plugin.diagnostics import Severity
from riconnect.terraform.plugin.gofmt import go_float, go_quote
from riconnect.terraform.plugin.goregexp import regexp_error
from riconnect.terraform.plugin.schema import Problems
from riconnect.terraform.plugin.validation import validate_block
from riconnect.terraform.plugin.validators import (
    any_of,
    between,
    int_between,
    int_in_slice,
    is_cidr,
    matches,
    one_of,
    problems,
    string_in_slice,
    string_len_between,
    string_match,
)

# (pattern, what Go's regexp.Compile says), from a Go program.
GO_REGEXP = [
    ("(", "error parsing regexp: missing closing ): `(`"),
    (")", "error parsing regexp: unexpected ): `)`"),
    ("a)", "error parsing regexp: unexpected ): `a)`"),
    ("(a", "error parsing regexp: missing closing ): `(a`"),
    ("((a)", "error parsing regexp: missing closing ): `((a)`"),
    ("[a", "error parsing regexp: missing closing ]: `[a`"),
    ("[]", "error parsing regexp: missing closing ]: `[]`"),
    ("[]a]", None),
    ("[z-a]", "error parsing regexp: invalid character class range: `z-a`"),
    ("[a-\\d]", "error parsing regexp: invalid escape sequence: `\\d`"),
    ("*a", "error parsing regexp: missing argument to repetition operator: `*`"),
    ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
    ("a*?", None),
    ("a*??", "error parsing regexp: invalid nested repetition operator: `*??`"),
    ("a+*", "error parsing regexp: invalid nested repetition operator: `+*`"),
    ("{2}a", "error parsing regexp: missing argument to repetition operator: `{2}`"),
    ("a{2}", None),
    ("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
    ("a{3,2}", "error parsing regexp: invalid repeat count: `{3,2}`"),
    ("a{,2}", None),
    ("(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
    ("(?!a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?!`"),
    ("(?P<n>a)", None),
    ("(?P<1n>a)", None),
    ("(?<n>a)", None),
    ("(?P<n", "error parsing regexp: invalid named capture: `(?P<n`"),
    ("(?i)a", None),
    ("(?i-s:a)", None),
    ("(?-)a", "error parsing regexp: invalid or unsupported Perl syntax: `(?-)`"),
    ("(?x)", "error parsing regexp: invalid or unsupported Perl syntax: `(?x`"),
    ("\\1", "error parsing regexp: invalid escape sequence: `\\1`"),
    ("\\q", "error parsing regexp: invalid escape sequence: `\\q`"),
    ("a\\", "error parsing regexp: trailing backslash at end of expression: ``"),
    ("\\C", "error parsing regexp: invalid escape sequence: `\\C`"),
    ("\\pL", None),
    ("\\p{Greek}", None),
    ("\\xZZ", "error parsing regexp: invalid escape sequence: `\\xZZ`"),
    ("\\x41", None),
    ("\\x{41}", None),
    ("\\Qa*b\\E+", None),
    ("\\Qab", None),
    ("[[:alpha:]]", None),
    ("a|*", "error parsing regexp: missing argument to repetition operator: `*`"),
    ("(*)", "error parsing regexp: missing argument to repetition operator: `*`"),
    ("^*", None),
    ("$+", None),
    ("\\d+", None),
    ("[\\d-z]", None),
    ("foo.*bar", None),
    ("(?i)", None),
    ("x{2}{3}", "error parsing regexp: invalid nested repetition operator: `{2}{3}`"),
]


@pytest.mark.parametrize(("pattern", "error"), GO_REGEXP)
def test_regexp_errors_are_gos(pattern: str, error: str | None) -> None:
    assert regexp_error(pattern) == error


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.5, "1.5"),
        (1000000.5, "1.0000005e+06"),
        (123456789.25, "1.2345678925e+08"),
        (1e21, "1e+21"),
        (0.0001, "0.0001"),
        (0.00001234, "1.234e-05"),
        (-2.5, "-2.5"),
        (12345678901234567890.5, "1.2345678901234567e+19"),
    ],
)
def test_floats_print_as_gos_percent_v(value: float, text: str) -> None:
    assert go_float(value) == text


def test_quote_is_gos_percent_q() -> None:
    assert go_quote('a"b\\c\x01é\u2028') == '"a\\"b\\\\c\\x01é\\u2028"'


def test_helper_validation_texts() -> None:
    assert string_in_slice(["VRouter", "VBR"])("VRX", "router_type") == (
        "expected router_type to be one of [VRouter VBR], got VRX"
    )
    assert string_in_slice(["Domestic"], ignore_case=True)("domestic", "k") is None
    # Go counts bytes: two characters of three bytes each are six.
    assert string_len_between(2, 5)("好好", "name") == (
        "expected length of name to be in the range (2 - 5), got 好好"
    )
    assert int_between(1, 9)(10, "period") == "expected period to be in the range (1 - 9), got 10"
    assert int_in_slice([0, 1500])(9000, "mtu") == "expected mtu to be one of [0 1500], got 9000"
    # Go's MatchString finds a match anywhere.
    assert string_match(r"ecs\.")("x-ecs.g", "t") is None
    assert string_match(r"^ecs\.", "prefix must be 'ecs.'")("g", "t") == (
        "invalid value for t (prefix must be 'ecs.')"
    )
    assert is_cidr("10.0.0.0", "cidr") == (
        'expected "cidr" to be a valid IPv4 Value, got 10.0.0.0: invalid CIDR address: 10.0.0.0'
    )
    assert is_cidr("10.0.0.0/8", "cidr") is None


def test_any_reports_every_alternative() -> None:
    check = any_of(int_between(1, 9), int_in_slice([12, 24, 36]))
    assert check(12, "period") is None
    assert check(10, "period") == Problems(
        errors=(
            "expected period to be in the range (1 - 9), got 10",
            "expected period to be one of [12 24 36], got 10",
        )
    )


NOTE = (
    " \n[NOTE] set env variable TF_SKIP_RESOURCE_SCHEMA_VALIDATION to true can skip the error "
    "and get a warning"
)


def test_the_official_providers_validators_add_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    check = ali.string_in_slice(["ENABLED", "DISABLED"])
    monkeypatch.delenv(ali.SKIP_VARIABLE, raising=False)
    message = "expected dns_hostname_status to be one of [ENABLED DISABLED], got bad"
    assert check("bad", "dns_hostname_status") == message + NOTE
    assert check("ENABLED", "dns_hostname_status") is None
    monkeypatch.setenv(ali.SKIP_VARIABLE, "true")
    assert check("bad", "dns_hostname_status") == Problems(warnings=(message,))
    assert ali.int_in_slice([0, 1500, 8500])(9000, "mtu") == Problems(
        warnings=("expected mtu to be one of [0 1500 8500], got 9000",)
    )


BLOCK = Block(
    attributes=[
        Attribute("id", String, computed=True),
        Attribute("name", String, optional=True, computed=True, deprecated="Use vpc_name."),
        Attribute("vpc_name", String, optional=True, computed=True, conflicts_with=["name"]),
        Attribute(
            "zone_id", String, optional=True, exactly_one_of=["zone_id", "availability_zone"]
        ),
        Attribute("availability_zone", String, optional=True),
        Attribute("a", String, optional=True, at_least_one_of=["b"]),
        Attribute("b", String, optional=True, required_with=["c"]),
        Attribute("c", String, optional=True),
        Attribute("gone", String, optional=True, removed="Use c."),
        Attribute("count", Number, optional=True, integer=True, validators=[int_between(1, 9)]),
    ]
)


def found(**config: Any) -> list[tuple[str, str]]:
    diags = Diagnostics()
    validate_block(BLOCK, {"zone_id": "z", "a": "x", **config}, diags)
    assert all(d.detail == "" and d.path is None for d in diags)
    return sorted(
        ("error" if d.severity is Severity.ERROR else "warning", d.summary) for d in diags
    )


def test_schema_rules_give_the_sdks_texts() -> None:
    assert found() == []
    assert found(id="x") == [("error", '"id": this field cannot be set')]
    # ConflictsWith is reported on the attribute declaring it; the other one only warns.
    assert found(name="a", vpc_name="b") == [
        ("error", '"vpc_name": conflicts with name'),
        ("warning", '"name": [DEPRECATED] Use vpc_name.'),
    ]
    assert found(name=UNKNOWN, vpc_name="b") == [("warning", '"name": [DEPRECATED] Use vpc_name.')]
    assert found(zone_id=None) == [
        ("error", '"zone_id": one of `availability_zone,zone_id` must be specified')
    ]
    assert found(zone_id=None, availability_zone=UNKNOWN) == []
    assert found(availability_zone="y") == [
        (
            "error",
            '"zone_id": only one of `availability_zone,zone_id` can be specified, '
            "but `availability_zone,zone_id` were specified.",
        )
    ]
    assert found(a=None) == [("error", '"a": one of `a,b` must be specified')]
    assert found(b="x") == [("error", '"b": all of `b,c` must be specified')]
    assert found(gone="x") == [("error", '"gone": [REMOVED] Use c.')]
    assert found(count=1.5) == [("error", "count: must be a whole number, got 1.5")]
    assert found(count=10) == [("error", "expected count to be in the range (1 - 9), got 10")]


def test_older_validator_forms_still_work() -> None:
    # Validators written for the one-argument form (other branches, users' providers).
    def positive(value: Any) -> str | None:
        return None if value > 0 else "must be positive"

    assert problems(positive, -1, "size") == Problems(errors=("size: must be positive",))
    assert problems(positive, 1, "size") == Problems()
    assert one_of([0, 1500])(9000, "mtu") == "expected mtu to be one of [0 1500], got 9000"
    assert between(0, 3600)(4000, "t") == "expected t to be in the range (0 - 3600), got 4000"
    assert matches(r"[a-z]+")("ab1", "n") == (
        'expected value of n to match regular expression "^(?:[a-z]+)$", got ab1'
    )
