"""RPC semantics through the protocol-6 servicer, without gRPC or Terraform."""

from __future__ import annotations

import json
import threading
from typing import Any, ClassVar

import pytest
from tfplugin_proto import tfplugin6_0_pb2 as pb

from riconnect.terraform.plugin import (
    UNKNOWN,
    Attribute,
    Block,
    DataSource,
    Diagnostics,
    Map,
    NestedBlock,
    Nesting,
    Number,
    Provider,
    Resource,
    Schema,
    State,
    String,
    Timeouts,
)
from riconnect.terraform.plugin.codec import decode_msgpack, encode_msgpack, null_object
from riconnect.terraform.plugin.engine import Engine
from riconnect.terraform.plugin.tfplugin6 import Servicer, call
from riconnect.terraform.plugin.validators import int_in_slice

TIMEOUTS = Timeouts(create=60)


class Widget(Resource):
    type_name = "demo_widget"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("name", String, required=True, force_new=True),
                Attribute("zone", String, optional=True, computed=True, force_new=True),
                Attribute(
                    "size",
                    Number,
                    optional=True,
                    integer=True,
                    validators=[int_in_slice([1, 2, 4])],
                ),
                Attribute("mode", String, optional=True, default="fast"),
                Attribute("tags", Map(String), optional=True),
                Attribute("old", String, optional=True, deprecated="use name instead"),
                Attribute("status", String, computed=True),
            ],
            blocks=[
                NestedBlock(
                    "port",
                    Block(
                        attributes=[
                            Attribute(
                                "number", Number, required=True, validators=[int_in_slice([80])]
                            ),
                            Attribute("handle", String, computed=True),
                        ]
                    ),
                    nesting=Nesting.LIST,
                ),
                NestedBlock(
                    "placement",
                    Block(attributes=[Attribute("rack", String, optional=True, force_new=True)]),
                    nesting=Nesting.SINGLE,
                ),
                TIMEOUTS.block,
            ],
        ),
        version=1,
    )
    # Test knobs.
    behaviour: ClassVar[dict[str, Any]] = {}
    calls: ClassVar[list[str]] = []

    def _knob(self, op: str) -> Any:
        self.calls.append(op)
        action = self.behaviour.get(op)
        if isinstance(action, BaseException):
            raise action
        return action

    def create(self, planned: State, diags: Diagnostics) -> State | None:
        override = self._knob("create")
        state = {**planned, "id": "w-1", "status": "ready"}
        state["zone"] = state["zone"] if state["zone"] is not UNKNOWN else "z1"
        state["port"] = [{**p, "handle": f"h{p['number']}"} for p in planned["port"]]
        if callable(override):
            result: State | None = override(state, diags)
            return result
        return state

    def read(self, state: State, diags: Diagnostics) -> State | None:
        override = self._knob("read")
        result: State | None = override(state) if callable(override) else state
        return result

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        self._knob("update")
        return {**planned, "status": "updated"}

    def delete(self, prior: State, diags: Diagnostics) -> None:
        self._knob("delete")

    def import_(self, id: str, diags: Diagnostics) -> State | None:
        self._knob("import")
        return {"id": id, "name": "imported"} if id.startswith("w-") else None

    def upgrade_state(self, version: int, state: State) -> State:
        self.calls.append(f"upgrade-from-{version}")
        state["name"] = state.pop("title")
        return state


class Lookup(DataSource):
    type_name = "demo_lookup"
    schema = Schema(
        Block(
            attributes=[
                Attribute("key", String, required=True),
                Attribute("value", String, computed=True),
            ]
        )
    )
    deprecation_message = "use demo_other"

    def read(self, config: State, diags: Diagnostics) -> State:
        if config["key"] == "boom":
            raise KeyError("no such key")
        return {"key": config["key"], "value": config["key"] * 2}


class Demo(Provider):
    type_name = "demo"
    resources = (Widget,)
    data_sources = (Lookup,)


W = Widget.schema.object_type
L = Lookup.schema.object_type


@pytest.fixture
def svc() -> Servicer:
    Widget.behaviour = {}
    Widget.calls = []
    return Servicer(Engine(Demo()))


def dv(value: Any, ty: Any = W) -> Any:
    return pb.DynamicValue(msgpack=encode_msgpack(value, ty))


def val(dynamic: Any, ty: Any = W) -> Any:
    return decode_msgpack(dynamic.msgpack, ty)


def errors(resp: Any) -> list[Any]:
    return [d for d in resp.diagnostics if d.severity == pb.Diagnostic.ERROR]


def warnings(resp: Any) -> list[Any]:
    return [d for d in resp.diagnostics if d.severity == pb.Diagnostic.WARNING]


def steps(diag: Any) -> list[Any]:
    out: list[Any] = []
    for s in diag.attribute.steps:
        kind = s.WhichOneof("selector")
        out.append(getattr(s, kind))
    return out


def config(**values: Any) -> State:
    return {**null_object(W), "name": "a", **values}


def plan(svc: Servicer, prior: State | None, proposed: State | None, cfg: State | None) -> Any:
    return call(
        svc,
        "PlanResourceChange",
        pb.PlanResourceChange.Request(
            type_name="demo_widget",
            prior_state=dv(prior),
            proposed_new_state=dv(proposed),
            config=dv(cfg),
            prior_private=b"secret",
        ),
    )


def apply(svc: Servicer, prior: State | None, planned: State | None) -> Any:
    return call(
        svc,
        "ApplyResourceChange",
        pb.ApplyResourceChange.Request(
            type_name="demo_widget",
            prior_state=dv(prior),
            planned_state=dv(planned),
            config=dv(planned),
            planned_private=b"p",
        ),
    )


def created(svc: Servicer, cfg: State) -> tuple[State, State]:
    planned = val(plan(svc, None, cfg, cfg).planned_state)
    return planned, val(apply(svc, None, planned).new_state)


# -- plan -------------------------------------------------------------------------------


def test_plan_create_marks_computed_unknown_and_applies_defaults(svc: Servicer) -> None:
    cfg = config(port=[{"number": 80, "handle": None}])
    resp = plan(svc, None, cfg, cfg)
    assert not resp.diagnostics
    planned = val(resp.planned_state)
    assert planned["id"] is UNKNOWN and planned["status"] is UNKNOWN
    assert planned["zone"] is UNKNOWN  # optional+computed, unset
    assert planned["mode"] == "fast"  # default
    assert planned["name"] == "a" and planned["size"] is None
    assert planned["port"] == [{"number": 80, "handle": UNKNOWN}]
    assert list(resp.requires_replace) == []
    assert resp.planned_private == b"secret"


def test_plan_update_force_new(svc: Servicer) -> None:
    _, state = created(svc, config())
    # Unchanged: nothing, and optional+computed zone kept from state is no change.
    resp = plan(svc, state, {**state, "size": 2}, config(size=2))
    assert list(resp.requires_replace) == []
    assert val(resp.planned_state)["status"] == "ready"
    # Changed force_new attribute.
    resp = plan(svc, state, {**state, "name": "b"}, config(name="b"))
    assert [steps_of(p) for p in resp.requires_replace] == [["name"]]
    # Unknown planned value (from an expression not yet known) counts as a change.
    resp = plan(svc, state, {**state, "name": UNKNOWN}, config(name=UNKNOWN))
    assert [steps_of(p) for p in resp.requires_replace] == [["name"]]

    # An unknown the provider's own plan introduces (computed zone) replaces nothing.
    class Recompute(Widget):
        def plan(
            self, prior: State | None, proposed: State, config: State, diags: Diagnostics
        ) -> State:
            return {**super().plan(prior, proposed, config, diags), "zone": UNKNOWN}

    engine = Engine(Demo())
    engine.resources["demo_widget"] = Recompute(engine.provider)
    resp = plan(Servicer(engine), state, {**state, "size": 2}, config(size=2))
    assert val(resp.planned_state)["zone"] is UNKNOWN
    assert list(resp.requires_replace) == []
    # ... but a configured zone that is not known yet does.
    resp = plan(Servicer(engine), state, {**state, "zone": UNKNOWN}, config(zone=UNKNOWN))
    assert [steps_of(p) for p in resp.requires_replace] == [["zone"]]
    # force_new inside a SINGLE block gets the full path.
    moved = {**state, "placement": {"rack": "r2"}}
    resp = plan(
        svc, {**state, "placement": {"rack": "r1"}}, moved, config(placement={"rack": "r2"})
    )
    assert [steps_of(p) for p in resp.requires_replace] == [["placement", "rack"]]


def steps_of(path: Any) -> list[Any]:
    return [getattr(s, s.WhichOneof("selector")) for s in path.steps]


def test_plan_update_new_list_element_gets_unknown_computed(svc: Servicer) -> None:
    _, state = created(svc, config(port=[{"number": 80, "handle": None}]))
    assert state["port"] == [{"number": 80, "handle": "h80"}]
    proposed = {**state, "port": [*state["port"], {"number": 81, "handle": None}]}
    planned = val(plan(svc, state, proposed, proposed).planned_state)
    assert planned["port"] == [{"number": 80, "handle": "h80"}, {"number": 81, "handle": UNKNOWN}]


def test_plan_removing_a_defaulted_value_plans_the_default(svc: Servicer) -> None:
    _, state = created(svc, config(mode="slow"))
    assert state["mode"] == "slow"
    # Config null: Terraform proposes the prior value for a computed attribute.
    planned = val(plan(svc, state, state, config()).planned_state)
    assert planned["mode"] == "fast"


def test_plan_destroy_returns_null(svc: Servicer) -> None:
    _, state = created(svc, config())
    resp = plan(svc, state, None, None)
    assert val(resp.planned_state) is None and not resp.diagnostics


def test_plan_cannot_change_non_computed_attributes(svc: Servicer) -> None:
    class Meddler(Widget):
        def plan(
            self, prior: State | None, proposed: State, config: State, diags: Diagnostics
        ) -> State:
            return {**super().plan(prior, proposed, config, diags), "size": 4}

    engine = Engine(Demo())
    engine.resources["demo_widget"] = Meddler(engine.provider)
    cfg = config(size=2)
    resp = plan(Servicer(engine), None, cfg, cfg)
    assert val(resp.planned_state)["size"] == 2


# -- apply ------------------------------------------------------------------------------


def test_apply_create_keeps_known_planned_values(svc: Servicer) -> None:
    def sloppy(state: State, diags: Diagnostics) -> State:
        # Differs from a known planned value, omits a computed one.
        return {k: v for k, v in state.items() if k != "status"} | {"name": "other"}

    Widget.behaviour["create"] = sloppy
    planned, state = created(svc, config())
    assert state["name"] == "a"  # the plan wins over the inconsistent result
    assert state["id"] == "w-1"  # unknown in the plan: the provider's value
    assert state["status"] is None  # never set: null, not unknown
    assert state["zone"] == "z1"


def test_apply_create_exception_is_a_clean_error(svc: Servicer) -> None:
    Widget.behaviour["create"] = RuntimeError("quota exceeded")
    cfg = config()
    planned = val(plan(svc, None, cfg, cfg).planned_state)
    resp = apply(svc, None, planned)
    [err] = errors(resp)
    assert err.summary == "quota exceeded"
    assert "RuntimeError" in err.detail and "Traceback" not in err.detail
    assert val(resp.new_state) is None


def test_apply_create_partial_state_with_error_is_kept(svc: Servicer) -> None:
    def half(state: State, diags: Diagnostics) -> State:
        diags.error("not ready in time")
        return {**state, "status": UNKNOWN}

    Widget.behaviour["create"] = half
    cfg = config()
    resp = apply(svc, None, val(plan(svc, None, cfg, cfg).planned_state))
    assert [e.summary for e in errors(resp)] == ["not ready in time"]
    state = val(resp.new_state)
    assert state["id"] == "w-1" and state["status"] is None  # no unknowns in state


def test_apply_update_failure_keeps_prior(svc: Servicer) -> None:
    _, state = created(svc, config())
    Widget.behaviour["update"] = ValueError("conflict")
    resp = apply(svc, state, {**state, "size": 2})
    assert [e.summary for e in errors(resp)] == ["conflict"]
    assert val(resp.new_state) == state
    assert resp.private == b"p"


def test_apply_update_and_delete(svc: Servicer) -> None:
    _, state = created(svc, config())
    resp = apply(svc, state, {**state, "size": 2, "status": UNKNOWN})
    assert val(resp.new_state)["status"] == "updated"
    resp = apply(svc, state, None)
    assert val(resp.new_state) is None and not resp.diagnostics


def test_apply_delete_failure_keeps_object_in_state(svc: Servicer) -> None:
    _, state = created(svc, config())
    Widget.behaviour["delete"] = OSError("dependency violation")
    resp = apply(svc, state, None)
    assert [e.summary for e in errors(resp)] == ["dependency violation"]
    assert val(resp.new_state) == state


# -- read, import, upgrade --------------------------------------------------------------


def read(svc: Servicer, state: State) -> Any:
    return call(
        svc,
        "ReadResource",
        pb.ReadResource.Request(type_name="demo_widget", current_state=dv(state), private=b"pv"),
    )


def test_read_gone_missing_keys_and_private(svc: Servicer) -> None:
    _, state = created(svc, config(timeouts={"create": "5m"}))
    Widget.behaviour["read"] = lambda s: {"id": s["id"], "name": s["name"], "status": "busy"}
    resp = read(svc, state)
    new = val(resp.new_state)
    assert new["status"] == "busy"
    assert new["timeouts"] == {"create": "5m"}  # left out by read: kept
    assert resp.private == b"pv"
    Widget.behaviour["read"] = lambda s: None
    assert val(read(svc, state).new_state) is None


def test_read_exception_keeps_state(svc: Servicer) -> None:
    _, state = created(svc, config())
    Widget.behaviour["read"] = ConnectionError("endpoint unreachable")
    resp = read(svc, state)
    assert [e.summary for e in errors(resp)] == ["endpoint unreachable"]
    assert val(resp.new_state) == state


def test_import(svc: Servicer) -> None:
    resp = call(
        svc,
        "ImportResourceState",
        pb.ImportResourceState.Request(type_name="demo_widget", id="w-9"),
    )
    [imported] = resp.imported_resources
    assert imported.type_name == "demo_widget"
    state = val(imported.state)
    assert state["id"] == "w-9" and state["name"] == "imported" and state["port"] == []
    resp = call(
        svc, "ImportResourceState", pb.ImportResourceState.Request(type_name="demo_widget", id="x")
    )
    assert not resp.imported_resources
    assert [e.summary for e in errors(resp)] == ["Cannot import non-existent remote object"]


def test_upgrade_state_from_json(svc: Servicer) -> None:
    old = {"id": "w-1", "title": "legacy", "removed_attr": 1, "size": 2}
    resp = call(
        svc,
        "UpgradeResourceState",
        pb.UpgradeResourceState.Request(
            type_name="demo_widget", version=0, raw_state=pb.RawState(json=json.dumps(old).encode())
        ),
    )
    assert not resp.diagnostics
    state = val(resp.upgraded_state)
    assert state["name"] == "legacy" and state["size"] == 2 and "removed_attr" not in state
    assert "upgrade-from-0" in Widget.calls
    # Current version: identity, no upgrade call.
    Widget.calls.clear()
    current = {"id": "w-1", "name": "n"}
    resp = call(
        svc,
        "UpgradeResourceState",
        pb.UpgradeResourceState.Request(
            type_name="demo_widget",
            version=1,
            raw_state=pb.RawState(json=json.dumps(current).encode()),
        ),
    )
    assert val(resp.upgraded_state)["name"] == "n" and Widget.calls == []


# -- data sources -----------------------------------------------------------------------


def read_data(svc: Servicer, key: str) -> Any:
    return call(
        svc,
        "ReadDataSource",
        pb.ReadDataSource.Request(
            type_name="demo_lookup", config=dv({"key": key, "value": None}, L)
        ),
    )


def test_data_source_read_and_error_returns_full_object(svc: Servicer) -> None:
    assert val(read_data(svc, "ab").state, L) == {"key": "ab", "value": "abab"}
    resp = read_data(svc, "boom")
    assert [e.summary for e in errors(resp)] == ["'no such key'"]
    assert val(resp.state, L) == {"key": "boom", "value": None}


def test_data_source_unknown_type_still_answers(svc: Servicer) -> None:
    resp = call(svc, "ReadDataSource", pb.ReadDataSource.Request(type_name="demo_nope"))
    assert "unknown data source type" in errors(resp)[0].summary


# -- validation -------------------------------------------------------------------------


def validate(svc: Servicer, cfg: State) -> Any:
    return call(
        svc,
        "ValidateResourceConfig",
        pb.ValidateResourceConfig.Request(type_name="demo_widget", config=dv(cfg)),
    )


def test_validation_errors_are_sdk_v1_summaries(svc: Servicer) -> None:
    # SDK v1's shape: the whole message is the summary, no detail, no attribute path
    # (Terraform shows it on the resource's block); nested keys are flat ("port.1.number").
    resp = validate(
        svc,
        config(size=3, port=[{"number": 80, "handle": None}, {"number": 81, "handle": None}]),
    )
    errs = errors(resp)
    assert sorted(e.summary for e in errs) == [
        "expected port.1.number to be one of [80], got 81",
        "expected size to be one of [1 2 4], got 3",
    ]
    assert all(e.detail == "" and not steps(e) for e in errs)


def test_validation_refuses_a_fraction_for_an_integer(svc: Servicer) -> None:
    [err] = errors(validate(svc, config(size=1.5)))
    assert err.summary == "size: must be a whole number, got 1.5"


def test_validation_skips_unknown_and_checks_timeouts(svc: Servicer) -> None:
    assert not errors(validate(svc, config(size=UNKNOWN)))
    resp = validate(svc, config(timeouts={"create": "ten minutes"}))
    [err] = errors(resp)
    assert err.summary.startswith("timeouts.create: invalid duration")


def test_deprecations_warn(svc: Servicer) -> None:
    resp = validate(svc, config(old="x"))
    [warn] = warnings(resp)
    assert (warn.summary, warn.detail) == ('"old": [DEPRECATED] use name instead', "")
    assert not steps(warn)
    resp = call(
        svc,
        "ValidateDataResourceConfig",
        pb.ValidateDataResourceConfig.Request(
            type_name="demo_lookup", config=dv({"key": "k", "value": None}, L)
        ),
    )
    [warn] = warnings(resp)
    assert (warn.summary, warn.detail) == ("use demo_other", "")


def test_deprecated_resource_warns() -> None:
    class Legacy(Widget):
        deprecation_message = "use demo_widget2 instead"

    engine = Engine(Demo())
    engine.resources["demo_widget"] = Legacy(engine.provider)
    resp = validate(Servicer(engine), config())
    [warn] = warnings(resp)
    assert (warn.summary, warn.detail) == ("use demo_widget2 instead", "")
    assert not errors(resp)


def test_apply_result_that_is_not_a_dict(svc: Servicer) -> None:
    _, state = created(svc, config())

    class Odd(Widget):
        def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
            return ["not", "a", "dict"]  # type: ignore[return-value]

    engine = Engine(Demo())
    engine.resources["demo_widget"] = Odd(engine.provider)
    resp = apply(Servicer(engine), state, {**state, "size": 2})
    assert "invalid state from the provider" in errors(resp)[0].summary
    assert val(resp.new_state) == state


def test_every_rpc_turns_exceptions_into_diagnostics(svc: Servicer) -> None:
    bad = pb.DynamicValue(msgpack=b"\xc1")  # never-used msgpack byte: decoding fails
    for method, request in [
        ("ValidateProviderConfig", pb.ValidateProviderConfig.Request(config=bad)),
        ("ValidateResourceConfig", pb.ValidateResourceConfig.Request(type_name="demo_nope")),
        ("ValidateDataResourceConfig", pb.ValidateDataResourceConfig.Request(type_name="x")),
        ("UpgradeResourceState", pb.UpgradeResourceState.Request(type_name="demo_nope")),
        ("ConfigureProvider", pb.ConfigureProvider.Request(config=bad)),
        ("ReadResource", pb.ReadResource.Request(type_name="demo_widget", current_state=bad)),
        ("PlanResourceChange", pb.PlanResourceChange.Request(type_name="demo_nope")),
        ("ApplyResourceChange", pb.ApplyResourceChange.Request(type_name="demo_nope")),
        ("ImportResourceState", pb.ImportResourceState.Request(type_name="demo_nope")),
    ]:
        resp = call(svc, method, request)
        assert errors(resp), method
        assert all("Traceback" not in d.detail for d in resp.diagnostics)


# -- stop -------------------------------------------------------------------------------


def test_stop_provider_lets_in_flight_create_finish(svc: Servicer) -> None:
    entered, release = threading.Event(), threading.Event()
    provider = svc.engine.provider

    def slow(state: State, diags: Diagnostics) -> State:
        entered.set()
        release.wait(5)
        return {**state, "status": "stopped" if provider.stopping else "ready"}

    Widget.behaviour["create"] = slow
    cfg = config()
    planned = val(plan(svc, None, cfg, cfg).planned_state)
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(r=apply(svc, None, planned)))
    worker.start()
    assert entered.wait(5)
    stop = call(svc, "StopProvider", pb.StopProvider.Request())
    assert stop.Error == ""
    release.set()
    worker.join(5)
    new = val(result["r"].new_state)
    assert new["id"] == "w-1" and new["status"] == "stopped"
