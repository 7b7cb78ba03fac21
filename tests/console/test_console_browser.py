"""The web console in a real browser: Debian's headless Chromium, driven by Playwright (never
a browser Playwright downloads).  The page shows a pair the SDK connects as Active without a
reload, and the screenshot shows it: its pixels are inspected for the Active colour.

Skips with "outside tool: ..." where Chromium is not installed (CI installs it: .ci/run).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_vpc20160428 import models as vm
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from riconnect.testing import LiveCloud, invoke, vpc_client

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ACTIVE = (0x1A, 0x9C, 0x3E)  # console.js: COLOURS.Active
HZ, SH = "cn-hangzhou", "cn-shanghai"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="outside tool: chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def cloud(tmp_path: Path, accounts_file: Path) -> Iterator[LiveCloud]:
    with LiveCloud(workdir=tmp_path / "cloud", accounts=accounts_file) as live:
        yield live


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def _pair(cloud: LiveCloud, keys: Any, cross: bool) -> dict[str, str]:
    """Two VPCs and an unconnected pair; across accounts and regions when ``cross``."""
    a = (keys.a.id, keys.a.secret, keys.a_id, HZ)
    b = (keys.b.id, keys.b.secret, keys.b_id, SH) if cross else a

    def call(side: tuple[str, str, str, str], action: str, **params: str) -> dict[str, Any]:
        return invoke(
            cloud, action, {"RegionId": side[3], **params}, access_key_id=side[0], secret=side[1]
        )

    left = call(a, "CreateVpc", CidrBlock="10.1.0.0/16", VpcName="left")
    right = call(b, "CreateVpc", CidrBlock="10.2.0.0/16", VpcName="right")
    ini = call(
        a,
        "CreateRouterInterface",
        Role="InitiatingSide",
        RouterType="VRouter",
        RouterId=left["VRouterId"],
        Spec="Large.2",
        OppositeRegionId=b[3],
    )["RouterInterfaceId"]
    acc = call(
        b,
        "CreateRouterInterface",
        Role="AcceptingSide",
        RouterType="VRouter",
        RouterId=right["VRouterId"],
        Spec="Negative",
        OppositeRegionId=a[3],
    )["RouterInterfaceId"]
    call(
        a,
        "ModifyRouterInterfaceAttribute",
        RouterInterfaceId=ini,
        OppositeInterfaceId=acc,
        OppositeRouterId=right["VRouterId"],
        OppositeRouterType="VRouter",
        OppositeInterfaceOwnerId=b[2],
    )
    call(
        b,
        "ModifyRouterInterfaceAttribute",
        RouterInterfaceId=acc,
        OppositeInterfaceId=ini,
        OppositeRouterId=left["VRouterId"],
        OppositeRouterType="VRouter",
        OppositeInterfaceOwnerId=a[2],
    )
    # A vSwitch on the left and its route to the right through the initiator.
    call(a, "CreateVSwitch", VpcId=left["VpcId"], ZoneId=HZ + "-h", CidrBlock="10.1.1.0/24")
    call(
        a,
        "CreateRouteEntry",
        RouteTableId=left["RouteTableId"],
        DestinationCidrBlock="10.2.0.0/16",
        NextHopType="RouterInterface",
        NextHopId=ini,
    )
    return {"initiator": ini, "acceptor": acc}


def _active_pixels(path: Path) -> int:
    """Pixels of the screenshot within a small distance of the Active colour."""
    image = Image.open(path).convert("RGB")
    return sum(
        1
        for r, g, b in image.getdata()
        if abs(r - ACTIVE[0]) < 24 and abs(g - ACTIVE[1]) < 24 and abs(b - ACTIVE[2]) < 24
    )


def test_the_console_shows_a_pair_becoming_active_without_a_reload(
    cloud: LiveCloud, page: Page, two_accounts: Any, tmp_path: Path
) -> None:
    ids = _pair(cloud, two_accounts, cross=True)
    page.goto(cloud.url + "/riconnect/console/")
    picture = page.locator("#topology")
    page.wait_for_selector('#topology path[data-status="Idle"]', timeout=15_000)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    assert "10.1.1.0/24" in page.locator("#vswitches tbody").inner_text()
    route = page.locator("#routes tbody tr", has_text="10.2.0.0/16")
    assert ids["initiator"] in route.inner_text() and "no" in route.inner_text().split()
    before = tmp_path / "before.png"
    picture.screenshot(path=str(before))
    assert _active_pixels(before) == 0

    # The official SDK connects the pair; the page, polling, redraws by itself.
    client = vpc_client(cloud, two_accounts.a.id, two_accounts.a.secret)
    client.connect_router_interface(
        vm.ConnectRouterInterfaceRequest(region_id=HZ, router_interface_id=ids["initiator"])
    )
    page.wait_for_selector('#topology path[data-status="Active"]', timeout=15_000)
    assert page.evaluate("window.__sameDocument") is True
    after = tmp_path / "after.png"
    picture.screenshot(path=str(after))
    assert after.stat().st_size > 0
    green = _active_pixels(after)
    assert green > 300, f"the Active edge is not in the picture ({green} pixels of its colour)"

    # The edge says what it crosses; both networks are drawn.
    labels = page.locator("#topology text.edge-label").all_text_contents()
    assert any("cross-account" in t and "cross-region" in t and "Active" in t for t in labels)
    edge = page.locator('#topology path[data-status="Active"]')
    assert edge.get_attribute("stroke-dasharray")  # dashed: across accounts
    assert page.locator("#topology g.node").count() == 2
    # The tables and the journal follow too.
    # (Locators, not page.wait_for_function: the console's CSP forbids evaluating strings.)
    page.locator("#requests tbody td", has_text="ConnectRouterInterface").wait_for(timeout=15_000)
    assert "Active" in page.locator("#interfaces tbody").inner_text()
    # The route's next hop carries traffic now.
    page.locator("#routes tbody td", has_text="yes").wait_for(timeout=15_000)


def test_the_console_downloads_a_snapshot_and_resets_the_cloud(
    cloud: LiveCloud, page: Page, two_accounts: Any
) -> None:
    _pair(cloud, two_accounts, cross=False)
    page.goto(cloud.url + "/riconnect/console/")
    page.wait_for_selector("#topology g.node", timeout=15_000)
    with page.expect_download() as download:
        page.click("#snapshot")
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved["Format"] == "riconnect-snapshot"
    assert len(saved["Tables"]["vpcs"]["Rows"]) == 2
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#reset")
    page.locator("#topology text", has_text="No networks yet").wait_for(timeout=15_000)
    assert cloud.state()["Counts"]["Vpcs"] == 0
