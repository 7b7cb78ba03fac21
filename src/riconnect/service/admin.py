"""Operator actions that are not part of the public API (physical connections)."""

from __future__ import annotations

from collections.abc import Iterable

from riconnect.domain.accounts import PhysicalConnectionGrant
from riconnect.domain.entities import PhysicalConnection
from riconnect.store.db import Store, Tx


def seed_physical_connections(
    store: Store, grants: Iterable[tuple[str, PhysicalConnectionGrant]], now: float = 0.0
) -> int:
    """Make the store hold every physical connection the accounts file grants
    (``grants``: account id and grant, see ``AccountRegistry.grants``).

    Existing ones are left as they are (their VBRs depend on them); returns how many
    were added.
    """
    with store.transaction(write=True) as tx:
        return grant_physical_connections(tx, grants, now)


def grant_physical_connections(
    tx: Tx, grants: Iterable[tuple[str, PhysicalConnectionGrant]], now: float = 0.0
) -> int:
    """:func:`seed_physical_connections` inside the caller's transaction."""
    added = 0
    for account_id, pc in grants:
        if tx.get(PhysicalConnection, account_id, pc.id) is not None:
            continue
        tx.insert(
            PhysicalConnection(
                id=pc.id,
                account_id=account_id,
                region_id=pc.region_id,
                access_point_id=pc.access_point_id,
                bandwidth=pc.bandwidth,
                name=pc.name or "",
                created_at=now,
            )
        )
        added += 1
    return added


def add_physical_connection(
    store: Store,
    account_id: str,
    access_point_id: str,
    region_id: str,
    *,
    bandwidth: int = 1000,
    name: str = "",
    pc_id: str | None = None,
    now: float = 0.0,
) -> PhysicalConnection:
    """Grant an account a physical connection at an access point (operator action)."""
    from riconnect.domain import ids
    from riconnect.domain.accounts_file import access_point_region
    from riconnect.domain.regions import is_known

    if not (account_id.isdigit() and len(account_id) == 16):
        raise ValueError(f"account id must be 16 digits: {account_id!r}")
    if not is_known(region_id):
        raise ValueError(f"unknown region {region_id!r}")
    if not access_point_id.startswith("ap-"):
        raise ValueError(f"access point ids look like ap-cn-hangzhou-jg-B: {access_point_id!r}")
    ap_region = access_point_region(access_point_id)
    if ap_region is not None and ap_region != region_id:
        raise ValueError(
            f"access point {access_point_id} is in region {ap_region}, not {region_id}: "
            "give the access point's own region"
        )
    if bandwidth <= 0:
        raise ValueError(f"bandwidth must be a positive number of Mbps: {bandwidth}")
    pc = PhysicalConnection(
        id=pc_id or ids.new_id("physical_connection"),
        account_id=account_id,
        region_id=region_id,
        access_point_id=access_point_id,
        bandwidth=bandwidth,
        name=name,
        created_at=now,
    )
    with store.transaction(write=True) as tx:
        if tx.get(PhysicalConnection, account_id, pc.id) is not None:
            raise ValueError(f"{pc.id} exists already")
        tx.insert(pc)
    return pc


def list_physical_connections(store: Store, account_id: str) -> list[PhysicalConnection]:
    with store.transaction(write=False) as tx:
        return tx.find(PhysicalConnection, account_id)


BUSINESS_STATUSES = ("Normal", "FinancialLocked", "SecurityLocked")


def set_business_status(store: Store, account_id: str, interface_id: str, status: str) -> None:
    """Lock or unlock an interface, as billing or security would (operator action)."""
    from riconnect.domain.entities import RouterInterface

    if status not in BUSINESS_STATUSES:
        raise ValueError(f"business status must be one of {', '.join(BUSINESS_STATUSES)}")
    with store.transaction(write=True) as tx:
        obj = tx.get(RouterInterface, account_id, interface_id)
        if obj is None:
            raise ValueError(f"account {account_id} has no router interface {interface_id}")
        obj.business_status = status
        tx.update(obj)
