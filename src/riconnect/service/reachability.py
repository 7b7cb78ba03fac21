"""The reachability analysis over the store: every account's VPCs, vSwitches, routes and
router interfaces, as they are at this instant (domain/reachability.py does the analysis).

Operator surface only: it looks the source up in whichever account owns it and follows
router interface pairs into their peers' accounts and regions.  It reads and never writes:
a transition that has come due is applied to the copy read, as the next API read would.
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from riconnect.domain import reachability, transitions
from riconnect.domain.clock import Clock
from riconnect.domain.entities import RouteEntry, RouterInterface, Vpc, VSwitch
from riconnect.domain.errors import ApiError
from riconnect.store.db import Store, Tx

T = TypeVar("T", Vpc, VSwitch, RouteEntry, RouterInterface)


class StoreTopology:
    """:class:`domain.reachability.Topology` over one read transaction."""

    def __init__(self, tx: Tx, now: float) -> None:
        self.tx = tx
        self.now = now

    def _now(self, obj: T | None) -> T | None:
        if obj is None or not transitions.due(obj, self.now):
            return obj
        obj = copy.copy(obj)
        transitions.settle(obj, self.now)
        return None if transitions.is_gone(obj) else obj

    def _all(self, rows: list[T]) -> list[T]:
        return [obj for obj in (self._now(row) for row in rows) if obj is not None]

    def vpc(self, vpc_id: str) -> Vpc | None:
        owner = self.tx.owner(Vpc, vpc_id)
        return None if owner is None else self._now(self.tx.get(Vpc, owner, vpc_id))

    def vswitch(self, vswitch_id: str) -> VSwitch | None:
        owner = self.tx.owner(VSwitch, vswitch_id)
        return None if owner is None else self._now(self.tx.get(VSwitch, owner, vswitch_id))

    def vswitches(self, vpc: Vpc) -> list[VSwitch]:
        return self._all(self.tx.find(VSwitch, vpc.account_id, vpc_id=vpc.id))

    def route_entries(self, vpc: Vpc) -> list[RouteEntry]:
        return self._all(
            self.tx.find(RouteEntry, vpc.account_id, route_table_id=vpc.route_table_id)
        )

    def interface(self, account_id: str, region_id: str, ri_id: str) -> RouterInterface | None:
        return self._now(self.tx.get(RouterInterface, account_id, ri_id, region_id))


def analyze(
    store: Store,
    clock: Clock,
    source: str,
    source_ip: str,
    destination_ip: str,
    account_id: str | None = None,
) -> dict[str, Any]:
    """The analysis as JSON; ApiError for a missing or malformed argument or a source that
    does not exist (in ``account_id``, when given)."""
    for name, value in (
        ("source", source),
        ("source_ip", source_ip),
        ("destination_ip", destination_ip),
    ):
        if not value:
            raise ApiError("MissingParameter", name=name)
    if not source.startswith(("vsw-", "vpc-")):
        raise ApiError("InvalidParameter", name="source", detail="Name a vsw-… or vpc-… id.")
    with store.transaction(write=False) as tx:
        topo = StoreTopology(tx, clock.now())
        owner = tx.owner(VSwitch, source) if source.startswith("vsw-") else tx.owner(Vpc, source)
        try:
            if owner is None or (account_id and owner != account_id):
                raise reachability.UnknownSource(source)
            result = reachability.analyze(topo, source, source_ip, destination_ip)
        except reachability.UnknownSource:
            code = (
                "InvalidVSwitchId.NotFound"
                if source.startswith("vsw-")
                else "InvalidVpcID.NotFound"
            )
            raise ApiError(code) from None
        except ValueError as exc:
            raise ApiError(
                "InvalidParameter",
                name="source_ip" if _bad(source_ip) else "destination_ip",
                detail=str(exc),
            ) from None
    return result.to_json()


def _bad(address: str) -> bool:
    import ipaddress

    try:
        ipaddress.IPv4Address(address)
    except ValueError:
        return True
    return False
