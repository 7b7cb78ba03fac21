"""Router interface rules: roles, router types, specs, the status transition table, and the
rules a request must meet (which side may sit on what, fast links, locks, consent).

A connection is a pair of interfaces, one ``InitiatingSide`` and one ``AcceptingSide``,
each told about the other.  Connection-level operations (connect, activate, deactivate)
move both sides together: both enter the intermediate state at once and reach the
target at the same deadline.  A link needs both sides' consent: each names the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from riconnect.domain.accounts import Directory
from riconnect.domain.entities import GONE, RouterInterface
from riconnect.domain.errors import ApiError, catalogued
from riconnect.domain.regions import is_mainland_china
from riconnect.domain.validation import check_ipv4

INITIATING = "InitiatingSide"
ACCEPTING = "AcceptingSide"
ROLES = (INITIATING, ACCEPTING)

VROUTER = "VRouter"
VBR = "VBR"
ROUTER_TYPES = (VROUTER, VBR)

IDLE = "Idle"
CONNECTING = "Connecting"
ACCEPTING_CONNECTING = "AcceptingConnecting"
ACTIVATING = "Activating"
ACTIVE = "Active"
MODIFYING = "Modifying"
DEACTIVATING = "Deactivating"
INACTIVE = "Inactive"
DELETING = "Deleting"
DELETED = "Deleted"  # only ever shown as the opposite side's status
STATUSES = (
    IDLE,
    CONNECTING,
    ACCEPTING_CONNECTING,
    ACTIVATING,
    ACTIVE,
    MODIFYING,
    DEACTIVATING,
    INACTIVE,
    DELETING,
)

NEGATIVE = "Negative"
SPEC_BANDWIDTH: dict[str, int] = {
    "Mini.2": 2,
    "Mini.5": 5,
    "Small.1": 10,
    "Small.2": 20,
    "Small.5": 50,
    "Middle.1": 100,
    "Middle.2": 200,
    "Middle.5": 500,
    "Large.1": 1000,
    "Large.2": 2000,
    "Large.5": 5000,
    "Xlarge.1": 10000,
}
SPECS = (*SPEC_BANDWIDTH, NEGATIVE)

# Charge types: request values and what describes report (see docs/fidelity.md).
PREPAID = "PrePaid"
POSTPAID = "PostPaid"
CHARGE_REPORTED = {PREPAID: "Prepaid", POSTPAID: "AfterPay"}

OPPOSITE_FIELDS = (
    "opposite_interface_id",
    "opposite_router_id",
    "opposite_router_type",
    "opposite_interface_owner_id",
)


def bandwidth(spec: str) -> int:
    return SPEC_BANDWIDTH.get(spec, 0)


def check_spec(role: str, spec: str) -> None:
    """The initiator buys a spec; the acceptor has none (``Negative``).  The one check of a
    Spec value, for CreateRouterInterface and ModifyRouterInterfaceSpec alike."""
    if spec not in SPECS:
        raise ApiError("InvalidSpec.ValudNotSupported")
    if (role == ACCEPTING) != (spec == NEGATIVE):
        raise ApiError("InvalidSpec.ValudNotSupported")


@dataclass(frozen=True)
class Move:
    """One row of the transition table.

    ``allowed``: statuses the operation starts from; ``status``/``peer_status``: the
    intermediate states of this side and of the connected peer (None: the peer is not
    touched); ``target``: where both end; ``delay``: the Delays field that times it.
    """

    allowed: frozenset[str]
    status: str
    peer_status: str | None
    target: str
    delay: str
    error: str
    message: str

    def __post_init__(self) -> None:
        catalogued(self.error)


TABLE: dict[str, Move] = {
    "connect": Move(
        frozenset({IDLE}),
        CONNECTING,
        ACCEPTING_CONNECTING,
        ACTIVE,
        "ri_connect",
        "IncorrectRIStatus",
        "RouterInterface can be operated by this action only when it's status is Idle.",
    ),
    "activate": Move(
        frozenset({INACTIVE}),
        ACTIVATING,
        ACTIVATING,
        ACTIVE,
        "ri_activate",
        "IncorrectRIStatus",
        "RouterInterface can be operated by this action only when it's status is Inactive.",
    ),
    "deactivate": Move(
        frozenset({ACTIVE}),
        DEACTIVATING,
        DEACTIVATING,
        INACTIVE,
        "ri_deactivate",
        "IncorrectRIStatus",
        "RouterInterface can be operated by this action only when it's status is Active.",
    ),
    "delete": Move(
        frozenset({IDLE, INACTIVE}),
        DELETING,
        None,
        GONE,
        "ri_delete",
        "IncorrectStatus",
        "This openeration would be allowed only when status of this RouterInterface is "
        "Idle/Inactive.",
    ),
    # A spec change on a connected initiator re-activates the link; on an idle one it
    # only records the new spec (see modify_spec below).
    "modify_spec": Move(
        frozenset({IDLE, ACTIVE}),
        ACTIVATING,
        None,
        ACTIVE,
        "ri_modify_spec",
        "InvalidInstance.StatusError",
        "The router instance status error.",
    ),
    "modify_attribute": Move(
        frozenset({ACTIVE, IDLE, INACTIVE}),
        "",
        None,
        "",
        "",
        "IncorrectStatus",
        "RouterInterface can be operated by this action only when the status is Active,idle "
        "or inactive.",
    ),
}


def check_allowed(operation: str, status: str) -> Move:
    move = TABLE[operation]
    if status not in move.allowed:
        raise ApiError(move.error, move.message)
    return move


def arrived(obj: RouterInterface, deadline: float) -> None:
    """A transition has just reached its target: a link that became Active was connected
    when the transition came due, not when someone first looked."""
    if obj.status == ACTIVE and obj.connected_at is None:
        obj.connected_at = deadline


def opposite_info_complete(values: dict[str, str]) -> bool:
    return all(values.get(name) for name in OPPOSITE_FIELDS)


def cross_border(region_a: str, region_b: str) -> bool:
    """A link between mainland China and anywhere else crosses a border."""
    return is_mainland_china(region_a) != is_mainland_china(region_b)


# -- rules on a request ---------------------------------------------------------------------


def check_sides(role: str, router_type: str, opposite_router_type: str | None) -> None:
    """A VBR only initiates, so the side opposite a VBR accepts."""
    if router_type == VBR and role != INITIATING:
        raise ApiError("InvalidRole.Malformed", detail="A VBR can only be the InitiatingSide.")
    if opposite_router_type == VBR and role != ACCEPTING:
        raise ApiError(
            "InvalidRole.Malformed", detail="The side opposite a VBR must be the AcceptingSide."
        )


def check_access_points(
    router_type: str,
    access_point_id: str | None,
    opposite_router_type: str | None,
    opposite_access_point_id: str | None,
) -> None:
    """A VBR sits at an access point (and only a VBR does)."""
    if router_type == VBR and not access_point_id:
        raise ApiError("MissingParameter", name="AccessPointId")
    if router_type == VROUTER and access_point_id:
        raise ApiError(
            "InvalidParameter", name="AccessPointId", detail="AccessPointId applies only to a VBR."
        )
    if opposite_router_type == VBR and not opposite_access_point_id:
        raise ApiError("MissingParameter", name="OppositeAccessPointId")


def health_check(source_ip: str | None, target_ip: str | None) -> tuple[str, str] | None:
    """The health check addresses, which come as a pair; None when neither is given."""
    if source_ip is None and target_ip is None:
        return None
    if source_ip is None or target_ip is None:
        raise ApiError(
            "InvalidHealthCheck.Malformed",
            detail="HealthCheckSourceIp and HealthCheckTargetIp are set together.",
        )
    return check_ipv4(source_ip, "HealthCheckSourceIp"), check_ipv4(
        target_ip, "HealthCheckTargetIp"
    )


def check_opposite_owner(directory: Directory, owner: str) -> str:
    """The account said to own the opposite side must be a main account that exists."""
    kind = directory.account_kind(owner)
    if kind == "ram":
        raise ApiError(
            "InvalidOppositeInterfaceOwnerId.Malformed",
            detail=f"{owner} is a RAM user; use the id of its main account.",
        )
    if kind is None:
        raise ApiError(
            "InvalidOppositeInterfaceOwnerId.Malformed", detail=f"No account has the id {owner}."
        )
    return owner


def prepaid_months(charge_type: str, pricing_cycle: str | None, period: int | None) -> int:
    """How long a prepaid interface is bought for (0 when it is paid afterwards)."""
    if charge_type != PREPAID:
        return 0
    cycle = pricing_cycle or "Month"
    if period is None:
        raise ApiError("MissingParameter", name="Period")
    if (cycle == "Month" and not 1 <= period <= 9) or (cycle == "Year" and not 1 <= period <= 3):
        raise ApiError("InvalidPeriod.Malformed")
    return period * (12 if cycle == "Year" else 1)


def check_fast_link(
    router_type: str,
    role: str,
    opposite_router_type: str | None,
    opposite_router_id: str | None,
    owner: str,
    account_id: str,
) -> None:
    """Fast link mode: a VBR initiator that creates and connects its VPC's acceptor itself,
    so the VPC must be named and be the caller's own."""
    if router_type != VBR or opposite_router_type != VROUTER or role != INITIATING:
        raise ApiError(
            "InvalidFastLinkMode.Forbidden",
            detail="Fast link mode needs RouterType VBR, Role InitiatingSide and OppositeRouterType VRouter.",
        )
    for name, value in (
        ("OppositeRouterId", opposite_router_id),
        ("OppositeInterfaceOwnerId", owner),
    ):
        if not value:
            raise ApiError("MissingParameter", name=name)
    if owner != account_id:
        raise ApiError(
            "InvalidFastLinkMode.Forbidden",
            detail="Fast link mode connects to a VPC of the same account.",
        )


# -- rules on an interface's state ----------------------------------------------------------


def check_unlocked(obj: RouterInterface, financial: str = "Forbidden.FinancialLocked") -> None:
    """Billing or security may lock an interface; ``financial`` names the billing lock's code,
    which differs between actions."""
    if obj.business_status == "FinancialLocked":
        raise ApiError(financial)
    if obj.business_status == "SecurityLocked":
        raise ApiError("Forbidden.SecurityLocked")


def check_repoint(obj: RouterInterface, changed: dict[str, str]) -> None:
    """Changing what an interface says about its opposite side.  The opposite side is fixed
    once the link exists; only an Idle interface that never connected may be re-pointed (see
    docs/fidelity.md)."""
    if obj.status != IDLE or obj.peer_id:
        raise ApiError(
            "IncorrectStatus",
            "The opposite router interface information can be modified only while the "
            "RouterInterface is Idle.",
        )
    if changed.get("opposite_router_type") == VBR and obj.role != ACCEPTING:
        raise ApiError(
            "InvalidRole.Malformed", detail="The side opposite a VBR must be the AcceptingSide."
        )


def _mismatch(detail: str) -> ApiError:
    return ApiError("IncorrectOppositeInterfaceInfo.Mismatch", detail=detail)


def _api_name(field: str) -> str:
    return "".join(part.capitalize() for part in field.split("_"))


def check_consent(obj: RouterInterface, peer: RouterInterface) -> None:
    """``peer``, found where ``obj`` says its opposite side is, consents to the link: it is an
    acceptor configured with ``obj`` as its opposite side, in ``obj``'s region, on the router
    ``obj`` names."""
    told = {f: getattr(peer, f) for f in OPPOSITE_FIELDS}
    if not opposite_info_complete(told):
        raise ApiError("IncorrectOppositeInterfaceInfo.NotSet")
    if peer.role != ACCEPTING:
        raise _mismatch(f"The opposite router interface {peer.id} is not an AcceptingSide.")
    expected = {
        "opposite_interface_id": obj.id,
        "opposite_router_id": obj.router_id,
        "opposite_router_type": obj.router_type,
        "opposite_interface_owner_id": obj.account_id,
    }
    for field, value in expected.items():
        if told[field] != value:
            raise _mismatch(
                f"The opposite router interface {peer.id} is configured with "
                f"{_api_name(field)}={told[field]}, but this side is {value}."
            )
    if peer.opposite_region_id != obj.region_id:
        raise _mismatch(
            f"The opposite router interface {peer.id} expects OppositeRegionId="
            f"{peer.opposite_region_id}, but this side is in {obj.region_id}."
        )
    if peer.router_id != obj.opposite_router_id or peer.router_type != obj.opposite_router_type:
        raise _mismatch(
            f"The opposite router interface {peer.id} is on {peer.router_type} {peer.router_id}, "
            f"not on {obj.opposite_router_type} {obj.opposite_router_id}."
        )


def missing_peer(interface_id: str, region_id: str = "", owner: str = "") -> ApiError:
    """The opposite side is not where this side says it is (or no longer exists)."""
    if region_id:
        return _mismatch(
            f"The opposite router interface {interface_id} does not exist in region "
            f"{region_id} of account {owner}."
        )
    return _mismatch(f"The opposite router interface {interface_id} has been deleted.")
