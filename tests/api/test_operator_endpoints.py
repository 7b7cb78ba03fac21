"""The operator surface over real HTTP: health, status, state, reset, the request journal,
live settings, seeded ids and the console's files (the guard: test_operator_guard.py;
snapshots under load: test_operator_snapshot_live.py)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riconnect import __version__
from riconnect.store import migrate
from riconnect.testing import LiveCloud, RiconnectApiError, signed_request
from tests.support.operator import (
    DEMO,
    ENVELOPE,
    Key,
    call,
    http,
    interface,
    ok,
    pair,
    region_of,
    vpc,
    vpc_ids,
    vpc_of,
)

HZ, SH = "cn-hangzhou", "cn-shanghai"
SVG_NS = "http://www.w3.org/2000/svg"


@pytest.fixture(scope="module")
def keys(two_accounts: Any) -> tuple[Key, Key]:
    t = two_accounts
    return Key(t.a_id, t.a.id, t.a.secret), Key(t.b_id, t.b.id, t.b.secret)


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory, accounts_file: Path) -> Iterator[LiveCloud]:
    """Two accounts, a journal file; this module's own server, so resets hurt nobody."""
    workdir = tmp_path_factory.mktemp("operator")
    with LiveCloud(
        workdir / "cloud.db",
        accounts=accounts_file,
        workdir=workdir,
        vpc_quota=1000,
        extra_args=["--journal", str(workdir / "journal.jsonl")],
    ) as live:
        yield live


@pytest.fixture
def clean(cloud: LiveCloud) -> LiveCloud:
    ok(cloud, "DELETE", "/riconnect/settings")
    ok(cloud, "POST", "/riconnect/reset")
    return cloud


# -- health and status ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "HEAD"])
def test_health_answers_any_method_with_version_and_store(cloud: LiveCloud, method: str) -> None:
    response = http(cloud, method, "/riconnect/health")
    assert response.status_code == 200
    if method != "HEAD":
        body = response.json()
        assert body["Status"] == "ok"
        assert body["Version"] == __version__
        assert body["Store"] == "sqlite"
        assert re.fullmatch(r"[0-9A-F-]{36}", body["RequestId"])


def test_status_reports_the_server_its_store_counts_and_settings(
    clean: LiveCloud, keys: tuple[Key, Key]
) -> None:
    a, _b = keys
    vpc(clean, a, HZ, "10.0.0.0/16")
    status = ok(clean, "GET", "/riconnect/status")
    assert status["Version"] == __version__
    assert status["SchemaRevision"] == migrate.head()
    assert status["Store"]["Kind"] == "sqlite"
    assert status["Store"]["Location"].endswith("cloud.db")
    assert status["Counts"]["Vpc"] == 1
    assert status["Counts"]["RouterInterface"] == 0
    assert status["UptimeSeconds"] > 0
    assert status["Accounts"] == 2
    assert status["Settings"]["VpcQuota"] == 1000
    assert status["Settings"]["Transitions"]["ri_connect"] == 0
    assert status["SettingsOverridden"] == []
    assert status["Journal"]["File"].endswith("journal.jsonl")
    assert status["AdminToken"] is False


# -- state -------------------------------------------------------------------------------------


def test_state_shows_every_account_region_and_a_cross_account_cross_region_pair(
    clean: LiveCloud, keys: tuple[Key, Key], two_accounts: Any
) -> None:
    a, b = keys
    ids = pair(clean, a, b, HZ, SH)
    state = ok(clean, "GET", "/riconnect/state")
    assert {x["AccountId"] for x in state["Accounts"]} == {a.account, b.account}
    left, right = region_of(state, a.account, HZ), region_of(state, b.account, SH)
    assert left is not None and right is not None
    assert [v["VpcId"] for v in left["Vpcs"]] == [ids["left_vpc"]]
    assert left["Vpcs"][0]["RouteTables"][0]["RouteTableType"] == "System"
    ini, acc = interface(state, ids["initiator"]), interface(state, ids["acceptor"])
    assert ini is not None and acc is not None
    assert (ini["Status"], ini["OppositeInterfaceStatus"]) == ("Active", "Active")
    assert (acc["Status"], acc["Role"], acc["OppositeRegionId"]) == ("Active", "AcceptingSide", HZ)
    assert ini["OppositeInterfaceOwnerId"] == b.account
    assert state["Counts"] == {
        "Vpcs": 2,
        "VirtualBorderRouters": 0,
        "RouterInterfaces": 2,
        "PhysicalConnections": 0,
        "VSwitches": 0,
        "RouteEntries": 0,
    }
    # Accounts without secrets: key ids and RAM users, never a secret.
    account_a = next(x for x in state["Accounts"] if x["AccountId"] == a.account)
    assert account_a["AccessKeyIds"] == [a.id]
    assert account_a["RamUsers"][0]["UserName"] == two_accounts.ram_user
    text = json.dumps(state)
    for secret in (a.secret, b.secret, two_accounts.a_ram.secret):
        assert secret not in text
    only_b = ok(clean, "GET", f"/riconnect/state?account={b.account}")
    assert [x["AccountId"] for x in only_b["Accounts"]] == [b.account]
    assert vpc_ids(only_b) == {ids["right_vpc"]}


def test_state_shows_vswitches_and_routes_with_their_next_hop(
    clean: LiveCloud, keys: tuple[Key, Key]
) -> None:
    """What DescribeVSwitches and DescribeRouteEntryList would show, per VPC; the custom
    route's next hop is enabled exactly while its interface is Active."""
    a, b = keys
    ids = pair(clean, a, b, HZ, HZ, connect=False)
    left = vpc_of(ok(clean, "GET", "/riconnect/state"), ids["left_vpc"])
    switch = call(
        clean,
        a,
        "CreateVSwitch",
        RegionId=HZ,
        VpcId=ids["left_vpc"],
        ZoneId="cn-hangzhou-h",
        CidrBlock="10.10.1.0/24",
    )["VSwitchId"]
    table = left["RouteTables"][0]["RouteTableId"]
    call(
        clean,
        a,
        "CreateRouteEntry",
        RegionId=HZ,
        RouteTableId=table,
        DestinationCidrBlock="10.20.0.0/16",
        NextHopType="RouterInterface",
        NextHopId=ids["initiator"],
    )

    def custom_route(state: dict[str, Any]) -> dict[str, Any]:
        routes = vpc_of(state, ids["left_vpc"])["RouteTables"][0]["RouteEntries"]
        [route] = [r for r in routes if r["Type"] == "Custom"]
        return route

    state = ok(clean, "GET", "/riconnect/state")
    here = vpc_of(state, ids["left_vpc"])
    assert [(s["VSwitchId"], s["CidrBlock"], s["ZoneId"]) for s in here["VSwitches"]] == [
        (switch, "10.10.1.0/24", "cn-hangzhou-h")
    ]
    assert here["VSwitches"][0]["RouteTable"]["RouteTableId"] == table
    system = [r["DestinationCidrBlock"] for r in here["RouteTables"][0]["RouteEntries"]]
    assert "10.10.1.0/24" in system  # the vSwitch's own system route
    route = custom_route(state)
    hop = route["NextHops"]["NextHop"][0]
    assert (route["DestinationCidrBlock"], hop["NextHopId"], hop["Enabled"]) == (
        "10.20.0.0/16",
        ids["initiator"],
        0,
    )
    assert (state["Counts"]["VSwitches"], state["Counts"]["RouteEntries"]) == (1, 1)
    call(clean, a, "ConnectRouterInterface", RegionId=HZ, RouterInterfaceId=ids["initiator"])
    assert (
        custom_route(ok(clean, "GET", "/riconnect/state"))["NextHops"]["NextHop"][0]["Enabled"] == 1
    )


def test_state_settles_transitions_that_came_due_without_any_describe(
    clean: LiveCloud, keys: tuple[Key, Key]
) -> None:
    a, b = keys
    ok(
        clean,
        "PUT",
        "/riconnect/settings",
        json={"Transitions": {"Actions": {"ConnectRouterInterface": 1.0}}},
    )
    ids = pair(clean, a, b, HZ, HZ)
    first = interface(ok(clean, "GET", "/riconnect/state"), ids["initiator"])
    assert first is not None and first["Status"] == "Connecting"
    time.sleep(1.1)
    settled = ok(clean, "GET", "/riconnect/state")
    assert interface(settled, ids["initiator"])["Status"] == "Active"  # type: ignore[index]
    assert interface(settled, ids["acceptor"])["Status"] == "Active"  # type: ignore[index]


def test_state_refuses_a_malformed_account(cloud: LiveCloud) -> None:
    response = http(cloud, "GET", "/riconnect/state?account=12ab")
    assert response.status_code == 400
    assert set(response.json()) == ENVELOPE
    assert response.json()["Code"] == "InvalidParameter"


# -- reset -------------------------------------------------------------------------------------


def test_reset_empties_the_cloud_and_keeps_the_accounts(
    clean: LiveCloud, keys: tuple[Key, Key]
) -> None:
    a, b = keys
    pair(clean, a, b, HZ, SH)
    first = vpc(clean, a, HZ, "10.30.0.0/16", ClientToken="token-1")
    answer = ok(clean, "POST", "/riconnect/reset")
    assert answer["Deleted"]["vpcs"] == 3
    assert answer["Deleted"]["router_interfaces"] == 2
    assert answer["Deleted"]["client_tokens"] == 1
    state = ok(clean, "GET", "/riconnect/state")
    assert state["Counts"]["Vpcs"] == state["Counts"]["RouterInterfaces"] == 0
    assert {x["AccountId"] for x in state["Accounts"]} == {a.account, b.account}
    # The accounts still sign requests; the ClientToken was forgotten with its VPC.
    again = vpc(clean, a, HZ, "10.30.0.0/16", ClientToken="token-1")
    assert again["VpcId"] != first["VpcId"]
    listed = call(clean, a, "DescribeVpcs", RegionId=HZ)
    assert [v["VpcId"] for v in listed["Vpcs"]["Vpc"]] == [again["VpcId"]]


def test_resetting_one_account_leaves_its_peers_inactive_like_a_deleted_side(
    clean: LiveCloud, keys: tuple[Key, Key]
) -> None:
    a, b = keys
    ids = pair(clean, a, b, HZ, SH)
    mine = vpc(clean, b, HZ, "10.40.0.0/16")
    answer = ok(clean, "POST", f"/riconnect/reset?account={a.account}")
    assert answer["AccountId"] == a.account
    assert answer["Deleted"]["vpcs"] == 1
    state = ok(clean, "GET", "/riconnect/state")
    assert region_of(state, a.account, HZ) is None
    assert vpc_ids(state) == {ids["right_vpc"], mine["VpcId"]}
    acceptor = call(
        clean, b, "DescribeRouterInterfaceAttribute", RegionId=SH, InstanceId=ids["acceptor"]
    )
    assert acceptor["Status"] == "Inactive"
    assert acceptor["OppositeInterfaceStatus"] == "Deleted"
    # What remains can be cleaned up through the API, as after a real deletion.
    call(clean, b, "DeleteRouterInterface", RegionId=SH, RouterInterfaceId=ids["acceptor"])


# -- the request journal -----------------------------------------------------------------------


def test_the_journal_lists_recent_requests_without_signatures_or_secrets(
    clean: LiveCloud, keys: tuple[Key, Key]
) -> None:
    a, b = keys
    made = vpc(clean, a, HZ, "10.0.0.0/16", VpcName="journal-test")
    call(clean, b, "DescribeVpcs", RegionId=SH)
    with pytest.raises(RiconnectApiError):
        call(clean, a, "CreateVpc", RegionId=HZ, CidrBlock="nonsense")
    # A V3 request, and a parameter whose name marks a secret.
    signed_request(
        clean,
        "DescribeVpcs",
        {"RegionId": HZ, "DbPassword": "hunter2"},
        signature="v3",
        access_key_id=a.id,
        secret=a.secret,
    )
    entries = ok(clean, "GET", "/riconnect/requests?limit=4")["Requests"]
    assert [e["Action"] for e in entries] == [
        "DescribeVpcs",
        "CreateVpc",
        "DescribeVpcs",
        "CreateVpc",
    ]
    v3, failed, other, created = entries
    assert created["Parameters"] == {"CidrBlock": "10.0.0.0/16", "VpcName": "journal-test"}
    assert made["VpcId"] in created["ResourceIds"] and made["VRouterId"] in created["ResourceIds"]
    assert (created["Status"], created["Code"], created["AccountId"]) == (200, "-", a.account)
    assert created["RegionId"] == HZ and created["AccessKeyId"] == a.id
    assert created["Version"] == "2016-04-28" and created["DurationMs"] > 0
    assert re.fullmatch(r"[0-9A-F-]{36}", created["RequestId"])
    assert (failed["Status"], failed["Code"]) == (400, "InvalidCidrBlock.Malformed")
    assert other["AccountId"] == b.account
    assert v3["Parameters"]["DbPassword"] == "******"
    assert v3["AccessKeyId"] == a.id
    text = json.dumps(entries)
    for hidden in ("Signature", a.secret, b.secret, "hunter2", "SignatureNonce"):
        assert hidden not in text
    # Filters, newest first.
    only = ok(clean, "GET", "/riconnect/requests?action=CreateVpc&limit=10")["Requests"]
    assert {e["Action"] for e in only} == {"CreateVpc"}
    assert [e["Seq"] for e in only] == sorted((e["Seq"] for e in only), reverse=True)
    mine = ok(clean, "GET", f"/riconnect/requests?account={b.account}&limit=10")["Requests"]
    assert mine and {e["AccountId"] for e in mine} == {b.account}
    # The file has the same entries, one JSON line each, secrets removed too.
    lines = (clean.workdir / "journal.jsonl").read_text().splitlines()
    last = [json.loads(line) for line in lines[-4:]]
    assert [e["RequestId"] for e in last] == [e["RequestId"] for e in reversed(entries)]
    assert "hunter2" not in "\n".join(lines) and a.secret not in "\n".join(lines)


@pytest.mark.parametrize("limit", ["0", "abc", "1000000"])
def test_the_journal_refuses_a_bad_limit(cloud: LiveCloud, limit: str) -> None:
    response = http(cloud, "GET", f"/riconnect/requests?limit={limit}")
    assert response.status_code == 400
    assert response.json()["Code"] == "InvalidParameter"


def test_the_journal_in_memory_is_bounded_and_the_file_keeps_everything(tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    with LiveCloud(
        workdir=tmp_path, extra_args=["--journal-size", "3", "--journal", str(journal)]
    ) as small:
        names = [f"bounded-{k}" for k in range(5)]
        for name in names:
            vpc(small, DEMO, HZ, "10.0.0.0/16", VpcName=name)
        kept = ok(small, "GET", "/riconnect/requests?limit=3")["Requests"]
        assert [e["Parameters"]["VpcName"] for e in kept] == names[:1:-1]  # the newest three
        response = http(small, "GET", "/riconnect/requests?limit=4")  # more than it can hold
        assert response.status_code == 400 and response.json()["Code"] == "InvalidParameter"
        written = [json.loads(line) for line in journal.read_text().splitlines()]
    assert [e["Parameters"]["VpcName"] for e in written if e["Action"] == "CreateVpc"] == names


def test_operator_changes_appear_in_the_journal(clean: LiveCloud) -> None:
    ok(clean, "POST", "/riconnect/reset")
    ok(clean, "PUT", "/riconnect/settings", json={"VpcQuota": 7})
    actions = [e["Action"] for e in ok(clean, "GET", "/riconnect/requests?limit=2")["Requests"]]
    assert actions == ["riconnect:PutSettings", "riconnect:Reset"]


# -- live settings -----------------------------------------------------------------------------


def test_settings_per_action_and_resource_type_apply_and_clear(clean: LiveCloud) -> None:
    start = ok(clean, "GET", "/riconnect/settings")
    assert start["Overrides"] == {}
    assert start["StartUp"]["VpcQuota"] == 1000
    changed = ok(
        clean,
        "PUT",
        "/riconnect/settings",
        json={
            "Transitions": {
                "ResourceTypes": {"RouterInterface": 4},
                "Actions": {"ConnectRouterInterface": 9},
            }
        },
    )
    by_action = changed["Effective"]["TransitionsByAction"]
    assert by_action["ConnectRouterInterface"] == 9
    assert by_action["DeactivateRouterInterface"] == 4
    assert by_action["CreateVpc"] == 0
    assert changed["Version"] > start["Version"]
    ok(clean, "PUT", "/riconnect/settings", json={"VpcQuota": 5})
    both = ok(clean, "GET", "/riconnect/settings")
    assert set(both["Overrides"]) == {"Transitions", "VpcQuota"}  # a PUT merges
    removed = ok(clean, "PUT", "/riconnect/settings", json={"VpcQuota": None})
    assert set(removed["Overrides"]) == {"Transitions"}
    cleared = ok(clean, "DELETE", "/riconnect/settings")
    assert cleared["Overrides"] == {}
    assert cleared["Effective"]["TransitionsByAction"]["ConnectRouterInterface"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {"Transitions": "sometimes"},
        {"Transitions": {"Actions": {"FrobnicateVpc": 3}}},
        {"Transitions": {"ResourceTypes": {"Vpc": -1}}},
        {"Faults": "Throttling.User=2"},
        {"Faults": [{"Code": "InternalError", "Rate": 0.5}]},
        {"Seed": "forty-two"},
        {"VpcQuota": True},
        {"Colour": "blue"},
        [1, 2],
    ],
)
def test_invalid_settings_are_refused_and_change_nothing(clean: LiveCloud, body: Any) -> None:
    before = ok(clean, "GET", "/riconnect/settings")
    response = http(clean, "PUT", "/riconnect/settings", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["Code"] == "InvalidSettings"
    assert set(response.json()) == ENVELOPE
    after = ok(clean, "GET", "/riconnect/settings")
    assert after["Version"] == before["Version"] and after["Overrides"] == before["Overrides"]


def test_faults_and_quota_set_live_take_effect_at_once(
    clean: LiveCloud, keys: tuple[Key, Key]
) -> None:
    a, _b = keys
    ok(
        clean,
        "PUT",
        "/riconnect/settings",
        json={"Faults": "CreateVpc:Throttling.User=1.0", "RetryAfterMs": 250},
    )
    refused = signed_request(
        clean, "CreateVpc", {"RegionId": HZ}, access_key_id=a.id, secret=a.secret
    )
    assert refused.status_code == 400 and refused.json()["Code"] == "Throttling.User"
    assert refused.headers["x-acs-retry-after"] == "250"
    call(clean, a, "DescribeVpcs", RegionId=HZ)  # other actions are not throttled
    ok(clean, "PUT", "/riconnect/settings", json={"Faults": None, "VpcQuota": 1})
    vpc(clean, a, HZ, "10.0.0.0/16")
    with pytest.raises(RiconnectApiError) as quota:
        vpc(clean, a, HZ, "10.1.0.0/16")
    assert quota.value.code == "QuotaExceeded.Vpc"
    ok(clean, "DELETE", "/riconnect/settings")
    vpc(clean, a, HZ, "10.1.0.0/16")


# -- seeded ids --------------------------------------------------------------------------------


def _seeded_run(cloud: LiveCloud) -> list[str]:
    """Ids and RequestIds of a fixed sequence of calls."""
    seen: list[str] = []
    for cidr in ("10.0.0.0/16", "10.1.0.0/16"):
        answer = vpc(cloud, DEMO, HZ, cidr)
        seen += [answer["RequestId"], answer["VpcId"], answer["VRouterId"], answer["RouteTableId"]]
    ids = pair(cloud, DEMO, DEMO)
    return seen + sorted(ids.values())


def test_a_seed_makes_ids_and_request_ids_repeat_from_run_to_run(tmp_path: Path) -> None:
    runs = []
    for name in ("first", "second"):
        with LiveCloud(workdir=tmp_path / name, extra_args=["--seed", "42"]) as cloud:
            runs.append(_seeded_run(cloud))
            # A reset restarts both sequences.
            ok(cloud, "POST", "/riconnect/reset")
            runs.append(_seeded_run(cloud))
    assert runs[0] == runs[1] == runs[2] == runs[3]
    with LiveCloud(workdir=tmp_path / "other", extra_args=["--seed", "43"]) as cloud:
        assert set(_seeded_run(cloud)).isdisjoint(runs[0])


def test_a_seed_set_live_applies_from_the_next_request(tmp_path: Path) -> None:
    with LiveCloud(workdir=tmp_path / "a", extra_args=["--seed", "7"]) as seeded:
        expected = _seeded_run(seeded)
    with LiveCloud(workdir=tmp_path / "b") as cloud:
        unseeded = _seeded_run(cloud)
        assert set(unseeded).isdisjoint(expected)
        ok(cloud, "PUT", "/riconnect/settings", json={"Seed": 7})
        ok(cloud, "POST", "/riconnect/reset")
        assert _seeded_run(cloud) == expected


# -- the console's files -----------------------------------------------------------------------


def test_the_console_is_served_from_the_package_with_no_outside_network(cloud: LiveCloud) -> None:
    redirect = http(cloud, "GET", "/riconnect/console")
    assert redirect.status_code == 308 and redirect.headers["location"] == "/riconnect/console/"
    page = http(cloud, "GET", "/riconnect/console/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "console.js" in page.text
    files = [("", "text/html"), ("console.js", "text/javascript"), ("console.css", "text/css")]
    for name, kind in files:
        response = http(cloud, "GET", f"/riconnect/console/{name}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(kind)
        # No address outside this server (the SVG namespace is a name, never fetched).
        assert re.findall(r"(?:https?:)?//[\w.-]+", response.text.replace(SVG_NS, "")) == []
    assert http(cloud, "GET", "/riconnect/console/secret.py").status_code == 404
    assert http(cloud, "GET", "/riconnect/console/%2e%2e%2fstate").status_code == 404


def test_unknown_paths_and_methods_get_the_error_envelope(cloud: LiveCloud) -> None:
    missing = http(cloud, "GET", "/riconnect/nothing-here")
    assert missing.status_code == 404
    assert set(missing.json()) == ENVELOPE and missing.json()["Code"] == "InvalidPath"
    wrong = http(cloud, "DELETE", "/riconnect/state")
    assert wrong.status_code == 403 and wrong.json()["Code"] == "UnsupportedHTTPMethod"
