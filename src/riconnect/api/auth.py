"""Request authentication: V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256, ACS3-HMAC-SM3) signatures.

Transport-agnostic: the gateway reads an HTTP request into a :class:`SignedRequest` (its
``Request``) and calls :func:`authenticate`, which returns the caller's :class:`Principal` or raises
:class:`ApiError`.  Algorithms: Alibaba Cloud's signature documentation, V1
https://www.alibabacloud.com/help/doc-detail/127287.htm and V3
https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature.

Checks run in a fixed order, so the error a client sees does not depend on timing:

1. parse: algorithm, AccessKey id, signature, nonce present, no STS token, V3 signed-header rules;
2. AccessKey lookup (``InvalidAccessKeyId.NotFound`` / ``.Inactive``);
3. timestamp within 15 minutes of the server clock (``IllegalTimestamp``);
4. signature (``SignatureDoesNotMatch``, whose message carries the server's string-to-sign
   after a ``:`` because aliyun-python-sdk-core parses it);
5. nonce not used before (``SignatureNonceUsed``); recorded only now, so a forged request
   cannot burn a legitimate client's nonce.

What the signature covers, and therefore what callers may trust:

* V1 signs every query and form parameter, the HTTP method and nothing else: no header and
  not the path (the string-to-sign always says ``/``).  For V1 requests take ``Action`` and
  ``Version`` from the parameters, never from the unsigned ``x-acs-action``/``x-acs-version``
  headers that the SDKs also send.
* V3 signs the method, path, query, the headers listed in ``SignedHeaders`` and the body (by
  its hash).  ``ACS3-HMAC-SM3`` is the same scheme with SM3 (api/sm3.py) in place of SHA-256
  for both hashes and the HMAC; the body hash comes in ``x-acs-content-sha256`` whatever the
  algorithm (as Alibaba's SDKs send it), or ``x-acs-content-sm3``.  :func:`authenticate` insists that ``host``, ``x-acs-date``,
  ``x-acs-signature-nonce``, every ``x-acs-*`` header present and, with a body,
  ``content-type`` are among them, so every header the server acts on is covered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from riconnect.api import sm3
from riconnect.api.nonces import TIMESTAMP_WINDOW_SECONDS, NonceCache, nonce_key
from riconnect.domain.accounts import AccessKey, AccountRegistry, Principal
from riconnect.domain.clock import Clock, iso8601, parse_iso8601
from riconnect.domain.errors import ApiError

__all__ = [
    "EMPTY_BODY_SHA256",
    "TIMESTAMP_WINDOW_SECONDS",
    "V3_ALGORITHM",
    "V3_ALGORITHMS",
    "V3_SM3",
    "SignedRequest",
    "authenticate",
    "collect_headers",
    "pct",
    "sign_v1",
    "sign_v3",
    "v1_signature",
    "v1_string_to_sign",
    "v3_canonical_request",
    "v3_signature",
    "v3_string_to_sign",
]

V3_ALGORITHM = "ACS3-HMAC-SHA256"
V3_SM3 = "ACS3-HMAC-SM3"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()


def _sha256(data: bytes = b"") -> Any:
    return hashlib.sha256(data)


# The V3 algorithms riconnect verifies, and the hash each one uses (hashlib-style
# constructors, usable as hmac digestmod).  ACS3-RSA-SHA256 needs a key pair, not an
# AccessKey secret, and is refused.
V3_ALGORITHMS: dict[str, Callable[..., Any]] = {V3_ALGORITHM: _sha256, V3_SM3: sm3.new}


def payload_hash(body: bytes, algorithm: str = V3_ALGORITHM) -> str:
    """hex(hash(body)) with the algorithm's hash: V3's HashedRequestPayload."""
    return str(V3_ALGORITHMS[algorithm](body).hexdigest())


_V1_METHOD = "HMAC-SHA1"
_V1_VERSION = "1.0"
# Parameters that steer V1 verification; each may appear at most once (see _v1_fields).
_V1_CONTROL = frozenset(
    {
        "Signature",
        "AccessKeyId",
        "Timestamp",
        "SignatureNonce",
        "SignatureMethod",
        "SignatureVersion",
        "SecurityToken",
    }
)
# Headers a V3 request must sign whatever else it signs.  Were they left out, a captured
# request could be replayed with them changed: a fresh x-acs-date and x-acs-signature-nonce
# would defeat the timestamp window and the nonce check, and host would no longer bind the
# request to this endpoint.  (Every x-acs-* header present must be signed too; naming these
# three also covers requests that omit them.)
_V3_ALWAYS_SIGNED = ("host", "x-acs-date", "x-acs-signature-nonce")
_HEX64_RE = re.compile(r"[0-9a-fA-F]{64}", re.ASCII)
_HEADER_NAME_RE = re.compile(r"[a-z0-9!#$%&'*+.^_`|~-]+", re.ASCII)
_UNRESERVED_RE = re.compile(r"[A-Za-z0-9_.~-]*", re.ASCII)


@dataclass(frozen=True)
class SignedRequest:
    """What authentication needs from an HTTP request, already decoded by the transport."""

    method: str  # "POST" / "GET"
    path: str  # raw path, "/" for RPC
    query: list[tuple[str, str]]  # decoded pairs ('+' is a space), blanks kept, order kept
    form: list[tuple[str, str]]  # decoded form-body pairs; empty unless x-www-form-urlencoded
    body: bytes  # raw body bytes, for the V3 payload hash
    headers: Mapping[str, str]  # lower-case names; repeated headers joined, see collect_headers


# -- canonical forms and signatures (shared by server and client) ---------------------------


def pct(value: str) -> str:
    """RFC 3986 percent-encoding of UTF-8: only A-Z a-z 0-9 - _ . ~ stay literal."""
    if _UNRESERVED_RE.fullmatch(value):  # most names and values: skip quote()'s slow path
        return value
    return quote(value, safe="~", encoding="utf-8", errors="replace")


def _canonical_pairs(pairs: Iterable[tuple[str, str]]) -> str:
    return "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(pairs))


def v1_string_to_sign(method: str, params: Iterable[tuple[str, str]]) -> str:
    """``METHOD&%2F&pct(canonical query)`` over every parameter except ``Signature``."""
    canonical = _canonical_pairs(p for p in params if p[0] != "Signature")
    # pct() of a string made of pct() output, '=' and '&': these three are all it changes.
    encoded = canonical.replace("%", "%25").replace("=", "%3D").replace("&", "%26")
    return f"{method}&%2F&{encoded}"


def v1_signature(string_to_sign: str, secret: str) -> str:
    """base64(HMAC-SHA1(secret + "&", string_to_sign))."""
    mac = hmac.new((secret + "&").encode(), string_to_sign.encode("utf-8", "replace"), "sha1")
    return base64.b64encode(mac.digest()).decode("ascii")


def v3_canonical_request(
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    payload_hash: str,
) -> str:
    """The V3 canonical request.  ``headers`` has lower-case names and must contain every
    name in ``signed_headers``; the SignedHeaders line repeats ``signed_headers`` verbatim."""
    canonical_headers = "".join(
        f"{name}:{headers[name].strip()}\n" for name in sorted(h.lower() for h in signed_headers)
    )
    return (
        f"{method}\n{path}\n{_canonical_pairs(query)}\n{canonical_headers}\n"
        f"{';'.join(signed_headers)}\n{payload_hash}"
    )


def v3_string_to_sign(canonical_request: str, algorithm: str = V3_ALGORITHM) -> str:
    digest = payload_hash(canonical_request.encode("utf-8", "replace"), algorithm)
    return f"{algorithm}\n{digest}"


def v3_signature(string_to_sign: str, secret: str, algorithm: str = V3_ALGORITHM) -> str:
    """hex(HMAC-<hash>(secret, string_to_sign)); no "&" on the key, unlike V1."""
    digestmod = V3_ALGORITHMS[algorithm]
    return hmac.new(secret.encode(), string_to_sign.encode(), digestmod).hexdigest()


# -- helpers for the transport and for clients ----------------------------------------------


def collect_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """ASGI header pairs -> ``SignedRequest.headers``: lower-case names, values trimmed, a
    repeated header's values sorted and joined with ',' (the V3 canonical form)."""
    values: dict[str, list[str]] = {}
    for name, value in raw:
        values.setdefault(name.decode("latin-1").lower(), []).append(
            _decode_header_value(value).strip()
        )
    return {n: v[0] if len(v) == 1 else ",".join(sorted(v)) for n, v in values.items()}


def _decode_header_value(value: bytes) -> str:
    # Go clients send UTF-8 bytes, Python's http.client sends Latin-1; either way the client
    # signed the text it meant, so decode the way that reproduces it.
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def sign_v1(
    method: str,
    params: Iterable[tuple[str, str]],
    access_key_id: str,
    secret: str,
    *,
    timestamp: float | None = None,
    nonce: str | None = None,
) -> list[tuple[str, str]]:
    """Client side: ``params`` (query and form together; V1 signs both alike) plus any missing
    AccessKeyId, SignatureMethod, SignatureVersion, Timestamp, SignatureNonce, plus Signature.
    Split the result between URL and body as you like; send ``Signature`` in either."""
    out = [p for p in params if p[0] != "Signature"]
    present = {k for k, _ in out}
    defaults = (
        ("AccessKeyId", access_key_id),
        ("SignatureMethod", _V1_METHOD),
        ("SignatureVersion", _V1_VERSION),
        ("Timestamp", iso8601(time.time() if timestamp is None else timestamp)),
        ("SignatureNonce", nonce or uuid.uuid4().hex),
    )
    out.extend((k, v) for k, v in defaults if k not in present)
    out.append(("Signature", v1_signature(v1_string_to_sign(method, out), secret)))
    return out


def sign_v3(
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    access_key_id: str,
    secret: str,
    *,
    timestamp: float | None = None,
    nonce: str | None = None,
    signed_headers: Sequence[str] | None = None,
    algorithm: str = V3_ALGORITHM,
) -> dict[str, str]:
    """Client side: the headers to send (lower-case names) with x-acs-date,
    x-acs-signature-nonce and x-acs-content-sha256 added when missing, and Authorization.
    ``headers`` must include ``host``.  By default every header is signed, as the Python SDK
    does; pass ``signed_headers`` to sign a subset."""
    out = {k.lower(): v for k, v in headers.items() if k.lower() != "authorization"}
    if "host" not in out:
        raise ValueError("sign_v3 needs a 'host' header")
    hashed = payload_hash(body, algorithm)
    out.setdefault("x-acs-date", iso8601(time.time() if timestamp is None else timestamp))
    out.setdefault("x-acs-signature-nonce", nonce or uuid.uuid4().hex)
    out.setdefault("x-acs-content-sha256", hashed)
    names = sorted(out) if signed_headers is None else [h.lower() for h in signed_headers]
    canonical = v3_canonical_request(method, path, query, out, names, hashed)
    signature = v3_signature(v3_string_to_sign(canonical, algorithm), secret, algorithm)
    out["authorization"] = (
        f"{algorithm} Credential={access_key_id},SignedHeaders={';'.join(names)},"
        f"Signature={signature}"
    )
    return out


# -- verification ----------------------------------------------------------------------------


def authenticate(
    req: SignedRequest, registry: AccountRegistry, clock: Clock, nonces: NonceCache
) -> Principal:
    """Verify ``req``'s signature and return who signed it; raises :class:`ApiError`."""
    authorization = req.headers.get("authorization", "")
    algorithm = authorization.split(" ", 1)[0]
    if algorithm in V3_ALGORITHMS:
        return _authenticate_v3(req, authorization, registry, clock, nonces)
    if any(k == "Signature" for k, _ in req.query) or any(k == "Signature" for k, _ in req.form):
        return _authenticate_v1(req, registry, clock, nonces)
    if authorization.startswith("ACS3-"):
        # ACS3-RSA-SHA256: real, but it signs with a key pair, not an AccessKey secret.
        raise ApiError(
            "IncompleteSignature",
            detail=f"Signature algorithm {algorithm[:40]!r} is not supported; "
            f"use {V3_ALGORITHM}, {V3_SM3} or HMAC-SHA1.",
        )
    raise ApiError("MissingSignature")


def _authenticate_v1(
    req: SignedRequest, registry: AccountRegistry, clock: Clock, nonces: NonceCache
) -> Principal:
    params = [*req.query, *req.form]
    fields = _v1_fields(params)
    _reject_security_token(fields.get("SecurityToken"), req.headers)
    if fields.get("SignatureMethod") != _V1_METHOD:
        raise _incomplete(f'SignatureMethod must be "{_V1_METHOD}".')
    if fields.get("SignatureVersion") != _V1_VERSION:
        raise _incomplete(f'SignatureVersion must be "{_V1_VERSION}".')
    access_key_id = fields.get("AccessKeyId")
    if not access_key_id:
        raise _incomplete('The parameter "AccessKeyId" is missing.')
    nonce = fields.get("SignatureNonce")
    if not nonce:
        raise ApiError("MissingSignatureNonce")

    key, principal = _lookup(registry, access_key_id)
    now = clock.now()
    _check_timestamp(fields.get("Timestamp"), now, "Timestamp")

    string_to_sign = v1_string_to_sign(req.method, params)
    expected = v1_signature(string_to_sign, key.secret)
    if not hmac.compare_digest(expected.encode(), fields["Signature"].encode("utf-8", "replace")):
        raise ApiError("SignatureDoesNotMatch", string_to_sign=string_to_sign)

    _record_nonce(nonces, access_key_id, nonce, now)
    return principal


def _v1_fields(params: list[tuple[str, str]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for k, v in params:
        if k in _V1_CONTROL:
            if k in fields:
                # Two AccessKeyIds or Timestamps would leave open which one was meant.
                raise _incomplete(f'The parameter "{k}" appears more than once.')
            fields[k] = v
    return fields


def _authenticate_v3(
    req: SignedRequest,
    authorization: str,
    registry: AccountRegistry,
    clock: Clock,
    nonces: NonceCache,
) -> Principal:
    algorithm, access_key_id, signed_headers, signature = _parse_authorization(authorization)
    headers = req.headers
    params = (*req.query, *req.form)
    security_token = next((v for k, v in params if k == "SecurityToken" and v), None)
    _reject_security_token(security_token, headers)
    nonce = headers.get("x-acs-signature-nonce", "")
    if not nonce:
        raise ApiError("MissingSignatureNonce")

    signed = {h.lower() for h in signed_headers}
    must_sign = [h for h in _V3_ALWAYS_SIGNED if h not in signed]
    must_sign += sorted(h for h in headers if h.startswith("x-acs-") and h not in signed)
    if req.body and "content-type" in headers and "content-type" not in signed:
        # content-type decides whether the body is read as parameters.
        must_sign.append("content-type")
    if must_sign:
        raise _incomplete(f"SignedHeaders must include: {', '.join(must_sign)}.")
    # x-acs-date is left to the timestamp check, which reports it as IllegalTimestamp.
    absent = sorted(h for h in signed if h not in headers and h != "x-acs-date")
    if absent:
        raise _incomplete(f"Signed headers missing from the request: {', '.join(absent)}.")

    key, principal = _lookup(registry, access_key_id)
    now = clock.now()
    _check_timestamp(headers.get("x-acs-date"), now, "x-acs-date")

    hashed = payload_hash(req.body, algorithm)
    canonical = v3_canonical_request(
        req.method, req.path, req.query, headers, signed_headers, hashed
    )
    string_to_sign = v3_string_to_sign(canonical, algorithm)
    declared = headers.get("x-acs-content-sha256", headers.get("x-acs-content-sm3"))
    expected = v3_signature(string_to_sign, key.secret, algorithm)
    body_ok = declared is None or declared.lower() == hashed
    if not (hmac.compare_digest(expected, signature) and body_ok):
        raise ApiError("SignatureDoesNotMatch", string_to_sign=string_to_sign)

    _record_nonce(nonces, access_key_id, nonce, now)
    return principal


def _parse_authorization(value: str) -> tuple[str, str, list[str], str]:
    """``ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`` -> (algorithm,
    AccessKey id, signed headers, signature)."""
    algorithm, _, rest = value.partition(" ")
    if algorithm not in V3_ALGORITHMS or not rest.strip():
        raise _incomplete(
            f"Authorization must be '{V3_ALGORITHM} Credential=...,"
            "SignedHeaders=...,Signature=...'."
        )
    parts: dict[str, str] = {}
    for item in rest.split(","):
        name, eq, val = item.strip().partition("=")
        if not eq or name not in ("Credential", "SignedHeaders", "Signature") or name in parts:
            raise _incomplete(f"Unexpected Authorization component {item.strip()[:40]!r}.")
        parts[name] = val.strip()
    missing = [n for n in ("Credential", "SignedHeaders", "Signature") if not parts.get(n)]
    if missing:
        raise _incomplete(f"Authorization lacks {', '.join(missing)}.")
    signed_headers = parts["SignedHeaders"].split(";")
    lowered = [h.lower() for h in signed_headers]
    if not all(_HEADER_NAME_RE.fullmatch(h) for h in lowered) or len(set(lowered)) != len(lowered):
        raise _incomplete("SignedHeaders must be distinct header names separated by ';'.")
    if not _HEX64_RE.fullmatch(parts["Signature"]):
        raise _incomplete("Signature must be 64 hexadecimal digits.")
    return algorithm, parts["Credential"], signed_headers, parts["Signature"].lower()


def _reject_security_token(param: str | None, headers: Mapping[str, str]) -> None:
    # An STS token would name a temporary identity riconnect cannot resolve; saying so beats
    # silently treating the call as the AccessKey owner's.
    if param or headers.get("x-acs-security-token"):
        raise ApiError("InvalidSecurityToken.NotSupported")


def _lookup(registry: AccountRegistry, access_key_id: str) -> tuple[AccessKey, Principal]:
    found = registry.lookup(access_key_id)
    if found is None:
        raise ApiError("InvalidAccessKeyId.NotFound")
    if not found[0].active:
        raise ApiError("InvalidAccessKeyId.Inactive")
    return found


def _check_timestamp(value: str | None, now: float, name: str) -> None:
    if not value:
        raise ApiError("IllegalTimestamp", detail=f"{name} is missing.")
    try:
        stamp = parse_iso8601(value)
    except ValueError:
        raise ApiError(
            "IllegalTimestamp",
            detail=f"{name} {value[:40]!r} is not in the format YYYY-MM-DDThh:mm:ssZ (UTC).",
        ) from None
    if abs(stamp - now) > TIMESTAMP_WINDOW_SECONDS:
        raise ApiError(
            "IllegalTimestamp",
            detail=f"{name} {value} is more than 15 minutes away from the server time "
            f"{iso8601(now)}.",
        )


def _record_nonce(nonces: NonceCache, access_key_id: str, nonce: str, now: float) -> None:
    if not nonces.check_and_add(nonce_key(access_key_id, nonce), now):
        raise ApiError("SignatureNonceUsed")


def _incomplete(detail: str) -> ApiError:
    return ApiError("IncompleteSignature", detail=detail)
