"""The official provider's figures in bench results and RESULTS.md (bench/official.py,
bench/report.py), from made-up medians: what is computed, and what the report says."""

from __future__ import annotations

from typing import Any

from bench.common import summary

from bench import official, report


def _steps(apply: float, plan: float, destroy: float) -> dict[str, Any]:
    return {"apply": summary([apply]), "noop_plan": summary([plan]), "destroy": summary([destroy])}


def test_compare_takes_the_fixed_waits_out_of_the_official_time() -> None:
    out = official.compare(_steps(10.0, 4.0, 12.0), _steps(2.5, 2.0, 3.5))
    assert out["apply"] == {
        "official_vs_ours": 4.0,
        "fixed_share": 0.5,  # 5 s of its 10 s
        "official_without_waits_vs_ours": 2.0,
    }
    assert out["noop_plan"]["fixed_share"] == 0.0
    assert out["destroy"]["official_without_waits_vs_ours"] == 2.0


def test_the_report_shows_the_comparison_or_why_it_is_missing() -> None:
    ours = _steps(2.5, 2.0, 3.5)
    seed = {"alicloud": ours, "toy": ours, "resources": 6, "ratio_vs_floor": {}}
    measured = {
        "seed": _steps(10.0, 4.0, 12.0),
        "vs_ours": official.compare(_steps(10.0, 4.0, 12.0), ours),
    }
    cell = report._official_brief(measured)
    assert "apply 10.0 s (4.00× ours; fixed waits 50%)" in cell
    lines = "\n".join(
        report._terraform(
            {
                "startup_ms": {"alicloud": summary([1.0]), "toy": summary([1.0])},
                "sdk_import_ms": summary([1.0]),
                "lean_import_ms": summary([1.0]),
                "seed": {**seed, "ratio_vs_floor": {"apply": 1, "noop_plan": 1, "destroy": 1}},
                "pairs": {
                    **seed,
                    "pairs": 2,
                    "parallelism": 10,
                    "ratio_vs_floor": {"apply": 1, "noop_plan": 1, "destroy": 1},
                },
                "official_provider": measured,
            }
        )
    )
    assert "| seed: apply | 10.0 | 2.50 | 4.00× | 5.00 s | 50% | 2.00× |" in lines
    assert report._official_brief("not measured: absent") == "not measured: absent"
