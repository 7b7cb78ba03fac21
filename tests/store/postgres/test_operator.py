"""The operator surface on PostgreSQL: snapshots move between SQLite and PostgreSQL exactly,
and servers on one PostgreSQL share live settings, resets and snapshot loads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from riconnect.testing import LiveCloud, invoke, signed_request

psycopg = pytest.importorskip("psycopg", reason="the postgres extra is not installed")

HZ = {"RegionId": "cn-hangzhou"}


def _ok(cloud: LiveCloud, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    with httpx.Client(trust_env=False, timeout=60) as client:
        response = client.request(method, cloud.url + path, **kwargs)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _populate(cloud: LiveCloud) -> None:
    left = invoke(cloud, "CreateVpc", {**HZ, "CidrBlock": "10.0.0.0/16", "ClientToken": "pg-1"})
    right = invoke(cloud, "CreateVpc", {**HZ, "CidrBlock": "10.1.0.0/16", "VpcName": "ünï ✓"})
    for role, router, spec in (
        ("InitiatingSide", left, "Large.2"),
        ("AcceptingSide", right, "Negative"),
    ):
        invoke(
            cloud,
            "CreateRouterInterface",
            {
                **HZ,
                "Role": role,
                "RouterType": "VRouter",
                "RouterId": router["VRouterId"],
                "Spec": spec,
                "OppositeRegionId": "cn-hangzhou",
            },
        )


def test_a_snapshot_moves_between_sqlite_and_postgres_exactly(
    pg_database: str, tmp_path: Path
) -> None:
    with LiveCloud(workdir=tmp_path / "sqlite") as lite:
        _populate(lite)
        from_sqlite = json.loads(lite.operator.save_snapshot())
    with LiveCloud(db=pg_database, workdir=tmp_path / "pg") as pg:
        health = _ok(pg, "GET", "/riconnect/health")
        assert health["Store"] == "postgresql"
        pg.operator.load_snapshot(json.dumps(from_sqlite).encode())
        from_pg = json.loads(pg.operator.save_snapshot())
        status = _ok(pg, "GET", "/riconnect/status")
        assert status["Store"]["Kind"] == "postgresql" and status["Counts"]["Vpc"] == 2
    assert from_pg["Tables"] == from_sqlite["Tables"]
    with LiveCloud(workdir=tmp_path / "back") as back:
        back.operator.load_snapshot(json.dumps(from_pg).encode())
        assert json.loads(back.operator.save_snapshot())["Tables"] == from_sqlite["Tables"]


def test_servers_on_one_postgres_share_settings_resets_and_loads(
    pg_database: str, tmp_path: Path
) -> None:
    a = LiveCloud(db=pg_database, workdir=tmp_path / "a")
    b = LiveCloud(db=pg_database, workdir=tmp_path / "b")
    with a, b:
        _ok(a, "PUT", "/riconnect/settings", json={"Faults": "CreateVpc:Throttling.User=1"})
        answer = signed_request(b, "CreateVpc", {**HZ, "CidrBlock": "10.0.0.0/16"})
        assert answer.json()["Code"] == "Throttling.User"  # the other server, next request
        _ok(b, "DELETE", "/riconnect/settings")
        _populate(b)
        snapshot = a.operator.save_snapshot()
        _ok(a, "POST", "/riconnect/reset")
        assert _ok(b, "GET", "/riconnect/state")["Counts"]["Vpcs"] == 0
        b.operator.load_snapshot(snapshot)
        assert _ok(a, "GET", "/riconnect/state")["Counts"]["Vpcs"] == 2
        # Seeded ids come from the shared sequence: the same whichever server answers.
        _ok(a, "PUT", "/riconnect/settings", json={"Seed": 3})
        _ok(a, "POST", "/riconnect/reset")
        first = [invoke(s, "CreateVpc", HZ)["VpcId"] for s in (a, b)]
        _ok(b, "POST", "/riconnect/reset")
        again = [invoke(s, "CreateVpc", HZ)["VpcId"] for s in (b, a)]
        assert first == again
