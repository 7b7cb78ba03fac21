"""Operator actions that are not part of the public API (physical connections)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from riconnect.domain.entities import PhysicalConnection
from riconnect.store.db import Store


def seed_physical_connections(
    store: Store, grants: Iterable[tuple[str, Any]], now: float = 0.0
) -> int:
    """Make the store hold every physical connection the accounts file grants.

    ``grants`` yields (account id, object with id/access_point_id/region_id/bandwidth/name).

    Existing ones are left as they are (their VBRs depend on them); returns how many
    were added.
    """
    added = 0
    with store.transaction(write=True) as tx:
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
