"""The validation cases: ``terraform validate -json`` of one configuration holding, per
resource and data source type of the official schema, one block per argument with a value
the argument's validators may refuse (a string no enum holds, a malformed regular
expression, a non-integer number) and one block per computed-only attribute set in
configuration (issue 11 item 1: "this field cannot be set").  Both providers see the same
blocks (less the arguments ours lacks, which are listed); the diagnostics of each block are
compared: severity, summary and detail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riconnect.domain.accounts import DEMO_PHYSICAL_CONNECTION_ID
from tests.terraform.differential.cases import arguments, computed_only, hcl, official_schema
from tests.terraform.differential.runner import Diagnostic
from tests.terraform.scenarios import ProviderSetup, Runner

# Literal values for the required arguments (validate needs no objects to exist).
REQUIRED: dict[str, dict[str, Any]] = {
    "alicloud_vpc": {},
    "alicloud_router_interface": {
        "opposite_region": "cn-hangzhou",
        "router_type": "VRouter",
        "router_id": "vrt-validation",
        "role": "InitiatingSide",
        # Optional, but an initiator without it is refused (ours at validate, the official
        # provider at apply): given, so that each block tests its own argument.
        "specification": "Large.2",
    },
    "alicloud_router_interface_connection": {
        "interface_id": "ri-validationone",
        "opposite_interface_id": "ri-validationtwo",
    },
    "alicloud_express_connect_router_interface": {
        "opposite_region_id": "cn-hangzhou",
        "router_type": "VRouter",
        "router_id": "vrt-validation",
        "role": "InitiatingSide",
        "spec": "Mini.2",
    },
    "alicloud_express_connect_virtual_border_router": {
        "physical_connection_id": DEMO_PHYSICAL_CONNECTION_ID,
        "vlan_id": 100,
        "local_gateway_ip": "10.0.0.1",
        "peer_gateway_ip": "10.0.0.2",
        "peering_subnet_mask": "255.255.255.252",
    },
}
INVALID_STRING = "not-a-valid-value"


def _invalid(name: str, type_: Any) -> Any:
    if name == "name_regex":
        return "("
    if type_ == "string":
        return INVALID_STRING
    if type_ == "number":
        return 1.5
    return None  # bools and collections: no value a validator could refuse


def _computed_value(type_: Any) -> Any:
    return (
        {"string": "set-in-config", "number": 1, "bool": True}.get(type_)
        if isinstance(type_, str)
        else None
    )


@dataclass(frozen=True)
class ValidationCase:
    kind: str  # "resource" or "data"
    type: str
    name: str  # "<argument>" or "computed_<attribute>"
    argument: str
    value: Any

    @property
    def address(self) -> str:
        prefix = "data." if self.kind == "data" else ""
        return f"{prefix}{self.type}.{self.name}"

    id = address


def validation_cases() -> list[ValidationCase]:
    found = []
    schema = official_schema()
    for kind, key in (("resource", "resource_schemas"), ("data", "data_source_schemas")):
        for type_name in sorted(schema[key]):
            attributes = schema[key][type_name]["block"]["attributes"]
            for name in sorted(arguments(key, type_name)):
                value = _invalid(name, attributes[name]["type"])
                if value is not None:
                    found.append(ValidationCase(kind, type_name, name, name, value))
            for name in computed_only(key, type_name):
                value = _computed_value(attributes[name]["type"])
                if value is not None:
                    found.append(ValidationCase(kind, type_name, f"computed_{name}", name, value))
    return found


def render_validation(
    known: dict[str, set[str]] | None,
) -> tuple[str, dict[tuple[int, int], str], dict[str, str]]:
    """The configuration, the line span of each case's block, and the cases whose
    argument the provider lacks (left out of their block)."""
    lines: list[str] = []
    spans: dict[tuple[int, int], str] = {}
    left_out: dict[str, str] = {}
    for case in validation_cases():
        start = len(lines) + 1
        block = "data" if case.kind == "data" else "resource"
        lines.append(f'{block} "{case.type}" "{case.name}" {{')
        args = dict(REQUIRED.get(case.type, {}))
        if known is not None and case.argument not in known.get(case.type, set()):
            left_out[case.address] = case.argument
        else:
            args[case.argument] = case.value
        lines += [f"  {k} = {hcl(v)}" for k, v in args.items()]
        lines.append("}")
        lines.append("")
        spans[(start, len(lines))] = case.address
    return "\n".join(lines), spans, left_out


@dataclass
class ValidationResult:
    provider: str
    diagnostics: dict[str, list[Diagnostic]]
    left_out: dict[str, str]
    harness: str = ""


def run_validation(
    workdir: Path, cloud: Any, setup: ProviderSetup, terraform: str, initialized: Path, known: Any
) -> ValidationResult:
    """``terraform validate -json`` for one provider (its cloud only serves the override),
    in a directory sharing the provider's ``initialized`` one."""
    path = workdir / "validate"
    path.mkdir(parents=True, exist_ok=True)
    (path / ".terraform").symlink_to(initialized / ".terraform")
    (path / ".terraform.lock.hcl").write_text((initialized / ".terraform.lock.hcl").read_text())
    config, spans, left_out = render_validation(known)
    (path / "main.tf").write_text(config)
    result = Runner(path, cloud, setup, terraform)("validate", "-json", "-no-color")
    # validate -json prints one indented document.
    try:
        document, _ = json.JSONDecoder().raw_decode(result.stdout[result.stdout.index("{") :])
    except ValueError:
        return ValidationResult(setup.name, {}, left_out, f"validate: {result.stdout[-3000:]}")
    found: dict[str, list[Diagnostic]] = {}
    for d in document.get("diagnostics", []):
        line = ((d.get("range") or {}).get("start") or {}).get("line", 0)
        address = next((a for (lo, hi), a in spans.items() if lo <= line <= hi), "")
        found.setdefault(address, []).append(
            Diagnostic(d["severity"], d.get("summary", ""), d.get("detail", ""))
        )
    return ValidationResult(setup.name, found, left_out)
