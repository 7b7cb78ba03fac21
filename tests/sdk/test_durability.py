"""Crash safety: what the server acknowledged survives SIGKILL; nothing is half-written.

A burst of CreateVpc calls runs from several threads (each with its own official client)
against a live server on a SQLite file; the server is killed with SIGKILL in the middle of
the burst, restarted on the same file, and the state is checked.  Several kill points run
one after another on the same file, so later rounds also re-check earlier rounds' VPCs.
"""

from __future__ import annotations

import json
import re
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alibabacloud_vpc20160428 import models as vpc_models

from riconnect.testing import (
    DEMO_ACCOUNT_ID,
    LiveCloud,
    acs_client,
    unique_name,
    vpc_client,
    wait_until,
)

REGION = "cn-hangzhou"
THREADS = 6
KILL_POINTS = (1, 12, 40)  # acknowledged creates (per round) before the SIGKILL
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@dataclass
class Ledger:
    """What the clients know: every create they sent, and the ones acknowledged."""

    attempted: set[str] = field(default_factory=set)  # VpcNames sent (or about to be)
    acked: dict[str, str] = field(default_factory=dict)  # VpcName -> VpcId from a 200
    committed_unacked: dict[str, str] = field(default_factory=dict)  # found after a crash
    early_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def in_flight(self) -> set[str]:
        return self.attempted - set(self.acked) - set(self.committed_unacked)


def _creator(kind: str, endpoint: str) -> Any:
    """A function name -> VpcId through one of the three official clients."""
    if kind == "core":
        from aliyunsdkvpc.request.v20160428.CreateVpcRequest import CreateVpcRequest

        client = acs_client(endpoint, REGION, timeout=5, connect_timeout=2)

        def create_core(name: str) -> str:
            request = CreateVpcRequest()
            request.set_VpcName(name)
            request.set_CidrBlock("10.0.0.0/16")
            return str(json.loads(client.do_action_with_exception(request))["VpcId"])

        return create_core
    tea = vpc_client(
        endpoint,
        signature_algorithm="v2" if kind == "tea-v1" else None,
        read_timeout_ms=5000,
        connect_timeout_ms=2000,
    )

    def create_tea(name: str) -> str:
        request = vpc_models.CreateVpcRequest(
            region_id=REGION, vpc_name=name, cidr_block="10.0.0.0/16"
        )
        response = tea.create_vpc(request)
        assert response.status_code == 200
        return str(response.body.vpc_id)

    return create_tea


def burst(cloud: LiveCloud, ledger: Ledger, prefix: str, kill_at: int) -> int | None:
    """Create VPCs from THREADS threads until ``kill_at`` are acknowledged, then SIGKILL.

    Each thread stops at its first failure, which after the kill is its in-flight request:
    so exactly one unacknowledged attempt per thread is in flight when the server dies.
    """
    killed = threading.Event()
    acked_this_round = [0]

    def worker(index: int) -> None:
        create = _creator(("tea-v3", "tea-v1", "core")[index % 3], cloud.endpoint)
        seq = 0
        while True:
            name = f"{prefix}-t{index}-{seq}"
            seq += 1
            with ledger.lock:
                ledger.attempted.add(name)
            try:
                vpc_id = create(name)
            except Exception as exc:  # connection refused/reset once the server is gone
                if not killed.is_set():
                    with ledger.lock:
                        ledger.early_errors.append(f"{name}: {exc!r}")
                return
            with ledger.lock:
                ledger.acked[name] = vpc_id
                acked_this_round[0] += 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    wait_until(lambda: acked_this_round[0] >= kill_at, timeout=30, message=f"{kill_at} acks")
    killed.set()
    status = cloud.kill(signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive(), "a client thread hung after the server died"
    return status


def all_vpcs(client: Any) -> dict[str, dict[str, Any]]:
    """Every VPC of the account in REGION, through the paged DescribeVpcs."""
    found: dict[str, dict[str, Any]] = {}
    page = 1
    while True:
        body = client.describe_vpcs(
            vpc_models.DescribeVpcsRequest(region_id=REGION, page_size=50, page_number=page)
        ).body.to_map()
        for vpc in body["Vpcs"]["Vpc"]:
            assert vpc["VpcId"] not in found, "a VPC listed on two pages"
            found[vpc["VpcId"]] = vpc
        if page * 50 >= body["TotalCount"]:
            assert len(found) == body["TotalCount"]
            return found
        page += 1


def check_state(cloud: LiveCloud, ledger: Ledger) -> None:
    client = vpc_client(cloud)
    listed = all_vpcs(client)
    by_name: dict[str, str] = {}
    for vpc_id, vpc in listed.items():
        name = vpc["VpcName"]
        assert name in ledger.attempted, f"{vpc_id} has a name no client sent: {name!r}"
        assert name not in by_name, f"two VPCs named {name}: each create was sent once"
        by_name[name] = vpc_id

    # Every acknowledged create is there, under the id the client was given, and settled.
    for name, vpc_id in {**ledger.acked, **ledger.committed_unacked}.items():
        assert by_name.get(name) == vpc_id, f"acknowledged VPC {name} ({vpc_id}) was lost"
        assert listed[vpc_id]["Status"] == "Available"

    # The rest were in flight when the server died: their transaction may have committed
    # just before the SIGKILL without the answer reaching the client.  At most every
    # in-flight request can show up this way (one per client thread per crash); any other
    # VPC would be an invention.
    extra = {
        name: vpc_id
        for name, vpc_id in by_name.items()
        if name not in ledger.acked and name not in ledger.committed_unacked
    }
    assert set(extra) <= ledger.in_flight()
    assert len(listed) == len(ledger.acked) + len(ledger.committed_unacked) + len(extra)
    ledger.committed_unacked.update(extra)

    # Nothing is half-written: every row reads back complete through DescribeVpcAttribute.
    for vpc_id, item in listed.items():
        attr = client.describe_vpc_attribute(
            vpc_models.DescribeVpcAttributeRequest(region_id=REGION, vpc_id=vpc_id)
        ).body
        assert attr.vpc_id == vpc_id and attr.vpc_name == item["VpcName"]
        assert attr.status == "Available"
        assert attr.cidr_block == "10.0.0.0/16"
        assert attr.vrouter_id.startswith("vrt-") and attr.vrouter_id == item["VRouterId"]
        assert item["RouterTableIds"]["RouterTableIds"][0].startswith("vtb-")
        assert ISO_RE.match(attr.creation_time)
        assert attr.owner_id == int(DEMO_ACCOUNT_ID)
        assert attr.resource_group_id.startswith("rg-")


def test_acknowledged_creates_survive_sigkill(tmp_path: Path) -> None:
    ledger = Ledger()
    cloud = LiveCloud(
        tmp_path / "durable.db", workdir=tmp_path, vpc_quota=100_000, log_level="warning"
    )
    with cloud:
        for round_number, kill_at in enumerate(KILL_POINTS):
            in_flight_before = len(ledger.in_flight())
            status = burst(cloud, ledger, f"r{round_number}", kill_at)
            assert status == -signal.SIGKILL
            assert not ledger.early_errors, ledger.early_errors
            # Every thread ended on exactly one unanswered request.
            assert len(ledger.in_flight()) - in_flight_before == THREADS
            cloud.start()  # same port, same file
            check_state(cloud, ledger)
        assert len(ledger.acked) >= sum(KILL_POINTS)


def test_state_survives_a_clean_restart(tmp_path: Path) -> None:
    with LiveCloud(tmp_path / "clean.db", workdir=tmp_path, vpc_quota=1000) as cloud:
        client = vpc_client(cloud)
        token = unique_name("tok")

        def create(name: str, **kw: Any) -> str:
            request = vpc_models.CreateVpcRequest(region_id=REGION, vpc_name=name, **kw)
            return str(client.create_vpc(request).body.vpc_id)

        tag = vpc_models.CreateVpcRequestTag(key="team", value="net")
        kept = create("kept", description="d", cidr_block="192.168.0.0/16", tag=[tag])
        renamed = create("before", client_token=token)
        deleted = create("deleted")
        client.modify_vpc_attribute(
            vpc_models.ModifyVpcAttributeRequest(region_id=REGION, vpc_id=renamed, vpc_name="after")
        )
        client.delete_vpc(vpc_models.DeleteVpcRequest(region_id=REGION, vpc_id=deleted))
        before = all_vpcs(client)
        assert set(before) == {kept, renamed}

        # A clean shutdown: uvicorn finishes and then re-raises the SIGTERM it caught (-15);
        # had it hung, LiveCloud would have escalated to SIGKILL (-9).
        assert cloud.stop() == -signal.SIGTERM
        cloud.start()
        client = vpc_client(cloud)

        after = all_vpcs(client)
        assert set(after) == {kept, renamed}
        for vpc_id in after:
            assert after[vpc_id] == before[vpc_id]
        attr = client.describe_vpc_attribute(
            vpc_models.DescribeVpcAttributeRequest(region_id=REGION, vpc_id=kept)
        ).body
        assert (attr.description, attr.cidr_block) == ("d", "192.168.0.0/16")
        assert [(t.key, t.value) for t in attr.tags.tag] == [("team", "net")]
        # ClientTokens are stored too: the replay after the restart gets the first answer.
        assert create("before", client_token=token) == renamed


def test_pending_vpc_settles_after_a_crash(tmp_path: Path) -> None:
    """Deadlines live in the database: a VPC killed mid-transition settles after restart."""
    with LiveCloud(tmp_path / "t.db", workdir=tmp_path, transitions="vpc_create=0.5") as cloud:
        client = vpc_client(cloud)
        vpc_id = client.create_vpc(vpc_models.CreateVpcRequest(region_id=REGION)).body.vpc_id

        def status() -> str:
            request = vpc_models.DescribeVpcAttributeRequest(region_id=REGION, vpc_id=vpc_id)
            return str(client.describe_vpc_attribute(request).body.status)

        assert status() == "Pending"
        cloud.kill()
        cloud.start()
        client = vpc_client(cloud)
        wait_until(lambda: status() == "Available", timeout=10, message="Available")
