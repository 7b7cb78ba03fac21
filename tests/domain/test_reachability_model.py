"""The reachability analysis against an independent brute-force model, on random topologies.

The model shares no code with domain/reachability.py or domain/routing.py: addresses are
integers; a route "matches" when the address's top ``prefix`` bits equal the destination's,
checked for every prefix length from 32 down to 0 (the first length with a match wins,
which is the longest prefix); a packet is moved VPC by VPC in a plain loop over a
step budget.  Hypothesis draws VPCs, vSwitches, router interface pairs (some not Active,
some with a vanished peer, some towards a VBR) and routes (some Pending), and the two
must agree on whether the destination is reachable, on the blocker's code and direction,
and on the interfaces the forward path crosses.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riconnect.domain import reachability
from riconnect.domain.entities import RouteEntry, RouterInterface, Vpc, VSwitch

ACCOUNT, REGION = "1234567890123456", "cn-hangzhou"
SERVICE = (int(ipaddress.IPv4Address("100.64.0.0")), 10)


# -- the topology, as plain dicts (what the analysis reads) ---------------------------------


@dataclass
class Topo:
    vpcs: dict[str, Vpc] = field(default_factory=dict)
    vsw: dict[str, VSwitch] = field(default_factory=dict)
    entries: dict[str, list[RouteEntry]] = field(default_factory=dict)  # by route table
    interfaces: dict[str, RouterInterface] = field(default_factory=dict)

    # domain.reachability.Topology
    def vpc(self, vpc_id: str) -> Vpc | None:
        return self.vpcs.get(vpc_id)

    def vswitch(self, vswitch_id: str) -> VSwitch | None:
        return self.vsw.get(vswitch_id)

    def vswitches(self, vpc: Vpc) -> list[VSwitch]:
        return [v for v in self.vsw.values() if v.vpc_id == vpc.id]

    def route_entries(self, vpc: Vpc) -> list[RouteEntry]:
        return self.entries.get(vpc.route_table_id, [])

    def interface(self, account_id: str, region_id: str, ri_id: str) -> RouterInterface | None:
        return self.interfaces.get(ri_id)


# -- the brute-force model -------------------------------------------------------------------


def _int(address: str) -> int:
    a, b, c, d = (int(x) for x in address.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def _block(cidr: str) -> tuple[int, int]:
    address, prefix = cidr.split("/")
    return _int(address), int(prefix)


def _matches(address: int, block: tuple[int, int], prefix: int) -> bool:
    start, length = block
    if length != prefix:
        return False
    shift = 32 - prefix
    return (address >> shift) == (start >> shift) if prefix else True


def model_lookup(world: Topo, vpc: Vpc, address: int) -> tuple[str, object] | None:
    """("local", vSwitch) | ("service", None) | ("custom", RouteEntry), longest prefix."""
    candidates: list[tuple[tuple[int, int], str, object]] = [
        (_block(v.cidr_block), "local", v) for v in world.vswitches(vpc)
    ]
    candidates.append((SERVICE, "service", None))
    candidates += [
        (_block(e.destination_cidr_block), "custom", e) for e in world.route_entries(vpc)
    ]
    for prefix in range(32, -1, -1):
        for block, kind, obj in candidates:
            if _matches(address, block, prefix):
                return kind, obj
    return None


def model_walk(world: Topo, vpc: Vpc, address: int, crossed: list[str]) -> tuple[str, object]:
    """("ok", (vpc, vSwitch)) or ("blocked", code); ``crossed`` collects interface ids."""
    seen: set[str] = set()
    arrived = False
    for _ in range(len(world.vpcs) + 2):
        if vpc.id in seen:
            return "blocked", "ROUTING_LOOP"
        seen.add(vpc.id)
        found = model_lookup(world, vpc, address)
        if found is None:
            start, length = _block(vpc.cidr_block)
            if (address >> (32 - length)) == (start >> (32 - length)):
                return "blocked", "DESTINATION_NOT_IN_VSWITCH"
            return "blocked", "PEER_VPC_MISMATCH" if arrived else "NO_ROUTE"
        kind, obj = found
        if kind == "service":
            return "blocked", "SERVICE_ADDRESS"
        if kind == "local":
            assert isinstance(obj, VSwitch)
            if obj.status != "Available":
                return "blocked", "ROUTE_NOT_AVAILABLE"
            return "ok", (vpc, obj)
        assert isinstance(obj, RouteEntry)
        if obj.status not in ("Available", "Modifying"):
            return "blocked", "ROUTE_NOT_AVAILABLE"
        local = world.interfaces.get(obj.next_hop_id)
        if local is None:
            return "blocked", "INTERFACE_NOT_FOUND"
        crossed.append(local.id)
        if local.status != "Active":
            return "blocked", "INTERFACE_NOT_ACTIVE"
        peer = world.interfaces.get(local.peer_id) if local.peer_id else None
        if peer is None:
            return "blocked", "INTERFACE_NOT_CONNECTED"
        crossed.append(peer.id)
        if peer.status != "Active":
            return "blocked", "INTERFACE_NOT_ACTIVE"
        if peer.router_type != "VRouter":
            return "blocked", "PEER_IS_VBR"
        vpc = world.vpcs[peer.vpc_id]
        arrived = True
    return "blocked", "ROUTING_LOOP"


def model(
    world: Topo, vsw: VSwitch, src: str, dst: str
) -> tuple[bool, str | None, str | None, list[str]]:
    """(reachable, blocker code, direction, interfaces crossed going there)."""
    if ipaddress.IPv4Address(src) not in ipaddress.IPv4Network(vsw.cidr_block):
        return False, "SOURCE_IP_NOT_IN_VSWITCH", "forward", []
    crossed: list[str] = []
    outcome, result = model_walk(world, world.vpcs[vsw.vpc_id], _int(dst), crossed)
    if outcome == "blocked":
        return False, str(result), "forward", crossed
    far_vpc, _far = result  # type: ignore[misc]
    back, back_result = model_walk(world, far_vpc, _int(src), [])
    if back == "blocked":
        return False, str(back_result), "reverse", crossed
    _, back_vsw = back_result  # type: ignore[misc]
    if back_vsw.id != vsw.id:
        return False, "OVERLAPPING_CIDR", "reverse", crossed
    return True, None, None, crossed


# -- random topologies -------------------------------------------------------------------------

# VPC blocks: some distinct, some overlapping (so OVERLAPPING_CIDR and loops can happen).
VPC_BLOCKS = ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.0.0.0/8", "192.168.0.0/16"]


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Topo, VSwitch, str, str]:
    world = Topo()
    n = draw(st.integers(2, 4))
    # Often the second VPC copies the first one's block, so that a reply can stay where it is.
    twins = draw(st.booleans())
    for i in range(n):
        cidr = draw(st.sampled_from(VPC_BLOCKS[:3] * 2 + VPC_BLOCKS))
        if twins and i == 1:
            cidr = world.vpcs["vpc-0"].cidr_block
        vpc = Vpc(
            id=f"vpc-{i}",
            account_id=ACCOUNT,
            region_id=REGION,
            vrouter_id=f"vrt-{i}",
            route_table_id=f"vtb-{i}",
            cidr_block=cidr,
            status="Available",
            created_at=0.0,
            resource_group_id="rg",
        )
        world.vpcs[vpc.id] = vpc
        net = ipaddress.IPv4Network(cidr)
        # Non-overlapping /24s of the VPC's block.
        subnets = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3, unique=True).map(sorted))
        for j in subnets:
            block = ipaddress.IPv4Network((int(net.network_address) + j * 256, 24))
            world.vsw[f"vsw-{i}-{j}"] = VSwitch(
                id=f"vsw-{i}-{j}",
                account_id=ACCOUNT,
                region_id=REGION,
                vpc_id=vpc.id,
                zone_id="cn-hangzhou-h",
                cidr_block=str(block),
                status=draw(st.sampled_from(["Available"] * 5 + ["Pending"])),
                created_at=0.0,
                resource_group_id="rg",
            )
    # Interface pairs between random VPCs (sometimes towards a VBR, or with a lost peer).
    # The first pair joins VPC 0 (where the packet usually starts) to VPC 1.
    pairs = [(0, 1)] + draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3)
    )
    for k, (x, y) in enumerate(pairs):
        status = draw(st.sampled_from(["Active"] * 6 + ["Inactive", "Idle"]))
        peer_kind = draw(st.sampled_from(["VRouter"] * 4 + ["VBR", "gone"]))
        a = RouterInterface(
            id=f"ri-{k}a",
            account_id=ACCOUNT,
            region_id=REGION,
            role="InitiatingSide",
            router_type="VRouter",
            router_id=f"vrt-{x}",
            spec="Large.1",
            status=status,
            created_at=0.0,
            opposite_region_id=REGION,
            resource_group_id="rg",
            vpc_id=f"vpc-{x}",
            peer_id=f"ri-{k}b",
            peer_account_id=ACCOUNT,
            peer_region_id=REGION,
        )
        world.interfaces[a.id] = a
        if peer_kind != "gone":
            world.interfaces[f"ri-{k}b"] = RouterInterface(
                id=f"ri-{k}b",
                account_id=ACCOUNT,
                region_id=REGION,
                role="AcceptingSide",
                router_type=peer_kind,
                router_id=f"vrt-{y}" if peer_kind == "VRouter" else "vbr-x",
                spec="Negative",
                status=status,
                created_at=0.0,
                opposite_region_id=REGION,
                resource_group_id="rg",
                vpc_id=f"vpc-{y}" if peer_kind == "VRouter" else "",
                peer_id=a.id,
                peer_account_id=ACCOUNT,
                peer_region_id=REGION,
            )
    # Routes: mostly each side of a pair routing the other VPC's block to its interface (a
    # working link), plus random ones: other blocks, /24s inside them, a default route.
    wanted: list[tuple[Vpc, str, str]] = []
    for ri in list(world.interfaces.values()):
        peer = world.interfaces.get(ri.peer_id)
        if ri.role != "InitiatingSide":
            continue
        if peer is None or peer.router_type != "VRouter":
            # A route into a link that leads nowhere riconnect models.
            if draw(st.booleans()):
                wanted.append((world.vpcs[ri.vpc_id], draw(st.sampled_from(VPC_BLOCKS)), ri.id))
            continue
        x, y = world.vpcs[ri.vpc_id], world.vpcs[peer.vpc_id]
        if draw(st.sampled_from([True] * 4 + [False])):
            wanted.append((x, y.cidr_block, ri.id))
        if draw(st.sampled_from([True] * 4 + [False])):
            wanted.append((y, x.cidr_block, peer.id))
    for vpc in world.vpcs.values():
        mine = [ri.id for ri in world.interfaces.values() if ri.router_id == vpc.vrouter_id]
        if not mine:
            continue
        extra = draw(
            st.lists(
                st.sampled_from(
                    VPC_BLOCKS + ["10.1.1.0/24", "10.2.3.0/24", "192.168.1.0/24", "0.0.0.0/0"]
                ),
                max_size=2,
                unique=True,
            )
        )
        wanted += [(vpc, dest, draw(st.sampled_from(mine))) for dest in extra]
    for m, (vpc, dest, hop) in enumerate(wanted):
        net = ipaddress.IPv4Network(dest)
        table = world.entries.setdefault(vpc.route_table_id, [])
        if any(net.subnet_of(ipaddress.IPv4Network(v.cidr_block)) for v in world.vswitches(vpc)):
            continue  # the API refuses a destination inside a vSwitch
        if any(e.destination_cidr_block == dest for e in table):
            continue  # destinations are unique in a table
        table.append(
            RouteEntry(
                id=f"rte-{m}",
                account_id=ACCOUNT,
                region_id=REGION,
                route_table_id=vpc.route_table_id,
                vpc_id=vpc.id,
                destination_cidr_block=dest,
                next_hop_type="RouterInterface",
                next_hop_id=hop,
                status=draw(st.sampled_from(["Available"] * 8 + ["Pending", "Modifying"])),
                created_at=0.0,
            )
        )
    first = [v for v in world.vsw.values() if v.vpc_id == "vpc-0"]
    sources = first if draw(st.sampled_from([True] * 3 + [False])) else world.vsw.values()
    vsw = draw(st.sampled_from(sorted(sources, key=lambda v: v.id)))
    base = int(ipaddress.IPv4Network(vsw.cidr_block).network_address)
    src = str(ipaddress.IPv4Address(base + draw(st.integers(1, 252))))
    if draw(st.sampled_from([False] * 9 + [True])):
        src = "172.31.0.9"  # outside the vSwitch
    away = [v for v in world.vsw.values() if v.vpc_id != vsw.vpc_id]
    targets = away if away and draw(st.sampled_from([True] * 4 + [False])) else world.vsw.values()
    target = draw(st.sampled_from(sorted(targets, key=lambda v: v.id)))
    dst_base = int(ipaddress.IPv4Network(target.cidr_block).network_address)
    dst = str(ipaddress.IPv4Address(dst_base + draw(st.integers(1, 252))))
    if draw(st.sampled_from([False] * 4 + [True])):
        dst = draw(st.sampled_from(["10.3.0.5", "100.64.0.9", "10.0.200.1", "8.8.8.8"]))
    return world, vsw, src, dst


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_analysis_agrees_with_the_brute_force_model(case: tuple[Topo, VSwitch, str, str]) -> None:
    world, vsw, src, dst = case
    result = reachability.analyze(world, vsw.id, src, dst)
    reachable, code, direction, crossed = model(world, vsw, src, dst)
    assert result.reachable is reachable, result.to_json()
    if reachable:
        assert result.blocker is None
    else:
        assert result.blocker is not None
        assert (result.blocker.code, result.blocker.direction) == (code, direction)
    forward_interfaces = [h["id"] for h in result.hops if h["nodeType"] == "ROUTER_INTERFACE"]
    assert forward_interfaces == crossed


# Every blocker a consistent cloud can show (INTERFACE_NOT_FOUND and NEXT_HOP_NOT_SUPPORTED
# cannot: a used interface cannot be deleted, and riconnect routes only to interfaces).
EXPECTED_OUTCOMES = {
    (True, None, None),
    ("NO_ROUTE", "forward"),
    ("NO_ROUTE", "reverse"),
    ("ROUTE_NOT_AVAILABLE", "forward"),
    ("ROUTE_NOT_AVAILABLE", "reverse"),
    ("INTERFACE_NOT_ACTIVE", "forward"),
    ("INTERFACE_NOT_CONNECTED", "forward"),
    ("PEER_IS_VBR", "forward"),
    ("PEER_VPC_MISMATCH", "forward"),
    ("ROUTING_LOOP", "forward"),
    ("OVERLAPPING_CIDR", "reverse"),
    ("SERVICE_ADDRESS", "forward"),
    ("DESTINATION_NOT_IN_VSWITCH", "forward"),
    ("SOURCE_IP_NOT_IN_VSWITCH", "forward"),
}


def test_the_random_topologies_reach_every_blocker() -> None:
    """The agreement above means little if the topologies never block in some way: on a
    fixed seed, the drawn topologies produce every outcome, a path across VPCs included."""
    seen: set[tuple[object, ...]] = set()

    @settings(
        max_examples=500,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(worlds())
    def collect(case: tuple[Topo, VSwitch, str, str]) -> None:
        world, vsw, src, dst = case
        reachable, code, direction, crossed = model(world, vsw, src, dst)
        seen.add((True, None, None) if reachable else (code, direction))
        if reachable and crossed:
            seen.add(("across VPCs",))

    collect()
    missing = (EXPECTED_OUTCOMES | {("across VPCs",)}) - seen
    assert not missing, missing


def test_a_vpc_source_uses_the_vswitch_holding_the_address() -> None:
    world = Topo()
    for i, (cidr, vsw) in enumerate(
        (("10.0.0.0/16", "10.0.1.0/24"), ("10.1.0.0/16", "10.1.1.0/24"))
    ):
        world.vpcs[f"vpc-{i}"] = Vpc(
            f"vpc-{i}", ACCOUNT, REGION, f"vrt-{i}", f"vtb-{i}", cidr, "Available", 0.0, "rg"
        )
        world.vsw[f"vsw-{i}"] = VSwitch(
            f"vsw-{i}", ACCOUNT, REGION, f"vpc-{i}", "z", vsw, "Available", 0.0, "rg"
        )
    inside = reachability.analyze(world, "vpc-0", "10.0.1.5", "10.0.1.9")
    assert inside.reachable and inside.source_type == "vpc"
    assert [h["nodeType"] for h in inside.hops] == [
        "VSW",
        "VROUTER",
        "ROUTE_TABLE",
        "ROUTE_ENTRY",
        "VSW",
    ]
    away = reachability.analyze(world, "vpc-0", "10.0.1.5", "10.1.1.9")
    assert not away.reachable and away.blocker is not None
    assert away.blocker.code == "NO_ROUTE"
    nowhere = reachability.analyze(world, "vpc-0", "10.0.9.5", "10.0.1.9")
    assert nowhere.blocker is not None and nowhere.blocker.code == "SOURCE_IP_NOT_IN_VSWITCH"
