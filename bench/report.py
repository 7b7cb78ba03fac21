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
        f"- baseline measured beside this code: {m.get('baseline') or 'none'}",
        f"- load average (1, 5, 15 min) at start: {m.get('loadavg_start')}, at end: "
        f"{m.get('loadavg_end')}; per scenario in the sections below",
        *(
            f"- rerun of {', '.join(r['scenarios'])}: {r['date']}, load average "
            f"{r['loadavg_start']} → {r['loadavg_end']}"
            for r in m.get("reruns", [])
        ),
    ]


def _row(label: str, wanted: str, measured: str, met: bool | None) -> str:
    return f"| {label} | {wanted} | {measured} | {_met(met)} |"


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
                _row(
                    f"sdk: riconnect/moto, {labels.get(op, op)}",
                    "≥ 2×",
                    _fmt(value, "×"),
                    sdk["target_met"].get(op),
                )
            )
    srv = res.get("server")
    if srv and "ratios" in srv:
        met = srv["target_met"]
        want = f"≥ {srv['target']['ratio_min']:g}×"
        for key, value in srv["ratios"].items():
            label = key.replace("riconnect_workers", "--workers ").replace("riconnect_", "")
            label = label.replace("_", " ")
            rows.append(
                _row(
                    f"server: riconnect/moto requests/s, {label}", want, _fmt(value, "×"), met[key]
                )
            )
        results = srv["results"]
        for op in ("read", "write"):
            one = results["riconnect"][op]["requests_per_s"]["median"]
            two = results["riconnect_workers2"][op]["requests_per_s"]["median"]
            rows.append(
                _row(
                    f"server: --workers 2 at least as fast as 1 process, {op}",
                    "≥ 1×",
                    f"{_fmt(two)} vs {_fmt(one)} req/s ({_fmt(ratio_or_none(two, one), '×')})",
                    met.get(f"workers2_vs_1_{op}"),
                )
            )
        rows.append(
            _row(
                "server: read p99 under load, 1 process",
                f"≤ {srv['target']['read_p99_ms']:g} ms",
                _fmt(results["riconnect"]["read"]["p99_ms"]["median"], " ms"),
                met.get("read_p99"),
            )
        )
    sc = res.get("scale")
    if sc and "queries" in sc:
        for data in (sc, sc.get("postgres")):
            if not data or "queries" not in data:
                continue
            rows += _scale_rows(data)
        pg = sc.get("postgres") or {}
        if "skipped" in pg:
            rows.append(
                _row("scale: PostgreSQL, 100,000 interfaces", "measured", pg["skipped"], None)
            )
    tf = res.get("terraform")
    if tf and "startup_ms" in tf:
        met = tf["target_met"]
        st = tf["startup_ms"]
        rows.append(
            _row(
                "terraform: alicloud provider start-up vs toy floor",
                "≤ 1.10×",
                f"{_fmt(st['alicloud']['median'], ' ms')} vs {_fmt(st['toy']['median'], ' ms')} "
                f"({_fmt(tf.get('startup_vs_floor'), '×')})",
                met.get("startup"),
            )
        )
        for step in ("apply", "noop_plan", "destroy"):
            rows.append(
                _row(
                    f"terraform: seed {step.replace('_', '-')} vs floor",
                    "≤ 1.3×",
                    _fmt(tf["seed"]["ratio_vs_floor"][step], "×"),
                    met.get(f"seed_{step}"),
                )
            )
        rows.append(
            _row(
                f"terraform: {tf['pairs'].get('pairs')} pairs apply vs floor",
                "≤ 1.5×",
                _fmt(tf["pairs"]["ratio_vs_floor"]["apply"], "×"),
                met.get("pairs_apply"),
            )
        )
        if "official_provider" in tf:
            rows.append(
                _row(
                    "terraform: official provider's seed apply/plan/destroy beside ours",
                    "measured",
                    _official_brief(tf["official_provider"]),
                    None,
                )
            )
    return rows


def ratio_or_none(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 2)


def _scale_rows(sc: dict[str, Any]) -> list[str]:
    q = sc["queries"]
    where = f"{sc.get('database', 'sqlite')}, {sc['size']['router_interfaces']:,} interfaces"
    rows = []
    for name, label, limit in (
        ("ri_by_id", "interface by id", 5.0),
        ("vpc_by_id", "VPC by id", 5.0),
        ("ri_by_status", "status page (random page)", 10.0),
        ("ri_by_status_last", "status page (last page)", 10.0),
    ):
        if name not in q:
            continue
        p99 = q[name]["server_side_blocks"]["p99_ms"]["median"]
        rows.append(
            _row(
                f"scale ({where}): {label} p99, server side",
                f"≤ {limit:g} ms",
                _fmt(p99, " ms"),
                None if p99 is None else p99 <= limit,
            )
        )
    rows.append(
        _row(
            f"scale ({where}): server RSS",
            "≤ 200 MB",
            _fmt(sc.get("rss_mib_after"), " MiB"),
            sc["target_met"].get("rss"),
        )
    )
    load = sc["load"]
    rows.append(
        _row(
            f"scale ({where}): bulk load, database size",
            "reported",
            f"{_fmt(load['seconds'], ' s')} for {load['rows']:,} rows, {_fmt(load['db_mib'], ' MiB')}",
            None,
        )
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
        f"latency measured by the client on loopback; CPU = the server's own CPU time per "
        f"request answered (all its processes). {r.get('note', '')}",
        "",
        "| Server | read req/s | read p50 / p99 ms | read CPU ms/req | write req/s | "
        "write p50 / p99 ms | write CPU ms/req | RSS after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    names = {
        "riconnect": "riconnect, 1 process",
        "riconnect_workers2": "riconnect --workers 2",
        "riconnect_workers4": "riconnect --workers 4",
        "baseline": "baseline (before this round), 1 process",
        "moto": "moto",
    }
    for system, t in r["results"].items():
        cells = []
        for op in ("read", "write"):
            cpu = t[op].get("cpu_ms_per_request") or {}
            cells += [
                _spread(t[op]["requests_per_s"]),
                f"{_fmt(t[op]['p50_ms']['median'])} / {_fmt(t[op]['p99_ms']['median'])}",
                _fmt(cpu.get("median")),
            ]
        lines.append(
            f"| {names.get(system, system)} | {' | '.join(cells)} | "
            f"{_fmt(t['rss_mib_after']['median'], ' MiB')} |"
        )
    errors = {s: t["read"]["errors"] + t["write"]["errors"] for s, t in r["results"].items()}
    lines += ["", f"Errors (non-200 answers or failed requests): {errors}"]
    for system, t in r["results"].items():
        failures = t["read"].get("failures", []) + t["write"].get("failures", [])
        if failures:
            lines.append(f"- {system}: " + "; ".join(failures[:5]))
    vs = r.get("vs_baseline") or {}
    if vs:
        lines += [
            "",
            "This code / the baseline, same run: "
            + ", ".join(
                f"{op} {_fmt(v['requests_per_s'], '×')} requests/s, "
                f"{_fmt(v['cpu_ms_per_request'], '×')} CPU per request"
                for op, v in vs.items()
            )
            + ".",
        ]
    return lines


def _scale(r: dict[str, Any]) -> list[str]:
    lines = ["## 3. scale — a large cloud through the HTTP API", ""]
    lines += _scale_one(r)
    pg = r.get("postgres") or {}
    if "queries" in pg:
        lines += ["", "### The same on PostgreSQL", ""] + _scale_one(pg)
    elif pg:
        lines += ["", f"PostgreSQL: {pg.get('skipped') or pg.get('error')}"]
    return lines


def _scale_one(r: dict[str, Any]) -> list[str]:
    size, load = r["size"], r["load"]
    lines = [
        f"{r.get('database', 'sqlite')}: "
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
        "ri_by_status_last": "the same, last page",
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
    base = st.get("baseline")
    lines = [
        "## 4. terraform — provider start-up, seed, 25 pairs; each next to the toy floor",
        "",
        f"Provider start-up, exec to handshake line ({len(st['alicloud']['runs'])} runs each, "
        f"alternating): alicloud {_spread(st['alicloud'], ' ms')}, toy floor "
        f"{_spread(st['toy'], ' ms')}"
        + (f", baseline alicloud {_spread(base, ' ms')}" if base else "")
        + ". What a provider process imports on its first call to the cloud (fresh "
        f"interpreter, {len(r['sdk_import_ms']['runs'])} runs): the official SDK, as before "
        f"this round, {_spread(r['sdk_import_ms'], ' ms')}; the lean client's HTTP modules, "
        f"now, {_spread(r.get('lean_import_ms'), ' ms')}.",
        "",
    ]
    has_base = "baseline" in r["seed"]
    head = "| Step | alicloud s | toy floor s | ratio |"
    rule = "|---|---|---|---|"
    if has_base:
        head += " baseline alicloud s | baseline ratio |"
        rule += "---|---|"
    lines += [head, rule]
    for case, title in (("seed", "seed example"), ("pairs", "connected VPC pairs")):
        t = r[case]
        label = f"{title} ({t['resources']} resources"
        if case == "pairs":
            label += f", {t['pairs']} pairs, -parallelism={t['parallelism']}"
        label += ")"
        for step in ("apply", "noop_plan", "destroy"):
            row = (
                f"| {label}: {step.replace('_', ' ')} | {_spread(t['alicloud'][step])} | "
                f"{_spread(t['toy'][step])} | {_fmt(t['ratio_vs_floor'][step], '×')} |"
            )
            if has_base:
                row += (
                    f" {_spread(t['baseline'][step])} | "
                    f"{_fmt(t['baseline_ratio_vs_floor'][step], '×')} |"
                )
            lines.append(row)
    lines += [
        "",
        f"{r.get('repetitions')} alternating runs (alicloud, toy"
        + (", baseline" if has_base else "")
        + ", alicloud, …).",
    ]
    off = r.get("official_provider")
    if isinstance(off, dict):
        lines += [
            "",
            "The official provider (aliyun/alicloud, Go) on the seed example, against the same "
            "server, in the same alternation; its fixed waits are the plugin SDK's `Delay` "
            "before the first poll (bench/official.py names them in the provider's source).",
            "",
            "| Step | official s | alicloud (ours) s | official / ours | its fixed waits | "
            "share of its time | official without the waits / ours |",
            "|---|---|---|---|---|---|---|",
        ]
        for step in ("apply", "noop_plan", "destroy"):
            cmp = off["vs_ours"][step]
            lines.append(
                f"| seed: {step.replace('_', ' ')} | {_spread(off['seed'][step])} | "
                f"{_spread(r['seed']['alicloud'][step])} | {_fmt(cmp['official_vs_ours'], '×')} | "
                f"{_fmt(off['vs_ours']['fixed_waits_s'][step], ' s')} | "
                f"{_pct(cmp['fixed_share'])} | "
                f"{_fmt(cmp['official_without_waits_vs_ours'], '×')} |"
            )
    elif off:
        lines += ["", f"Official provider beside ours: {off}."]
    return lines


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.0f}%"


def _official_brief(off: dict[str, Any] | str) -> str:
    """One cell: each step's official median vs ours, and its fixed waits' share."""
    if not isinstance(off, dict):
        return str(off)
    parts = []
    for step in ("apply", "noop_plan", "destroy"):
        cmp = off["vs_ours"][step]
        parts.append(
            f"{step.replace('_', ' ')} {_fmt(off['seed'][step]['median'], ' s')} "
            f"({_fmt(cmp['official_vs_ours'], '×')} ours; fixed waits "
            f"{_pct(cmp['fixed_share'])})"
        )
    return "; ".join(parts)


def _before_after(res: dict[str, dict[str, Any] | None]) -> list[str]:
    """The baseline code (before this round) and this code, measured in the same run."""
    rows: list[tuple[str, Any, Any, str]] = []
    srv = res.get("server") or {}
    results = srv.get("results", {})
    if "baseline" in results:
        for op in ("read", "write"):
            for key, label, unit in (
                ("requests_per_s", "req/s", ""),
                ("p50_ms", "p50", " ms"),
                ("p99_ms", "p99", " ms"),
                ("cpu_ms_per_request", "CPU per request", " ms"),
            ):
                rows.append(
                    (
                        f"server, 1 process, {op}: {label}",
                        (results["baseline"][op].get(key) or {}).get("median"),
                        (results["riconnect"][op].get(key) or {}).get("median"),
                        unit,
                    )
                )
    tf = res.get("terraform") or {}
    if "baseline" in tf.get("startup_ms", {}):
        rows.append(
            (
                "terraform: provider start-up",
                tf["startup_ms"]["baseline"]["median"],
                tf["startup_ms"]["alicloud"]["median"],
                " ms",
            )
        )
        for case in ("seed", "pairs"):
            for step in ("apply", "noop_plan", "destroy"):
                rows.append(
                    (
                        f"terraform: {case} {step.replace('_', ' ')}, ratio to the floor",
                        tf[case]["baseline_ratio_vs_floor"][step],
                        tf[case]["ratio_vs_floor"][step],
                        "×",
                    )
                )
    if not rows:
        return ["(No baseline in this run: `python -m bench --baseline REV`.)"]
    lines = [
        "| Figure | baseline | now |",
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
        notes = notes.replace("BEFORE_TABLE", "\n".join(_before_after(res)))
        lines += [notes, ""]
    return "\n".join(lines)


def write(out: Path, path: Path) -> Path:
    path.write_text(render(out))
    return path
