"""bench/RESULTS.md from the JSON result files (and the hand-written bench/NOTES.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, ratio

NOTES = BENCH_DIR / "NOTES.md"


def _load(out: Path, name: str) -> dict[str, Any] | None:
    path = out / f"{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        text = (
            f"{value:,.2f}"
            if abs(value) < 10
            else f"{value:,.1f}"
            if abs(value) < 1000
            else f"{value:,.0f}"
        )
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return f"{text}{unit}"


def _spread(s: dict[str, Any] | None, unit: str = "") -> str:
    """``median (min-max)`` of a summary()."""
    if not s or s.get("median") is None:
        return "n/a"
    if s["min"] == s["max"]:
        return _fmt(s["median"], unit)
    return f"**{_fmt(s['median'], unit)}** ({_fmt(s['min'])}–{_fmt(s['max'])})"


def _met(flag: bool | None) -> str:
    return "n/a" if flag is None else ("met" if flag else "**missed**")


def _machine(m: dict[str, Any]) -> list[str]:
    pk = m.get("packages", {})
    versions = ", ".join(f"{k} {v}" for k, v in pk.items() if v)
    return [
        f"- date: {m.get('date')}",
        f"- machine: {m.get('cpu_model')}, {m.get('cores')} cores, {m.get('memory_gib')} GiB, "
        f"{m.get('os')}",
        f"- Python {m.get('python')}, SQLite {m.get('sqlite')}, Terraform {m.get('terraform')}",
        f"- packages: {versions}",
        f"- mode: {'--quick (smoke test: small sizes, 1 repetition)' if m.get('quick') else 'full'}",
        f"- load average (1, 5, 15 min) at start: {m.get('loadavg_start')}, at end: "
        f"{m.get('loadavg_end')}; per scenario in the sections below",
        *(
            f"- rerun of {', '.join(r['scenarios'])}: {r['date']}, load average "
            f"{r['loadavg_start']} → {r['loadavg_end']}"
            for r in m.get("reruns", [])
        ),
    ]


def _summary_rows(res: dict[str, dict[str, Any] | None]) -> list[str]:
    rows = ["| Target | Wanted | Measured | |", "|---|---|---|---|"]
    sdk = res.get("sdk")
    if sdk and "ratios" in sdk:
        labels = {
            "create_vpc": "CreateVpc calls/s",
            "describe_vpc_by_id": "DescribeVpcs by id calls/s",
            "list_vpcs": "listings of 200 VPCs/s (riconnect: 4 pages of 50)",
            "connect_networks": "calls/s while connecting two networks",
        }
        for op, value in sdk["ratios"].items():
            rows.append(
                f"| sdk: riconnect/moto, {labels.get(op, op)} | ≥ 2× | "
                f"{_fmt(value, '×')} | {_met(sdk['target_met'].get(op))} |"
            )
    srv = res.get("server")
    if srv and "ratios" in srv:
        for key, value in srv["ratios"].items():
            rows.append(
                f"| server: riconnect/moto requests/s, {key.replace('_', ' ')} | ≥ 5× | "
                f"{_fmt(value, '×')} | {_met(srv['target_met'].get(key))} |"
            )
    sc = res.get("scale")
    if sc and "queries" in sc:
        q = sc["queries"]
        for name in ("ri_by_id", "vpc_by_id"):
            p99 = q[name]["server_side_blocks"]["p99_ms"]["median"]
            rows.append(
                f"| scale: {name.replace('_', ' ')} p99, server side, "
                f"{sc['size']['router_interfaces']:,} interfaces | ≤ 5 ms | {_fmt(p99, ' ms')} | "
                f"{_met(None if p99 is None else p99 <= 5.0)} |"
            )
        rows.append(
            f"| scale: server RSS | ≤ 200 MB | {_fmt(sc.get('rss_mib_after'), ' MiB')} | "
            f"{_met(sc['target_met'].get('rss'))} |"
        )
    tf = res.get("terraform")
    if tf and "startup_ms" in tf:
        rows.append(
            f"| terraform: alicloud provider start-up, median | ≤ 200 ms | "
            f"{_fmt(tf['startup_ms']['alicloud']['median'], ' ms')} (toy floor "
            f"{_fmt(tf['startup_ms']['toy']['median'], ' ms')}) | "
            f"{_met(tf['target_met'].get('startup'))} |"
        )
        rows.append(
            f"| terraform: seed apply vs floor | ≤ 1.3× | "
            f"{_fmt(tf['seed']['ratio_vs_floor']['apply'], '×')} | "
            f"{_met(tf['target_met'].get('seed_apply'))} |"
        )
    return rows


def _sdk(r: dict[str, Any]) -> list[str]:
    lines = [
        "## 1. sdk — official SDKs, sequential, riconnect (SQLite file) vs moto_server",
        "",
        f"{r.get('repetitions')} alternating runs per server (riconnect, moto, riconnect, …), "
        f"each on a fresh server; median (min–max) of the runs. {r.get('note', '')}",
        "",
        "| Operation | riconnect calls/s | moto calls/s | ratio (calls) | riconnect per listing/connection | moto per listing/connection | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for op, e in r["operations"].items():
        rc, mo = e["riconnect"], e.get("moto")
        extra = next((k for k in ("listings_per_s", "connections_per_s") if k in rc), None)
        label = f"{op.replace('_', ' ')} ({rc['calls_per_run']} calls/run"
        if mo:
            label += f"; moto {mo['calls_per_run']}"
        label += ")"
        unit = "/s"
        lines.append(
            f"| {label} | {_spread(rc['calls_per_s'])} | "
            f"{_spread(mo['calls_per_s']) if mo else 'n/a'} | {_fmt(e.get('ratio_calls'), '×')} | "
            f"{_spread(rc[extra], unit) if extra else ''} | "
            f"{_spread(mo[extra], unit) if extra and mo else ''} | "
            f"{_fmt(e.get('ratio_' + extra.removesuffix('_per_s')), '×') if extra else ''} |"
        )
    floor = r.get("client_floor")
    if floor:
        lines += [
            "",
            "Client floor (each SDK against a canned in-process HTTP answer of the same shape, "
            "no server work at all): the most calls/s each SDK can make on this machine.",
            "",
            "| Call | alibabacloud_vpc20160428 | boto3 |",
            "|---|---|---|",
        ]
        for call, v in floor.items():
            lines.append(
                f"| {call} | {_fmt(v.get('alibaba'), ' /s')} | {_fmt(v.get('boto3'), ' /s')} |"
            )
    return lines


def _server(r: dict[str, Any]) -> list[str]:
    load = r["load"]
    lines = [
        "## 2. server — saturation, same load generator for both",
        "",
        f"{load['processes']} client processes × 1 keep-alive connection, "
        f"{load['seconds_per_run']} s per run, {load['repetitions']} alternating runs; "
        f"latency measured by the client on loopback. {r.get('note', '')}",
        "",
        "| Server | read req/s | read p50 / p99 ms | write req/s | write p50 / p99 ms | RSS after |",
        "|---|---|---|---|---|---|",
    ]
    for system, t in r["results"].items():
        lines.append(
            f"| {system.replace('_', ' ')} | {_spread(t['read']['requests_per_s'])} | "
            f"{_fmt(t['read']['p50_ms']['median'])} / {_fmt(t['read']['p99_ms']['median'])} | "
            f"{_spread(t['write']['requests_per_s'])} | "
            f"{_fmt(t['write']['p50_ms']['median'])} / {_fmt(t['write']['p99_ms']['median'])} | "
            f"{_fmt(t['rss_mib_after']['median'], ' MiB')} |"
        )
    errors = {s: t["read"]["errors"] + t["write"]["errors"] for s, t in r["results"].items()}
    lines += ["", f"Errors (non-200 or failed requests): {errors}"]
    return lines


def _scale(r: dict[str, Any]) -> list[str]:
    size, load = r["size"], r["load"]
    lines = [
        "## 3. scale — a large cloud through the HTTP API",
        "",
        f"{size['router_interfaces']:,} router interfaces and {size['vpcs']:,} VPCs in "
        f"{size['accounts']} accounts ({size['status_mix']}). Bulk load straight into the "
        f"store (see bench/scale.py): {_fmt(load['seconds'], ' s')} for {load['rows']:,} rows, "
        f"database {_fmt(load['db_mib'], ' MiB')}; server start on it "
        f"{_fmt(r.get('start_seconds'), ' s')}. RSS idle {_fmt(r.get('rss_mib_idle'), ' MiB')}, "
        f"after the queries {_fmt(r.get('rss_mib_after'), ' MiB')}.",
        "",
        "| Query (random ids / pages, all accounts) | calls | server p50 | server p99 | client p50 | client p99 |",
        "|---|---|---|---|---|---|",
    ]
    names = {
        "ri_by_id": "DescribeRouterInterfaces, Filter RouterInterfaceId",
        "ri_by_status": "DescribeRouterInterfaces, Filter Status=Active, PageSize 50, random page",
        "vpc_by_id": "DescribeVpcs, VpcId",
    }
    for key, q in r["queries"].items():
        s, c, blk = q["server_side"], q["client_side_loopback"], q["server_side_blocks"]
        lines.append(
            f"| {names.get(key, key)} | {s['n']} | {_spread(blk['p50_ms'], ' ms')} | "
            f"{_spread(blk['p99_ms'], ' ms')} | {_fmt(c['p50_ms'], ' ms')} | "
            f"{_fmt(c['p99_ms'], ' ms')} |"
        )
    lines += [
        "",
        "Server side = the access log's `ms=` (logger `riconnect.access`: app entry to answer "
        f"sent), p50 and p99 per block of {r.get('calls_per_block')} calls, median (min–max) of "
        f"{r.get('blocks')} blocks; client side = send to last byte over loopback, all calls.",
    ]
    return lines


def _terraform(r: dict[str, Any]) -> list[str]:
    st = r["startup_ms"]
    lines = [
        "## 4. terraform — provider start-up, seed, 25 pairs; each next to the toy floor",
        "",
        f"Provider start-up, exec to handshake line ({len(st['alicloud']['runs'])} runs each, "
        f"alternating): alicloud {_spread(st['alicloud'], ' ms')}, toy floor "
        f"{_spread(st['toy'], ' ms')}. Importing the official SDK on the first call to "
        f"the cloud (fresh interpreter, {len(r['sdk_import_ms']['runs'])} runs): "
        f"{_spread(r['sdk_import_ms'], ' ms')}.",
        "",
        "| Step | alicloud s | toy floor s | ratio |",
        "|---|---|---|---|",
    ]
    for case, title in (("seed", "seed example"), ("pairs", "connected VPC pairs")):
        t = r[case]
        label = f"{title} ({t['resources']} resources"
        if case == "pairs":
            label += f", {t['pairs']} pairs, -parallelism={t['parallelism']}"
        label += ")"
        for step in ("apply", "noop_plan", "destroy"):
            lines.append(
                f"| {label}: {step.replace('_', ' ')} | {_spread(t['alicloud'][step])} | "
                f"{_spread(t['toy'][step])} | {_fmt(t['ratio_vs_floor'][step], '×')} |"
            )
    lines += ["", f"{r.get('repetitions')} alternating runs (alicloud, toy, alicloud, …)."]
    return lines


def _before_after(out: Path) -> list[str]:
    """riconnect's own figures with the code before the fixes (results/before/) and now."""
    before_dir = out / "before"
    rows: list[tuple[str, Any, Any, str]] = []

    def get(data: dict[str, Any] | None, *path: str) -> Any:
        for key in path:
            if not isinstance(data, dict):
                return None
            data = data.get(key)
        return data

    pairs = {n: (_load(before_dir, n), _load(out, n)) for n in ("sdk", "server", "scale")}
    b, a = pairs["sdk"]
    for op, key, label in (
        ("create_vpc", "calls_per_s", "sdk: CreateVpc calls/s"),
        ("describe_vpc_by_id", "calls_per_s", "sdk: DescribeVpcs by id calls/s"),
        ("list_vpcs", "listings_per_s", "sdk: full listing of 200 VPCs (4 pages) per s"),
        ("connect_networks", "calls_per_s", "sdk: connect two networks, calls/s"),
    ):
        sdk_path = ("operations", op, "riconnect", key, "median")
        rows.append((label, get(b, *sdk_path), get(a, *sdk_path), ""))
    b, a = pairs["server"]
    for system in ("riconnect", "riconnect_workers2"):
        for op in ("read", "write"):
            name = system.replace("riconnect_workers2", "--workers 2").replace(
                "riconnect", "1 process"
            )
            rows.append(
                (
                    f"server, {name}: {op} req/s",
                    get(b, "results", system, op, "requests_per_s", "median"),
                    get(a, "results", system, op, "requests_per_s", "median"),
                    "",
                )
            )
            rows.append(
                (
                    f"server, {name}: {op} p50",
                    get(b, "results", system, op, "p50_ms", "median"),
                    get(a, "results", system, op, "p50_ms", "median"),
                    " ms",
                )
            )
    b, a = pairs["scale"]
    for query, label in (
        ("ri_by_id", "scale: interface by id"),
        ("ri_by_status", "scale: page by status"),
        ("vpc_by_id", "scale: VPC by id"),
    ):
        for stat in ("p50_ms", "p99_ms"):
            path = ("queries", query, "server_side", stat)
            rows.append((f"{label}, server {stat[:3]}", get(b, *path), get(a, *path), " ms"))
    rows.append(("scale: RSS after", get(b, "rss_mib_after"), get(a, "rss_mib_after"), " MiB"))
    if all(r[1] is None for r in rows):
        return []
    machine = _load(before_dir, "machine") or {}
    lines = [
        "### riconnect before the fixes and now",
        "",
        f"Before: the code before these fixes, run {machine.get('date', '?')} with load average "
        f"{machine.get('loadavg_start')} → {machine.get('loadavg_end')} (results/before/). "
        "Now: the run above.",
        "",
        "| Figure | before | now |",
        "|---|---|---|",
    ]
    for label, old, new, unit in rows:
        lines.append(f"| {label} | {_fmt(old, unit)} | {_fmt(new, unit)} |")
    return lines


def _pgscale(r: dict[str, Any]) -> list[str]:
    load = r["load"]
    lines = [
        "## 5. pgscale — writes on one PostgreSQL, scoped against global write locks",
        "",
        f"{load['clients']} client processes (one account each), CreateVpc in a closed loop, "
        f"{load['seconds_per_run']} s per run, "
        + (
            "one run per configuration"
            if load["repetitions"] == 1
            else f"{load['repetitions']} alternating runs"
        )
        + "; PostgreSQL with fsync on, on the same 2 cores as the servers and clients.",
        "",
        "| Server processes | global lock writes/s | p50 / p99 ms | scoped locks writes/s "
        "| p50 / p99 ms | scoped / global |",
        "|---|---|---|---|---|---|",
    ]
    for n, scoped in r["results"]["scoped"].items():
        glob = r["results"]["global"][n]
        lines.append(
            f"| {n} | {_spread(glob['writes_per_s'])} | {_fmt(glob['p50_ms']['median'])} / "
            f"{_fmt(glob['p99_ms']['median'])} | {_spread(scoped['writes_per_s'])} | "
            f"{_fmt(scoped['p50_ms']['median'])} / {_fmt(scoped['p99_ms']['median'])} | "
            f"{_fmt(r['scoped_over_global'][n], '×')} |"
        )
    errors = {f"{lk} {n}": t["errors"] for lk, per in r["results"].items() for n, t in per.items()}
    cap = r.get("lock_capacity")
    if cap:
        lines += [
            "",
            f"What each locking lets through when the servers' CPU is not the limit: "
            f"{cap['threads_per_process']} threads per process, one account each, every write "
            f"holding its locks for {_fmt(cap['hold_ms'])} ms without CPU (as round trips to a "
            "remote PostgreSQL would):",
            "",
            "| Processes | global lock writes/s | scoped locks writes/s |",
            "|---|---|---|",
        ]
        for n, scoped in cap["results"]["scoped"].items():
            glob = cap["results"]["global"][n]
            lines.append(f"| {n} | {_spread(glob)} | {_spread(scoped)} |")
    nonces = r["nonces"]
    lines += ["", *_pgscale_reading(r)]
    lines += [
        "",
        f"Errors (non-200 or failed requests): {errors}",
        "",
        f"Recording a signature nonce, {nonces['calls']} calls in a row, in-process: "
        + ", ".join(f"{k.replace('_', ' ')} {v} µs" for k, v in nonces["us_per_call"].items())
        + " per call.",
    ]
    return lines


def _pgscale_reading(r: dict[str, Any]) -> list[str]:
    """What the pgscale figures show, computed from them (the report is regenerated, so a
    hand-written reading would go stale)."""
    per = {
        lk: {n: t["writes_per_s"]["median"] for n, t in r["results"][lk].items()}
        for lk in r["results"]
    }
    ns = sorted(per["scoped"], key=int)
    first, last = ns[0], ns[-1]
    ratios = ", ".join(f"{_fmt(r['scoped_over_global'][n], '×')} with {n}" for n in ns)
    growth = {lk: ratio(per[lk][last], per[lk][first]) for lk in per}
    text = (
        f"Reading: scoped locks let through {ratios} process(es) of what the global lock does. "
        f"From {first} to {last} server processes, writes/s change by "
        f"{_fmt(growth['global'], '×')} with the global lock and {_fmt(growth['scoped'], '×')} "
        "with scoped locks: more processes add throughput only where there are cores to run "
        "them, which this machine did not have."
    )
    load = r.get("loadavg")
    if load and load[0] and load[0][0] > 2:
        text += (
            f" The machine was busy with other work during this run (load average {load[0][0]} "
            f"at the start, {load[1][0]} at the end, on 2 cores): the absolute figures are far "
            "below an idle machine's and only the comparison between lockings, measured "
            "alternately under the same load, carries over."
        )
    return [text]


def render(out: Path) -> str:
    machine = _load(out, "machine") or {}
    res = {name: _load(out, name) for name in ("sdk", "server", "scale", "terraform", "pgscale")}
    lines = [
        "# riconnect benchmarks",
        "",
        "Generated by `python -m bench` (`make bench`) from bench/results/*.json; the prose in "
        "the last sections comes from bench/NOTES.md. Figures are medians with (min–max) of "
        "alternating repetitions on a shared, noisy machine.",
        "",
        *_machine(machine),
        "",
        "## Targets",
        "",
        *_summary_rows(res),
        "",
    ]
    renderers = {
        "sdk": _sdk,
        "server": _server,
        "scale": _scale,
        "terraform": _terraform,
        "pgscale": _pgscale,
    }
    for name, data in res.items():
        if data is None:
            continue
        if "error" in data:
            lines += [f"## {name}", "", f"FAILED: {data['error']}", ""]
            continue
        lines += renderers[name](data)
        load = data.get("loadavg")
        if load:
            lines += ["", f"Load average before / after this scenario: {load[0]} / {load[1]}."]
        lines.append("")
    if NOTES.exists():
        notes = NOTES.read_text().rstrip()
        notes = notes.replace("BEFORE_TABLE", "\n".join(_before_after(out)))
        lines += [notes, ""]
    return "\n".join(lines)


def write(out: Path, path: Path) -> Path:
    path.write_text(render(out))
    return path
