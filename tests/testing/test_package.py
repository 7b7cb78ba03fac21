"""riconnect.testing as a package: what imports pytest, the plugin line users write, and the
accounts-file writer."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from riconnect.domain.accounts import (
    AccessKey as RegistryKey,
)
from riconnect.domain.accounts import physical_connection_id
from riconnect.domain.accounts_file import load_accounts
from riconnect.testing.accounts import (
    AccessKey,
    Account,
    PhysicalConnection,
    RamUser,
    accounts_registry,
    accounts_toml,
    write_accounts,
)

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_helpers_import_without_pytest() -> None:
    # What the demo, the benchmarks and users' scripts import must not drag pytest in.
    result = run_python(
        """
        import sys
        import riconnect.testing
        import riconnect.testing.accounts
        import riconnect.testing.clients
        import riconnect.testing.inprocess
        import riconnect.testing.live
        import riconnect.testing.signing
        import riconnect.demo
        from riconnect.testing import LiveCloud, free_port, invoke, vpc_client, write_accounts
        from riconnect.testing.live import LiveCloud, wait_healthy
        app, cloud = riconnect.testing.inprocess_app()
        riconnect.testing.invoke(app, "DescribeRegions")
        cloud.executor.shutdown()
        loaded = sorted(m for m in sys.modules if m == "pytest" or m.startswith(("pytest.", "_pytest")))
        print(loaded)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_fixture_functions_are_still_importable_from_the_package() -> None:
    from riconnect.testing import fixtures, riconnect_app, riconnect_cloud

    assert riconnect_app is fixtures.riconnect_app
    assert riconnect_cloud is fixtures.riconnect_cloud
    with pytest.raises(ImportError):
        from riconnect.testing import no_such_name  # noqa: F401


def test_plugin_line_gives_users_every_fixture(tmp_path: Path) -> None:
    # A user's project: nothing but the one line of the README in its conftest.
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["riconnect.testing"]\n')
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            from riconnect.testing import invoke

            def test_in_process(riconnect_app, riconnect_region):
                body = invoke(riconnect_app, "CreateVpc", {"RegionId": riconnect_region})
                assert body["VpcId"].startswith("vpc-")
            """
        )
    )
    fixtures = subprocess.run(
        [sys.executable, "-m", "pytest", "--fixtures", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    for name in (
        "riconnect_cloud_options",
        "riconnect_cloud",
        "riconnect_region",
        "riconnect_vpc",
        "riconnect_sts",
        "riconnect_acs",
        "riconnect_app",
    ):
        assert f"\n{name}" in fixtures.stdout, fixtures.stdout
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


# -- the accounts file --------------------------------------------------------------------


def test_written_accounts_read_back_as_written(tmp_path: Path) -> None:
    accounts = [
        Account(
            "1111111111111111",
            name='with "quotes" \\ and \t tab',
            access_keys=[AccessKey("LTAIa1", "s1"), AccessKey("LTAIa2", "s2", active=False)],
            ram_users=[RamUser("ops", [AccessKey("LTAIops", "s3")]), RamUser("idle")],
            physical_connections=[
                PhysicalConnection("ap-cn-hangzhou-jg-B", "cn-hangzhou"),
                PhysicalConnection(
                    "ap-cn-shanghai-nt-A",
                    "cn-shanghai",
                    id="pc-explicit000001",
                    bandwidth=10_000,
                    name="dc-2",
                ),
            ],
        ),
        Account("2222222222222222", access_keys=[AccessKey("LTAIb1", "sécret")]),
    ]
    faults = {"throttle_rate": 0.1, "retry_after_ms": 5, "actions": {"CreateVpc": "InternalError"}}
    path = write_accounts(tmp_path / "accounts.toml", accounts, faults=faults)
    registry = load_accounts(path)
    a, b = registry.accounts.values()
    assert a.name == 'with "quotes" \\ and \t tab'
    assert a.access_keys == (RegistryKey("LTAIa1", "s1"), RegistryKey("LTAIa2", "s2", False))
    assert [(u.name, [k.id for k in u.access_keys]) for u in a.ram_users] == [
        ("ops", ["LTAIops"]),
        ("idle", []),
    ]
    derived, explicit = a.physical_connections
    assert derived.id == physical_connection_id("1111111111111111", 0)
    assert (derived.region_id, derived.bandwidth, derived.name) == ("cn-hangzhou", 1000, None)
    assert (explicit.id, explicit.bandwidth, explicit.name) == ("pc-explicit000001", 10_000, "dc-2")
    assert b.access_keys[0].secret == "sécret" and b.name is None
    assert registry.faults == faults
    # The in-process registry is the same reading of the same text.
    same = accounts_registry(accounts, faults=faults)
    assert list(same.accounts.values()) == list(registry.accounts.values())
    assert same.faults == registry.faults


def test_accounts_text_leaves_out_what_the_file_defaults() -> None:
    text = accounts_toml([Account("1111111111111111", access_keys=[AccessKey("LTAIa", "s")])])
    assert text == (
        '[[account]]\nid = "1111111111111111"\n[[account.access_key]]\nid = "LTAIa"\nsecret = "s"\n'
    )
