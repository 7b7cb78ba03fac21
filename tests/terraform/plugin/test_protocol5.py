"""Protocol 5.2 and the legacy type system (the Go plugin SDK v1's way), and the SDK's
computed-only validation, through the servicers without gRPC or Terraform."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from tfplugin_proto import tfplugin5_2_pb2 as pb5
from tfplugin_proto import tfplugin6_0_pb2 as pb6

from riconnect.terraform.plugin import (
    Attribute,
    Block,
    Bool,
    Diagnostics,
    Provider,
    Resource,
    Schema,
    State,
    String,
)
from riconnect.terraform.plugin.codec import decode_msgpack, encode_msgpack
from riconnect.terraform.plugin.engine import Engine
from riconnect.terraform.plugin.tfplugin5 import METHODS, serve_call
from riconnect.terraform.plugin.tfplugin6 import Servicer


class Thing(Resource):
    type_name = "legacy_thing"
    schema = Schema(
        Block(
            attributes=[
                Attribute("id", String, computed=True),
                Attribute("name", String, optional=True),
                Attribute("flag", Bool, optional=True, force_new=True),
                Attribute("arn", String, computed=True),
            ]
        )
    )
    # What the "cloud" keeps of an update's name (None: the planned one).
    sticky_name: ClassVar[str | None] = None

    def create(self, planned: State, diags: Diagnostics) -> State:
        # The cloud reads back false for an unset flag and normalizes the name.
        return {**planned, "id": "t-1", "arn": "arn:1", "flag": False, "name": "cloud-name"}

    def update(self, prior: State, planned: State, diags: Diagnostics) -> State:
        return {**planned, "name": self.sticky_name or planned["name"]}


class LegacyProvider(Provider):
    type_name = "legacy"
    resources = (Thing,)
    protocol_versions = (5,)
    legacy_type_system = True


class StrictProvider(LegacyProvider):
    legacy_type_system = False


TY = Thing.schema.object_type


def _dv(value: Any) -> Any:
    return pb6.DynamicValue(msgpack=encode_msgpack(value, TY))


def _value(dv: Any) -> Any:
    return decode_msgpack(dv.msgpack, TY)


def _call5(provider: type[Provider], method: str, request6: Any) -> Any:
    servicer = Servicer(Engine(provider()))
    raw = serve_call(servicer, method, request6.SerializeToString())
    response_name = "GetProviderSchema" if method == "GetSchema" else method
    return getattr(pb5, response_name).Response.FromString(raw)


def test_protocol5_and_6_messages_share_field_numbers() -> None:
    # tfplugin5 serves protocol 5 by re-reading protocol-6 messages: this must hold.
    def fields(d: Any) -> dict[str, tuple[int, int]]:
        return {f.name: (f.number, f.type) for f in d.fields}

    only5 = {"prepared_config", "legacy_type_system"}
    for v5, v6 in METHODS.items():
        m5 = getattr(pb5, "GetProviderSchema" if v5 == "GetSchema" else v5).DESCRIPTOR
        m6 = getattr(pb6, v6).DESCRIPTOR
        for part in ("Request", "Response"):
            f5 = fields(m5.nested_types_by_name[part])
            f6 = fields(m6.nested_types_by_name[part])
            assert {k: v for k, v in f5.items() if k not in only5} == f6, (v5, part)
    for name in ("Block", "NestedBlock"):
        assert fields(pb5.Schema.DESCRIPTOR.nested_types_by_name[name]) == fields(
            pb6.Schema.DESCRIPTOR.nested_types_by_name[name]
        )
    attr6 = fields(pb6.Schema.DESCRIPTOR.nested_types_by_name["Attribute"])
    attr6.pop("nested_type")  # protocol 6 only; we never set it
    assert fields(pb5.Schema.DESCRIPTOR.nested_types_by_name["Attribute"]) == attr6


def test_plan_and_apply_announce_the_legacy_type_system() -> None:
    config = {"id": None, "name": "a", "flag": None, "arn": None}
    plan = _call5(
        LegacyProvider,
        "PlanResourceChange",
        pb6.PlanResourceChange.Request(
            type_name="legacy_thing",
            prior_state=_dv(None),
            proposed_new_state=_dv(config),
            config=_dv(config),
        ),
    )
    assert plan.legacy_type_system is True
    assert not plan.diagnostics
    apply = _call5(
        LegacyProvider,
        "ApplyResourceChange",
        pb6.ApplyResourceChange.Request(
            type_name="legacy_thing",
            prior_state=_dv(None),
            planned_state=pb6.DynamicValue(msgpack=plan.planned_state.msgpack),
        ),
    )
    assert apply.legacy_type_system is True
    # The state is what the create returned, not the plan ("a").
    assert _value(apply.new_state)["name"] == "cloud-name"
    strict = _call5(
        StrictProvider,
        "PlanResourceChange",
        pb6.PlanResourceChange.Request(
            type_name="legacy_thing",
            prior_state=_dv(None),
            proposed_new_state=_dv(config),
            config=_dv(config),
        ),
    )
    assert strict.legacy_type_system is False


def test_prepare_provider_config_echoes_the_config() -> None:
    ty = LegacyProvider.schema.object_type
    cfg = pb6.DynamicValue(msgpack=encode_msgpack({}, ty))
    response = _call5(
        LegacyProvider, "PrepareProviderConfig", pb6.ValidateProviderConfig.Request(config=cfg)
    )
    assert response.prepared_config.msgpack == cfg.msgpack


@pytest.fixture(autouse=True)
def _reset() -> Any:
    yield
    Thing.sticky_name = None


def test_an_update_the_cloud_did_not_apply_is_an_error() -> None:
    engine = Engine(LegacyProvider())
    prior = {"id": "t-1", "name": "old", "flag": False, "arn": "arn:1"}
    planned = {**prior, "name": "new"}
    Thing.sticky_name = "old"
    diags = Diagnostics()
    new = engine.apply("legacy_thing", prior, planned, diags)
    assert new is not None and new["name"] == "old", "the state keeps the cloud's value"
    errors = [d for d in diags if d.severity.name == "ERROR"]
    assert len(errors) == 1 and errors[0].summary == "legacy_thing: name was not changed"
    assert errors[0].path == ("name",)
    Thing.sticky_name = None
    diags = Diagnostics()
    assert engine.apply("legacy_thing", prior, planned, diags) == planned
    assert not diags


def test_unset_optional_against_a_zero_prior_plans_no_change() -> None:
    # SDK v1: an unset optional primitive is its zero value, so prior false == null config
    # (no replacement of a force_new flag the cloud reads back as false).
    engine = Engine(LegacyProvider())
    prior = {"id": "t-1", "name": "a", "flag": False, "arn": "arn:1"}
    config = {"id": None, "name": "a", "flag": None, "arn": None}
    proposed = {**config, "id": "t-1", "arn": "arn:1"}
    diags = Diagnostics()
    result = engine.plan("legacy_thing", prior, proposed, config, diags)
    assert result.planned == prior
    assert result.requires_replace == []
    prior_true = {**prior, "flag": True}
    result = engine.plan("legacy_thing", prior_true, proposed, config, Diagnostics())
    assert result.requires_replace == [("flag",)]


def test_setting_a_computed_only_attribute_is_the_sdk_error() -> None:
    engine = Engine(LegacyProvider())
    diags = Diagnostics()
    config = {"id": None, "name": "a", "flag": None, "arn": "x"}
    engine.validate_resource("legacy_thing", config, diags)
    [d] = list(diags)
    assert (d.severity.name, d.summary, d.detail, d.path) == (
        "ERROR",
        '"arn": this field cannot be set',
        "",
        None,
    )
