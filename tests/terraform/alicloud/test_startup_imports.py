"""What a provider process imports: its resource and data source modules (and the cloud
client) only when a call needs them. Terraform starts 3-5 provider processes per command;
a process that only answers GetSchema (from the kept answer) needs none of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tfplugin_proto import tfplugin5_2_pb2 as pb5
from tfplugin_proto import tfplugin6_0_pb2 as pb6

from riconnect.terraform.alicloud.provider import AlicloudProvider
from riconnect.terraform.install import INTERPRETER_FLAGS
from riconnect.terraform.plugin.engine import Engine
from riconnect.terraform.plugin.tfplugin6 import Servicer, call

# One provider process: start-up imports, a GetSchema, then a call about alicloud_vpc.
PROCESS = r"""
import json, sys
from riconnect.terraform.plugin import grpc_server
grpc_server.run = lambda factory: None  # the entry's imports, without serving
import riconnect.terraform.alicloud.__main__
from riconnect.terraform.alicloud.provider import AlicloudProvider
from riconnect.terraform.plugin import tfplugin5, tfplugin6
from riconnect.terraform.plugin.engine import Engine

def lazy():
    prefixes = ("riconnect.terraform.alicloud.resources.", "riconnect.terraform.alicloud.data_sources.")
    return sorted(m for m in sys.modules if m.startswith(prefixes) or m.endswith("alicloud.client"))

seen = {"start": lazy()}
servicer = tfplugin6.Servicer(Engine(AlicloudProvider()))
answer = tfplugin5.serve_call(servicer, "GetSchema", b"")
seen["schema"] = lazy()
servicer.engine.resource("alicloud_vpc")
seen["vpc"] = lazy()
open(sys.argv[1], "wb").write(answer)
print(json.dumps(seen))
"""


def _process(cache: Path, out: Path) -> dict[str, list[str]]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, *INTERPRETER_FLAGS, "-c", PROCESS, str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen: dict[str, list[str]] = json.loads(done.stdout)
    return seen


def test_modules_are_imported_when_a_call_needs_them(tmp_path: Path) -> None:
    vpc = ["riconnect.terraform.alicloud.client", "riconnect.terraform.alicloud.resources.vpc"]
    # First process: nothing kept yet, so GetSchema builds the answer from every module.
    first = _process(tmp_path / "cache", tmp_path / "first.bin")
    assert first["start"] == []
    assert "riconnect.terraform.alicloud.data_sources.zones" in first["schema"]
    assert len(list((tmp_path / "cache" / "riconnect").iterdir())) == 1
    # Next process: the kept answer; only the vpc module when a call is about alicloud_vpc.
    second = _process(tmp_path / "cache", tmp_path / "second.bin")
    assert second == {"start": [], "schema": [], "vpc": vpc}

    # The kept answer is the one built in this process with every module imported.
    built = call(
        Servicer(Engine(AlicloudProvider())), "GetProviderSchema", pb6.GetProviderSchema.Request()
    )
    expected = pb5.GetProviderSchema.Response.FromString(built.SerializeToString())
    for name in ("first.bin", "second.bin"):
        kept = pb5.GetProviderSchema.Response.FromString((tmp_path / name).read_bytes())
        assert kept == expected
    assert len(expected.resource_schemas) == 7 and len(expected.data_source_schemas) == 10
