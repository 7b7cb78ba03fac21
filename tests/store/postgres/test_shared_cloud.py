"""Several server processes sharing one cloud through PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alibabacloud_vpc20160428 import models as vm
from Tea.exceptions import TeaException

from riconnect.store import migrate
from riconnect.store.db import Store
from riconnect.store.schema import metadata
from riconnect.testing import LiveCloud, vpc_client

psycopg = pytest.importorskip("psycopg", reason="the postgres extra is not installed")

R = "cn-hangzhou"
OWNER = 1234567890123456


def test_migrations_build_the_declared_schema_on_postgres(pg_database: str) -> None:
    store = Store(pg_database)
    try:
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert migrate.current(store) == migrate.head()
        Store(pg_database).close()  # a second opener finds the schema current
    finally:
        store.close()


def _one_schema(url: str) -> None:
    store = Store(url, migrate=False)
    try:
        assert migrate.current(store) == migrate.head()
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
            assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    finally:
        store.close()


def test_stores_opened_at_once_on_an_empty_database_migrate_it_once(pg_database: str) -> None:
    """Migrations hold an advisory lock: the first opener upgrades, the others wait and then
    find the schema current (without it they raced to CREATE TABLE and failed)."""
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_store() -> None:
        barrier.wait()
        try:
            Store(pg_database).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    _one_schema(pg_database)


def test_two_servers_started_at_once_on_an_empty_database_both_come_up(
    pg_database: str, tmp_path: Any
) -> None:
    servers = [
        LiveCloud(db=pg_database, workdir=tmp_path / name, log_level="warning") for name in "ab"
    ]
    errors: list[BaseException] = []

    def start(server: LiveCloud) -> None:
        try:
            server.start()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in servers]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert errors == []
        assert all(s.healthy() for s in servers)
        _one_schema(pg_database)
        # Both serve the one cloud.
        vpc = vpc_client(servers[0]).create_vpc(vm.CreateVpcRequest(region_id=R)).body.vpc_id
        found = vpc_client(servers[1]).describe_vpcs(
            vm.DescribeVpcsRequest(region_id=R, vpc_id=vpc)
        )
        assert found.body.total_count == 1
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def two_servers(pg_database: str, tmp_path: Any) -> Any:
    a = LiveCloud(db=pg_database, workdir=tmp_path / "a", vpc_quota=1000)
    b = LiveCloud(db=pg_database, workdir=tmp_path / "b", vpc_quota=1000)
    a.start()
    b.start()
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


def _pair(client: Any) -> tuple[str, str]:
    v1 = client.create_vpc(vm.CreateVpcRequest(region_id=R, cidr_block="172.16.0.0/12")).body
    v2 = client.create_vpc(vm.CreateVpcRequest(region_id=R, cidr_block="192.168.0.0/16")).body
    ini = client.create_router_interface(
        vm.CreateRouterInterfaceRequest(
            region_id=R,
            role="InitiatingSide",
            router_type="VRouter",
            router_id=v1.vrouter_id,
            spec="Large.2",
            opposite_region_id=R,
        )
    ).body.router_interface_id
    acc = client.create_router_interface(
        vm.CreateRouterInterfaceRequest(
            region_id=R,
            role="AcceptingSide",
            router_type="VRouter",
            router_id=v2.vrouter_id,
            spec="Negative",
            opposite_region_id=R,
        )
    ).body.router_interface_id
    for me, other, router in ((acc, ini, v1.vrouter_id), (ini, acc, v2.vrouter_id)):
        client.modify_router_interface_attribute(
            vm.ModifyRouterInterfaceAttributeRequest(
                region_id=R,
                router_interface_id=me,
                opposite_interface_id=other,
                opposite_router_id=router,
                opposite_router_type="VRouter",
                opposite_interface_owner_id=OWNER,
            )
        )
    return ini, acc


def _status(client: Any, ri_id: str) -> str:
    body = client.describe_router_interface_attribute(
        vm.DescribeRouterInterfaceAttributeRequest(region_id=R, instance_id=ri_id)
    ).body
    return str(body.status)


def test_two_processes_see_one_cloud(two_servers: Any) -> None:
    a, b = (vpc_client(s) for s in two_servers)
    ini, acc = _pair(a)
    b.connect_router_interface(
        vm.ConnectRouterInterfaceRequest(region_id=R, router_interface_id=ini)
    )
    assert _status(a, ini) == _status(a, acc) == "Active"
    a.deactivate_router_interface(
        vm.DeactivateRouterInterfaceRequest(region_id=R, router_interface_id=acc)
    )
    assert _status(b, ini) == _status(b, acc) == "Inactive"


def test_racing_pair_operations_across_processes_stay_consistent(two_servers: Any) -> None:
    clients = [vpc_client(s) for s in two_servers]
    ini, acc = _pair(clients[0])
    clients[0].connect_router_interface(
        vm.ConnectRouterInterfaceRequest(region_id=R, router_interface_id=ini)
    )
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(n: int) -> None:
        client = clients[n % 2]
        for i in range(15):
            target = (ini, acc)[(n + i) % 2]
            call = (
                (
                    client.deactivate_router_interface,
                    vm.DeactivateRouterInterfaceRequest,
                )
                if (n + i) % 3
                else (client.activate_router_interface, vm.ActivateRouterInterfaceRequest)
            )
            try:
                call[0](call[1](region_id=R, router_interface_id=target))
                result = "ok"
            except TeaException as exc:
                result = str(exc.code)
                assert int(getattr(exc, "status_code", 400) or 400) < 500, exc
            with lock:
                outcomes[result] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sum(outcomes.values()) == 8 * 15
    assert set(outcomes) <= {"ok", "IncorrectRIStatus"}, outcomes
    assert outcomes["ok"] >= 1
    # Both sides agree, seen through either process.
    for client in clients:
        assert _status(client, ini) == _status(client, acc)


def test_client_token_races_create_one_vpc(two_servers: Any) -> None:
    clients = [vpc_client(s) for s in two_servers]
    ids: list[str] = []
    lock = threading.Lock()

    def create(n: int) -> None:
        body = (
            clients[n % 2]
            .create_vpc(
                vm.CreateVpcRequest(
                    region_id=R, cidr_block="10.0.0.0/8", client_token="same-token-1"
                )
            )
            .body
        )
        with lock:
            ids.append(body.vpc_id)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(ids) == 8 and len(set(ids)) == 1
