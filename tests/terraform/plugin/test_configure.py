"""ConfigureProvider hands what the provider set up to every resource and data source."""

from __future__ import annotations

from typing import Any

from tfplugin_proto import tfplugin6_0_pb2 as pb

from riconnect.terraform.plugin import (
    Attribute,
    Block,
    DataSource,
    Diagnostics,
    Provider,
    Resource,
    Schema,
    State,
    String,
)
from riconnect.terraform.plugin.codec import encode_msgpack
from riconnect.terraform.plugin.engine import Engine
from riconnect.terraform.plugin.tfplugin6 import Servicer, call

PROVIDER_SCHEMA = Schema(Block(attributes=[Attribute("endpoint", String, optional=True)]))


class Client:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint


class Thing(Resource):
    type_name = "cfg_thing"

    def configure(self, data: Any, diags: Diagnostics) -> None:
        self.client = data


class Lookup(DataSource):
    type_name = "cfg_lookup"

    def configure(self, data: Any, diags: Diagnostics) -> None:
        self.client = data


class Picky(Resource):
    type_name = "cfg_picky"

    def configure(self, data: Any, diags: Diagnostics) -> None:
        raise RuntimeError("no client for me")


class Configured(Provider):
    type_name = "cfg"
    schema = PROVIDER_SCHEMA
    resources = (Thing, Picky)
    data_sources = (Lookup,)

    def configure(self, config: State, diags: Diagnostics) -> Any:
        if not config["endpoint"]:
            diags.error("no endpoint")
            return None
        return Client(config["endpoint"])


def _configure(engine: Engine, endpoint: str | None) -> Any:
    request = pb.ConfigureProvider.Request(
        terraform_version="1.0.3",
        config=pb.DynamicValue(
            msgpack=encode_msgpack({"endpoint": endpoint}, PROVIDER_SCHEMA.object_type)
        ),
    )
    return call(Servicer(engine), "ConfigureProvider", request)


def test_resources_and_data_sources_get_the_configured_value() -> None:
    engine = Engine(Configured())
    resp = _configure(engine, "http://127.0.0.1:1")
    thing, lookup = engine.resources["cfg_thing"], engine.data_sources["cfg_lookup"]
    assert isinstance(thing, Thing) and isinstance(lookup, Lookup)
    assert thing.client.endpoint == lookup.client.endpoint == "http://127.0.0.1:1"
    assert thing.client is lookup.client  # one client per process, shared
    # A resource whose configure raises becomes one diagnostic; the others are configured.
    assert [d.summary for d in resp.diagnostics] == ["no client for me"]


def test_a_failed_provider_configure_hands_none() -> None:
    engine = Engine(Configured())
    resp = _configure(engine, None)
    thing = engine.resources["cfg_thing"]
    assert isinstance(thing, Thing) and thing.client is None
    assert [d.summary for d in resp.diagnostics] == ["no endpoint", "no client for me"]
