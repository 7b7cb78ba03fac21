"""``python -m bench``: riconnect measured next to moto, and next to the floor Terraform allows.

Scenarios (each writes <out>/<scenario>.json; then the report is rendered):

  sdk        official SDKs, sequential: riconnect on a SQLite file vs boto3 on moto_server
  server     saturation with a small multi-process load generator (both servers; 1/2/4 workers)
  scale      1,000,000 router interfaces (SQLite) and 100,000 (PostgreSQL): lookups, deep
             pages, RSS, load time, database size
  terraform  provider start-up, seed apply/plan/destroy, 25 pairs, each next to the toy floor
  pgscale    writes/s with 1, 2, 4 server processes on one PostgreSQL: scoped vs global locks;
             the cost of a nonce kept in the database

The baseline (``--baseline``, default the code before performance round 2) runs beside the
current code in the server and terraform scenarios, interleaved, so every "before" is
measured at the same moment as its "after".  ``--quick`` (CI smoke test) uses small sizes,
one repetition and no baseline; it finishes in under 3 minutes.  moto comparisons are
skipped, with a note in the results, when moto is not installed (``make bench`` installs the
bench extra) or with ``--no-moto``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import report
from bench.common import (
    BASELINE,
    BENCH_DIR,
    DEFAULT_OUT,
    Options,
    export_baseline,
    loadavg,
    machine_info,
    moto_available,
    say,
    write_result,
)

SCENARIOS = ("sdk", "server", "scale", "terraform", "pgscale")


def _runner(name: str) -> Callable[[Options], dict[str, Any]]:
    if name == "sdk":
        from bench.sdk import run
    elif name == "server":
        from bench.server import run
    elif name == "scale":
        from bench.scale import run
    elif name == "pgscale":
        from bench.pgscale import run
    else:
        from bench.terraform import run
    return run


def _reps(name: str, opts: Options, requested: int | None) -> int:
    if opts.quick:
        return 1
    if requested is not None:
        return requested
    return {"sdk": 3, "server": 3, "scale": 1, "terraform": 3, "pgscale": 2}[name]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes, one repetition (CI)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results directory")
    p.add_argument(
        "--report",
        type=Path,
        default=None,
        help="markdown report (default: bench/RESULTS.md for the default --out, "
        "else <out>/RESULTS.md)",
    )
    p.add_argument(
        "--only", default=",".join(SCENARIOS), help=f"comma-separated subset of {SCENARIOS}"
    )
    p.add_argument("--reps", type=int, default=None, help="repetitions (default per scenario)")
    p.add_argument("--no-moto", action="store_true", help="skip the moto comparisons")
    p.add_argument(
        "--baseline",
        default=BASELINE,
        help="git revision measured beside this code (default %(default)s; 'none' to skip)",
    )
    p.add_argument(
        "--report-only", action="store_true", help="re-render the report from existing results"
    )
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out.resolve()
    report_path: Path = args.report or (
        BENCH_DIR / "RESULTS.md" if out == DEFAULT_OUT.resolve() else out / "RESULTS.md"
    )
    if args.report_only:
        say(f"report: {report.write(out, report_path)}")
        return 0
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        print(f"unknown scenario(s) {unknown}; choose from {SCENARIOS}", file=sys.stderr)
        return 2
    moto_ok, moto_note = moto_available()
    if args.no_moto:
        moto_ok, moto_note = False, "moto comparison skipped (--no-moto)"
    if moto_note:
        say(moto_note)
    base = Options(quick=args.quick, out=out, reps=1, moto=moto_ok, moto_note=moto_note)
    machine = machine_info()
    if not args.quick and args.baseline != "none":
        base.baseline, why = export_baseline(args.baseline, base.workdir)
        machine["baseline"] = args.baseline if base.baseline is not None else why
    machine["quick"] = args.quick
    machine["argv"] = list(sys.argv[1:] if argv is None else argv)
    failed: list[str] = []
    started = time.monotonic()
    try:
        for name in names:
            opts = Options(
                quick=base.quick,
                out=out,
                reps=_reps(name, base, args.reps),
                moto=base.moto,
                moto_note=base.moto_note,
                workdir=base.workdir,
                baseline=base.baseline,
            )
            say(f"{name}: start (load average {loadavg()})")
            before = loadavg()
            t0 = time.monotonic()
            try:
                data = _runner(name)(opts)
            except Exception as exc:  # keep going: the other scenarios still report
                traceback.print_exc()
                failed.append(name)
                data = {"scenario": name, "error": f"{type(exc).__name__}: {exc}"}
            data["loadavg"] = [before, loadavg()]
            data["seconds"] = round(time.monotonic() - t0, 1)
            write_result(out, name, data)
            say(f"{name}: done in {data['seconds']} s")
    finally:
        shutil.rmtree(base.workdir, ignore_errors=True)
    machine["loadavg_end"] = loadavg()
    machine["seconds"] = round(time.monotonic() - started, 1)
    previous = out / "machine.json"
    if set(names) != set(SCENARIOS) and previous.exists():
        # A partial rerun: the other scenarios' results keep their run's record.
        record = json.loads(previous.read_text())
        keep = ("argv", "date", "loadavg_start", "loadavg_end", "seconds", "baseline")
        record.setdefault("reruns", []).append(
            {"scenarios": names, **{k: machine.get(k) for k in keep}}
        )
        machine = record
    write_result(out, "machine", machine)
    say(f"report: {report.write(out, report_path)}")
    if failed:
        say(f"FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
