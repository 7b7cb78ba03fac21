"""Who may use the operator surface.

Everything under ``/riconnect/`` except ``health`` passes :func:`refusal` first:

* with an admin token (``--admin-token`` / ``RICONNECT_ADMIN_TOKEN``): the request must
  carry ``Authorization: Bearer <token>``, or the console's cookie holding the same token
  (set by opening ``/riconnect/console/?token=<token>`` once, so that a browser, which
  cannot add a header to a page load, can use the console); from any address;
* without one: only loopback clients (127.0.0.0/8, ::1; a Unix socket), whatever they send.

Requests that change something (any method but GET and HEAD) and that a browser marks as
cross-site are refused as well, so a web page the developer happens to visit cannot reset
a local cloud behind their back.  A signed OpenAPI request gets nothing here: the
gateway serves ``/`` only, and no signature is a credential for these paths.

Behind a reverse proxy on the same machine every client looks local: set a token there.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from riconnect.domain.errors import ApiError

COOKIE = "riconnect_admin_token"
SAFE_METHODS = ("GET", "HEAD")


def is_loopback(client: Any) -> bool:
    """True for a loopback peer address; ``None`` (a Unix socket) is local too."""
    if client is None:
        return True
    try:
        address = ipaddress.ip_address(str(client[0]).split("%", 1)[0])
    except (ValueError, IndexError, TypeError):
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def presented_token(headers: Mapping[str, str]) -> str | None:
    """The token a request carries: the bearer header, else the console's cookie."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    raw = headers.get("cookie")
    if raw:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(raw)
        except CookieError:
            return None
        morsel = jar.get(COOKIE)
        if morsel is not None and morsel.value:
            return morsel.value
    return None


def token_matches(presented: str | None, token: str) -> bool:
    return presented is not None and hmac.compare_digest(presented.encode(), token.encode())


def cross_site(headers: Mapping[str, str]) -> bool:
    """A browser's request from another site (``Sec-Fetch-Site``, else ``Origin`` vs
    ``Host``).  Programs such as the CLI send neither header."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == "null":
        return True
    return urlsplit(origin).netloc.lower() != headers.get("host", "").lower()


def refusal(client: Any, method: str, headers: Mapping[str, str], token: str) -> ApiError | None:
    """Why this request may not use the operator surface, or None when it may."""
    if token:
        if not token_matches(presented_token(headers), token):
            return ApiError("Forbidden.AdminToken")
    elif not is_loopback(client):
        return ApiError("Forbidden.LoopbackOnly")
    if method not in SAFE_METHODS and cross_site(headers):
        return ApiError("Forbidden.CrossSite")
    return None
