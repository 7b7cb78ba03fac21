"""Who may use /riconnect/: a bearer token when the server has one; loopback clients only
when it has none; never a signed OpenAPI request as such; never a cross-site browser request
that changes something.  Non-loopback clients are simulated in-process (the ASGI scope's
client address): no test sends traffic to an address outside this machine's loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest

from riconnect.api.app import App
from riconnect.api.auth import sign_v1, sign_v3
from riconnect.api.config import ServerConfig
from riconnect.api.runtime import build_cloud
from riconnect.domain.clock import SystemClock
from riconnect.testing import LiveCloud, invoke
from tests.support.operator import DEMO, ENVELOPE, OPERATOR_PATHS, http, ok, vpc

TOKEN = "s3cret-Admin.Token_0123"
OUTSIDE = ("203.0.113.9", 40000)  # TEST-NET-3: never contacted, only written into the scope


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCloud]:
    """A live server with an admin token (given the recommended way: the variable)."""
    workdir = tmp_path_factory.mktemp("guarded")
    with LiveCloud(workdir=workdir, env={"RICONNECT_ADMIN_TOKEN": TOKEN}) as cloud:
        yield cloud


@pytest.fixture(scope="module")
def open_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCloud]:
    with LiveCloud(workdir=tmp_path_factory.mktemp("loopback")) as cloud:
        yield cloud


def _refused(response: httpx.Response, code: str) -> None:
    assert response.status_code == 403, (response.status_code, response.text)
    body = response.json()
    assert set(body) == ENVELOPE
    assert body["Code"] == code
    assert response.headers["x-acs-request-id"] == body["RequestId"]


# -- with a token, over real HTTP ---------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), OPERATOR_PATHS)
def test_with_a_token_every_path_but_health_needs_it(
    guarded: LiveCloud, method: str, path: str
) -> None:
    _refused(http(guarded, method, path), "Forbidden.AdminToken")
    _refused(
        http(guarded, method, path, headers={"Authorization": "Bearer wrong-token"}),
        "Forbidden.AdminToken",
    )
    _refused(http(guarded, method, path, headers={"Authorization": TOKEN}), "Forbidden.AdminToken")


def test_with_a_token_the_right_bearer_opens_everything(guarded: LiveCloud) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert http(guarded, "GET", "/riconnect/health").status_code == 200  # no token needed
    for path in ("status", "state", "requests", "settings", "snapshot", "console/"):
        assert http(guarded, "GET", f"/riconnect/{path}", headers=bearer).status_code == 200
    assert http(guarded, "POST", "/riconnect/reset", headers=bearer).status_code == 200
    # The CLI's and the fixtures' client picks the token up from LiveCloud's env.
    assert guarded.operator.status()["AdminToken"] is True


def test_a_browser_logs_in_once_with_the_token_in_the_url(guarded: LiveCloud) -> None:
    with httpx.Client(trust_env=False, base_url=guarded.url) as browser:
        _refused(browser.get("/riconnect/console/?token=nope"), "Forbidden.AdminToken")
        login = browser.get(f"/riconnect/console/?token={TOKEN}")
        assert login.status_code == 303 and login.headers["location"] == "/riconnect/console/"
        cookie = login.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/riconnect/" in cookie
        # The cookie now stands for the token, for the page and for the data it polls.
        assert browser.get("/riconnect/console/").status_code == 200
        assert browser.get("/riconnect/state").status_code == 200
    with httpx.Client(trust_env=False, base_url=guarded.url) as stranger:
        stranger.cookies.set("riconnect_admin_token", "guess", path="/riconnect/")
        _refused(stranger.get("/riconnect/state"), "Forbidden.AdminToken")


# -- without a token, over real HTTP: loopback is enough ---------------------------------------


def test_without_a_token_loopback_clients_use_everything(open_cloud: LiveCloud) -> None:
    for path in ("status", "state", "requests", "settings", "snapshot", "console/"):
        assert http(open_cloud, "GET", f"/riconnect/{path}").status_code == 200, path
    assert ok(open_cloud, "POST", "/riconnect/reset")["Deleted"] is not None


def test_changes_from_another_site_in_a_browser_are_refused(open_cloud: LiveCloud) -> None:
    made = vpc(open_cloud, DEMO, "cn-hangzhou", "10.0.0.0/16")
    for headers in (
        {"Origin": "http://evil.example"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"},
        {"Origin": "null"},
    ):
        _refused(
            http(open_cloud, "POST", "/riconnect/reset", headers=headers), "Forbidden.CrossSite"
        )
        _refused(
            http(open_cloud, "PUT", "/riconnect/settings", json={"VpcQuota": 1}, headers=headers),
            "Forbidden.CrossSite",
        )
    state = ok(open_cloud, "GET", "/riconnect/state", headers={"Origin": "http://evil.example"})
    assert state["Counts"]["Vpcs"] >= 1  # reading is harmless; nothing was reset
    assert ok(open_cloud, "GET", "/riconnect/settings")["Overrides"] == {}
    # The console's own requests (same origin) pass.
    same = {"Origin": open_cloud.url, "Sec-Fetch-Site": "same-origin"}
    assert http(open_cloud, "POST", "/riconnect/reset", headers=same).status_code == 200
    assert made["VpcId"] not in str(ok(open_cloud, "GET", "/riconnect/state"))


# -- from elsewhere, simulated in-process --------------------------------------------------------


def _app(**config: Any) -> App:
    cloud = build_cloud(ServerConfig(db=":memory:", threads=2, **config), clock=SystemClock())
    return App(cloud)


def _send(
    app: App, method: str, path: str, client: tuple[str, int], **kwargs: Any
) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=client)
        async with httpx.AsyncClient(transport=transport, base_url="http://riconnect.test") as c:
            return await c.request(method, path, **kwargs)

    return asyncio.run(go())


@pytest.fixture
def inprocess() -> Iterator[App]:
    app = _app()
    yield app
    app.cloud.close()


@pytest.mark.parametrize(("method", "path"), OPERATOR_PATHS)
def test_without_a_token_other_addresses_are_refused(
    inprocess: App, method: str, path: str
) -> None:
    _refused(_send(inprocess, method, path, OUTSIDE), "Forbidden.LoopbackOnly")
    _refused(_send(inprocess, method, path, ("2001:db8::7", 1)), "Forbidden.LoopbackOnly")
    # A bearer header is no way around it when the server has no token.
    refused = _send(inprocess, method, path, OUTSIDE, headers={"Authorization": f"Bearer {TOKEN}"})
    _refused(refused, "Forbidden.LoopbackOnly")


@pytest.mark.parametrize(
    "client", [("127.0.0.1", 1), ("127.8.9.10", 1), ("::1", 1), ("::ffff:127.0.0.1", 1)]
)
def test_without_a_token_every_loopback_form_is_let_in(
    inprocess: App, client: tuple[str, int]
) -> None:
    assert _send(inprocess, "GET", "/riconnect/state", client).status_code == 200


def test_health_answers_everyone(inprocess: App) -> None:
    assert _send(inprocess, "GET", "/riconnect/health", OUTSIDE).status_code == 200


def test_with_a_token_other_addresses_get_in_with_it() -> None:
    app = _app(admin_token=TOKEN)
    try:
        _refused(_send(app, "GET", "/riconnect/state", OUTSIDE), "Forbidden.AdminToken")
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        assert _send(app, "GET", "/riconnect/state", OUTSIDE, headers=bearer).status_code == 200
        # Loopback is no exemption once a token is set.
        _refused(_send(app, "GET", "/riconnect/state", ("127.0.0.1", 1)), "Forbidden.AdminToken")
    finally:
        app.cloud.close()


def test_a_signed_openapi_request_is_no_credential_for_the_operator_surface(inprocess: App) -> None:
    made = invoke(inprocess, "CreateVpc", {"RegionId": "cn-hangzhou"})
    now = inprocess.cloud.clock.now()
    # A correctly signed V1 request aimed at /riconnect/reset from elsewhere: refused.
    signed = sign_v1(
        "POST",
        [("Action", "DescribeVpcs"), ("Version", "2016-04-28"), ("RegionId", "cn-hangzhou")],
        DEMO.id,
        DEMO.secret,
        timestamp=now,
    )
    query = urlencode(signed, quote_via=quote)
    _refused(
        _send(inprocess, "POST", f"/riconnect/reset?{query}", OUTSIDE), "Forbidden.LoopbackOnly"
    )
    # The same with V3 headers naming an operator-sounding action.
    headers = sign_v3(
        "POST",
        "/riconnect/reset",
        [],
        {"host": "riconnect.test", "x-acs-action": "Reset", "x-acs-version": "2016-04-28"},
        b"",
        DEMO.id,
        DEMO.secret,
        timestamp=now,
    )
    _refused(
        _send(inprocess, "POST", "/riconnect/reset", OUTSIDE, headers=headers),
        "Forbidden.LoopbackOnly",
    )
    # Through the gateway no action reaches the operator's functions.
    for action in ("Reset", "State", "LoadSnapshot", "PutSettings"):
        response = _send(
            inprocess,
            "POST",
            f"/?{urlencode(sign_v1('POST', [('Action', action), ('Version', '2016-04-28')], DEMO.id, DEMO.secret, timestamp=now), quote_via=quote)}",
            OUTSIDE,
        )
        assert response.status_code == 404 and response.json()["Code"] == "InvalidAction.NotFound"
    listed = invoke(inprocess, "DescribeVpcs", {"RegionId": "cn-hangzhou"})
    assert [v["VpcId"] for v in listed["Vpcs"]["Vpc"]] == [made["VpcId"]]  # nothing was reset
