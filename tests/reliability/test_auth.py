"""Authentication over real HTTP: attacks on signed requests against a live server.

tests/api/test_auth.py proves the verifier in-process on the captured vectors.  Here the
same kinds of attack travel over a socket to ``riconnect serve``, aimed at a *mutation*
(CreateVpc with a name unique to the attack) so that an attack that got through would leave
a VPC behind: every element a V1 and a V3 signature covers is changed, removed or added to in
turn; requests are replayed, stamped outside the window, signed with unknown, disabled and
other accounts' keys, or not signed; the official SDKs meet a disabled key and a RAM user's
key.  Each must be refused with its documented code, and at the end no attack's VPC exists.
Everything runs against a server on SQLite and against one on PostgreSQL; there a request
replayed to a second server on the same database is refused too.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest

from riconnect.api.auth import sign_v1, sign_v3
from riconnect.domain.clock import iso8601
from riconnect.testing import LiveCloud, acs_client, vpc_client
from tests.reliability.helpers import (
    ACCOUNT_A,
    ACCOUNT_B,
    INACTIVE_KEY,
    KEYS,
    RAM_KEY,
    Caller,
    Key,
    decode_answer,
    record,
    section,
)
from tests.support.postgres import new_database

REGION = "cn-hangzhou"
VERSION = "2016-04-28"
ATTACK_PREFIX = "attack"


@dataclass(frozen=True)
class Req:
    """A request as it goes on the wire."""

    method: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""
    path: str = "/"

    def send(self, client: httpx.Client, endpoint: str) -> httpx.Response:
        url = f"http://{endpoint}{self.path}"
        if self.query:
            url += "?" + urlencode(self.query, quote_via=quote)
        return client.request(self.method, url, headers=list(self.headers), content=self.body)

    def set_query(self, name: str, value: str | None) -> Req:
        kept = tuple(p for p in self.query if p[0] != name)
        return replace(self, query=kept if value is None else (*kept, (name, value)))

    def set_header(self, name: str, value: str | None) -> Req:
        kept = tuple(p for p in self.headers if p[0] != name)
        return replace(self, headers=kept if value is None else (*kept, (name, value)))

    def header(self, name: str) -> str:
        return dict(self.headers)[name]


def attack_name() -> str:
    return f"{ATTACK_PREFIX}-{uuid.uuid4().hex[:12]}"


def v1_request(endpoint: str, key: Key, *, timestamp: float | None = None) -> Req:
    params = [("Action", "CreateVpc"), ("Version", VERSION), ("RegionId", REGION)]
    params.append(("VpcName", attack_name()))
    signed = sign_v1("POST", params, key.id, key.secret, timestamp=timestamp)
    return Req("POST", tuple(signed), (("host", endpoint),))


def v3_request(
    endpoint: str, key: Key, *, form: bool = False, timestamp: float | None = None
) -> Req:
    query = [("RegionId", REGION)]
    headers = {
        "host": endpoint,
        "x-acs-action": "CreateVpc",
        "x-acs-version": VERSION,
        "accept": "application/json",
    }
    body = b""
    if form:
        body = urlencode([("VpcName", attack_name())]).encode()
        headers["content-type"] = "application/x-www-form-urlencoded"
    else:
        query.append(("VpcName", attack_name()))
    signed = sign_v3("POST", "/", query, headers, body, key.id, key.secret, timestamp=timestamp)
    return Req("POST", tuple(query), tuple(signed.items()), body)


def changed(value: str) -> str:
    return value[:-1] + ("A" if value[-1:] != "A" else "B") if value else "x"


def edit_authorization(old: str, new: str) -> Callable[[Req], Req]:
    def mutate(req: Req) -> Req:
        value = req.header("authorization")
        assert old in value, (old, value)
        return req.set_header("authorization", value.replace(old, new, 1))

    return mutate


Attack = tuple[str, Callable[[Req], Req], str]


def v1_attacks() -> list[Attack]:
    base = v1_request("h", KEYS[ACCOUNT_A])
    attacks: list[Attack] = []
    removal_code = {
        "Action": "MissingParameter",
        "Version": "MissingParameter",
        "AccessKeyId": "IncompleteSignature",
        "SignatureMethod": "IncompleteSignature",
        "SignatureVersion": "IncompleteSignature",
        "Timestamp": "IllegalTimestamp",
        "SignatureNonce": "MissingSignatureNonce",
        "Signature": "MissingSignature",
    }
    change_code = {
        "Action": "InvalidAction.NotFound",
        "Version": "InvalidVersion",
        "AccessKeyId": "InvalidAccessKeyId.NotFound",
        "SignatureMethod": "IncompleteSignature",
        "SignatureVersion": "IncompleteSignature",
        "Timestamp": "IllegalTimestamp",
    }
    for name, _ in base.query:
        attacks.append(
            (
                f"v1 change {name}",
                lambda r, n=name: r.set_query(n, changed(dict(r.query)[n])),
                change_code.get(name, "SignatureDoesNotMatch"),
            )
        )
        attacks.append(
            (
                f"v1 remove {name}",
                lambda r, n=name: r.set_query(n, None),
                removal_code.get(name, "SignatureDoesNotMatch"),
            )
        )
    return attacks + [
        ("v1 add a parameter", lambda r: r.set_query("DryRun", "false"), "SignatureDoesNotMatch"),
        (
            "v1 action swapped for another",
            lambda r: r.set_query("Action", "DeleteVpc"),
            "SignatureDoesNotMatch",
        ),
        (
            "v1 another account's key id",
            lambda r: r.set_query("AccessKeyId", KEYS[ACCOUNT_B].id),
            "SignatureDoesNotMatch",
        ),
        (
            "v1 timestamp moved inside the window",
            lambda r: r.set_query("Timestamp", iso8601(time.time() - 60)),
            "SignatureDoesNotMatch",
        ),
        ("v1 method changed", lambda r: replace(r, method="GET"), "SignatureDoesNotMatch"),
        (
            "v1 second Signature",
            lambda r: replace(r, query=(*r.query, ("Signature", "AAAA"))),
            "InvalidParameter.Duplicate",
        ),
        (
            "v1 parameter moved into an unsigned header",
            lambda r: r.set_query("Action", None).set_header("x-acs-action", "CreateVpc"),
            "MissingParameter",
        ),
        (
            "v1 security token",
            lambda r: r.set_query("SecurityToken", "token"),
            "InvalidSecurityToken.NotSupported",
        ),
    ]


def v3_attacks(form: bool) -> list[Attack]:
    base = v3_request("h", KEYS[ACCOUNT_A], form=form)
    attacks: list[Attack] = []
    signed = base.header("authorization").split("SignedHeaders=")[1].split(",")[0].split(";")
    change_code = {
        "x-acs-date": "SignatureDoesNotMatch",
        "x-acs-action": "InvalidAction.NotFound",
        "x-acs-version": "InvalidVersion",
    }
    remove_code = {
        "x-acs-date": "IllegalTimestamp",
        "x-acs-signature-nonce": "MissingSignatureNonce",
        "x-acs-action": "MissingParameter",
        "x-acs-version": "MissingParameter",
        "host": "IncompleteSignature",
        "accept": "SignatureDoesNotMatch",  # httpx then sends its own "accept: */*"
    }
    for name in signed:
        if name == "x-acs-date":
            attacks.append(
                (
                    "v3 change x-acs-date",
                    lambda r: r.set_header("x-acs-date", iso8601(time.time() - 60)),
                    "SignatureDoesNotMatch",
                )
            )
        else:
            attacks.append(
                (
                    f"v3 change {name}",
                    lambda r, n=name: r.set_header(n, changed(r.header(n))),
                    change_code.get(name, "SignatureDoesNotMatch"),
                )
            )
        if name != "host":  # httpx always sends a Host
            attacks.append(
                (
                    f"v3 remove {name}",
                    lambda r, n=name: r.set_header(n, None),
                    remove_code.get(name, "IncompleteSignature"),
                )
            )
    for name, _ in base.query:
        attacks.append(
            (
                f"v3 change query {name}",
                lambda r, n=name: r.set_query(n, changed(dict(r.query)[n])),
                "SignatureDoesNotMatch",
            )
        )
    attacks += [
        (
            "v3 add a query parameter",
            lambda r: r.set_query("DryRun", "false"),
            "SignatureDoesNotMatch",
        ),
        ("v3 method changed", lambda r: replace(r, method="GET"), "SignatureDoesNotMatch"),
        ("v3 path changed", lambda r: replace(r, path="/x"), "InvalidPath"),
        (
            "v3 unsigned x-acs header added",
            lambda r: r.set_header("x-acs-action-override", "DeleteVpc"),
            "IncompleteSignature",
        ),
        (
            "v3 another account's key id",
            edit_authorization(
                f"Credential={KEYS[ACCOUNT_A].id}", f"Credential={KEYS[ACCOUNT_B].id}"
            ),
            "SignatureDoesNotMatch",
        ),
        (
            "v3 unknown key id",
            edit_authorization(f"Credential={KEYS[ACCOUNT_A].id}", "Credential=LTAInobody0000"),
            "InvalidAccessKeyId.NotFound",
        ),
        (
            "v3 signature altered",
            lambda r: r.set_header("authorization", r.header("authorization")[:-4] + "0000"),
            "SignatureDoesNotMatch",
        ),
        (
            "v3 header dropped from SignedHeaders",
            edit_authorization("accept;", ""),
            "SignatureDoesNotMatch",
        ),
        (
            "v3 other algorithm",
            edit_authorization("ACS3-HMAC-SHA256", "ACS3-RSA-SHA256"),
            "IncompleteSignature",
        ),
        (
            "v3 relabelled as SM3",
            edit_authorization("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3"),
            "SignatureDoesNotMatch",
        ),
        (
            "v3 security token header",
            lambda r: r.set_header("x-acs-security-token", "token"),
            "InvalidSecurityToken.NotSupported",
        ),
    ]
    if form:
        attacks += [
            (
                "v3 body changed",
                lambda r: replace(r, body=r.body + b"&DryRun=false"),
                "SignatureDoesNotMatch",
            ),
            (
                "v3 body changed, hash header dropped",
                lambda r: replace(r, body=r.body + b"x").set_header("x-acs-content-sha256", None),
                "IncompleteSignature",
            ),
        ]
    return attacks


ATTACKS = [
    pytest.param(("v1", False), mutate, code, id=label) for label, mutate, code in v1_attacks()
] + [
    pytest.param(("v3", form), mutate, code, id=label + (" (form body)" if form else ""))
    for form in (False, True)
    for label, mutate, code in v3_attacks(form)
]


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=15) as client:
        yield client


_BACKEND: dict[str, str] = {}  # endpoint -> the store behind it, for the figures


def _section(endpoint: str) -> str:
    return section("auth", _BACKEND.get(endpoint, "sqlite"))


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def attacked(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    rel_accounts: Any,
) -> Iterator[LiveCloud]:
    """The module's cloud (on SQLite, then on PostgreSQL); afterwards, no attack may have
    left a VPC behind."""
    if request.param == "postgres":
        pytest.importorskip("psycopg", reason="the postgres extra is not installed")
        workdir = tmp_path_factory.mktemp("auth-pg")
        db = new_database(request.getfixturevalue("postgres_url"))
        cloud = LiveCloud(db, accounts=rel_accounts, workdir=workdir, log_level="warning")
        cloud.start()
    else:
        cloud = request.getfixturevalue("rel_cloud")
    _BACKEND[cloud.endpoint] = request.param
    try:
        yield cloud
        caller = Caller(cloud.endpoint)
        for key in (KEYS[ACCOUNT_A], KEYS[ACCOUNT_B]):
            reply = caller.call("DescribeVpcs", key, REGION, {"PageSize": 50})
            assert reply.ok
            names = [v["VpcName"] for v in reply.body["Vpcs"]["Vpc"]]
            assert not [n for n in names if n.startswith(ATTACK_PREFIX + "-")], names
    finally:
        if request.param == "postgres":
            cloud.close()


def refused(response: httpx.Response, code: str) -> None:
    fields = decode_answer(response.status_code, response.headers, response.content, xml=False)
    assert fields["Code"] == code, (code, fields)
    record(_section(f"{response.url.host}:{response.url.port}"), attacks=1, accepted=0)


def fresh(kind: tuple[str, bool], endpoint: str) -> Req:
    if kind[0] == "v1":
        return v1_request(endpoint, KEYS[ACCOUNT_A])
    return v3_request(endpoint, KEYS[ACCOUNT_A], form=kind[1])


def test_the_untampered_requests_are_accepted(attacked: LiveCloud, http: httpx.Client) -> None:
    """The attacks below start from these; each is valid as signed (so a refusal is caused by
    the tampering alone)."""
    caller = Caller(attacked.endpoint)
    for kind in (("v1", False), ("v3", False), ("v3", True)):
        response = fresh(kind, attacked.endpoint).send(http, attacked.endpoint)
        assert response.status_code == 200, response.text
        vpc_id = response.json()["VpcId"]
        assert caller.call("DeleteVpc", KEYS[ACCOUNT_A], REGION, {"VpcId": vpc_id}).ok


@pytest.mark.parametrize(("kind", "mutate", "code"), ATTACKS)
def test_tampered_request_is_refused(
    attacked: LiveCloud,
    http: httpx.Client,
    kind: tuple[str, bool],
    mutate: Callable[[Req], Req],
    code: str,
) -> None:
    base = fresh(kind, attacked.endpoint)
    tampered = mutate(base)
    assert tampered != base
    refused(tampered.send(http, attacked.endpoint), code)


@pytest.mark.parametrize("signature", ["v1", "v3"])
def test_replayed_request_is_refused(
    attacked: LiveCloud, http: httpx.Client, signature: str
) -> None:
    req = fresh((signature, False), attacked.endpoint)
    first = req.send(http, attacked.endpoint)
    assert first.status_code == 200, first.text
    for _ in range(3):  # and again, and again
        refused(req.send(http, attacked.endpoint), "SignatureNonceUsed")
    # Exactly one VPC came of it.
    caller = Caller(attacked.endpoint)
    vpc_id = first.json()["VpcId"]
    assert caller.call("DeleteVpc", KEYS[ACCOUNT_A], REGION, {"VpcId": vpc_id}).ok


@pytest.mark.parametrize("signature", ["v1", "v3"])
def test_a_request_replayed_to_another_server_is_refused(
    attacked: LiveCloud, http: httpx.Client, signature: str, tmp_path: Any
) -> None:
    """A second server on the same database (behind one load balancer, say) refuses what the
    first accepted: the nonces are in the database."""
    second = LiveCloud(
        attacked.db, accounts=attacked.accounts, workdir=tmp_path, log_level="warning"
    )
    with second:
        req = fresh((signature, False), attacked.endpoint)  # Host: the first server's
        first = req.send(http, attacked.endpoint)
        assert first.status_code == 200, first.text
        fields = decode_answer(*_answer(req.send(http, second.endpoint)))
        assert fields["Code"] == "SignatureNonceUsed", fields
        record(_section(attacked.endpoint), attacks=1, accepted=0)
    caller = Caller(attacked.endpoint)
    assert caller.call("DeleteVpc", KEYS[ACCOUNT_A], REGION, {"VpcId": first.json()["VpcId"]}).ok


def _answer(response: httpx.Response) -> tuple[int, Any, bytes, bool]:
    return response.status_code, response.headers, response.content, False


@pytest.mark.parametrize("signature", ["v1", "v3"])
@pytest.mark.parametrize("offset", [-16 * 60, 16 * 60, -86400, 10 * 365 * 86400])
def test_stale_and_future_timestamps(
    attacked: LiveCloud, http: httpx.Client, signature: str, offset: int
) -> None:
    stamp = time.time() + offset
    if signature == "v1":
        req = v1_request(attacked.endpoint, KEYS[ACCOUNT_A], timestamp=stamp)
    else:
        req = v3_request(attacked.endpoint, KEYS[ACCOUNT_A], timestamp=stamp)
    refused(req.send(http, attacked.endpoint), "IllegalTimestamp")


@pytest.mark.parametrize("signature", ["v1", "v3"])
@pytest.mark.parametrize(
    ("key", "code"),
    [
        (Key("LTAInobodyHasThisKey", "secret", ""), "InvalidAccessKeyId.NotFound"),
        (INACTIVE_KEY, "InvalidAccessKeyId.Inactive"),
        (Key(KEYS[ACCOUNT_A].id, "the-wrong-secret", ACCOUNT_A), "SignatureDoesNotMatch"),
    ],
    ids=["unknown", "disabled", "wrong-secret"],
)
def test_bad_keys(
    attacked: LiveCloud, http: httpx.Client, signature: str, key: Key, code: str
) -> None:
    if signature == "v1":
        req = v1_request(attacked.endpoint, key)
    else:
        req = v3_request(attacked.endpoint, key)
    refused(req.send(http, attacked.endpoint), code)


@pytest.mark.parametrize(
    "payload",
    [
        b"POST /?Action=CreateVpc&Version=2016-04-28&RegionId=cn-hangzhou HTTP/1.1\r\n",
        b"POST /?Action=CreateVpc&Version=2016-04-28&RegionId=cn-hangzhou&AccessKeyId=x HTTP/1.1\r\n",
    ],
    ids=["no signature at all", "key id without signature"],
)
def test_unsigned_requests(attacked: LiveCloud, http: httpx.Client, payload: bytes) -> None:
    url = payload.split(b" ")[1].decode()
    response = http.post(f"http://{attacked.endpoint}{url}")
    refused(response, "MissingSignature")


# -- the official SDKs ------------------------------------------------------------------------


def _sdk_error(call: Callable[[], Any]) -> tuple[str, int | None]:
    from alibabacloud_tea_openapi.exceptions import ClientException
    from aliyunsdkcore.acs_exception.exceptions import ServerException

    try:
        call()
    except ClientException as exc:
        return str(exc.code), exc.status_code
    except ServerException as exc:
        return exc.get_error_code(), exc.get_http_status()
    raise AssertionError("the call was accepted")


def _sdk_calls(cloud: LiveCloud, key: Key) -> dict[str, Callable[[str, dict[str, Any]], Any]]:
    """One way to call an action per official client: tea-v3, tea-v1, core."""
    from alibabacloud_vpc20160428 import models
    from aliyunsdkcore.request import CommonRequest

    def tea(signature: str | None) -> Callable[[str, dict[str, Any]], Any]:
        client = vpc_client(cloud, key.id, key.secret, signature_algorithm=signature)

        def call(action: str, params: dict[str, Any]) -> Any:
            import re

            method = re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()
            request = getattr(models, f"{action}Request")().from_map({"RegionId": REGION, **params})
            return getattr(client, method)(request).body.to_map()

        return call

    core_client = acs_client(cloud, REGION, key.id, key.secret)

    def core(action: str, params: dict[str, Any]) -> Any:
        import json

        request = CommonRequest(domain=cloud.endpoint, version=VERSION, action_name=action)
        request.set_method("POST")
        for name, value in params.items():
            request.add_query_param(name, value)
        return json.loads(core_client.do_action_with_exception(request))

    return {"tea-v3": tea(None), "tea-v1": tea("v2"), "core": core}


@pytest.mark.parametrize("sdk", ["tea-v3", "tea-v1", "core"])
def test_sdks_with_a_disabled_key(attacked: LiveCloud, sdk: str) -> None:
    call = _sdk_calls(attacked, INACTIVE_KEY)[sdk]
    code, status = _sdk_error(lambda: call("CreateVpc", {"VpcName": attack_name()}))
    assert (code, status) == ("InvalidAccessKeyId.Inactive", 400)
    record(_section(attacked.endpoint), attacks=1, sdk_attacks=1, accepted=0)


@pytest.mark.parametrize("sdk", ["tea-v3", "tea-v1", "core"])
def test_sdks_with_a_ram_users_key(attacked: LiveCloud, sdk: str) -> None:
    """A RAM user acts on its main account's resources, and on no one else's."""
    ram = _sdk_calls(attacked, RAM_KEY)[sdk]
    other = _sdk_calls(attacked, KEYS[ACCOUNT_B])[sdk]
    mine = ram("CreateVpc", {"VpcName": f"ram-{uuid.uuid4().hex[:8]}"})["VpcId"]
    owner = _sdk_calls(attacked, KEYS[ACCOUNT_A])[sdk]
    assert owner("DescribeVpcAttribute", {"VpcId": mine})["OwnerId"] == int(ACCOUNT_A)
    ram("ModifyVpcAttribute", {"VpcId": mine, "VpcName": "renamed-by-ram"})
    theirs = other("CreateVpc", {"VpcName": f"b-{uuid.uuid4().hex[:8]}"})["VpcId"]
    for action, params in (
        ("DescribeVpcAttribute", {"VpcId": theirs}),
        ("ModifyVpcAttribute", {"VpcId": theirs, "VpcName": "stolen"}),
        ("DeleteVpc", {"VpcId": theirs}),
    ):
        code, status = _sdk_error(lambda a=action, p=params: ram(a, p))
        assert (code, status) == ("InvalidVpcID.NotFound", 404)
        record(_section(attacked.endpoint), attacks=1, sdk_attacks=1, accepted=0)
    assert other("DescribeVpcAttribute", {"VpcId": theirs})["VpcName"].startswith("b-")
    ram("DeleteVpc", {"VpcId": mine})
    other("DeleteVpc", {"VpcId": theirs})
