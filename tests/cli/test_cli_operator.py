"""``riconnect state|reset|snapshot|status|requests|settings``, run as a user runs them: the
installed command in a subprocess, against a live server (``--endpoint``) or a database
(``--db``), with one-line errors and exit status 1 when something is wrong."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riconnect.store import migrate
from riconnect.testing import (
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    LiveCloud,
    free_port,
    invoke,
)

HZ = {"RegionId": "cn-hangzhou"}
TOKEN = "cli-admin-token-0001"


def riconnect(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    base = {k: v for k, v in os.environ.items() if not k.startswith("RICONNECT_")}
    return subprocess.run(
        [sys.executable, "-m", "riconnect.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, **(env or {})},
        check=False,
    )


def succeeds(*args: str, env: dict[str, str] | None = None) -> str:
    done = riconnect(*args, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def fails(*args: str, env: dict[str, str] | None = None) -> str:
    done = riconnect(*args, env=env)
    assert done.returncode in (1, 2), (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCloud]:
    workdir = tmp_path_factory.mktemp("cli-cloud")
    with LiveCloud(
        workdir / "cloud.db", workdir=workdir, env={"RICONNECT_ADMIN_TOKEN": TOKEN}
    ) as live:
        yield live


@pytest.fixture
def at(cloud: LiveCloud) -> list[str]:
    """The options that point a command at the module's server, emptied first."""
    cloud.operator.clear_settings()
    cloud.reset()
    return ["--endpoint", cloud.endpoint, "--admin-token", TOKEN]


def _vpc(cloud: LiveCloud, name: str) -> dict[str, Any]:
    return invoke(cloud, "CreateVpc", {**HZ, "VpcName": name, "CidrBlock": "10.0.0.0/16"})


def test_state_prints_tables_or_json_from_a_server_or_a_database(
    cloud: LiveCloud, at: list[str]
) -> None:
    made = _vpc(cloud, "cli-state")
    switch = invoke(
        cloud,
        "CreateVSwitch",
        {**HZ, "VpcId": made["VpcId"], "ZoneId": "cn-hangzhou-h", "CidrBlock": "10.0.1.0/24"},
    )["VSwitchId"]
    text = succeeds("state", *at)
    assert "account 1234567890123456 (riconnect-demo), region cn-hangzhou" in text
    assert made["VpcId"] in text and "cli-state" in text and "Available" in text
    assert "  vSwitches" in text and switch in text and "10.0.1.0/24" in text
    assert "total: 1 VPCs" in text and "1 vSwitches, 0 custom route entries" in text
    document = json.loads(succeeds("state", "--json", *at))
    assert document["Counts"]["Vpcs"] == 1
    # The database directly, beside the running server.
    assert made["VpcId"] in succeeds("state", "--db", cloud.db)
    assert json.loads(succeeds("state", "--db", cloud.db, "--json"))["Counts"]["Vpcs"] == 1
    assert "nothing" in succeeds("state", "--account", "9999999999999999", *at)


def test_reset_from_a_server_and_from_a_database(cloud: LiveCloud, at: list[str]) -> None:
    _vpc(cloud, "one")
    # A VPC comes with its system route table.
    assert succeeds("reset", *at).strip() == "reset the cloud: 1 vpcs, 1 route_tables"
    _vpc(cloud, "two")
    out = succeeds("reset", "--db", cloud.db, "--account", "1234567890123456")
    assert out.strip() == "reset account 1234567890123456: 1 vpcs, 1 route_tables"
    # The server sees the database's reset at once.
    assert cloud.state()["Counts"]["Vpcs"] == 0


def test_snapshot_save_and_load_through_a_server_and_a_database(
    cloud: LiveCloud, at: list[str], tmp_path: Path
) -> None:
    kept = _vpc(cloud, "kept")
    saved = succeeds("snapshot", "save", str(tmp_path / "a.json"), *at)
    assert saved.startswith(f"saved {tmp_path / 'a.json'}: ") and "1 vpcs" in saved
    succeeds("snapshot", "save", str(tmp_path / "b.json.gz"), "--db", cloud.db)
    assert (tmp_path / "b.json.gz").read_bytes()[:2] == b"\x1f\x8b"
    cloud.reset()
    _vpc(cloud, "dropped")
    assert "1 vpcs" in succeeds("snapshot", "load", str(tmp_path / "a.json"), *at)
    names = [
        v["VpcName"] for a in cloud.state()["Accounts"] for r in a["Regions"] for v in r["Vpcs"]
    ]
    assert names == ["kept"]
    # Into a new database file: a restore.
    fresh = tmp_path / "restored.db"
    succeeds("snapshot", "load", str(tmp_path / "b.json.gz"), "--db", str(fresh))
    assert kept["VpcId"] in succeeds("state", "--db", str(fresh))


def test_snapshot_errors_are_one_line(cloud: LiveCloud, at: list[str], tmp_path: Path) -> None:
    assert "cannot read" in fails("snapshot", "load", str(tmp_path / "none.json"), *at)
    junk = tmp_path / "junk.json"
    junk.write_text("{}")
    assert "not a riconnect snapshot" in fails("snapshot", "load", str(junk), *at)
    future = json.loads(cloud.operator.save_snapshot())
    future["SchemaRevision"] = "0999_future"
    (tmp_path / "future.json").write_text(json.dumps(future))
    for where in (at, ["--db", cloud.db]):
        line = fails("snapshot", "load", str(tmp_path / "future.json"), *where)
        assert "newer riconnect" in line and "upgrade riconnect" in line
    assert "no such database" in fails("state", "--db", str(tmp_path / "typo.db"))
    assert not (tmp_path / "typo.db").exists()


def test_status_describes_the_server_and_fails_when_none_answers(
    cloud: LiveCloud, at: list[str]
) -> None:
    _vpc(cloud, "counted")
    text = succeeds("status", *at)
    assert f"riconnect 0.1.0 at {cloud.url}" in text
    assert "1 Vpc," in text and "sqlite" in text and migrate.head() in text
    assert "admin token  set" in text
    assert json.loads(succeeds("status", "--json", *at))["Counts"]["Vpc"] == 1
    nobody = f"127.0.0.1:{free_port()}"
    line = fails("status", "--endpoint", nobody)
    assert line.startswith("riconnect status: no riconnect server answers at http://" + nobody)


def test_a_wrong_or_missing_token_is_one_line(cloud: LiveCloud) -> None:
    line = fails("state", "--endpoint", cloud.endpoint)
    assert "Forbidden.AdminToken" in line
    # The token from the environment, as for the server.
    assert "total:" in succeeds(
        "state", "--endpoint", cloud.endpoint, env={"RICONNECT_ADMIN_TOKEN": TOKEN}
    )


def test_requests_lists_the_journal(cloud: LiveCloud, at: list[str]) -> None:
    made = _vpc(cloud, "journalled")
    text = succeeds("requests", "--limit", "2", "--action", "CreateVpc", *at)
    assert "CreateVpc" in text and made["VpcId"] in text
    assert DEMO_ACCESS_KEY_SECRET not in text
    entries = json.loads(succeeds("requests", "--json", "--limit", "1", *at))
    assert entries[0]["AccessKeyId"] == DEMO_ACCESS_KEY_ID


def test_settings_are_shown_changed_and_cleared(cloud: LiveCloud, at: list[str]) -> None:
    shown = json.loads(succeeds("settings", *at))
    assert shown["Overrides"] == {}
    changed = json.loads(
        succeeds(
            "settings",
            "--set",
            "Faults=CreateVpc:Throttling.User=1",
            "--set",
            'Transitions={"Actions": {"ConnectRouterInterface": 3}}',
            "--set",
            "Seed=5",
            *at,
        )
    )
    assert changed["Effective"]["TransitionsByAction"]["ConnectRouterInterface"] == 3
    assert changed["Effective"]["Seed"] == 5
    with pytest.raises(Exception, match="Throttling.User"):
        _vpc(cloud, "throttled")
    assert "InvalidSettings" in fails("settings", "--set", "Colour=blue", *at)
    # Through the database, as another process would; the server applies it at once.
    out = json.loads(succeeds("settings", "--db", cloud.db, "--clear"))
    assert out["Overrides"] == {}
    _vpc(cloud, "no longer throttled")
    assert "KEY=VALUE" in fails("settings", "--set", "nonsense", *at)
