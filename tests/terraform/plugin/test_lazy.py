"""Lazy resource and data source entries: made on first use, configured like the others."""

from __future__ import annotations

import pytest
from tfplugin_proto import tfplugin6_0_pb2 as pb

from riconnect.terraform.plugin import Lazy
from riconnect.terraform.plugin.engine import Engine
from riconnect.terraform.plugin.tfplugin6 import Servicer, call
from tests.terraform.plugin.test_configure import Configured, _configure

HERE = "tests.terraform.plugin.test_configure"


class LazyConfigured(Configured):
    resources = (Lazy("cfg_thing", f"{HERE}:Thing"), Lazy("cfg_picky", f"{HERE}:Picky"))
    data_sources = (Lazy("cfg_lookup", f"{HERE}:Lookup"),)


def test_made_on_first_lookup_once() -> None:
    engine = Engine(LazyConfigured())
    assert engine.resources == {} and engine.data_sources == {}
    assert engine.resource_names == ["cfg_thing", "cfg_picky"]
    thing = engine.resource("cfg_thing")
    assert engine.resource("cfg_thing") is thing and engine.resources == {"cfg_thing": thing}
    assert engine.data_source("cfg_lookup") is engine.data_sources["cfg_lookup"]
    with pytest.raises(LookupError, match="unknown resource type 'cfg_nope'"):
        engine.resource("cfg_nope")
    with pytest.raises(LookupError, match="unknown data source type 'cfg_thing'"):
        engine.data_source("cfg_thing")


def test_made_after_configure_gets_the_configured_value() -> None:
    engine = Engine(LazyConfigured())
    resp = _configure(engine, "http://127.0.0.1:1")
    assert list(resp.diagnostics) == []  # nothing made yet, so nothing configured yet
    thing = engine.resource("cfg_thing")
    lookup = engine.data_source("cfg_lookup")
    assert thing.client.endpoint == "http://127.0.0.1:1"
    assert thing.client is lookup.client


def test_a_failing_configure_fails_the_call_that_needed_it() -> None:
    engine = Engine(LazyConfigured())
    _configure(engine, "http://127.0.0.1:1")
    request = pb.ValidateResourceConfig.Request(type_name="cfg_picky")
    resp = call(Servicer(engine), "ValidateResourceConfig", request)
    assert [d.summary for d in resp.diagnostics] == ["no client for me"]


def test_a_wrong_type_name_is_refused() -> None:
    with pytest.raises(ValueError, match="is 'cfg_thing', not 'cfg_other'"):
        Lazy("cfg_other", f"{HERE}:Thing").load()


def test_the_schema_answer_is_the_eager_one() -> None:
    def answer(provider: Configured) -> pb.GetProviderSchema.Response:
        servicer = Servicer(Engine(provider))
        return call(servicer, "GetProviderSchema", pb.GetProviderSchema.Request())

    lazy, eager = answer(LazyConfigured()), answer(Configured())
    assert set(lazy.resource_schemas) == {"cfg_thing", "cfg_picky"}
    assert lazy == eager
