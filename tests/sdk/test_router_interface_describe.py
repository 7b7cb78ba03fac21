"""DescribeRouterInterfaces: every filter key, OR within a key and AND across keys, at most
5 filters, paging (default 10, max 50), TotalCount, stable ordering, Tags.N / Tag.N filters;
and isolation: another account never sees these interfaces, by id or by filter.

The fleet lives in account D, which no other test uses, so an unfiltered list holds
exactly the fleet and every expectation is computed from what the test created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from riconnect.domain.accounts import DEMO_ACCESS_POINT_ID, physical_connection_id
from tests.support.router_interface import ACCOUNT_D, Api, flatten, owner_of

STATE_PARAMS = {"PageSize": 50}


@dataclass(frozen=True)
class Ri:
    """What the test knows about one interface of the fleet."""

    id: str
    name: str
    router_id: str
    router_type: str
    status: str
    opposite_id: str = ""
    opposite_router_id: str = ""
    opposite_router_type: str = ""
    opposite_owner: str = ""
    tags: tuple[tuple[str, str], ...] = ()

    def field(self, key: str) -> str:
        return {
            "RouterInterfaceId": self.id,
            "RouterId": self.router_id,
            "RouterType": self.router_type,
            "RouterInterfaceOwnerId": ACCOUNT_D,
            "OppositeInterfaceId": self.opposite_id,
            "OppositeRouterType": self.opposite_router_type,
            "OppositeRouterId": self.opposite_router_id,
            "OppositeInterfaceOwnerId": self.opposite_owner,
            "Status": self.status,
            "Name": self.name,
        }[key]


@dataclass(frozen=True)
class Fleet:
    items: tuple[Ri, ...]  # in creation order
    routers: tuple[str, ...]
    vbr: str

    def by_name(self, name: str) -> Ri:
        return next(r for r in self.items if r.name == name)

    def where(self, filters: list[tuple[str, list[str]]]) -> list[str]:
        """Ids matching: values ORed within a key, keys ANDed; in creation order."""
        return [r.id for r in self.items if all(r.field(k) in vals for k, vals in filters)]


@pytest.fixture(scope="module")
def fleet(api_d: Api) -> Fleet:
    """Seven interfaces in account D: an Active pair, an Inactive pair, two Idle VRouter
    interfaces and an Idle VBR interface, some tagged."""
    d, owner = api_d, owner_of(api_d)
    assert list_ids(d, {}) == [], "account D must belong to this module alone"
    _, r1 = d.vpc("172.16.0.0/12")
    _, r2 = d.vpc("192.168.0.0/16")
    _, r3 = d.vpc("10.0.0.0/8")
    vbr = d.ok(
        "CreateVirtualBorderRouter",
        {
            "PhysicalConnectionId": physical_connection_id(ACCOUNT_D, 0),
            "VlanId": 7,
            "LocalGatewayIp": "10.9.0.1",
            "PeerGatewayIp": "10.9.0.2",
            "PeeringSubnetMask": "255.255.255.0",
        },
    )["VbrId"]
    items: list[Ri] = []

    def create(name: str, router: str, role: str, tags: dict[str, str] = {}, **extra: Any) -> str:  # noqa: B006
        wire = flatten("Tags", [{"Key": k, "Value": v} for k, v in tags.items()])
        return d.ri(router, role, Name=name, **wire, **extra)

    def pair(prefix: str, ra: str, rb: str, status: str, tags: dict[str, str]) -> None:
        i = create(f"{prefix}-1", ra, "InitiatingSide", tags)
        a = create(f"{prefix}-2", rb, "AcceptingSide")
        d.point(a, i, ra, owner)
        d.point(i, a, rb, owner)
        d.ok("ConnectRouterInterface", {"RouterInterfaceId": i})
        if status == "Inactive":
            d.ok("DeactivateRouterInterface", {"RouterInterfaceId": a})
        t = tuple(tags.items())
        items.append(Ri(i, f"{prefix}-1", ra, "VRouter", status, a, rb, "VRouter", owner, t))
        items.append(Ri(a, f"{prefix}-2", rb, "VRouter", status, i, ra, "VRouter", owner))

    pair("alpha", r1, r2, "Active", {"env": "prod"})
    pair("beta", r1, r3, "Inactive", {})
    gamma_tags = {"env": "prod", "team": "net"}
    gamma = create("gamma", r2, "InitiatingSide", gamma_tags)
    items.append(Ri(gamma, "gamma", r2, "VRouter", "Idle", tags=tuple(gamma_tags.items())))
    delta = create("delta", r3, "AcceptingSide", {"env": "dev"})
    items.append(Ri(delta, "delta", r3, "VRouter", "Idle", tags=(("env", "dev"),)))
    epsilon = d.ok(
        "CreateRouterInterface",
        {
            "RouterType": "VBR",
            "RouterId": vbr,
            "AccessPointId": DEMO_ACCESS_POINT_ID,
            "Role": "InitiatingSide",
            "Spec": "Middle.1",
            "OppositeRegionId": "cn-hangzhou",
            "OppositeRouterType": "VRouter",
            "OppositeRouterId": r3,
            "Name": "epsilon",
            "Tags.1.Key": "team",
            "Tags.1.Value": "net",
        },
    )["RouterInterfaceId"]
    items.append(
        Ri(epsilon, "epsilon", vbr, "VBR", "Idle", "", r3, "VRouter", "", (("team", "net"),))
    )
    return Fleet(tuple(items), (r1, r2, r3), vbr)


def describe(api: Api, params: dict[str, Any]) -> dict[str, Any]:
    return api.ok("DescribeRouterInterfaces", params)


def list_ids(api: Api, params: dict[str, Any]) -> list[str]:
    body = describe(api, {**STATE_PARAMS, **params})
    return [i["RouterInterfaceId"] for i in body["RouterInterfaceSet"]["RouterInterfaceType"]]


def filters(*pairs: tuple[str, list[str]]) -> dict[str, str]:
    return flatten("Filter", [{"Key": k, "Value": v} for k, v in pairs])


def test_the_fleet_as_listed(api_d: Api, fleet: Fleet) -> None:
    body = describe(api_d, STATE_PARAMS)
    listed = body["RouterInterfaceSet"]["RouterInterfaceType"]
    assert body["TotalCount"] == len(fleet.items) == 7
    # Ordered by creation time, and every known field is what was created.
    assert [i["RouterInterfaceId"] for i in listed] == [r.id for r in fleet.items]
    for item, ri in zip(listed, fleet.items, strict=True):
        for key in ("RouterId", "RouterType", "Status", "Name", "OppositeInterfaceId"):
            assert item[key] == ri.field(key), (ri.name, key)
        assert item["OppositeRouterId"] == ri.opposite_router_id
        assert sorted((t["Key"], t["Value"]) for t in item["Tags"]["Tags"]) == sorted(ri.tags)


FILTER_CASES: list[tuple[str, Callable[[Fleet], list[str]]]] = [
    ("RouterInterfaceId", lambda f: [f.by_name("alpha-2").id, f.by_name("gamma").id]),
    ("RouterId", lambda f: [f.routers[0]]),
    ("RouterId", lambda f: [f.routers[2], f.vbr]),
    ("RouterType", lambda f: ["VBR"]),
    ("RouterType", lambda f: ["VRouter"]),
    ("RouterInterfaceOwnerId", lambda f: [ACCOUNT_D]),
    ("RouterInterfaceOwnerId", lambda f: ["1234567890123456"]),
    ("OppositeInterfaceId", lambda f: [f.by_name("alpha-1").id, f.by_name("beta-2").id]),
    ("OppositeRouterType", lambda f: ["VRouter"]),
    ("OppositeRouterType", lambda f: ["VBR"]),
    ("OppositeRouterId", lambda f: [f.routers[2]]),
    ("OppositeInterfaceOwnerId", lambda f: [ACCOUNT_D]),
    ("Status", lambda f: ["Active"]),
    ("Status", lambda f: ["Inactive", "Idle"]),
    ("Status", lambda f: ["Connecting"]),
    ("Name", lambda f: ["beta-1", "delta", "no-such-name"]),
]


@pytest.mark.parametrize(("key", "values"), FILTER_CASES, ids=[k for k, _ in FILTER_CASES])
def test_each_filter_key(
    api_d: Api, fleet: Fleet, key: str, values: Callable[[Fleet], list[str]]
) -> None:
    wanted = values(fleet)
    expected = fleet.where([(key, wanted)])
    assert list_ids(api_d, filters((key, wanted))) == expected
    body = describe(api_d, {**filters((key, wanted)), "PageSize": 50})
    assert body["TotalCount"] == len(expected)


def test_every_documented_filter_key_is_covered() -> None:
    from riconnect.service.router_interface import FILTER_KEYS

    documented = {
        "RouterInterfaceId",
        "RouterId",
        "RouterType",
        "RouterInterfaceOwnerId",
        "OppositeInterfaceId",
        "OppositeRouterType",
        "OppositeRouterId",
        "OppositeInterfaceOwnerId",
        "Status",
        "Name",
    }
    assert set(FILTER_KEYS) == documented == {k for k, _ in FILTER_CASES}


def test_the_filter_cases_discriminate(fleet: Fleet) -> None:
    """Most cases select some but not all of the fleet, so an ignored filter shows."""
    partial = [
        k for k, v in FILTER_CASES if 0 < len(fleet.where([(k, v(fleet))])) < len(fleet.items)
    ]
    assert len(partial) >= 11


def test_values_or_within_a_key_and_keys_and_across(api_d: Api, fleet: Fleet) -> None:
    r1 = fleet.routers[0]
    cases = [
        [("Status", ["Active", "Inactive"]), ("RouterId", [r1])],
        [("Status", ["Idle"]), ("RouterType", ["VRouter"])],
        [("Name", ["alpha-1", "alpha-2", "gamma"]), ("Status", ["Active"])],
        [("RouterType", ["VBR"]), ("Status", ["Active"])],  # nothing
        # five filters, the most allowed
        [
            ("RouterType", ["VRouter"]),
            ("Status", ["Active", "Inactive"]),
            ("RouterId", [r1]),
            ("OppositeRouterType", ["VRouter"]),
            ("Name", ["alpha-1", "gamma", "delta"]),
        ],
    ]
    for case in cases:
        expected = fleet.where(case)
        assert list_ids(api_d, filters(*case)) == expected, case
    assert len({tuple(fleet.where(c)) for c in cases}) == len(cases)  # all different


def test_six_filters_are_refused(api_d: Api, fleet: Fleet) -> None:
    six = [("Status", ["Active"])] * 3 + [("RouterType", ["VRouter"])] * 3
    status, body, _ = api_d.raw("DescribeRouterInterfaces", filters(*six))
    assert (status, body["Code"]) == (400, "InvalidParameter")
    assert "Filter" in body["Message"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Filter.1.Key": "Colour", "Filter.1.Value.1": "blue"}, "InvalidParameter"),
        ({"Filter.1.Key": "Status"}, "MissingParameter"),
        ({"Filter.1.Value.1": "Active"}, "MissingParameter"),
        ({"Filter.1.Key": "Status", "Filter.1.Value": "Active"}, "InvalidParameter"),
        ({"PageSize": 51}, "InvalidParameter"),
        ({"PageSize": 0}, "InvalidParameter"),
        ({"PageNumber": 0}, "InvalidParameter"),
        ({"PageSize": "ten"}, "InvalidParameter"),
    ],
    ids=[
        "unknown-key",
        "key-without-value",
        "value-without-key",
        "value-without-index",
        "page-size-51",
        "page-size-0",
        "page-number-0",
        "page-size-not-a-number",
    ],
)
def test_malformed_queries(api_d: Api, params: dict[str, Any], code: str) -> None:
    status, body, _ = api_d.raw("DescribeRouterInterfaces", params)
    assert (status, body["Code"]) == (400, code), body


def test_paging(api_d: Api, fleet: Fleet) -> None:
    everything = [r.id for r in fleet.items]
    default = describe(api_d, {})
    assert (default["PageNumber"], default["PageSize"], default["TotalCount"]) == (1, 10, 7)
    pages = []
    for number in (1, 2, 3, 4):
        body = describe(api_d, {"PageSize": 3, "PageNumber": number})
        assert (body["PageNumber"], body["PageSize"], body["TotalCount"]) == (number, 3, 7)
        pages.append(
            [i["RouterInterfaceId"] for i in body["RouterInterfaceSet"]["RouterInterfaceType"]]
        )
    assert [len(p) for p in pages] == [3, 3, 1, 0]
    assert sum(pages, []) == everything
    assert describe(api_d, {"PageSize": 50})["PageSize"] == 50
    # Paging applies after filtering.
    idle = fleet.where([("Status", ["Idle"])])
    second = describe(api_d, {**filters(("Status", ["Idle"])), "PageSize": 2, "PageNumber": 2})
    assert second["TotalCount"] == len(idle) == 3
    assert [
        i["RouterInterfaceId"] for i in second["RouterInterfaceSet"]["RouterInterfaceType"]
    ] == idle[2:]


def test_ordering_is_stable(api_d: Api, fleet: Fleet) -> None:
    first = list_ids(api_d, {})
    for _ in range(3):
        assert list_ids(api_d, {}) == first == [r.id for r in fleet.items]


@pytest.mark.parametrize("prefix", ["Tags", "Tag"])
def test_tag_filters(api_d: Api, fleet: Fleet, prefix: str) -> None:
    def tagged(*tags: tuple[str, str]) -> list[str]:
        return list_ids(api_d, flatten(prefix, [{"Key": k, "Value": v} for k, v in tags]))

    def expected(*tags: tuple[str, str]) -> list[str]:
        return [r.id for r in fleet.items if all(t in r.tags for t in tags)]

    assert tagged(("env", "prod")) == expected(("env", "prod"))
    assert len(expected(("env", "prod"))) == 2
    assert tagged(("env", "prod"), ("team", "net")) == [fleet.by_name("gamma").id]
    assert tagged(("team", "net")) == expected(("team", "net"))
    assert tagged(("env", "staging")) == []
    # Tags combine with filters (AND).
    both = {
        **flatten(prefix, [{"Key": "team", "Value": "net"}]),
        **filters(("RouterType", ["VBR"])),
    }
    assert list_ids(api_d, both) == [fleet.by_name("epsilon").id]
    body = describe(api_d, {**flatten(prefix, [{"Key": "env", "Value": "prod"}]), "PageSize": 1})
    assert body["TotalCount"] == 2 and len(body["RouterInterfaceSet"]["RouterInterfaceType"]) == 1


def test_reservation_fields_only_on_request(api_d: Api, fleet: Fleet) -> None:
    plain = describe(api_d, {"PageSize": 1})["RouterInterfaceSet"]["RouterInterfaceType"][0]
    assert "ReservationBandwidth" not in plain
    body = describe(api_d, {"PageSize": 1, "IncludeReservationData": True})
    item = body["RouterInterfaceSet"]["RouterInterfaceType"][0]
    assert item["ReservationBandwidth"] == "" and item["HasReservationData"] == "false"


# -- isolation ------------------------------------------------------------------------------


def test_another_account_never_sees_the_fleet(api_a: Api, api_b: Api, fleet: Fleet) -> None:
    ids = [r.id for r in fleet.items]
    for other in (api_a, api_b):
        assert list_ids(other, filters(("RouterInterfaceId", ids))) == []
        assert list_ids(other, filters(("RouterId", [*fleet.routers, fleet.vbr]))) == []
        assert list_ids(other, filters(("RouterInterfaceOwnerId", [ACCOUNT_D]))) == []
        assert list_ids(other, filters(("OppositeInterfaceOwnerId", [ACCOUNT_D]))) == []
        seen: list[str] = []
        page = 1
        while True:
            got = list_ids(other, {"PageNumber": page})
            seen += got
            if len(got) < STATE_PARAMS["PageSize"]:
                break
            page += 1
        assert not set(seen) & set(ids)
        for ri_id in ids:
            status, body, _ = other.raw("DescribeRouterInterfaceAttribute", {"InstanceId": ri_id})
            assert (status, body["Code"]) == (404, "InvalidInstanceId.NotFound")


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [
        ("ConnectRouterInterface", {}, "InvalidRouterInterfaceId.NotFound"),
        ("ActivateRouterInterface", {}, "InvalidRouterInterfaceId.NotFound"),
        ("DeactivateRouterInterface", {}, "InvalidRouterInterfaceId.NotFound"),
        ("ModifyRouterInterfaceAttribute", {"Name": "stolen"}, "InvalidRouterInterfaceId.NotFound"),
        ("ModifyRouterInterfaceSpec", {"Spec": "Large.1"}, "InvalidRouterInterfaceId.NotFound"),
        ("DeleteRouterInterface", {}, "InvalidInstanceId.NotFound"),
        ("DeleteExpressConnect", {}, "InvalidInstanceId.NotFound"),
    ],
)
def test_another_account_cannot_act_on_the_fleet(
    api_d: Api, api_b: Api, fleet: Fleet, action: str, params: dict[str, Any], code: str
) -> None:
    before = describe(api_d, STATE_PARAMS)["RouterInterfaceSet"]
    for ri in fleet.items:
        status, body, _ = api_b.raw(action, {"RouterInterfaceId": ri.id, **params})
        assert (status, body["Code"]) == (404, code)
    assert describe(api_d, STATE_PARAMS)["RouterInterfaceSet"] == before
