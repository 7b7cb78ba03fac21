"""Transitions per resource type and per action (the live settings' handles)."""

from __future__ import annotations

import pytest

from riconnect.domain.transitions import ACTIONS, RESOURCE_TYPES, Delays, refine


def test_an_action_wins_over_its_resource_type_which_wins_over_the_base() -> None:
    base = Delays.parse("fixed:1")
    delays = refine(base, {"RouterInterface": 4}, {"ConnectRouterInterface": 9})
    assert delays.ri_connect == 9
    assert delays.ri_activate == delays.ri_delete == 4
    assert delays.vpc_create == delays.vbr_delete == 1


def test_every_timed_transition_has_an_action_and_a_resource_type() -> None:
    names = set(Delays().spec().replace("=0.0", "").split(","))
    assert set(ACTIONS.values()) == names
    assert {n for group in RESOURCE_TYPES.values() for n in group} == names


@pytest.mark.parametrize(
    ("types", "actions", "words"),
    [
        ({"Vswitch": 1}, {}, "unknown resource type 'Vswitch'"),
        ({}, {"CreateVpcs": 1}, "unknown action 'CreateVpcs'"),
        ({"Vpc": -1}, {}, "out of range"),
        ({}, {"DeleteVpc": "soon"}, "not a number"),
        ({}, {"DeleteVpc": 4000}, "out of range"),
    ],
)
def test_bad_names_and_numbers_are_refused_by_name(
    types: dict[str, object], actions: dict[str, object], words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        refine(Delays(), types, actions)
