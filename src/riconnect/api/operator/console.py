"""The web console at ``/riconnect/console/``: static files shipped in the package
(api/operator/static/, no build step), which draw everything from the operator's JSON paths
(``state``, ``requests``, ``status``) in the browser.  Nothing is fetched from outside: the
Content-Security-Policy allows this origin only.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from riconnect.api.operator import guard
from riconnect.api.operator.endpoints import Call, RawAnswer
from riconnect.api.render import Answer
from riconnect.api.runtime import CloudRuntime
from riconnect.domain.errors import ApiError

CONSOLE = "/riconnect/console/"
TYPES = {
    ".html": "text/html;charset=utf-8",
    ".js": "text/javascript;charset=utf-8",
    ".css": "text/css;charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@cache
def _file(name: str) -> bytes | None:
    """A static file's bytes, or None when the console has no such file."""
    if "/" in name or name.startswith(".") or not any(name.endswith(s) for s in TYPES):
        return None
    try:
        return resources.files("riconnect.api.operator").joinpath("static", name).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None


def serve(call: Call) -> Answer:
    name = call.path.removeprefix(CONSOLE) or "index.html"
    content = _file(name)
    if content is None:
        raise ApiError("InvalidPath", path=call.path[:200])
    suffix = name[name.rindex(".") :]
    return RawAnswer(200, {}, headers=dict(HEADERS), content=content, content_type=TYPES[suffix])


def redirect(call: Call) -> Answer:
    return RawAnswer(308, {}, headers={"location": CONSOLE}, content=b"")


def login(cloud: CloudRuntime, presented: str) -> Answer:
    """``/riconnect/console/?token=T`` on a server with a token: with the right one, a
    cookie holding it (strict same-site, unreadable by scripts) and a redirect that takes
    the token out of the URL."""
    token = cloud.config.admin_token
    if not guard.token_matches(presented, token):
        raise ApiError("Forbidden.AdminToken")
    cookie = f"{guard.COOKIE}={token}; Path=/riconnect/; HttpOnly; SameSite=Strict"
    return RawAnswer(303, {}, headers={"location": CONSOLE, "set-cookie": cookie}, content=b"")
