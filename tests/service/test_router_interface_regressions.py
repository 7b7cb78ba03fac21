"""Regression tests for bugs found in the router-interface service (in-process, fake clock)."""

from __future__ import annotations

import pytest

from riconnect.domain.clock import iso8601
from riconnect.domain.errors import ApiError
from tests.support.router_interface import REGION, Service, new_account_id


def _pair(svc: Service, ra: str, rb: str, *, connect: bool = True) -> tuple[str, str]:
    """An initiator on ``ra`` and an acceptor on ``rb``, both configured; connected and
    settled when ``connect``."""
    me = svc.account_id
    i = svc.call(
        "CreateRouterInterface",
        RouterType="VRouter",
        RouterId=ra,
        Role="InitiatingSide",
        Spec="Large.2",
        OppositeRegionId=REGION,
    )["RouterInterfaceId"]
    a = svc.call(
        "CreateRouterInterface",
        RouterType="VRouter",
        RouterId=rb,
        Role="AcceptingSide",
        Spec="Negative",
        OppositeRegionId=REGION,
    )["RouterInterfaceId"]
    for x, y, router in ((a, i, ra), (i, a, rb)):
        svc.call(
            "ModifyRouterInterfaceAttribute",
            RouterInterfaceId=x,
            OppositeInterfaceId=y,
            OppositeRouterId=router,
            OppositeRouterType="VRouter",
            OppositeInterfaceOwnerId=me,
        )
    if connect:
        svc.call("ConnectRouterInterface", RouterInterfaceId=i)
        svc.clock.advance(svc.settings.delays.ri_connect)
    return i, a


def test_connected_time_is_when_the_connection_came_due_not_when_first_read(
    svc: Service,
) -> None:
    _, ra = svc.vpc()
    _, rb = svc.vpc("192.168.0.0/16")
    i, a = _pair(svc, ra, rb, connect=False)
    svc.call("ConnectRouterInterface", RouterInterfaceId=i)
    deadline = svc.clock.now() + svc.settings.delays.ri_connect
    svc.clock.advance(600)  # nobody looks until long after the deadline
    for ri_id in (i, a):
        attr = svc.attribute(ri_id)
        assert attr["Status"] == "Active"
        assert attr["ConnectedTime"] == iso8601(deadline)


def test_a_deleted_connection_does_not_block_a_new_one_between_the_same_routers(
    svc: Service,
) -> None:
    _, ra = svc.vpc()
    _, rb = svc.vpc("192.168.0.0/16")
    old_i, old_a = _pair(svc, ra, rb)
    svc.call("DeactivateRouterInterface", RouterInterfaceId=old_i)
    svc.clock.advance(svc.settings.delays.ri_deactivate)
    # The new pair exists before the old one is deleted (so creating it purges nothing).
    new_i, _ = _pair(svc, ra, rb, connect=False)
    svc.call("DeleteRouterInterface", RouterInterfaceId=old_i)
    svc.call("DeleteRouterInterface", RouterInterfaceId=old_a)
    # While the old pair is still Deleting it still holds the link.
    assert svc.code("ConnectRouterInterface", RouterInterfaceId=new_i) == (
        "Forbidden.OnlyOneConnection"
    )
    svc.clock.advance(svc.settings.delays.ri_delete)
    # Its deletion has come due, though nobody has read it since: the routers are free.
    svc.call("ConnectRouterInterface", RouterInterfaceId=new_i)
    svc.clock.advance(svc.settings.delays.ri_connect)
    assert svc.attribute(new_i)["Status"] == "Active"
    assert {x["RouterInterfaceId"] for x in svc.interfaces()} >= {new_i}
    assert old_i not in {x["RouterInterfaceId"] for x in svc.interfaces()}


def _vbr(svc: Service) -> str:
    from riconnect.service.admin import add_physical_connection

    pc = add_physical_connection(svc.store, svc.account_id, "ap-cn-hangzhou-jg-B", REGION)
    return svc.call(
        "CreateVirtualBorderRouter",
        PhysicalConnectionId=pc.id,
        VlanId=10,
        LocalGatewayIp="10.0.0.1",
        PeerGatewayIp="10.0.0.2",
        PeeringSubnetMask="255.255.255.252",
    )["VbrId"]


def _fast_link(svc: Service, vbr: str, vrouter: str) -> dict[str, object]:
    return svc.call(
        "CreateRouterInterface",
        RouterType="VBR",
        RouterId=vbr,
        AccessPointId="ap-cn-hangzhou-jg-B",
        Role="InitiatingSide",
        Spec="Large.2",
        OppositeRegionId=REGION,
        OppositeRouterType="VRouter",
        OppositeRouterId=vrouter,
        OppositeInterfaceOwnerId=svc.account_id,
        FastLinkMode=True,
    )


def test_fast_link_to_a_vpc_that_nobody_has_read_since_it_was_created(svc: Service) -> None:
    vbr = _vbr(svc)
    # With immediate transitions the VPC is Available at once, but its row still says
    # Pending until something settles it; fast link must settle it, not refuse.
    _, vrouter = svc.vpc()
    ri_id = _fast_link(svc, vbr, vrouter)["RouterInterfaceId"]
    attr = svc.attribute(ri_id)
    assert attr["Status"] == "Active"
    assert attr["FastLinkMode"] == "true"


def test_fast_link_keeps_to_one_connection_between_two_routers(svc: Service) -> None:
    vbr = _vbr(svc)
    _, vrouter = svc.vpc()
    first = _fast_link(svc, vbr, vrouter)["RouterInterfaceId"]
    before = svc.interfaces()
    with pytest.raises(ApiError) as refused:
        _fast_link(svc, vbr, vrouter)
    assert refused.value.code == "Forbidden.OnlyOneConnection"
    assert svc.interfaces() == before
    # Once the first link is gone, the routers may be linked again.
    svc.call("DeleteExpressConnect", RouterInterfaceId=first, Force=True)
    svc.clock.advance(svc.settings.delays.ri_delete)
    assert svc.attribute(_fast_link(svc, vbr, vrouter)["RouterInterfaceId"])["Status"] == "Active"


def test_connect_without_the_other_accounts_consent_reveals_nothing(svc: Service) -> None:
    """The answer is the same documented NotSet whether the other account's interface is
    missing, unconfigured, configured for somebody else, or not an acceptor; it names
    nothing the caller did not send."""
    a = svc
    b = svc.as_account(new_account_id())
    c = svc.as_account(new_account_id())
    _, ra = a.vpc()
    _, rb = b.vpc("192.168.0.0/16")
    _, rc = c.vpc("10.0.0.0/8")

    def create(s: Service, router: str, role: str) -> str:
        spec = "Large.2" if role == "InitiatingSide" else "Negative"
        return s.call(
            "CreateRouterInterface",
            RouterType="VRouter",
            RouterId=router,
            Role=role,
            Spec=spec,
            OppositeRegionId=REGION,
        )["RouterInterfaceId"]

    def point(s: Service, x: str, y: str, router: str, owner: str) -> None:
        s.call(
            "ModifyRouterInterfaceAttribute",
            RouterInterfaceId=x,
            OppositeInterfaceId=y,
            OppositeRouterId=router,
            OppositeRouterType="VRouter",
            OppositeInterfaceOwnerId=owner,
        )

    mine = create(a, ra, "InitiatingSide")
    theirs = create(b, rb, "AcceptingSide")
    b_initiator = create(b, rb, "InitiatingSide")
    c_initiator = create(c, rc, "InitiatingSide")
    secrets_of_others = {c_initiator, rc, c.account_id, b_initiator}

    def attempt() -> tuple[str, str]:
        with pytest.raises(ApiError) as refused:
            a.call("ConnectRouterInterface", RouterInterfaceId=mine)
        return refused.value.code, refused.value.message

    answers = []
    point(a, mine, theirs, rb, b.account_id)
    answers.append(attempt())  # B's acceptor is not configured
    point(b, theirs, c_initiator, rc, c.account_id)
    answers.append(attempt())  # B's acceptor consents to C, not to A
    point(a, mine, "ri-doesnotexist0000000000", rb, b.account_id)
    answers.append(attempt())  # no such interface in B
    point(a, mine, b_initiator, rb, b.account_id)
    answers.append(attempt())  # B's interface is an initiator
    assert len(set(answers)) == 1, answers
    code, message = answers[0]
    assert code == "IncorrectOppositeInterfaceInfo.NotSet"
    assert not any(s in message for s in secrets_of_others)

    # With B's consent the same call connects.
    point(a, mine, theirs, rb, b.account_id)
    b.call(
        "ModifyRouterInterfaceAttribute",
        RouterInterfaceId=theirs,
        OppositeInterfaceId=mine,
        OppositeRouterId=ra,
        OppositeRouterType="VRouter",
        OppositeInterfaceOwnerId=a.account_id,
    )
    a.call("ConnectRouterInterface", RouterInterfaceId=mine)
    a.clock.advance(a.settings.delays.ri_connect)
    assert a.attribute(mine)["Status"] == b.attribute(theirs)["Status"] == "Active"
