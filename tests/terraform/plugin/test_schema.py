from __future__ import annotations

import json

import pytest
from tfplugin_proto import tfplugin6_0_pb2 as pb

from riconnect.terraform.plugin import (
    Attribute,
    Block,
    Bool,
    List,
    Map,
    NestedBlock,
    Nesting,
    Number,
    Object,
    Provider,
    Resource,
    Schema,
    Set,
    String,
    Timeouts,
)
from riconnect.terraform.plugin.engine import Engine
from riconnect.terraform.plugin.tfplugin6 import Servicer, call, encode_attribute, encode_schema


@pytest.mark.parametrize(
    ("ty", "wire"),
    [
        (String, b'"string"'),
        (Number, b'"number"'),
        (Bool, b'"bool"'),
        (List(String), b'["list","string"]'),
        (Set(Number), b'["set","number"]'),
        (Map(String), b'["map","string"]'),
        (Object({"a": String, "b": List(Bool)}), b'["object",{"a":"string","b":["list","bool"]}]'),
    ],
)
def test_attribute_type_is_cty_json(ty: object, wire: bytes) -> None:
    attr = encode_attribute(Attribute("x", ty, optional=True))  # type: ignore[arg-type]
    assert attr.type == wire


def test_attribute_flags() -> None:
    a = encode_attribute(
        Attribute(
            "secret",
            String,
            optional=True,
            sensitive=True,
            description="d",
            deprecated="use other",
        )
    )
    assert (a.optional, a.required, a.computed, a.sensitive, a.deprecated) == (
        True,
        False,
        False,
        True,
        True,
    )
    assert a.description == "d"
    # Protocol 6.0 has no legacy type system: a default needs computed on the wire.
    d = encode_attribute(Attribute("mode", String, optional=True, default="x"))
    assert d.optional and d.computed


def test_attribute_declaration_errors() -> None:
    with pytest.raises(ValueError):
        Attribute("a", String)
    with pytest.raises(ValueError):
        Attribute("a", String, required=True, computed=True)
    with pytest.raises(ValueError):
        Attribute("a", String, required=True, default="x")
    with pytest.raises(ValueError):
        Block(attributes=[Attribute("a", String, optional=True)] * 2)


def test_nested_blocks_and_version() -> None:
    schema = Schema(
        Block(
            attributes=[Attribute("id", String, computed=True)],
            blocks=[
                NestedBlock(
                    "endpoints",
                    Block(attributes=[Attribute("ip", String, required=True)]),
                    nesting=Nesting.SET,
                    max_items=4,
                ),
                NestedBlock(
                    "hop", Block(attributes=[Attribute("n", Number, optional=True)]), Nesting.LIST
                ),
                Timeouts(create=600, delete=300).block,
            ],
        ),
        version=2,
    )
    msg = encode_schema(schema)
    assert msg.version == 2
    blocks = {b.type_name: b for b in msg.block.block_types}
    assert blocks["endpoints"].nesting == pb.Schema.NestedBlock.SET
    assert blocks["endpoints"].max_items == 4
    assert blocks["hop"].nesting == pb.Schema.NestedBlock.LIST
    assert blocks["timeouts"].nesting == pb.Schema.NestedBlock.SINGLE
    assert [a.name for a in blocks["timeouts"].block.attributes] == ["create", "delete"]
    assert schema.object_type.to_json() == [
        "object",
        {
            "id": "string",
            "endpoints": ["set", ["object", {"ip": "string"}]],
            "hop": ["list", ["object", {"n": "number"}]],
            "timeouts": ["object", {"create": "string", "delete": "string"}],
        },
    ]


class _Thing(Resource):
    type_name = "demo_thing"
    schema = Schema(Block(attributes=[Attribute("id", String, computed=True)]))


class _Demo(Provider):
    type_name = "demo"
    schema = Schema(Block(attributes=[Attribute("region", String, optional=True)]))
    resources = (_Thing,)


def test_get_provider_schema() -> None:
    resp = call(Servicer(Engine(_Demo())), "GetProviderSchema", pb.GetProviderSchema.Request())
    assert not resp.diagnostics
    assert resp.provider.block.attributes[0].name == "region"
    assert set(resp.resource_schemas) == {"demo_thing"}
    assert json.loads(resp.resource_schemas["demo_thing"].block.attributes[0].type) == "string"
    # A provider_meta Schema without a block crashes Terraform: leave it unset.
    assert not resp.HasField("provider_meta")


def test_resource_names_need_the_provider_prefix() -> None:
    class Wrong(Resource):
        type_name = "other_thing"

    class P(Provider):
        type_name = "demo"
        resources = (Wrong,)

    with pytest.raises(ValueError, match="must start with 'demo_'"):
        Engine(P())
