"""Router interface rules: roles, router types, specs, and the status transition table.

A connection is a pair of interfaces, one ``InitiatingSide`` and one ``AcceptingSide``,
each told about the other.  Connection-level operations (connect, activate, deactivate)
move both sides together: both enter the intermediate state at once and reach the
target at the same deadline.
"""

from __future__ import annotations

from dataclasses import dataclass

from riconnect.domain.entities import GONE, RouterInterface
from riconnect.domain.errors import ApiError, catalogued

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
    """The initiator buys a spec; the acceptor has none (``Negative``)."""
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
    from riconnect.domain.regions import is_mainland_china

    return is_mainland_china(region_a) != is_mainland_china(region_b)
