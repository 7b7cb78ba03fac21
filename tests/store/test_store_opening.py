"""Opening a database: refusals say what is wrong and change nothing; a store that closes
leaves the whole cloud in its file (issue 16)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from riconnect.domain.entities import Vpc
from riconnect.store.db import Store, StoreOpenError


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _refused(path: Path, *words: str, create: bool = True) -> str:
    folder = path.parent if path.parent.exists() else path
    before = _files(folder)
    with pytest.raises(StoreOpenError) as info:
        Store(str(path), create=create)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    for word in words:
        assert word in message, message
    assert _files(folder) == before, "a refused database was changed, or files appeared"
    return message


def _vpc(n: int) -> Vpc:
    return Vpc(
        id=f"vpc-test{n:016d}",
        account_id="1234567890123456",
        region_id="cn-hangzhou",
        cidr_block="192.168.0.0/16",
        vrouter_id=f"vrt-test{n:016d}",
        route_table_id=f"vtb-test{n:016d}",
        resource_group_id="rg-test",
        status="Available",
        name=f"v{n}",
        description="",
        created_at=float(n),
    )


def _count_vpcs(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as conn:
        return int(conn.execute("SELECT count(*) FROM vpcs").fetchone()[0])


def test_a_directory(tmp_path: Path) -> None:
    _refused(tmp_path, "is a directory")


def test_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database\n" * 100)
    _refused(path, "not an SQLite database")


def test_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "cloud.db"
    Store(str(path)).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\x5a" * (4096 - 100)
    path.write_bytes(bytes(data))
    _refused(path, "corrupt")


def test_newer_revision(tmp_path: Path) -> None:
    path = tmp_path / "cloud.db"
    Store(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0042_future'")
    conn.close()
    _refused(path, "created by a newer riconnect (revision 0042_future): upgrade riconnect")


def test_someone_elses_tables(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    _refused(path, "not riconnect's (invoices)")


def test_missing_when_it_must_exist(tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    _refused(path, "no such database", create=False)
    assert not path.exists()


def test_missing_is_a_new_cloud_by_default(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "new.db"
    Store(str(path)).close()
    assert _count_vpcs(path) == 0


def test_an_empty_file_is_new(tmp_path: Path) -> None:
    path = tmp_path / "touched.db"
    path.touch()
    Store(str(path)).close()
    assert _count_vpcs(path) == 0


def test_closing_checkpoints_everything_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cloud.db"
    store = Store(str(path))
    with store.transaction(write=True) as tx:
        tx.insert(_vpc(1))
    assert Path(f"{path}-wal").stat().st_size > 0  # the commit is in the log so far
    store.close()
    store.close()  # twice is fine
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy" / "cloud.db"
    copy.parent.mkdir()
    shutil.copy(path, copy)  # the file alone
    assert _count_vpcs(copy) == 1


def test_a_copy_without_its_log_is_refused_not_emptied(tmp_path: Path) -> None:
    """What a killed server (or an older riconnect stopped with SIGTERM) leaves: the data in
    riconnect.db-wal, a 4 KiB riconnect.db without even the schema.  Copying only that file
    used to give a copy that serve silently migrated into an empty cloud."""
    path = tmp_path / "cloud.db"
    store = Store(str(path))
    with store.transaction(write=True) as tx:
        tx.insert(_vpc(1))
    # Keep the log as a killed process would: copy while the store is still open.
    copy = tmp_path / "copy" / "cloud.db"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    # In place, with its log, the database is complete.
    in_place = Store(str(path))
    with in_place.transaction(write=False) as tx:
        assert tx.get(Vpc, "1234567890123456", _vpc(1).id) is not None
    in_place.close()
    store.close()
    _refused(copy, "without riconnect's tables", "cloud.db-wal")


def test_a_log_that_belongs_to_another_file(tmp_path: Path) -> None:
    path = tmp_path / "cloud.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    Path(f"{path}-wal").write_bytes(b"\x00" * 4096)  # not a log SQLite can use
    _refused(path, "write-ahead log cloud.db-wal")


def test_several_openers_of_one_new_file(tmp_path: Path) -> None:
    """Several servers starting at once on one new file: none may take the file another
    has just created for an abandoned one."""
    path = tmp_path / "shared.db"
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def open_one() -> None:
        barrier.wait()
        try:
            Store(str(path)).close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _count_vpcs(path) == 0
