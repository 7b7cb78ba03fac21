"""ACS3-HMAC-SM3: the SM3 hash against the standard's examples (both implementations), the
V3 scheme with SM3 verified end to end, and what must fail.  The official Python SDK signing
with SM3 against a live server is in tests/sdk/test_sm3_sdk.py."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import replace

import pytest

from riconnect.api import sm3
from riconnect.api.auth import (
    V3_SM3,
    SignedRequest,
    authenticate,
    payload_hash,
    sign_v3,
    v3_canonical_request,
)
from riconnect.api.nonces import MemoryNonceCache
from riconnect.domain.accounts import AccessKey, Account, AccountRegistry
from riconnect.domain.clock import FakeClock
from riconnect.domain.errors import ApiError

# GB/T 32905-2016, appendix A: "abc" and "abcd" x 16.
VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]
NOW = 1_800_000_000.0
REGISTRY = AccountRegistry([Account("1234567890123456", access_keys=(AccessKey("ak", "sk"),))])
FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(("data", "digest"), VECTORS)
def test_sm3_standard_examples(data: bytes, digest: str) -> None:
    assert sm3.Sm3(data).hexdigest() == digest
    assert sm3.new(data).hexdigest() == digest


def test_pure_sm3_matches_openssl_on_every_padding_boundary() -> None:
    try:
        hashlib.new("sm3")
    except ValueError:
        pytest.skip("this Python's OpenSSL has no SM3 to compare with")
    for size in (0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000):
        data = os.urandom(size)
        assert sm3.Sm3(data).hexdigest() == hashlib.new("sm3", data).hexdigest(), size
    split = sm3.Sm3(b"ab")
    split.update(b"c")
    assert split.copy().hexdigest() == VECTORS[0][1]
    assert (
        hmac.new(b"key", b"message", sm3.Sm3).hexdigest()
        == hmac.new(b"key", b"message", lambda d=b"": hashlib.new("sm3", d)).hexdigest()
    )


def _signed(body: bytes = b"", **kw: object) -> SignedRequest:
    query = [("RegionId", "cn-hangzhou")]
    headers = {"host": "127.0.0.1:18080", "x-acs-action": "DescribeVpcs", "content-type": FORM}
    signed = sign_v3("POST", "/", query, headers, body, "ak", "sk", timestamp=NOW, **kw)  # type: ignore[arg-type]
    return SignedRequest("POST", "/", query, [], body, signed)


def _auth(req: SignedRequest) -> str:
    try:
        return authenticate(req, REGISTRY, FakeClock(NOW), MemoryNonceCache()).account_id
    except ApiError as err:
        return err.code


def test_an_sm3_signed_request_is_accepted() -> None:
    req = _signed(b"VpcName=a", algorithm=V3_SM3)
    assert req.headers["authorization"].startswith("ACS3-HMAC-SM3 Credential=ak,")
    # The body hash is SM3's, in the header Alibaba's SDKs use for every algorithm.
    assert req.headers["x-acs-content-sha256"] == sm3.new(b"VpcName=a").hexdigest()
    assert _auth(req) == "1234567890123456"


def test_the_sm3_signature_by_hand() -> None:
    """Rebuilt from the documented steps, not from sign_v3: canonical request, SM3 of it,
    HMAC-SM3 with the secret."""
    req = _signed(algorithm=V3_SM3)
    names = sorted(h for h in req.headers if h != "authorization")
    canonical = v3_canonical_request(
        "POST", "/", req.query, req.headers, names, sm3.new(b"").hexdigest()
    )
    to_sign = "ACS3-HMAC-SM3\n" + sm3.new(canonical.encode()).hexdigest()
    signature = hmac.new(b"sk", to_sign.encode(), sm3.new).hexdigest()
    assert req.headers["authorization"].endswith(f"Signature={signature}")
    assert payload_hash(b"", V3_SM3) == sm3.new(b"").hexdigest() != payload_hash(b"")


def test_sm3_and_sha256_signatures_are_not_interchangeable() -> None:
    sha = _signed()
    relabelled = sha.headers["authorization"].replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3")
    assert _auth(replace(sha, headers={**sha.headers, "authorization": relabelled})) == (
        "SignatureDoesNotMatch"
    )
    sm = _signed(b"VpcName=a", algorithm=V3_SM3)
    assert _auth(replace(sm, body=b"VpcName=b")) == "SignatureDoesNotMatch"
    wrong_secret = sign_v3(
        "POST", "/", sm.query, {"host": "h"}, b"", "ak", "x", timestamp=NOW, algorithm=V3_SM3
    )
    assert _auth(SignedRequest("POST", "/", sm.query, [], b"", wrong_secret)) == (
        "SignatureDoesNotMatch"
    )
