"""Migration 0003: a database written before vSwitches and route tables existed is upgraded
in place, and every VPC it holds gets its system route table as a row of its own."""

from __future__ import annotations

from pathlib import Path

from riconnect.domain.entities import RouteTable
from riconnect.store import migrate
from riconnect.store.db import Store


def test_existing_vpcs_get_their_system_route_table(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = Store(str(path), migrate=False)
    migrate.upgrade(store, "0002")
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO vpcs (id, account_id, region_id, vrouter_id, route_table_id, cidr_block, "
            "status, created_at, modified_at, resource_group_id, name, description, user_cidrs, "
            "tags, enable_ipv6, dns_hostname, is_default) VALUES ('vpc-old', '1234567890123456', "
            "'cn-hangzhou', 'vrt-old', 'vtb-old', '172.16.0.0/12', 'Available', 100.0, 100.0, "
            "'rg-x', 'kept', '', '[]', '[]', 0, 0, 0)"
        )
    store.close()

    upgraded = Store(str(path))
    assert migrate.current(upgraded) == migrate.head()
    with upgraded.transaction(write=False) as tx:
        table = tx.get(RouteTable, "1234567890123456", "vtb-old")
    assert table is not None
    assert (table.vpc_id, table.router_id, table.table_type, table.status) == (
        "vpc-old",
        "vrt-old",
        "System",
        "Available",
    )
    assert (table.created_at, table.resource_group_id) == (100.0, "rg-x")
