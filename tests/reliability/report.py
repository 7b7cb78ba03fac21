"""The run summary (``last_run.json``) and the generated figures section of docs/reliability.md.

``python tests/reliability/report.py`` re-renders the figures section from the last summary
without running anything.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DOC = ROOT / "docs" / "reliability.md"
BEGIN = "<!-- figures:begin (generated from tests/reliability/last_run.json; do not edit) -->"
END = "<!-- figures:end -->"

# Section -> (title, {figure key -> label}); keys not listed are shown under their own name.
SECTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "crash": (
        "Crash safety (SIGKILL under a mixed write load)",
        {
            "cycles": "kill/restart cycles survived",
            "cycles_single": "… one server process",
            "cycles_two_processes": "… two `riconnect serve` processes on one database",
            "cycles_workers": "… `riconnect serve --workers 2`, whole process tree killed",
            "cycles_pg_restart": "… PostgreSQL stopped and started again under load, servers up",
            "pg_immediate": "… … by an immediate shutdown (PostgreSQL's own crash)",
            "pg_fast": "… … by a fast shutdown (an administrator's restart)",
            "answers_503": "ServiceUnavailable answers while PostgreSQL was down",
            "other_5xx": "other 5xx answers, and connections dropped by a server that was up",
            "client_threads": "client threads per cycle",
            "requests": "requests sent",
            "acked_mutations": "acknowledged mutations (all found after every restart)",
            "acked_errors": "acknowledged errors (no trace found after every restart)",
            "in_flight_at_kill": "mutations left unanswered (in flight at a kill, abandoned by their "
            "client, or answered ServiceUnavailable)",
            "in_flight_committed": "… found applied after restart",
            "in_flight_not_committed": "… found not applied (never half-applied)",
            "creates_retried_with_token": "creates retried or replayed with their ClientToken",
            "abandoned_creates": "creates whose client gave up after a few ms (outcome unknown)",
            "duplicates": "duplicate resources from retries",
            "objects_compared": "object states compared with the clients' ledger",
            "pairs_checked": "connected pairs checked (both sides agree)",
            "stuck_intermediate": "interfaces left in an intermediate state past its deadline",
            "integrity_checks": "integrity checks passed (SQLite: `PRAGMA integrity_check`; "
            "PostgreSQL: amcheck of every index and table)",
            "lost": "acknowledged mutations lost",
        },
    ),
    "concurrency": (
        "Concurrency (random valid and invalid calls on shared pairs, 3 accounts)",
        {
            "runs": "runs (transition timing modes)",
            "clients": "concurrent clients",
            "seconds": "seconds per run",
            "requests": "requests",
            "successes": "successful calls",
            "errors_4xx": "4xx answers",
            "answers_5xx": "5xx answers",
            "pairs": "pair histories checked",
            "history_ops": "calls in the pair histories",
            "linearizable": "pair histories linearizable against the model",
            "isolation_probes": "other-account probes (all NotFound)",
            "lost_updates": "lost updates",
        },
    ),
    "fuzz": (
        "Hostile input",
        {
            "actions": "actions fuzzed (every entry of the action table)",
            "cases": "in-process fuzz cases",
            "cases_per_action_min": "fewest cases for one action",
            "wire_cases": "malformed-wire cases in-process (query, headers, methods, paths, bodies)",
            "http_cases": "raw-socket cases against a live server",
            "answers_5xx": "5xx answers",
            "state_changed_on_error": "failing calls that changed the store",
        },
    ),
    "auth": (
        "Authentication",
        {
            "attacks": "attacks tried over HTTP (all refused with the documented code)",
            "sdk_attacks": "… of which through the official SDKs",
            "accepted": "attacks accepted",
        },
    ),
    "isolation": (
        "Isolation between accounts",
        {
            "actions": "actions taking an id, each probed",
            "probes": "cross-account probes (NotFound / empty, same answer as a missing id)",
            "snapshots": "failing calls with a whole-store snapshot before and after",
            "leaks": "answers that revealed another account's resource",
        },
    ),
    "slow": (
        "Slow and stalled clients",
        {
            "stalled_connections": "stalled or slow connections (silent, half-sent, never "
            "reading, kept alive, slow readers)",
            "timed_out": "… the stalled ones, all closed by the server's deadlines",
            "probe_requests": "requests of a normal client meanwhile",
            "probe_worst_ms": "its slowest answer (ms)",
            "probe_p95_ms": "its 95th percentile (ms)",
        },
    ),
    "limits": (
        "Limits in force (defaults of `riconnect serve`)",
        {
            "max_body_bytes": "request body (bytes), `--max-body`",
            "max_header_bytes": "request line plus headers (bytes), `--max-header-size`",
            "max_params": "query plus form parameters, `--max-params`",
            "header_timeout_s": "seconds to receive a head, `--header-timeout`",
            "body_timeout_s": "seconds to receive a body, `--body-timeout`",
            "write_timeout_s": "seconds a client may leave answers unread, `--write-timeout`",
            "keep_alive_s": "seconds an idle connection stays open, `--keep-alive`",
            "shutdown_timeout_s": "seconds a graceful stop waits for requests, `--shutdown-timeout`",
        },
    ),
}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) // 1024 // 1024} GiB"
                break
    except (OSError, ValueError):
        pass
    import sqlite3

    import h11
    import uvicorn

    return {
        "postgres": _postgres_version(),
        "os": f"{platform.system()} {platform.release()}",
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "uvicorn": uvicorn.__version__,
        "h11": h11.__version__,
    }


def _postgres_version() -> str:
    import glob

    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        try:
            out = subprocess.run(
                [f"{bindir}/postgres", "--version"], capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        return out.replace("postgres (PostgreSQL)", "PostgreSQL")
    return "PostgreSQL not found"


def git_commit() -> str:
    """The commit tested, marked when the product or the suite had uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "src/riconnect", "tests/reliability")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    changed = [line for line in dirty.splitlines() if not line.endswith("last_run.json")]
    return head + (" (with uncommitted changes)" if changed else "")


def write_summary(
    *,
    outcomes: dict[str, str],
    figures: dict[str, Any],
    started: float,
    finished: float,
    summary_path: Path,
    update_doc: bool,
) -> None:
    failed = sorted(k for k, v in outcomes.items() if v == "failed")
    summary = {
        "mode": "full" if update_doc else os.environ.get("RICONNECT_RELIABILITY", "bounded"),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(finished)),
        "duration_s": round(finished - started, 1),
        "commit": git_commit(),
        "command": " ".join(["pytest", *sys.argv[1:]]) if sys.argv else "pytest",
        "machine": machine(),
        "tests": {
            "passed": sum(v == "passed" for v in outcomes.values()),
            "failed": len(failed),
            "skipped": sum(v == "skipped" for v in outcomes.values()),
        },
        "failed": failed,
        "figures": figures,
    }
    summary_path.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    if update_doc and not failed:
        update_document(summary)


def render(summary: dict[str, Any]) -> str:
    m = summary["machine"]
    tests = summary["tests"]
    lines = [
        f"Last full run: **{summary['date']}**, commit `{summary['commit']}`, "
        f"{summary['duration_s']} s, {tests['passed']} tests passed, {tests['failed']} failed, "
        f"{tests['skipped']} skipped.",
        "",
        f"Machine: {m['cpu']} ({m['cores']} cores), {m['memory']}, {m['os']}; Python "
        f"{m['python']}, SQLite {m['sqlite']}, {m.get('postgres', 'PostgreSQL not run')}, "
        f"uvicorn {m['uvicorn']}, h11 {m['h11']}.",
        "",
    ]
    figures = summary.get("figures", {})
    for section, (title, labels) in SECTIONS.items():
        columns = [(name, figures.get(key)) for name, key in _stores(section)]
        columns = [(name, data) for name, data in columns if data]
        if not columns:
            continue
        head = " | ".join(name for name, _ in columns) if len(columns) > 1 else "Value"
        lines += [f"### {title}", "", f"| Figure | {head} |", "|---" * (len(columns) + 1) + "|"]
        keys = {k for _, data in columns for k in data}
        ordered = [k for k in labels if k in keys] + sorted(k for k in keys if k not in labels)
        for key in ordered:
            if key == "per_action":
                continue
            label = labels.get(key, f"`{key}`")
            cells = [_fmt(data[key]) if key in data else "—" for _, data in columns]
            lines.append(f"| {label} | {' | '.join(cells)} |")
        lines.append("")
        actions = sorted({a for _, data in columns for a in data.get("per_action", {})})
        if actions:
            lines += [
                "Fuzz cases per action:",
                "",
                f"| Action | {head.replace('Value', 'Cases')} |",
                "|---" * (len(columns) + 1) + "|",
            ]
            for name in actions:
                cells = [str(data.get("per_action", {}).get(name, "—")) for _, data in columns]
                lines.append(f"| {name} | {' | '.join(cells)} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _stores(section: str) -> list[tuple[str, str]]:
    """(column title, figures key) of a section, per store the suite ran it on."""
    return [("SQLite", section), ("PostgreSQL", f"{section}_postgres")]


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def update_document(summary: dict[str, Any], doc: Path = DOC) -> None:
    text = doc.read_text()
    if BEGIN not in text or END not in text:
        raise RuntimeError(f"{doc} lacks the figures markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(head + BEGIN + "\n\n" + render(summary) + "\n" + END + tail)


if __name__ == "__main__":
    update_document(json.loads((HERE / "last_run.json").read_text()))
    print(f"updated {DOC}")
