"""Snapshots as files: exact round trips, older schemas migrated forward by the real
migrations, newer ones refused with a clear message, damaged ones refused without changing
anything."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from riconnect.domain.clock import FakeClock
from riconnect.store import admin, migrate
from riconnect.store.db import Store
from riconnect.store.snapshot import Snapshot, SnapshotError, known_revisions, load, save
from riconnect.testing import inprocess_app, invoke

HZ = {"RegionId": "cn-hangzhou"}


def _populated(db: str = ":memory:") -> Any:
    """An in-process cloud holding a connected pair, a VBR and a ClientToken."""
    app, cloud = inprocess_app(db=db)
    a = invoke(app, "CreateVpc", {**HZ, "CidrBlock": "10.0.0.0/16", "ClientToken": "t-1"})
    b = invoke(app, "CreateVpc", {**HZ, "CidrBlock": "10.1.0.0/16", "VpcName": "ünïcode ✓"})
    ids = []
    for role, router, spec in (("InitiatingSide", a, "Large.2"), ("AcceptingSide", b, "Negative")):
        ids.append(
            invoke(
                app,
                "CreateRouterInterface",
                {
                    **HZ,
                    "Role": role,
                    "RouterType": "VRouter",
                    "RouterId": router["VRouterId"],
                    "Spec": spec,
                    "OppositeRegionId": "cn-hangzhou",
                },
            )["RouterInterfaceId"]
        )
    return app, cloud


def test_a_snapshot_loads_back_exactly(tmp_path: Path) -> None:
    app, cloud = _populated()
    taken = save(cloud.store)
    assert taken.counts()["vpcs"] == 2 and taken.counts()["client_tokens"] == 1
    assert "riconnect_settings" not in taken.tables  # settings are not state
    data = taken.to_bytes()
    target = Store(str(tmp_path / "copy.db"))
    load(target, Snapshot.from_bytes(data))
    again = save(target)
    assert again.tables == taken.tables
    assert again.revision == migrate.head()
    # Compressed, the same document.
    assert Snapshot.from_bytes(taken.to_bytes(compress=True)).tables == taken.tables
    cloud.close()
    target.close()


def test_loading_replaces_everything_and_restores_the_id_sequence() -> None:
    _app, source = _populated()
    with source.store.transaction(write=True) as tx:
        admin.restart_ids(tx, 41)
    taken = save(source.store)
    assert taken.id_sequence == 41
    app, target = inprocess_app()
    invoke(app, "CreateVpc", {**HZ, "CidrBlock": "192.168.0.0/16"})  # replaced by the load
    load(target.store, taken)
    assert save(target.store).tables == taken.tables
    with target.store.transaction(write=False) as tx:
        assert admin.read_settings(tx)[2] == 41
    source.close()
    target.close()


def _old_database_snapshot(tmp_path: Path, revision: str) -> Snapshot:
    """A snapshot of a database really at ``revision`` (made by the migrations up to it),
    read table by table as that schema has them."""
    path = tmp_path / f"old-{revision}.db"
    store = Store(str(path), migrate=False)
    migrate.upgrade(store, revision)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO vpcs (id, account_id, region_id, vrouter_id, route_table_id, cidr_block,"
            " status, created_at, modified_at, resource_group_id, name, description, user_cidrs,"
            " tags, enable_ipv6, dns_hostname, is_default) VALUES ('vpc-old00000000000000001',"
            " '1234567890123456', 'cn-hangzhou', 'vrt-old00000000000000001',"
            " 'vtb-old00000000000000001', '10.0.0.0/16', 'Available', 1.5, 1.5, 'rg-acfm1', 'old',"
            " '', '[]', '[[\"k\", \"v\"]]', 0, 0, 0)"
        )
    old = MetaData()
    old.reflect(store.engine)
    tables = {}
    with store.engine.connect() as conn:
        for name, table in old.tables.items():
            if name in ("alembic_version", "riconnect_settings"):
                continue
            rows = [list(r) for r in conn.execute(select(table))]
            tables[name] = ([c.name for c in table.columns], rows)
    store.close()
    return Snapshot(revision, tables, riconnect_version="0.0.1")


@pytest.mark.parametrize("revision", ["0001", "0002"])
def test_a_snapshot_from_an_older_schema_is_migrated_forward(tmp_path: Path, revision: str) -> None:
    assert revision in known_revisions()
    old = _old_database_snapshot(tmp_path, revision)
    restored = Snapshot.from_bytes(old.to_bytes())
    assert restored.revision == revision
    target = Store(":memory:")
    loaded = load(target, restored)
    assert loaded.migrated_from == revision and loaded.revision == migrate.head()
    now = save(target)
    columns, rows = now.tables["vpcs"]
    assert [dict(zip(columns, r, strict=True))["id"] for r in rows] == ["vpc-old00000000000000001"]
    row = dict(zip(columns, rows[0], strict=True))
    assert row["tags"] == [["k", "v"]] and row["enable_ipv6"] is False
    target.close()


def test_a_snapshot_from_a_newer_riconnect_is_refused_saying_so(tmp_path: Path) -> None:
    _app, cloud = _populated()
    document = save(cloud.store).document()
    document["SchemaRevision"] = "0042_from_the_future"
    document["RiconnectVersion"] = "9.9.9"
    future = Snapshot.from_bytes(json.dumps(document).encode())
    target = Store(":memory:")
    with pytest.raises(SnapshotError) as refused:
        load(target, future)
    message = str(refused.value)
    assert "0042_from_the_future" in message and "9.9.9" in message
    assert "newer riconnect" in message and "upgrade riconnect" in message
    assert migrate.head() in message
    document["SchemaRevision"] = migrate.head()
    document["FormatVersion"] = 99
    with pytest.raises(SnapshotError, match="upgrade riconnect"):
        Snapshot.from_bytes(json.dumps(document).encode())
    cloud.close()
    target.close()


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda d: b"not json at all", "not JSON"),
        (lambda d: b"\x1f\x8b\x08\x00garbage", "gzip"),
        (lambda d: json.dumps({"Format": "something-else"}).encode(), "not a riconnect snapshot"),
        (
            lambda d: json.dumps(
                {**d, "Tables": {"vpcs": {"Columns": ["id"], "Rows": [[1, 2]]}}}
            ).encode(),
            "malformed",
        ),
        (
            lambda d: json.dumps(
                {**d, "Tables": {"moon_bases": {"Columns": [], "Rows": []}}}
            ).encode(),
            "unknown tables",
        ),
    ],
)
def test_damaged_snapshots_are_refused(damage: Any, words: str) -> None:
    _app, cloud = _populated()
    document = save(cloud.store).document()
    with pytest.raises(SnapshotError, match=words):
        load(cloud.store, Snapshot.from_bytes(damage(document)))
    cloud.close()


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("cidr_block", 42, "is not str"),
        ("created_at", "yesterday", "is not int"),
        ("enable_ipv6", "yes", "is not bool"),
        ("status", None, "is null"),
    ],
)
def test_a_row_of_the_wrong_shape_changes_nothing(column: str, value: Any, words: str) -> None:
    _app, cloud = _populated()
    before = save(cloud.store)
    columns, rows = before.tables["vpcs"]
    bad_rows = [list(r) for r in rows]
    bad_rows[1][columns.index(column)] = value
    bad = Snapshot(before.revision, {**before.tables, "vpcs": (columns, bad_rows)})
    with pytest.raises(SnapshotError, match=words):
        load(cloud.store, bad)
    assert save(cloud.store).tables == before.tables
    cloud.close()


def test_duplicate_keys_are_refused_and_nothing_is_replaced() -> None:
    _app, cloud = _populated()
    before = save(cloud.store)
    columns, rows = before.tables["vpcs"]
    twice = Snapshot(before.revision, {**before.tables, "vpcs": (columns, [rows[0], rows[0]])})
    with pytest.raises(SnapshotError, match="does not fit"):
        load(cloud.store, twice)
    assert save(cloud.store).tables == before.tables
    cloud.close()


def test_the_state_in_the_wal_is_in_the_snapshot(tmp_path: Path) -> None:
    """A writer that never checkpointed: the rows are only in the -wal file, and a copy of
    the database file would be empty; a snapshot reads through SQLite and has them."""
    db = str(tmp_path / "wal.db")
    app, cloud = inprocess_app(db=db, clock=FakeClock())
    with cloud.store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
    made = invoke(app, "CreateVpc", {**HZ, "CidrBlock": "10.0.0.0/16"})
    assert Path(db + "-wal").stat().st_size > 0
    copy = tmp_path / "copied.db"
    copy.write_bytes(Path(db).read_bytes())  # what copying the file while it runs gives
    with sqlite3.connect(copy) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        found = conn.execute("SELECT id FROM vpcs").fetchall() if "vpcs" in tables else []
    assert (made["VpcId"],) not in found
    reader = Store(db)
    taken = save(reader)
    assert made["VpcId"] in {r[0] for r in taken.tables["vpcs"][1]}
    reader.close()
    cloud.close()
