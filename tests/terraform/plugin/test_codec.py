from __future__ import annotations

import msgpack
import pytest

from riconnect.terraform.plugin import (
    UNKNOWN,
    Attribute,
    Block,
    Bool,
    List,
    Map,
    NestedBlock,
    Nesting,
    Number,
    Object,
    Schema,
    Set,
    String,
)
from riconnect.terraform.plugin.codec import (
    CodecError,
    decode_dynamic,
    decode_json,
    decode_msgpack,
    encode_msgpack,
    normalize,
    null_object,
)

SCHEMA = Schema(
    Block(
        attributes=[
            Attribute("id", String, computed=True),
            Attribute("name", String, required=True),
            Attribute("count", Number, optional=True),
            Attribute("enabled", Bool, optional=True),
            Attribute("ports", Set(Number), optional=True),
            Attribute("names", List(String), optional=True),
            Attribute("tags", Map(String), optional=True),
            Attribute("shape", Object({"w": Number, "h": Number}), optional=True),
        ],
        blocks=[
            NestedBlock(
                "endpoint",
                Block(attributes=[Attribute("ip", String, required=True)]),
                nesting=Nesting.LIST,
            ),
            NestedBlock(
                "rule",
                Block(attributes=[Attribute("cidr", String, required=True)]),
                nesting=Nesting.SET,
            ),
            NestedBlock(
                "timeouts",
                Block(attributes=[Attribute("create", String, optional=True)]),
                nesting=Nesting.SINGLE,
            ),
        ],
    )
)
TY = SCHEMA.object_type
UNKNOWN_EXT = msgpack.ExtType(0, b"")


def raw(value: object) -> dict[str, object]:
    packed = encode_msgpack(value, TY)
    return msgpack.unpackb(packed, raw=False, ext_hook=msgpack.ExtType)  # type: ignore[no-any-return]


def test_every_key_present_and_blocks_empty_not_null() -> None:
    out = raw({"name": "a"})
    assert set(out) == {
        "id", "name", "count", "enabled", "ports", "names", "tags", "shape",
        "endpoint", "rule", "timeouts",
    }  # fmt: skip
    assert out["id"] is None and out["timeouts"] is None
    # LIST/SET blocks are never null in Terraform.
    assert out["endpoint"] == [] and out["rule"] == []


def test_null_object_and_null_value() -> None:
    assert null_object(TY)["endpoint"] == []
    assert encode_msgpack(None, TY) == b"\xc0"
    assert decode_msgpack(b"\xc0", TY) is None
    assert decode_dynamic(b"", b"", TY) is None


def test_unknown_is_ext0_and_ext12_reads_as_unknown() -> None:
    out = raw({"name": "a", "id": UNKNOWN, "ports": [1, UNKNOWN]})
    assert out["id"] == UNKNOWN_EXT
    assert out["ports"] == [1, UNKNOWN_EXT]
    wire = msgpack.packb(
        {"name": "a", "id": msgpack.ExtType(0, b""), "count": msgpack.ExtType(12, b"\x80")}
    )
    value = decode_msgpack(wire, TY)
    assert value["id"] is UNKNOWN and value["count"] is UNKNOWN
    assert value["tags"] is None  # filled in


def test_whole_object_unknown() -> None:
    assert decode_msgpack(msgpack.packb(msgpack.ExtType(0, b"")), TY) is UNKNOWN
    assert msgpack.unpackb(encode_msgpack(UNKNOWN, TY), ext_hook=msgpack.ExtType) == UNKNOWN_EXT


def test_numbers_integral_become_int() -> None:
    value = decode_msgpack(msgpack.packb({"name": "a", "count": 3.0}), TY)
    assert value["count"] == 3 and isinstance(value["count"], int)
    assert decode_msgpack(msgpack.packb({"name": "a", "count": 2.5}), TY)["count"] == 2.5
    # cty sends numbers that do not fit 64 bits as strings.
    big = 10**30
    assert decode_msgpack(msgpack.packb({"name": "a", "count": str(big)}), TY)["count"] == big
    assert raw({"name": "a", "count": big})["count"] == str(big)
    assert raw({"name": "a", "count": 7})["count"] == 7


def test_sets_are_lists_and_deduplicated() -> None:
    value = decode_msgpack(msgpack.packb({"name": "a", "ports": [80, 443, 80]}), TY)
    assert value["ports"] == [80, 443]
    assert raw({"name": "a", "ports": {22}})["ports"] == [22]


def test_nested_blocks_roundtrip() -> None:
    state = {
        "name": "a",
        "endpoint": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}],
        "rule": [{"cidr": "0.0.0.0/0"}],
        "timeouts": {"create": "5m"},
        "shape": {"w": 1, "h": 2.5},
    }
    back = decode_msgpack(encode_msgpack(state, TY), TY)
    assert back["endpoint"] == state["endpoint"]
    assert back["rule"] == state["rule"]
    assert back["timeouts"] == {"create": "5m"}
    assert back["shape"] == {"w": 1, "h": 2.5}


def test_nested_block_keys_filled() -> None:
    ty = Block(
        blocks=[
            NestedBlock(
                "endpoint",
                Block(
                    attributes=[
                        Attribute("ip", String, required=True),
                        Attribute("port", Number, optional=True),
                    ]
                ),
            )
        ]
    ).object_type
    assert decode_json(b'{"endpoint": [{"ip": "x"}]}', ty) == {
        "endpoint": [{"ip": "x", "port": None}]
    }


def test_json_input() -> None:
    value = decode_dynamic(b"", b'{"name": "j", "count": 1.0, "enabled": true}', TY)
    assert value["name"] == "j" and value["count"] == 1 and value["enabled"] is True
    assert value["endpoint"] == []


def test_primitive_conversions_like_cty() -> None:
    out = raw({"name": 12, "enabled": "true", "count": "42", "tags": {"k": True}})
    assert out["name"] == "12" and out["enabled"] is True and out["count"] == 42
    assert out["tags"] == {"k": "true"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"name": "a", "count": "many"}, "count: expected a number"),
        ({"name": "a", "names": "x"}, "names: expected a"),
        ({"name": "a", "endpoint": [{"ip": []}]}, r"endpoint\[0\]\.ip: expected a string"),
        ({"name": "a", "nmae": "typo"}, "unexpected attribute"),
        ({"name": "a", "enabled": 1}, "expected a bool"),
        ({"name": "a", "count": True}, "expected a number, got bool"),
    ],
)
def test_type_errors_name_the_attribute(value: dict[str, object], message: str) -> None:
    with pytest.raises(CodecError, match=message):
        encode_msgpack(value, TY)


def test_non_strict_drops_unknown_keys() -> None:
    assert "gone" not in normalize({"name": "a", "gone": 1}, TY, strict=False)
