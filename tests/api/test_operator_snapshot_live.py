"""Snapshots of a running cloud while clients write to it, over real HTTP.

* Saving while threads create VPCs (signed requests, each with a ClientToken: two tables in
  one transaction) and toggle a pair (the SDK: both sides in one transaction): every write
  acknowledged before the save began is in the snapshot (nothing lost); no snapshot holds
  half of a transaction (nothing half-copied); a snapshot loaded elsewhere and saved again is
  the same document (exact).
* Loading while threads read the state and create VPCs: every read sees the old cloud or the
  new one, never a mix; afterwards the cloud is the snapshot plus exactly the writes made
  after the load, and nothing acknowledged after the load is lost.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_vpc20160428 import models as vm

from riconnect.testing import LiveCloud, RiconnectApiError, invoke, vpc_client
from tests.support.operator import DEMO, ok, pair

HZ = "cn-hangzhou"


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[LiveCloud]:
    with LiveCloud(workdir=tmp_path / "cloud", vpc_quota=100_000) as live:
        yield live


class Writers:
    """Threads that create VPCs named and tokened ``<prefix><thread>-<n>`` until stopped,
    noting when each was acknowledged."""

    def __init__(self, cloud: LiveCloud, prefix: str, threads: int = 3) -> None:
        self.cloud = cloud
        self.prefix = prefix
        self.acked: list[tuple[str, str, float]] = []  # (name, vpc id, monotonic ack time)
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._run, args=(k,), daemon=True) for k in range(threads)
        ]

    def _run(self, k: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            name = f"{self.prefix}{k}-{n}"
            try:
                made = invoke(
                    self.cloud,
                    "CreateVpc",
                    {
                        "RegionId": HZ,
                        "VpcName": name,
                        "ClientToken": name,
                        "CidrBlock": "10.0.0.0/16",
                    },
                )
            except RiconnectApiError as exc:  # pragma: no cover - reported below
                self.errors.append(str(exc))
                continue
            with self.lock:
                self.acked.append((name, made["VpcId"], time.monotonic()))

    def __enter__(self) -> Writers:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(30)
        assert self.errors == []

    def before(self, instant: float) -> list[tuple[str, str, float]]:
        with self.lock:
            return [a for a in self.acked if a[2] < instant]


def _rows(document: dict[str, Any], table: str) -> list[dict[str, Any]]:
    t = document["Tables"][table]
    return [dict(zip(t["Columns"], row, strict=True)) for row in t["Rows"]]


def _check_whole(document: dict[str, Any], pair_ids: tuple[str, str]) -> None:
    """Nothing half-copied: each transaction's rows are all there or all absent."""
    vpcs = {row["id"]: row for row in _rows(document, "vpcs")}
    tokens = {row["token"]: row for row in _rows(document, "client_tokens")}
    for token, row in tokens.items():  # a token row and its VPC were one transaction
        assert row["response"]["VpcId"] in vpcs, f"token {token} without its VPC"
    for row in vpcs.values():
        if row["name"].startswith("w"):
            assert row["name"] in tokens, f"VPC {row['id']} without its token"
    sides = {row["id"]: row for row in _rows(document, "router_interfaces")}
    a, b = (sides[i] for i in pair_ids)  # both sides of a pair change in one transaction
    assert (a["target_status"], a["settle_at"]) == (b["target_status"], b["settle_at"])
    statuses = {a["status"], b["status"]}
    assert len(statuses) == 1 or statuses == {"Connecting", "AcceptingConnecting"}, statuses


def test_saving_while_clients_write_loses_nothing_and_copies_nothing_by_halves(
    cloud: LiveCloud, tmp_path: Path
) -> None:
    ids = pair(cloud, DEMO, DEMO)
    sdk = vpc_client(cloud)
    toggles = {"done": 0}
    stop = threading.Event()

    def toggle() -> None:  # through the official SDK: Deactivate / Activate, both sides
        while not stop.is_set():
            for action in ("deactivate_router_interface", "activate_router_interface"):
                request = getattr(vm, "".join(w.title() for w in action.split("_")) + "Request")
                getattr(sdk, action)(request(region_id=HZ, router_interface_id=ids["initiator"]))
                toggles["done"] += 1

    toggler = threading.Thread(target=toggle, daemon=True)
    snapshots: list[tuple[float, dict[str, Any]]] = []
    with Writers(cloud, "w") as writers:
        toggler.start()
        for k in range(8):
            time.sleep(0.15)
            sent = time.monotonic()
            if k == 4:
                # The CLI on the database file itself, beside the running server: WAL and all.
                target = tmp_path / "cli.json"
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "riconnect.cli",
                        "snapshot",
                        "save",
                        str(target),
                        "--db",
                        cloud.db,
                    ],
                    check=True,
                    capture_output=True,
                    timeout=60,
                )
                snapshots.append((sent, json.loads(target.read_text())))
            else:
                snapshots.append((sent, ok(cloud, "GET", "/riconnect/snapshot")))
        stop.set()
        toggler.join(30)
    assert toggles["done"] > 4
    sizes = [len(doc["Tables"]["vpcs"]["Rows"]) for _sent, doc in snapshots]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1], sizes  # taken while writes ran
    for sent, document in snapshots:
        present = {row["id"] for row in _rows(document, "vpcs")}
        missing = [name for name, vpc_id, _t in writers.before(sent) if vpc_id not in present]
        assert missing == [], f"acknowledged before the save, absent from it: {missing[:5]}"
        _check_whole(document, (ids["initiator"], ids["acceptor"]))
    # Exact: what a snapshot holds is what loading it gives.
    with LiveCloud(workdir=tmp_path / "copy") as copy:
        last = snapshots[-1][1]
        http_answer = copy.operator.load_snapshot(json.dumps(last).encode())
        assert http_answer["Loaded"]["vpcs"] == len(last["Tables"]["vpcs"]["Rows"])
        again = ok(copy, "GET", "/riconnect/snapshot")
        assert again["Tables"] == last["Tables"]
        assert again["IdSequence"] == last["IdSequence"]


def test_loading_while_clients_read_and_write_is_atomic(cloud: LiveCloud) -> None:
    for k in range(30):
        invoke(
            cloud, "CreateVpc", {"RegionId": HZ, "VpcName": f"snap-{k}", "CidrBlock": "10.0.0.0/16"}
        )
    pair(cloud, DEMO, DEMO)
    cloud.operator.state()  # settles the connect, so that reads after the load change nothing
    snapshot = cloud.operator.save_snapshot()
    ok(cloud, "POST", "/riconnect/reset")
    for k in range(20):
        invoke(
            cloud,
            "CreateVpc",
            {"RegionId": HZ, "VpcName": f"before-{k}", "CidrBlock": "10.0.0.0/16"},
        )

    seen = {"old": 0, "new": 0}
    mixed: list[tuple[int, int]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            state = cloud.operator.state()
            names = [
                v["VpcName"] for a in state["Accounts"] for r in a["Regions"] for v in r["Vpcs"]
            ]
            snap = sum(n.startswith("snap-") for n in names)
            before = sum(n.startswith("before-") for n in names)
            if (snap, before) == (0, 20):
                seen["old"] += 1
            elif (snap, before) == (30, 0):
                seen["new"] += 1
            else:
                mixed.append((snap, before))

    readers = [threading.Thread(target=read, daemon=True) for _ in range(2)]
    for t in readers:
        t.start()
    with Writers(cloud, "w", threads=2) as writers:
        time.sleep(0.4)
        started = time.monotonic()
        loaded = cloud.operator.load_snapshot(snapshot)
        finished = time.monotonic()
        time.sleep(0.4)
    stop.set()
    for t in readers:
        t.join(30)
    assert loaded["Loaded"]["vpcs"] == 32
    assert mixed == [], f"a read saw part of the load: {mixed[:5]}"
    assert seen["old"] > 0 and seen["new"] > 0, seen

    after = json.loads(cloud.operator.save_snapshot())
    vpcs = {row["id"]: row for row in _rows(after, "vpcs")}
    acked = {vpc_id: t for _name, vpc_id, t in writers.acked}
    lost = [v for v, t in acked.items() if t > finished and v not in vpcs]
    assert lost == [], f"acknowledged after the load, then lost: {lost[:5]}"
    kept = [v for v, t in acked.items() if t < started and v in vpcs]
    assert kept == [], "a write acknowledged before the load survived it"
    assert any(t > finished for t in acked.values())  # writes did go on after the load
    # The cloud is the snapshot plus the writes after the load, row for row.
    original = json.loads(snapshot)
    for table, content in original["Tables"].items():
        rows_now = [json.dumps(r) for r in after["Tables"][table]["Rows"]]
        for row in content["Rows"]:
            assert json.dumps(row) in rows_now, (table, row)
    extra = set(vpcs) - {r["id"] for r in _rows(original, "vpcs")}
    assert extra <= set(acked), "rows that are neither the snapshot's nor a write's"
