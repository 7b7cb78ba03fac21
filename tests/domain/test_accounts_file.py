"""The accounts file: loading, validation messages, the demo registry."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from riconnect.domain.accounts import (
    DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
    DEMO_ACCOUNT_ID,
    DEMO_PHYSICAL_CONNECTION_ID,
    AccessKey,
    Account,
    AccountRegistry,
    AccountsFileError,
    Principal,
    RamUser,
    default_registry,
    physical_connection_id,
)
from riconnect.domain.accounts import PhysicalConnectionGrant as PhysicalConnection
from riconnect.domain.accounts_file import load_accounts, registry_from_dict

SAMPLE = """
# Two accounts, one with a RAM user; the second account's connection has an explicit id.
[[account]]
id = "1234567890123456"
name = "alpha"  # notes for humans are TOML comments: unknown keys are errors
[[account.access_key]]
id = "LTAIalphaMain0001"
secret = "alphaSecret"
[[account.access_key]]
id = "LTAIalphaOld00001"
secret = "oldSecret"
active = false
[[account.ram_user]]
name = "ops"
[[account.ram_user.access_key]]
id = "LTAIalphaOps00001"
secret = "opsSecret"
[[account.ram_user]]
name = "readonly"
[[account.physical_connection]]
access_point_id = "ap-cn-hangzhou-jg-B"
region = "cn-hangzhou"
[[account.physical_connection]]
access_point_id = "ap-cn-shanghai-nt-A"
region = "cn-shanghai"
bandwidth = 10000
name = "dc-2"

[[account]]
id = "6543210987654321"
[[account.access_key]]
id = "LTAIbetaMain00001"
secret = "betaSecret"
[[account.physical_connection]]
id = "pc-beta000000000000001"
access_point_id = "ap-sg-singpore-A"
region = "ap-southeast-1"

[faults]
throttle_rate = 0.1
[faults.actions]
CreateVpc = "InternalError"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "accounts.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_sample(tmp_path: Path) -> None:
    reg = load_accounts(write(tmp_path, SAMPLE))
    assert set(reg.accounts) == {"1234567890123456", "6543210987654321"}
    alpha = reg.accounts["1234567890123456"]
    assert alpha.name == "alpha"
    assert [k.id for k in alpha.access_keys] == ["LTAIalphaMain0001", "LTAIalphaOld00001"]
    assert [u.name for u in alpha.ram_users] == ["ops", "readonly"]
    assert alpha.ram_users[1].access_keys == ()

    key, principal = reg.lookup("LTAIalphaMain0001") or pytest.fail("missing")
    assert key == AccessKey("LTAIalphaMain0001", "alphaSecret", True)
    assert principal == Principal("1234567890123456", "LTAIalphaMain0001", None)
    key, principal = reg.lookup("LTAIalphaOps00001") or pytest.fail("missing")
    assert principal == Principal("1234567890123456", "LTAIalphaOps00001", "ops")
    assert key.secret == "opsSecret"
    key, _ = reg.lookup("LTAIalphaOld00001") or pytest.fail("missing")
    assert not key.active
    assert reg.lookup("LTAIunknown") is None

    assert reg.is_main_account("6543210987654321")
    assert not reg.is_main_account("1111111111111111")
    assert not reg.is_main_account("LTAIalphaOps00001")

    first, second = alpha.physical_connections
    assert first == PhysicalConnection(
        physical_connection_id("1234567890123456", 0), "ap-cn-hangzhou-jg-B", "cn-hangzhou"
    )
    assert first.bandwidth == 1000 and first.name is None
    assert second.id == physical_connection_id("1234567890123456", 1)
    assert (second.bandwidth, second.name, second.region_id) == (10000, "dc-2", "cn-shanghai")
    assert [pc.id for pc in reg.physical_connections("6543210987654321")] == [
        "pc-beta000000000000001"
    ]
    assert len(reg.physical_connections()) == 3
    assert reg.physical_connections("1111111111111111") == []

    assert reg.faults == {"throttle_rate": 0.1, "actions": {"CreateVpc": "InternalError"}}


def test_generated_ids_are_stable_and_well_formed(tmp_path: Path) -> None:
    path = write(tmp_path, SAMPLE)
    first = [pc.id for pc in load_accounts(path).physical_connections()]
    assert first == [pc.id for pc in load_accounts(path).physical_connections()]
    assert all(re.fullmatch(r"pc-[a-z0-9]{21}", i) for i in first[:2])
    assert physical_connection_id("1234567890123456", 0) != physical_connection_id(
        "6543210987654321", 0
    )


def test_secrets_stay_out_of_reprs(tmp_path: Path) -> None:
    reg = load_accounts(write(tmp_path, SAMPLE))
    assert "alphaSecret" not in repr(reg.accounts["1234567890123456"])


def test_default_registry() -> None:
    reg = default_registry()
    assert list(reg.accounts) == [DEMO_ACCOUNT_ID] == ["1234567890123456"]
    assert DEMO_ACCESS_KEY_ID == "LTAI5tRiconnectDemoKey01"
    assert DEMO_ACCESS_KEY_SECRET == "riconnectDemoSecret0000000000000"
    key, principal = reg.lookup(DEMO_ACCESS_KEY_ID) or pytest.fail("missing")
    assert key.secret == DEMO_ACCESS_KEY_SECRET and key.active
    assert principal == Principal(DEMO_ACCOUNT_ID, DEMO_ACCESS_KEY_ID)
    (pc,) = reg.physical_connections()
    assert pc.id == DEMO_PHYSICAL_CONNECTION_ID == physical_connection_id(DEMO_ACCOUNT_ID, 0)
    assert (pc.access_point_id, pc.region_id, pc.bandwidth) == (
        "ap-cn-hangzhou-jg-B",
        "cn-hangzhou",
        1000,
    )
    assert reg.faults == {}
    assert reg.is_main_account(DEMO_ACCOUNT_ID)


def test_registry_rejects_duplicate_keys_when_built_directly() -> None:
    key = AccessKey("dup", "s")
    with pytest.raises(AccountsFileError, match="unique"):
        AccountRegistry([Account("1234567890123456", (key,), (RamUser("u", (key,)),))])


# -- validation: every message names the file and the entry -------------------------------------

BASE: dict[str, Any] = tomllib.loads(SAMPLE)


def account(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": "1234567890123456",
        "access_key": [{"id": "AK1", "secret": "s1"}],
    }
    entry.update(overrides)
    return entry


def pc(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"access_point_id": "ap-cn-hangzhou-jg-B", "region": "cn-hangzhou"}
    entry.update(overrides)
    return entry


INVALID: list[tuple[str, dict[str, Any], str, str]] = [
    # (case, data, entry named in the message, words in the message)
    ("no accounts", {}, "", "no [[account]] entries"),
    ("empty account list", {"account": []}, "", "no [[account]] entries"),
    ("account not a table array", {"account": {"id": "1"}}, "account", "array of tables"),
    ("faults not a table", {"account": [account()], "faults": 3}, "faults", "must be a table"),
    ("id too short", {"account": [account(id="123")]}, "account[0]", "exactly 16 digits"),
    ("id not digits", {"account": [account(id="12345678901234ab")]}, "account[0]", "16 digits"),
    ("id with full-width digits", {"account": [account(id="１" * 16)]}, "account[0]", "16 digits"),
    ("id missing", {"account": [{"access_key": []}]}, "account[0]", "16 digits"),
    ("id as a number", {"account": [account(id=1234567890123456)]}, "account[0]", "quoted string"),
    (
        "duplicate account",
        {"account": [account(), account(access_key=[{"id": "AK2", "secret": "s"}])]},
        "account[1] (id 1234567890123456)",
        "duplicate account id, already used by account[0]",
    ),
    (
        "access key id missing",
        {"account": [account(access_key=[{"secret": "s"}])]},
        "account[0] (id 1234567890123456).access_key[0]",
        "id must be",
    ),
    (
        "access key id with a comma",
        {"account": [account(access_key=[{"id": "AK,1", "secret": "s"}])]},
        "access_key[0]",
        "id must be",
    ),
    (
        "empty secret",
        {"account": [account(access_key=[{"id": "AK1", "secret": ""}])]},
        "access_key[0] (id AK1)",
        "secret must be a non-empty string",
    ),
    (
        "blank secret",
        {"account": [account(access_key=[{"id": "AK1", "secret": "  "}])]},
        "access_key[0] (id AK1)",
        "secret must be a non-empty string",
    ),
    (
        "missing secret",
        {"account": [account(access_key=[{"id": "AK1"}])]},
        "access_key[0] (id AK1)",
        "secret must be a non-empty string",
    ),
    (
        "active not a bool",
        {"account": [account(access_key=[{"id": "AK1", "secret": "s", "active": "no"}])]},
        "access_key[0] (id AK1)",
        "active must be true or false",
    ),
    (
        "duplicate key in one account",
        {
            "account": [
                account(access_key=[{"id": "AK1", "secret": "a"}, {"id": "AK1", "secret": "b"}])
            ]
        },
        "access_key[1] (id AK1)",
        "duplicate AccessKey id, already used by account[0] (id 1234567890123456).access_key[0]",
    ),
    (
        "duplicate key across accounts",
        {"account": [account(), account(id="6543210987654321")]},
        "account[1] (id 6543210987654321).access_key[0] (id AK1)",
        "duplicate AccessKey id",
    ),
    (
        "duplicate key between main account and RAM user",
        {
            "account": [
                account(ram_user=[{"name": "ops", "access_key": [{"id": "AK1", "secret": "x"}]}])
            ]
        },
        "ram_user[0] (name ops).access_key[0] (id AK1)",
        "duplicate AccessKey id",
    ),
    (
        "duplicate RAM user",
        {"account": [account(ram_user=[{"name": "ops"}, {"name": "ops"}])]},
        "account[0] (id 1234567890123456).ram_user[1]",
        "duplicate RAM user name 'ops'",
    ),
    (
        "RAM user without a name",
        {"account": [account(ram_user=[{}])]},
        "ram_user[0]",
        "name must be",
    ),
    (
        "RAM user with a space",
        {"account": [account(ram_user=[{"name": "a b"}])]},
        "ram_user[0]",
        "name must be",
    ),
    (
        "access_key not a table array",
        {"account": [account(access_key={"id": "AK1", "secret": "s"})]},
        "account[0] (id 1234567890123456)",
        "'access_key' must be an array of tables",
    ),
    (
        "region missing",
        {"account": [account(physical_connection=[pc(region=None)])]},
        "physical_connection[0] (id pc-",
        "region must be a region id",
    ),
    *[
        (
            f"implausible region {bad!r}",
            {"account": [account(physical_connection=[pc(region=bad)])]},
            "physical_connection[0]",
            "region must be a region id such as 'cn-hangzhou'",
        )
        for bad in [
            "",
            "hangzhou",
            "CN-HANGZHOU",
            "cn_hangzhou",
            "cn-",
            "cn hangzhou",
            "c-1",
            "cn-hangzhou-" + "x" * 60,
            5,
        ]
    ],
    (
        "access point missing",
        {"account": [account(physical_connection=[pc(access_point_id=None)])]},
        "physical_connection[0]",
        "access_point_id must look like",
    ),
    (
        "access point without prefix",
        {"account": [account(physical_connection=[pc(access_point_id="cn-hangzhou-jg-B")])]},
        "physical_connection[0]",
        "access_point_id must look like",
    ),
    (
        "bad pc id",
        {"account": [account(physical_connection=[pc(id="vbr-123456")])]},
        "physical_connection[0]",
        "id must look like 'pc-'",
    ),
    (
        "duplicate pc id",
        {"account": [account(physical_connection=[pc(id="pc-aaaaaaaa"), pc(id="pc-aaaaaaaa")])]},
        "physical_connection[1] (id pc-aaaaaaaa)",
        "duplicate physical connection id",
    ),
    *[
        (
            f"bandwidth {bad!r}",
            {"account": [account(physical_connection=[pc(bandwidth=bad)])]},
            "physical_connection[0]",
            "bandwidth must be a positive integer",
        )
        for bad in [0, -5, "1000", 1.5, True]
    ],
    (
        "name not a string",
        {"account": [account(name=5)]},
        "account[0] (id 1234567890123456)",
        "name must be a string",
    ),
    # Issue 16: a misspelled table used to be ignored, leaving the account without keys.
    (
        "misspelled access_key table",
        {"account": [{"id": "1234567890123456", "acces_key": [{"id": "AK", "secret": "s"}]}]},
        "account[0] (id 1234567890123456)",
        "unknown key 'acces_key' (did you mean 'access_key'?)",
    ),
    ("misspelled top-level table", {"acount": [account()]}, "", "unknown key 'acount'"),
    (
        "unknown key in an access key",
        {"account": [account(access_key=[{"id": "AK", "secret": "s", "enabled": True}])]},
        "access_key[0] (id AK)",
        "unknown key 'enabled'",
    ),
    (
        "unknown key in a RAM user",
        {"account": [account(ram_user=[{"name": "ops", "acess_key": []}])]},
        "ram_user[0] (name ops)",
        "unknown key 'acess_key' (did you mean 'access_key'?)",
    ),
    (
        "unknown key in a physical connection",
        {"account": [account(physical_connection=[pc(regoin="cn-hangzhou")])]},
        "physical_connection[0]",
        "unknown key 'regoin' (did you mean 'region'?)",
    ),
    (
        "access point in another region",
        {"account": [account(physical_connection=[pc(region="cn-shanghai")])]},
        "physical_connection[0]",
        "access point ap-cn-hangzhou-jg-B is in region cn-hangzhou, not cn-shanghai",
    ),
]


@pytest.mark.parametrize(
    ("data", "entry", "words"), [pytest.param(d, e, w, id=c) for c, d, e, w in INVALID]
)
def test_validation_errors(data: dict[str, Any], entry: str, words: str) -> None:
    # None stands for "key absent" so the cases above stay short.
    data = _drop_none(data)
    with pytest.raises(AccountsFileError) as info:
        registry_from_dict(data, "my-accounts.toml")
    message = str(info.value)
    assert message.startswith("my-accounts.toml: ")
    assert entry in message
    assert words in message
    assert isinstance(info.value, ValueError)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[[account]\nid = ")
    with pytest.raises(AccountsFileError, match=re.escape(str(path)) + ": invalid TOML"):
        load_accounts(path)


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    path.write_bytes(b"# \xff\n")
    with pytest.raises(AccountsFileError, match="not UTF-8"):
        load_accounts(path)


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_accounts(tmp_path / "nope.toml")


def test_file_and_dict_agree(tmp_path: Path) -> None:
    from_file = load_accounts(write(tmp_path, SAMPLE))
    from_dict = registry_from_dict(BASE)
    assert from_file.accounts == from_dict.accounts
    assert from_file.source.endswith("accounts.toml") and from_dict.source == "<memory>"
