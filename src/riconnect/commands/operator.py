"""What the operator's commands do: ``riconnect state|reset|snapshot|status|requests|settings``.

Each works on a running server (``--endpoint``, the default: ``http://127.0.0.1:18080``)
through its operator surface, or with ``--db`` directly on a database (safe while servers
run on it: every change is one transaction, and the servers pick it up at their next
request).  The command modules beside this one (``state.py``, ``reset.py``, ...) are the
entries cli.py lists; they hold only their help and call the functions here, which import
what they need when they run, so ``riconnect --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riconnect.operator_client import OperatorClient
    from riconnect.store.db import Store


def CommandError(message: str) -> Exception:  # noqa: N802 - reads like the class it makes
    """A problem to report in one line, exit status 1."""
    from riconnect.commands import CommandError as Error

    return Error(message, status=1)


# -- where the cloud is --------------------------------------------------------------------


def _where(p: argparse.ArgumentParser, db: bool = True) -> None:
    p.add_argument(
        "--endpoint",
        default=None,
        help="a running server, host:port or URL [RICONNECT_ENDPOINT] "
        "(default http://127.0.0.1:18080)",
    )
    p.add_argument(
        "--admin-token",
        default=None,
        help="the server's admin token, if it has one [RICONNECT_ADMIN_TOKEN]",
    )
    if db:
        p.add_argument(
            "--db",
            default=None,
            help="work on this database (file or postgresql:// URL) instead of a server",
        )


def _client(args: argparse.Namespace) -> OperatorClient:
    from riconnect.operator_client import DEFAULT_ENDPOINT, OperatorClient

    endpoint = args.endpoint or os.environ.get("RICONNECT_ENDPOINT") or DEFAULT_ENDPOINT
    return OperatorClient(endpoint, args.admin_token)


def _store(db: str, *, must_exist: bool = True) -> Store:
    from riconnect.commands import open_existing_cloud
    from riconnect.store.db import Store

    if db == ":memory:":
        raise CommandError("--db :memory: holds nothing between commands; give a file or URL")
    return open_existing_cloud(db) if must_exist else Store(db)


# -- state ------------------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], indent: str) -> list[str]:
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    return [
        indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in cells
    ]


def render_state(state: dict[str, Any]) -> str:
    """The state as readable tables, one block per account and region."""
    lines: list[str] = []
    rows: list[tuple[Any, ...]]
    for account in state["Accounts"]:
        name = f" ({account['Name']})" if account.get("Name") else ""
        if not account["Regions"]:
            lines.append(f"account {account['AccountId']}{name}: nothing")
        for region in account["Regions"]:
            lines.append(f"account {account['AccountId']}{name}, region {region['RegionId']}")
            if region["Vpcs"]:
                lines.append("  VPCs")
                rows = [
                    (v["VpcId"], v["VpcName"], v["CidrBlock"], v["Status"], v["VRouterId"])
                    for v in region["Vpcs"]
                ]
                lines += _table(("ID", "NAME", "CIDR", "STATUS", "VROUTER"), rows, "    ")
                switches = [s for v in region["Vpcs"] for s in v.get("VSwitches", [])]
                if switches:
                    lines.append("  vSwitches")
                    rows = [
                        (s["VSwitchId"], s["VpcId"], s["ZoneId"], s["CidrBlock"], s["Status"])
                        for s in switches
                    ]
                    lines += _table(("ID", "VPC", "ZONE", "CIDR", "STATUS"), rows, "    ")
                custom = [
                    e
                    for v in region["Vpcs"]
                    for t in v.get("RouteTables", [])
                    for e in t.get("RouteEntries", [])
                    if e["Type"] != "System"
                ]
                if custom:
                    lines.append("  Route entries (custom)")
                    rows = [
                        (
                            e["RouteTableId"],
                            e["DestinationCidrBlock"],
                            e["NextHops"]["NextHop"][0]["NextHopType"],
                            e["NextHops"]["NextHop"][0]["NextHopId"],
                            e["Status"],
                        )
                        for e in custom
                    ]
                    route_headers = ("ROUTE TABLE", "DESTINATION", "NEXT HOP TYPE", "NEXT HOP")
                    lines += _table((*route_headers, "STATUS"), rows, "    ")
            if region["VirtualBorderRouters"]:
                lines.append("  Virtual border routers")
                rows = [
                    (v["VbrId"], v["Name"], v["VlanId"], v["AccessPointId"], v["Status"])
                    for v in region["VirtualBorderRouters"]
                ]
                lines += _table(("ID", "NAME", "VLAN", "ACCESS POINT", "STATUS"), rows, "    ")
            if region["RouterInterfaces"]:
                lines.append("  Router interfaces")
                rows = [
                    (
                        v["RouterInterfaceId"],
                        v["Role"],
                        v["Spec"],
                        v["Status"],
                        v["RouterId"],
                        v["OppositeInterfaceId"] or "-",
                        f"{v['OppositeInterfaceOwnerId'] or '-'}/{v['OppositeRegionId']}",
                        v["OppositeInterfaceStatus"] or "-",
                    )
                    for v in region["RouterInterfaces"]
                ]
                headers = ("ID", "ROLE", "SPEC", "STATUS", "ROUTER", "OPPOSITE", "OWNER/REGION")
                lines += _table((*headers, "OPPOSITE STATUS"), rows, "    ")
            if region["PhysicalConnections"]:
                lines.append("  Physical connections")
                rows = [
                    (p["PhysicalConnectionId"], p["AccessPointId"], f"{p['Bandwidth']} Mbps")
                    for p in region["PhysicalConnections"]
                ]
                lines += _table(("ID", "ACCESS POINT", "BANDWIDTH"), rows, "    ")
    c = state["Counts"]
    lines.append(
        f"total: {c['Vpcs']} VPCs, {c['VirtualBorderRouters']} VBRs, "
        f"{c['RouterInterfaces']} router interfaces, "
        f"{c['PhysicalConnections']} physical connections, "
        f"{c.get('VSwitches', 0)} vSwitches, {c.get('RouteEntries', 0)} custom route entries"
    )
    return "\n".join(lines)


def _db_registry(args: argparse.Namespace) -> Any:
    from riconnect.domain.accounts_file import load_accounts

    return load_accounts(args.accounts) if getattr(args, "accounts", None) else None


def cmd_state(args: argparse.Namespace) -> int:
    if args.db:
        from riconnect.domain.accounts import OpenDirectory, Principal
        from riconnect.domain.clock import SystemClock
        from riconnect.service import operator
        from riconnect.service.context import Ctx, Settings

        store = _store(args.db)
        registry = _db_registry(args)
        ctx = Ctx(
            principal=Principal("", operator.OPERATOR_KEY),
            region_id="",
            store=store,
            clock=SystemClock(),
            settings=Settings(),
            directory=registry or OpenDirectory(),
        )
        try:
            state = operator.state(ctx, registry, args.account)
        finally:
            store.close()
    else:
        state = _client(args).state(args.account)
        state.pop("RequestId", None)
    print(json.dumps(state, indent=2, ensure_ascii=False) if args.json else render_state(state))
    return 0


# -- reset ------------------------------------------------------------------------------------


def cmd_reset(args: argparse.Namespace) -> int:
    if args.db:
        from riconnect.service import operator

        store = _store(args.db)
        try:
            deleted = operator.reset(store, time.time(), args.account)
        finally:
            store.close()
    else:
        deleted = _client(args).reset(args.account)["Deleted"]
    what = f"account {args.account}" if args.account else "the cloud"
    gone = ", ".join(f"{n} {table}" for table, n in deleted.items() if n) or "nothing to delete"
    print(f"reset {what}: {gone}")
    return 0


# -- snapshots --------------------------------------------------------------------------------


def cmd_snapshot(args: argparse.Namespace) -> int:
    from riconnect.store import snapshot

    path = Path(args.file)
    if args.snapshot_command == "save":
        if args.db:
            store = _store(args.db)
            try:
                data = snapshot.save(store).to_bytes(compress=path.suffix == ".gz")
            finally:
                store.close()
        else:
            data = _client(args).save_snapshot(compress=path.suffix == ".gz")
        taken = snapshot.Snapshot.from_bytes(data)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # never a half-written file under the snapshot's name
        print(f"saved {path}: {_counts(taken.counts())} (schema {taken.revision})")
        return 0
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    if args.db:
        from riconnect.service.admin import grant_physical_connections

        given = snapshot.Snapshot.from_bytes(data, source=str(path))
        store = _store(args.db, must_exist=False)
        registry = _db_registry(args)
        try:
            loaded = snapshot.load(
                store,
                given,
                after=(lambda tx: grant_physical_connections(tx, registry.grants(), time.time()))
                if registry is not None
                else None,
            )
        finally:
            store.close()
        counts, migrated = loaded.counts(), loaded.migrated_from
    else:
        answer = _client(args).load_snapshot(data)
        counts, migrated = answer["Loaded"], answer.get("MigratedFrom")
    note = f", migrated from schema {migrated}" if migrated else ""
    print(f"loaded {path}: {_counts(counts)}{note}")
    return 0


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {table}" for table, n in counts.items())


# -- status -----------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    client = _client(args)
    status = client.status()
    if args.json:
        print(json.dumps(status, indent=2))
        return 0
    s = status["Settings"]
    delays = sorted(set(s["Transitions"].values()))
    transitions = (
        "immediate"
        if delays == [0.0]
        else ", ".join(f"{k}={v:g}s" for k, v in s["Transitions"].items())
    )
    faults = ", ".join(f"{f['Action']}:{f['Code']}={f['Rate']:g}" for f in s["Faults"]) or "none"
    counts = status["Counts"]
    overridden = status["SettingsOverridden"]
    rows = [
        (
            "server",
            f"riconnect {status['Version']} at {client.url}, up {_uptime(status['UptimeSeconds'])}",
        ),
        ("process", f"{status['Process']} (of {status['Workers']} worker(s))"),
        ("store", f"{status['Store']['Kind']} {status['Store']['Location']}"),
        ("schema", status["SchemaRevision"]),
        ("resources", ", ".join(f"{n} {kind}" for kind, n in counts.items())),
        ("accounts", str(status["Accounts"])),
        ("transitions", transitions),
        ("faults", faults),
        ("seed", "none" if s["Seed"] is None else str(s["Seed"])),
        ("VPC quota", str(s["VpcQuota"])),
        ("overridden", ", ".join(overridden) if overridden else "nothing (the server's flags)"),
        (
            "journal",
            f"{status['Journal']['Size']} requests in memory"
            + (f", file {status['Journal']['File']}" if status["Journal"]["File"] else ""),
        ),
        ("admin token", "set" if status["AdminToken"] else "none (loopback clients only)"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key.ljust(width)}  {value}")
    return 0


def _uptime(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


# -- requests ---------------------------------------------------------------------------------


def cmd_requests(args: argparse.Namespace) -> int:
    entries = _client(args).requests(args.limit, args.action, args.account)
    if args.json:
        print(json.dumps(entries, indent=2, ensure_ascii=False))
        return 0
    rows = [
        (
            e["Time"],
            e["Action"],
            e["AccountId"],
            e["RegionId"] or "-",
            e["Status"],
            e["Code"],
            f"{e['DurationMs']:.1f}",
            " ".join(e["ResourceIds"]) or "-",
        )
        for e in reversed(entries)
    ]
    headers = ("TIME", "ACTION", "ACCOUNT", "REGION", "STATUS", "CODE", "MS", "RESOURCES")
    print("\n".join(_table(headers, rows, "")))
    return 0


# -- settings ---------------------------------------------------------------------------------


def _parse_assignment(text: str) -> tuple[str, Any]:
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise CommandError(f"--set {text!r}: expected KEY=VALUE, e.g. Seed=42")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw  # a plain text: 'realistic', 'Throttling.User=0.3'
    return key.strip(), value


def cmd_settings(args: argparse.Namespace) -> int:
    changes = dict(_parse_assignment(t) for t in args.set or [])
    if args.db:
        from riconnect.api.config import ServerConfig
        from riconnect.api.live_settings import LiveSettings, start_up
        from riconnect.domain.accounts import default_registry

        store = _store(args.db)
        live = LiveSettings(store, start_up(ServerConfig(), default_registry()))
        try:
            if args.clear:
                live.clear()
            if changes:
                try:
                    live.update(changes)
                except ValueError as exc:
                    raise CommandError(str(exc)) from None
            answer = {"Version": live.cached.version, "Overrides": live.overrides}
        finally:
            live.close()
            store.close()
    else:
        client = _client(args)
        if args.clear:
            client.clear_settings()
        answer = client.update_settings(changes) if changes else client.settings()
        answer.pop("RequestId", None)
    print(json.dumps(answer, indent=2))
    return 0


# -- the commands' arguments and entry (used by state.py, reset.py, ...) ------------------------


def add_state_arguments(p: argparse.ArgumentParser) -> None:
    _where(p)
    p.add_argument("--account", default=None, help="only this account")
    p.add_argument("--json", action="store_true", help="print the JSON document")
    p.add_argument("--accounts", default=None, help="with --db: the accounts file")


def add_reset_arguments(p: argparse.ArgumentParser) -> None:
    _where(p)
    p.add_argument("--account", default=None, help="only this account's resources")


def add_snapshot_arguments(p: argparse.ArgumentParser) -> None:
    ssub = p.add_subparsers(dest="snapshot_command", required=True, metavar="SUBCOMMAND")
    for name, text in (("save", "write the cloud to FILE"), ("load", "replace the cloud by FILE")):
        sp = ssub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        sp.add_argument("file", help="the snapshot file (.json, or .json.gz)")
        _where(sp)
        if name == "load":
            sp.add_argument(
                "--accounts", default=None, help="with --db: re-grant this file's connections"
            )


def add_status_arguments(p: argparse.ArgumentParser) -> None:
    _where(p, db=False)
    p.add_argument("--json", action="store_true", help="print the JSON document")


def add_requests_arguments(p: argparse.ArgumentParser) -> None:
    _where(p, db=False)
    p.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    p.add_argument("--action", default=None, help="only this action, e.g. CreateVpc")
    p.add_argument("--account", default=None, help="only this account")
    p.add_argument("--json", action="store_true", help="print the JSON entries")


def add_settings_arguments(p: argparse.ArgumentParser) -> None:
    _where(p)
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="change one")
    p.add_argument("--clear", action="store_true", help="remove every change")


def run(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; its expected failures become one line (cli.py prints it)."""
    from riconnect.operator_client import OperatorError
    from riconnect.store.snapshot import SnapshotError

    try:
        return command(args)
    except SnapshotError as exc:
        raise CommandError(str(exc)) from None
    except OperatorError as exc:
        raise CommandError(
            exc.message if exc.status == 0 else f"{exc.code}: {exc.message}"
        ) from None
