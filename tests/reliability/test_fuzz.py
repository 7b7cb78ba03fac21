"""Hostile input, in-process: property-based fuzzing of every action in the action table, and
of the wire below it (query strings, percent-encoding, headers, methods, paths, bodies).

Requests go through the real ASGI app (no server), correctly signed most of the time so that
the fuzz reaches the parameter parser and the services.  Each generated request mixes valid
values (existing ids of this and another account, enum members) with hostile ones: missing,
duplicated and unknown parameters, wrong types, huge and negative numbers, unicode and
control characters, very long values, odd list indexes, bodies at and over the size limit,
other content types and methods, ``Format=XML``.

Every answer must be a well-formed success or Alibaba error envelope in the format asked for,
with a catalogued code at its documented status, 4xx (5xx only for the documented
``InvalidRouterInterfaceChargeType.Malformed``); and an answer that is an error must leave
the whole store exactly as it was (snapshot before and after).
"""

from __future__ import annotations

import asyncio
import functools
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riconnect.api.actions import ACTIONS
from riconnect.api.actions.base import Action
from riconnect.api.app import App
from riconnect.api.auth import sign_v1
from riconnect.api.params import Param
from riconnect.api.runtime import CloudRuntime as Cloud
from riconnect.testing import inprocess_app, invoke, signed_request
from tests.reliability.helpers import (
    ACCOUNT_A,
    ACCOUNT_B,
    KEYS,
    PC_ID_A,
    XML_TYPE,
    connected_pair,
    decode_answer,
    record,
    registry,
    section,
    size,
    snapshot,
)
from tests.support.postgres import new_database

FUZZ_MAX_BODY = 16 * 1024  # the fuzz app's body limit, so bodies around it are cheap to make
EXAMPLES = size(30, 400)
PG_EXAMPLES = size(6, 60)
WIRE_EXAMPLES = size(300, 5000)
ACTION_LIST: list[Action] = sorted(ACTIONS.values(), key=lambda a: (a.version, a.name))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@dataclass
class World:
    app: App
    cloud: Cloud
    ids: dict[str, list[str]] = field(default_factory=dict)  # param name -> sample values
    cases: Counter[str] = field(default_factory=Counter)


def _seed(app: App) -> dict[str, list[str]]:
    """A few real resources of account A (a connected pair, a VBR) and of account B."""

    def call(account: str, action: str, **params: Any) -> dict[str, Any]:
        params.setdefault("RegionId", "cn-hangzhou")
        key = KEYS[account]
        return invoke(app, action, params, access_key_id=key.id, secret=key.secret)

    samples: dict[str, list[str]] = {}
    vpcs = [call(ACCOUNT_A, "CreateVpc", VpcName=f"seed{n}") for n in range(2)]
    foreign = call(ACCOUNT_B, "CreateVpc", VpcName="theirs")
    i_id, a_id = connected_pair(
        functools.partial(call, ACCOUNT_A),
        vpcs[0]["VRouterId"],
        vpcs[1]["VRouterId"],
        ACCOUNT_A,
        "cn-hangzhou",
    )
    theirs = call(
        ACCOUNT_B,
        "CreateRouterInterface",
        Role="InitiatingSide",
        RouterType="VRouter",
        RouterId=foreign["VRouterId"],
        Spec="Small.1",
        OppositeRegionId="cn-shanghai",
    )["RouterInterfaceId"]
    vbr = call(
        ACCOUNT_A,
        "CreateVirtualBorderRouter",
        PhysicalConnectionId=PC_ID_A,
        VlanId=10,
        LocalGatewayIp="10.0.0.1",
        PeerGatewayIp="10.0.0.2",
        PeeringSubnetMask="255.255.255.252",
    )["VbrId"]
    ghost = "ri-doesnotexist000000000"
    samples["ri"] = [i_id, a_id, theirs, ghost]
    samples["vpc"] = [vpcs[0]["VpcId"], vpcs[1]["VpcId"], foreign["VpcId"], "vpc-nothere0000000000"]
    samples["router"] = [vpcs[0]["VRouterId"], foreign["VRouterId"], vbr, "vrt-nothere0000000000"]
    samples["vbr"] = [vbr, "vbr-nothere0000000000"]
    samples["table"] = [vpcs[0]["RouteTableId"], foreign["RouteTableId"]]
    samples["pc"] = [PC_ID_A, "pc-nothere0000000000"]
    samples["owner"] = [ACCOUNT_A, ACCOUNT_B, "1234567890123456", "0"]
    return samples


def _world(db: str, backend: str) -> Iterator[World]:
    app, cloud = inprocess_app(db=db, registry=registry(), vpc_quota=10**6, max_body=FUZZ_MAX_BODY)
    state = World(app, cloud, _seed(app))
    try:
        yield state
    finally:
        cloud.executor.shutdown(wait=True)
        cloud.store.close()
        total = sum(state.cases.values())
        if total:
            record(
                section("fuzz", backend),
                cases=total,
                per_action=dict(state.cases),
                answers_5xx=0,
                state_changed_on_error=0,
            )


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    yield from _world(":memory:", "sqlite")


@pytest.fixture(scope="module")
def pg_world(postgres_url: str) -> Iterator[World]:
    """The same seeded cloud on PostgreSQL (scoped write locks, nonces in the database)."""
    yield from _world(new_database(postgres_url), "postgres")


# -- value strategies ----------------------------------------------------------------------------

HOSTILE = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(max_codepoint=0x1F), max_size=8),  # control characters
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\t\r\n",
            "x" * 4096,
            "x" * 4097,
            "é" * 2000,
            "http://evil.example",
            "../../etc/passwd",
            "%00",
            "%",
            "+",
            "&",
            "=",
            "null",
            "[]",
            '{"a":1}',
            "\u202e\u200b\ufeff",
            "💥" * 8,
            "Robert'); DROP TABLE vpcs;--",
        ]
    ),
)
NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(
        ["0", "-1", "+5", " 7", "1e3", "0x1f", "٣", "１", "NaN", "inf", "9" * 40, "1.5", ""]
    ),
)
BOOLS = st.sampled_from(["true", "false", "True", "FALSE", " true ", "1", "0", "yes", "", "tru"])
INDEXES = st.one_of(
    st.sampled_from(["1", "1", "2", "3"]),
    st.sampled_from(["0", "101", "-1", "a", "1.5", "٣", "01", " 1", "9" * 30, ""]),
    st.text(max_size=3),
)
VALID: dict[str, list[str]] = {
    "RegionId": ["cn-hangzhou", "cn-hangzhou", "cn-shanghai", "xx-nowhere-1", ""],
    "OppositeRegionId": ["cn-hangzhou", "cn-shanghai", "us-west-1", "mars-1"],
    "CidrBlock": ["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12", "10.1.0.0/29", "1.2.3.4/33"],
    "Spec": ["Large.2", "Small.1", "Negative", "Xlarge.1", "Huge.9"],
    "Name": ["rel-name", "a", "1abc", "名字-1"],
    "VpcName": ["rel-vpc", "http://x"],
    "Description": ["a description", "http://x"],
    "LocalGatewayIp": ["10.0.0.5", "300.1.1.1"],
    "PeerGatewayIp": ["10.0.0.6", "10.0.0.5"],
    "PeeringSubnetMask": ["255.255.255.252", "255.0.255.0"],
    "HealthCheckSourceIp": ["10.0.0.9", "x"],
    "HealthCheckTargetIp": ["10.0.0.10", ""],
    "VlanId": ["11", "2999", "3000", "-1"],
    "ClientToken": ["tok-1", "tok-2", "x" * 65],
}


def _id_samples(name: str, world: World) -> list[str]:
    ids = world.ids
    if name in ("RouterInterfaceId", "InstanceId", "OppositeInterfaceId"):
        return ids["ri"]
    if name in ("VpcId", "ResourceId"):
        return ids["vpc"]
    if name in ("RouterId", "OppositeRouterId"):
        return ids["router"]
    if name == "VbrId":
        return ids["vbr"]
    if name == "RouteTableId":
        return ids["table"]
    if name == "PhysicalConnectionId":
        return ids["pc"]
    if name.endswith("OwnerId"):
        return ids["owner"]
    return []


def value_for(draw: Any, param: Param, world: World) -> str:
    good = list(param.enum or ()) + _id_samples(param.name, world) + VALID.get(param.name, [])
    if good and draw(st.integers(0, 9)) < 7:
        return draw(st.sampled_from(good))
    if param.kind == "int":
        return draw(NUMBERS)
    if param.kind == "bool":
        return draw(st.one_of(BOOLS, HOSTILE))
    return draw(HOSTILE)


def pairs_for(draw: Any, param: Param, world: World) -> list[tuple[str, str]]:
    """Wire pairs for one parameter (flattened lists, tags and filters included)."""
    name = draw(st.sampled_from([param.name, *param.aliases]))
    if param.kind in ("str", "int", "bool"):
        return [(name, value_for(draw, param, world))]
    count = draw(st.integers(1, 3))
    out: list[tuple[str, str]] = []
    for _ in range(count):
        n = draw(INDEXES)
        if param.kind == "list":
            out.append((f"{name}.{n}", value_for(draw, param, world)))
        elif param.kind == "tags":
            out.append(
                (f"{name}.{n}.Key", draw(st.sampled_from(["k", "team", "aliyun-x", ""]) | HOSTILE))
            )
            if draw(st.booleans()):
                out.append((f"{name}.{n}.Value", draw(st.sampled_from(["v", ""]) | HOSTILE)))
        else:  # filters
            keys = list(param.filter_keys or ()) + ["NoSuchKey"]
            out.append((f"{name}.{n}.Key", draw(st.sampled_from(keys))))
            for _ in range(draw(st.integers(0, 2))):
                m = draw(INDEXES)
                sample = draw(st.sampled_from(world.ids["ri"] + world.ids["router"] + ["Active"]))
                out.append(
                    (f"{name}.{n}.Value.{m}", sample if draw(st.booleans()) else draw(HOSTILE))
                )
            if draw(st.integers(0, 9)) == 0:
                out.append((f"{name}.{n}.Value", "old-style"))
    return out


@dataclass
class Fuzzed:
    query: list[tuple[str, str]]
    form: list[tuple[str, str]] | None
    signature: str | None
    method: str
    headers: dict[str, str]

    def provisional(self, body_read: bool = True) -> dict[str, str]:
        """The parameters the server knows when it answers (for ``Format``): the query, and
        the form body when it was read and is a form."""
        params = dict(self.query)
        if not body_read:
            return params
        content_type = self.headers.get("content-type", "application/x-www-form-urlencoded")
        if self.form is not None and content_type.lower().startswith(
            "application/x-www-form-urlencoded"
        ):
            params.update(dict(self.form))
        return params


@st.composite
def requests(draw: Any, action: Action, world: World) -> Fuzzed:
    pairs: list[tuple[str, str]] = []
    if action.region != "none" and draw(st.integers(0, 9)) < 9:
        pairs.append(("RegionId", draw(st.sampled_from(VALID["RegionId"]))))
    for param in action.params:
        if draw(st.floats(0, 1)) < (0.9 if param.required else 0.4):
            pairs.extend(pairs_for(draw, param, world))
    for _ in range(draw(st.integers(0, 2))):  # unknown parameters
        pairs.append(
            (
                draw(st.sampled_from(["OwnerId", "Foo", "Tag.x.Key", "a.b.c"]) | HOSTILE),
                draw(HOSTILE),
            )
        )
    if pairs and draw(st.integers(0, 9)) == 0:  # the same key twice
        key, _ = draw(st.sampled_from(pairs))
        pairs.append((key, draw(HOSTILE)))
    fmt = draw(st.sampled_from([None] * 12 + ["XML", "XML", "XML", "xml", "JSON", "Xml "]))
    if fmt is not None:
        pairs.append(("Format", fmt))
    in_form = [draw(st.integers(0, 9)) < 4 for _ in pairs]
    query = [p for p, f in zip(pairs, in_form, strict=True) if not f]
    form = [p for p, f in zip(pairs, in_form, strict=True) if f]
    if draw(st.integers(0, 19)) == 0:  # a body at or just over the size limit
        target = FUZZ_MAX_BODY + draw(st.integers(-200, 200))
        form.append(("Padding", "x" * max(target - 1000, 0)))
    headers: dict[str, str] = {}
    content_type = draw(
        st.sampled_from(
            ["application/x-www-form-urlencoded"] * 12
            + [
                "application/json",
                "text/plain",
                "multipart/form-data; boundary=x",
                "APPLICATION/X-WWW-FORM-URLENCODED; charset=latin-1",
            ]
        )
    )
    if form:
        headers["content-type"] = content_type
    signature = draw(st.sampled_from(["v1"] * 10 + ["v3"] * 9 + [None]))
    method = draw(st.sampled_from(["POST"] * 18 + ["GET", "PUT"]))
    return Fuzzed(query, form or None, signature, method, headers)


def send(world: World, action: Action, request: Fuzzed) -> Any:
    key = KEYS[ACCOUNT_A]
    return signed_request(
        world.app,
        action.name,
        request.query,
        version=action.version,
        form=request.form,
        signature=request.signature,  # type: ignore[arg-type]
        access_key_id=key.id,
        secret=key.secret,
        method=request.method,
        headers=request.headers,
    )


# Refused before the body is read: only a Format in the query can be honoured.
BEFORE_THE_BODY = tuple(
    f"{q}{c}{e}".encode()
    for c in ("UnsupportedHTTPMethod", "InvalidPath", "RequestTooLarge")
    for q, e in (('"', '"'), (">", "<"))
)


def check_answer(world: World, action: Action, request: Fuzzed) -> None:
    before = snapshot(world.cloud.store)
    response = send(world, action, request)
    wants_xml = request.provisional().get("Format", "").upper() == "XML"
    code = ""
    if response.status_code >= 400:
        early = any(c in response.content for c in BEFORE_THE_BODY)
        xml = request.provisional(body_read=not early).get("Format", "").upper() == "XML"
        fields = decode_answer(response.status_code, response.headers, response.content, xml)
        code = fields["Code"]
        after = snapshot(world.cloud.store)
        assert after == before, f"{action.name} answered {code} but changed the store"
    else:
        decode_answer(response.status_code, response.headers, response.content, wants_xml)
    assert code != "InternalError"
    world.cases[action.name] += 1


@pytest.mark.reliability
@pytest.mark.parametrize("action", ACTION_LIST, ids=lambda a: a.name)
@SETTINGS
@given(data=st.data())
def test_every_action_answers_hostile_input_with_an_envelope(
    world: World, action: Action, data: st.DataObject
) -> None:
    request = data.draw(requests(action, world))
    check_answer(world, action, request)


@pytest.mark.reliability
@pytest.mark.parametrize("action", ACTION_LIST, ids=lambda a: a.name)
@settings(SETTINGS, max_examples=PG_EXAMPLES)
@given(data=st.data())
def test_every_action_answers_hostile_input_on_postgres(
    pg_world: World, action: Action, data: st.DataObject
) -> None:
    request = data.draw(requests(action, pg_world))
    check_answer(pg_world, action, request)


def test_every_action_is_fuzzed() -> None:
    """The fuzz iterates the action table itself, so a new action cannot escape it."""
    assert {a.name for a in ACTION_LIST} == {name for _, name in ACTIONS}
    assert len(ACTION_LIST) == len(ACTIONS) >= 20


# -- the wire, below the parameter parser ----------------------------------------------------------


async def raw_asgi(
    app: App,
    method: str,
    path: str,
    query: bytes,
    headers: list[tuple[bytes, bytes]],
    chunks: list[bytes],
    disconnect: bool = False,
) -> list[dict[str, Any]]:
    """Call the ASGI app with a hand-made scope; returns the messages it sent."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogatepass"),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 80),
    }
    incoming = [
        {"type": "http.request", "body": c, "more_body": i + 1 < len(chunks)}
        for i, c in enumerate(chunks or [b""])
    ]
    if disconnect:
        incoming[-1]["more_body"] = True
        incoming.append({"type": "http.disconnect"})
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(3600)  # a real client that sends nothing more
        raise AssertionError("unreachable")

    async def send_(message: dict[str, Any]) -> None:
        sent.append(message)

    await asyncio.wait_for(app(scope, receive, send_), timeout=30)
    return sent


def answer_of(sent: list[dict[str, Any]]) -> tuple[int, dict[str, str], bytes]:
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"], sent
    headers = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
    return sent[0]["status"], headers, sent[1]["body"]


HEADER_NAMES = st.sampled_from(
    [
        b"authorization",
        b"content-type",
        b"content-length",
        b"x-acs-action",
        b"x-acs-version",
        b"x-acs-date",
        b"x-acs-signature-nonce",
        b"x-acs-content-sha256",
        b"x-acs-security-token",
        b"host",
        b"x-other",
    ]
) | st.binary(min_size=1, max_size=20)
HEADER_VALUES = st.one_of(
    st.binary(max_size=60),
    st.sampled_from(
        [
            b"ACS3-HMAC-SHA256",
            b"ACS3-HMAC-SHA256 Credential=,SignedHeaders=,Signature=",
            b"ACS3-HMAC-SHA256 Credential="
            + KEYS[ACCOUNT_A].id.encode()
            + b",SignedHeaders=host;x-acs-date;x-acs-signature-nonce,Signature="
            + b"0" * 64,
            b"ACS3-RSA-SHA256 x",
            b"application/x-www-form-urlencoded",
            b"2026-13-45T99:99:99Z",
            b"99999999999999999999",
            b"-1",
            b"\xff\xfe\xfd",
        ]
    ),
)
QUERIES = st.one_of(
    st.binary(max_size=200),
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "Action",
                    "Version",
                    "RegionId",
                    "Signature",
                    "AccessKeyId",
                    "Format",
                    "Timestamp",
                    "SignatureNonce",
                    "%zz",
                    "%",
                    "a%2",
                    "+",
                ]
            ),
            st.sampled_from(
                [
                    "DescribeVpcs",
                    "2016-04-28",
                    "XML",
                    "%ff%fe",
                    "%c3%28",
                    "%",
                    "%%",
                    "+",
                    "=",
                    "",
                    "x" * 300,
                ]
            ),
        ),
        max_size=8,
    ).map(lambda items: "&".join(f"{k}={v}" for k, v in items).encode()),
)


@st.composite
def wire_requests(draw: Any) -> tuple[str, str, bytes, list[tuple[bytes, bytes]], list[bytes]]:
    method = draw(
        st.sampled_from(["POST", "GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT"])
        | st.text(min_size=1, max_size=10)
    )
    path = draw(
        st.sampled_from(
            ["/", "/", "/", "//", "/?", "/riconnect/health", "/../", "/%00", "/\x00", "/é"]
        )
        | st.text(max_size=20)
    )
    query = draw(QUERIES)
    if draw(st.booleans()):
        # A correctly signed V1 query with some bytes garbled afterwards.
        signed = sign_v1(
            method if method in ("GET", "POST") else "POST",
            [("Action", "DescribeVpcs"), ("Version", "2016-04-28"), ("RegionId", "cn-hangzhou")],
            KEYS[ACCOUNT_A].id,
            KEYS[ACCOUNT_A].secret,
            timestamp=1_800_000_000.0,
            nonce=draw(st.uuids()).hex,
        )
        from urllib.parse import quote, urlencode

        encoded = urlencode(signed, quote_via=quote).encode()
        cut = draw(st.integers(0, len(encoded)))
        query = encoded[:cut] + draw(st.binary(max_size=6)) + encoded[cut:]
    headers = draw(st.lists(st.tuples(HEADER_NAMES.map(bytes.lower), HEADER_VALUES), max_size=6))
    chunks = draw(st.lists(st.binary(max_size=300), max_size=3))
    if draw(st.integers(0, 19)) == 0:
        chunks.append(b"A=" + b"x" * FUZZ_MAX_BODY)
    return method, path, query, headers, chunks


@pytest.mark.reliability
@settings(
    max_examples=WIRE_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(request=wire_requests())
def test_the_wire_below_the_parser(world: World, request: Any) -> None:
    method, path, query, headers, chunks = request
    before = snapshot(world.cloud.store)
    sent = asyncio.run(raw_asgi(world.app, method, path, query, headers, chunks))
    status, response_headers, body = answer_of(sent)
    if path == "/riconnect/health":
        assert status == 200
        return
    content_type = response_headers["content-type"]
    decode_answer(status, response_headers, body, xml=content_type == XML_TYPE)
    if status != 200:
        assert snapshot(world.cloud.store) == before
    record("fuzz", wire_cases=1)


# -- regressions found by the fuzz -------------------------------------------------------------------


def test_format_xml_is_honoured_for_errors_before_the_action_is_known(world: World) -> None:
    """Errors raised before the action was looked up (unknown action, missing Action, a
    parameter given twice, a body over the limit, a wrong path or method) were answered in
    JSON even with Format=XML."""
    cases = [
        (
            "POST",
            "/",
            b"Format=XML&Action=Frobnicate&Version=2016-04-28",
            [],
            "InvalidAction.NotFound",
        ),
        ("POST", "/", b"Format=XML", [], "MissingParameter"),
        (
            "POST",
            "/",
            b"Format=XML&Action=DescribeVpcs&Action=CreateVpc",
            [],
            "InvalidParameter.Duplicate",
        ),
        (
            "POST",
            "/",
            b"Format=XML&Action=DescribeVpcs",
            [b"A=" + b"x" * FUZZ_MAX_BODY],
            "RequestTooLarge",
        ),
        ("POST", "/elsewhere", b"Format=XML", [], "InvalidPath"),
        ("PUT", "/", b"Format=XML", [], "UnsupportedHTTPMethod"),
    ]
    for method, path, query, chunks, code in cases:
        status, headers, body = answer_of(
            asyncio.run(raw_asgi(world.app, method, path, query, [], chunks))
        )
        fields = decode_answer(status, headers, body, xml=True)
        assert fields["Code"] == code
    status, headers, body = answer_of(
        asyncio.run(raw_asgi(world.app, "POST", "/", b"Action=Frobnicate&Version=1", [], []))
    )
    assert decode_answer(status, headers, body, xml=False)["Code"] == "InvalidAction.NotFound"


def test_xml_answers_stay_well_formed_with_control_characters(world: World) -> None:
    """A parameter name or value with a control character is quoted in the error message;
    the XML answer was not well-formed (XML 1.0 cannot carry U+0001 even escaped)."""
    key = KEYS[ACCOUNT_A]
    response = signed_request(
        world.app,
        "DescribeVpcs",
        {"RegionId": "cn-hangzhou", "Format": "XML", "Tag.\x01.Key": "a"},
        access_key_id=key.id,
        secret=key.secret,
    )
    fields = decode_answer(response.status_code, response.headers, response.content, xml=True)
    assert fields["Code"] == "InvalidParameter"
    assert "\ufffd" in ET.fromstring(response.content).findtext("Message", "")
    created = signed_request(
        world.app,
        "CreateVpc",
        {"RegionId": "cn-hangzhou", "Format": "XML", "Description": "tab\there\x0bvt"},
        access_key_id=key.id,
        secret=key.secret,
    )
    decode_answer(created.status_code, created.headers, created.content, xml=True)


def test_a_request_cut_short_is_not_run(world: World) -> None:
    """A client that disconnects halfway through its body: the part that arrived used to be
    parsed and run (a signature usually, but not by design, stopped it); now nothing runs
    and nothing is answered."""
    key = KEYS[ACCOUNT_A]
    pairs = sign_v1(
        "POST",
        [
            ("Action", "CreateVpc"),
            ("Version", "2016-04-28"),
            ("RegionId", "cn-hangzhou"),
            ("VpcName", "cut"),
        ],
        key.id,
        key.secret,
        timestamp=world.cloud.clock.now(),
    )
    from urllib.parse import quote, urlencode

    body = urlencode(pairs, quote_via=quote).encode()
    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    before = snapshot(world.cloud.store)
    sent = asyncio.run(raw_asgi(world.app, "POST", "/", b"", headers, [body], disconnect=True))
    assert sent == []
    assert snapshot(world.cloud.store) == before
    # The same body delivered whole is a valid request (so the test above means something).
    sent = asyncio.run(raw_asgi(world.app, "POST", "/", b"", headers, [body]))
    status, response_headers, content = answer_of(sent)
    assert status == 200, content
    assert json.loads(content)["VpcId"].startswith("vpc-")
    # A complete request whose client leaves before the answer (Content-Length says it is
    # all there) is still run, as the SDKs' requests (parameters in the URL) always were.
    pairs = sign_v1(
        "POST",
        [
            ("Action", "CreateVpc"),
            ("Version", "2016-04-28"),
            ("RegionId", "cn-hangzhou"),
            ("VpcName", "left-early"),
        ],
        key.id,
        key.secret,
        timestamp=world.cloud.clock.now(),
    )
    query = urlencode(pairs, quote_via=quote).encode()
    before = snapshot(world.cloud.store)
    sent = asyncio.run(
        raw_asgi(world.app, "POST", "/", query, [(b"content-length", b"0")], [b""], disconnect=True)
    )
    assert snapshot(world.cloud.store) != before
