"""The Go plugin SDK v1's planning and state rules (plugin/legacy.py, plan.default_plan's
DiffSuppress), through the Engine of a legacy-type-system provider, without Terraform."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import pytest

from riconnect.terraform.plugin import (
    UNKNOWN,
    Attribute,
    Block,
    Bool,
    Diagnostics,
    List,
    Map,
    Number,
    Provider,
    Resource,
    Schema,
    State,
    String,
)
from riconnect.terraform.plugin.engine import Engine
from riconnect.terraform.plugin.legacy import zero_filled, zero_value


def _post_paid(values: Mapping[str, Any]) -> bool:
    return values.get("charge") != "PrePaid"


class Gadget(Resource):
    type_name = "sdk_gadget"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("kind", String, required=True, force_new=True),
                Attribute("charge", String, optional=True, default="PostPaid"),
                Attribute("period", Number, optional=True, diff_suppress=_post_paid),
                Attribute(
                    "tier",
                    String,
                    required=True,
                    force_new=True,
                    diff_suppress=lambda v: v.get("kind") == "passive",
                ),
                Attribute("note", String, optional=True),
                Attribute("flag", Bool, optional=True),
                Attribute("tags", Map(String), optional=True),
                Attribute("cidrs", List(String), optional=True),
                Attribute("name", String, optional=True, computed=True),
                Attribute("alias", String, optional=True, computed=True),
                Attribute("status", String, optional=True, computed=True),
                Attribute("speed", Number, computed=True),
            ]
        )
    )
    declinable = ("status",)
    # What the "cloud" answers to an update (merged over the plan).
    cloud: ClassVar[dict[str, Any]] = {}

    def create(self, planned: State, diags: Diagnostics) -> State:
        return {**planned, "id": "g-1", "speed": 5, "tags": {}, "name": "n", "alias": "n"}

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        return {**planned, **self.cloud}


class SdkProvider(Provider):
    type_name = "sdk"
    resources = (Gadget,)
    protocol_versions = (5,)
    legacy_type_system = True


NULLS: State = dict.fromkeys(Gadget.schema.object_type.attributes)
PRIOR: State = {
    **NULLS,
    "id": "g-1",
    "kind": "active",
    "charge": "PostPaid",
    "tier": "gold",
    "note": "",
    "flag": False,
    "tags": {},
    "cidrs": [],
    "name": "one",
    "alias": "one",
    "status": "Idle",
    "speed": 5,
}


@pytest.fixture(autouse=True)
def _reset() -> Any:
    yield
    Gadget.cloud = {}


def _plan(prior: State | None, config: State) -> tuple[State | None, list[Any]]:
    """Plan as Terraform asks: the proposed state carries prior values of computed
    attributes whose configuration is null."""
    proposed = dict(config)
    for attr in Gadget.schema.block.attributes:
        if attr.computed and proposed.get(attr.name) is None and prior is not None:
            proposed[attr.name] = prior.get(attr.name)
    diags = Diagnostics()
    result = Engine(SdkProvider()).plan("sdk_gadget", prior, proposed, config, diags)
    assert not diags, list(diags)
    return result.planned, result.requires_replace


def _config(**values: Any) -> State:
    return {**NULLS, "kind": "active", "tier": "gold", **values}


def test_zero_values_are_what_sdk_v1_stores_for_a_nil() -> None:
    assert [zero_value(t) for t in (String, Number, Bool, List(String), Map(String))] == [
        "",
        0,
        False,
        [],
        {},
    ]
    filled = zero_filled(Gadget.schema.block, {"note": None, "flag": None, "x": None}, ["note"])
    assert filled == {"note": "", "flag": None, "x": None}, "only the attributes the read set"


def test_unset_arguments_against_zero_priors_plan_no_change() -> None:
    # diffString compares a null argument as its zero value; diffMap/diffList compare counts.
    planned, replace = _plan(PRIOR, _config())
    assert planned == PRIOR and replace == []
    # The other way round, "" or {} configured against a prior null is no change either,
    # but false is: the SDK compares a null prior as "" and false as "false".
    prior = {**PRIOR, "note": None, "flag": None, "tags": None}
    planned, _ = _plan(prior, _config(note="", flag=False, tags={}))
    assert planned == {**prior, "flag": False}
    planned, _ = _plan(PRIOR, _config(note="x", tags={"a": "b"}))
    assert planned is not None and (planned["note"], planned["tags"]) == ("x", {"a": "b"})


def test_a_computed_twin_keeps_its_prior_value_and_nothing_is_unknown_on_update() -> None:
    planned, _ = _plan(PRIOR, _config(name="two"))
    assert planned is not None
    assert (planned["name"], planned["alias"], planned["speed"]) == ("two", "one", 5)
    assert UNKNOWN not in planned.values()
    created, _ = _plan(None, _config(name="two"))
    assert created is not None and created["alias"] is UNKNOWN and created["speed"] is UNKNOWN


def test_diff_suppress_plans_the_prior_value_and_null_on_create() -> None:
    planned, _ = _plan(PRIOR, _config(period=3))
    assert planned is not None and planned["period"] is None, "PostPaid: period suppressed"
    planned, _ = _plan(PRIOR, _config(period=3, charge="PrePaid"))
    assert planned is not None and planned["period"] == 3
    created, _ = _plan(None, _config(period=3))
    assert created is not None and created["period"] is None
    # A suppressed force_new change replaces nothing; a required string plans "" on create.
    planned, replace = _plan(PRIOR, _config(kind="passive", tier="bronze"))
    assert planned is not None and planned["tier"] == "gold"
    assert replace == [("kind",)]
    created, _ = _plan(None, _config(kind="passive", tier="bronze"))
    assert created is not None and created["tier"] == ""


def test_apply_keeps_the_plans_null_or_empty_collections() -> None:
    engine = Engine(SdkProvider())
    planned, _ = _plan(None, _config())
    assert planned is not None and planned["tags"] is None
    diags = Diagnostics()
    state = engine.apply("sdk_gadget", None, planned, diags)
    assert not diags and state is not None
    assert state["tags"] is None, "created {} against a null plan: the plan's null"
    Gadget.cloud = {"tags": None, "cidrs": None}
    state = engine.apply("sdk_gadget", PRIOR, PRIOR, Diagnostics())
    assert state is not None and (state["tags"], state["cidrs"]) == ({}, [])


def test_a_declinable_change_the_cloud_did_not_make_is_not_an_error() -> None:
    engine = Engine(SdkProvider())
    Gadget.cloud = {"status": "Idle"}
    diags = Diagnostics()
    state = engine.apply("sdk_gadget", PRIOR, {**PRIOR, "status": "Inactive"}, diags)
    assert not diags and state is not None and state["status"] == "Idle"
    Gadget.cloud = {"note": "old"}
    diags = Diagnostics()
    state = engine.apply("sdk_gadget", PRIOR, {**PRIOR, "note": "new"}, diags)
    assert [d.summary for d in diags] == ["sdk_gadget: note was not changed"]
