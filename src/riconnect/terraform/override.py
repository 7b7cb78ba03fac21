"""``riconnect terraform run`` and ``riconnect terraform override``: the ``tflocal`` of Alibaba
Cloud.  Unchanged Terraform code, official provider or riconnect's, runs against riconnect.

``override`` writes ``riconnect_override.tf`` into the configuration's directory.  Terraform
merges a ``*_override.tf`` file into the configuration, so every ``provider "alicloud"``
block (aliases included) is pointed at riconnect without touching the user's files:

* ``endpoints { ... }`` with ``host:port`` for each product riconnect serves and
  ``location`` (terraform/endpoints.py), so no endpoint lookup leaves the machine;
* ``protocol = "HTTP"``: riconnect speaks plain HTTP;
* ``account_type = "Domestic"``: the official provider otherwise probes BssOpenApi at start;
* ``account_id``, looked up with STS GetCallerIdentity with the credentials of the usual
  environment variables, for each block that takes its credentials from there (a block
  with its own keys learns its account itself, from riconnect's STS);
* when no ``required_providers`` names ``alicloud``, ``source = "aliyun/alicloud"``, so that a
  configuration without one resolves to the official provider's address (Terraform's
  implied ``hashicorp/alicloud`` is not published).

``run`` writes the file, runs ``terraform ARGS`` in the directory with ``HTTP_PROXY`` set to
riconnect (a request for a real ``*.aliyuncs.com`` endpoint that the override does not cover,
such as the official provider's lookup of another region's interface, reaches riconnect
instead: api/request.py), and removes the file when Terraform ends, on Ctrl-C too.  A file
of that name that riconnect did not write is never overwritten.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import hmac
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import quote, urlencode, urlsplit

from riconnect.terraform.endpoints import ENDPOINT_KEYS
from riconnect.terraform.hclscan import HclError, Scan, scan_directory

__all__ = [
    "DEFAULT_ENDPOINT",
    "OVERRIDE_FILE",
    "OverrideError",
    "add_commands",
    "override_text",
    "run_command",
    "run_terraform",
    "written_override",
]

DEFAULT_ENDPOINT = "http://127.0.0.1:18080"
OVERRIDE_FILE = "riconnect_override.tf"
MARKER = "# Written by riconnect (riconnect terraform run/override) for"
# Provider arguments through which a block brings its own credentials (then its account id
# is not the environment's).
_OWN_CREDENTIALS = frozenset(
    {
        "access_key",
        "secret_key",
        "security_token",
        "profile",
        "shared_credentials_file",
        "assume_role",
        "assume_role_with_oidc",
        "ecs_role_name",
        "credentials_uri",
    }
)
# The environment variables the official provider reads (provider.go), in its order.
_ACCESS_KEY_ENV = (
    "ALICLOUD_ACCESS_KEY",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_ID",
)
_SECRET_ENV = (
    "ALICLOUD_SECRET_KEY",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
)
_ACCOUNT_ENV = ("ALICLOUD_ACCOUNT_ID", "ALIBABA_CLOUD_ACCOUNT_ID")


class OverrideError(Exception):
    """Something the user must fix; the message is one line."""


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.hostport}"


def parse_endpoint(value: str) -> Endpoint:
    """``http://host:port``, ``host:port`` or ``host`` (port 80)."""
    text = value.strip().rstrip("/")
    parts = urlsplit(text if "://" in text else f"http://{text}")
    if parts.scheme != "http" or not parts.hostname or parts.path not in ("", "/"):
        raise OverrideError(
            f"--endpoint {value!r}: give riconnect's address as http://HOST:PORT "
            "(riconnect serves plain HTTP)"
        )
    try:
        port = parts.port or 80
    except ValueError:
        raise OverrideError(f"--endpoint {value!r}: the port is not a number") from None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return Endpoint(host, port)


def _env(names: Sequence[str], env: Mapping[str, str]) -> str:
    return next((env[n] for n in names if env.get(n)), "")


def _signed_query(params: dict[str, str], key: str, secret: str) -> str:
    """A V1 (HMAC-SHA1) signed GET query: what every Alibaba SDK sends.  Written out here
    because riconnect.terraform talks to the cloud only over the wire, like any client."""
    params = {
        **params,
        "AccessKeyId": key,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": uuid.uuid4().hex,
        "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    canonical = "&".join(
        f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(params.items())
    )
    to_sign = f"GET&%2F&{quote(canonical, safe='~')}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return urlencode({**params, "Signature": base64.b64encode(digest).decode()})


def caller_account(endpoint: Endpoint, env: Mapping[str, str], timeout: float = 10.0) -> str:
    """The account of the environment's credentials, from riconnect's STS GetCallerIdentity;
    "" when there are none or riconnect does not answer (a warning says so)."""
    account = _env(_ACCOUNT_ENV, env)
    if account:
        return account
    key, secret = _env(_ACCESS_KEY_ENV, env), _env(_SECRET_ENV, env)
    if not key or not secret:
        return ""
    query = _signed_query(
        {"Action": "GetCallerIdentity", "Version": "2015-04-01", "Format": "JSON"}, key, secret
    )
    # Straight to riconnect, whatever proxy the environment names.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{endpoint.url}/?{query}", timeout=timeout) as response:
            return str(json.loads(response.read()).get("AccountId", ""))
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read()).get("Code", exc.reason)
        except ValueError:
            detail = exc.reason
        _warn(f"STS GetCallerIdentity at {endpoint.url} failed ({detail}); account_id not set")
    except (OSError, ValueError) as exc:
        _warn(f"riconnect does not answer at {endpoint.url} ({exc}); account_id not set")
    return ""


def _warn(message: str) -> None:
    print(f"riconnect terraform: {message}", file=sys.stderr)


def _hcl(text: str) -> str:
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def override_text(scan: Scan, endpoint: Endpoint, account_id: str, keys: Sequence[str]) -> str:
    """The override file for the scanned configuration."""
    width = max(len(k) for k in keys)
    endpoints = "".join(f"    {k.ljust(width)} = {_hcl(endpoint.hostport)}\n" for k in keys)
    lines = [
        f"{MARKER} {endpoint.url}.",
        "# It points every alicloud provider configuration of this directory at riconnect and",
        "# is removed when `riconnect terraform run` ends; delete it by hand after `override`.",
        "",
    ]
    if not scan.declares_alicloud:
        lines += [
            "terraform {",
            "  required_providers {",
            '    alicloud = { source = "aliyun/alicloud" }',
            "  }",
            "}",
            "",
        ]
    # The default configuration always: Terraform lets an override create it (an absent one
    # is an empty one), and resources that name no provider use it.
    aliases: list[str | None] = [None]
    own_credentials: dict[str | None, bool] = {None: False}
    for config in scan.providers:
        if config.alias not in aliases:
            aliases.append(config.alias)
        own_credentials[config.alias] = own_credentials.get(config.alias, False) or bool(
            config.names & _OWN_CREDENTIALS
        )
    for alias in aliases:
        lines.append('provider "alicloud" {')
        if alias is not None:
            lines.append(f"  alias        = {_hcl(alias)}")
        lines.append('  protocol     = "HTTP"')
        lines.append('  account_type = "Domestic"')
        if account_id and not own_credentials.get(alias, False):
            lines.append(f"  account_id   = {_hcl(account_id)}")
        lines += ["  endpoints {", endpoints.rstrip("\n"), "  }", "}", ""]
    return "\n".join(lines)


def _is_ours(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.readline().startswith(MARKER)
    except OSError:
        return False


def write_override(directory: Path, endpoint: Endpoint, env: Mapping[str, str]) -> Path:
    """Write the override file into ``directory``; refuses to replace a file of the user's."""
    if not directory.is_dir():
        raise OverrideError(f"{directory}: not a directory")
    path = directory / OVERRIDE_FILE
    if path.exists() and not _is_ours(path):
        raise OverrideError(
            f"{path} exists and was not written by riconnect; it is left alone "
            "(rename it, or run in another directory)"
        )
    try:
        scan = scan_directory(directory, skip=OVERRIDE_FILE)
    except (HclError, OSError) as exc:
        raise OverrideError(f"cannot read the configuration in {directory}: {exc}") from None
    defaults = [c for c in scan.providers if c.alias is None]
    needs_account = any(not (c.names & _OWN_CREDENTIALS) for c in scan.providers) or not defaults
    account = caller_account(endpoint, env) if needs_account else ""
    path.write_text(override_text(scan, endpoint, account, ENDPOINT_KEYS), encoding="utf-8")
    return path


@contextlib.contextmanager
def written_override(directory: Path, endpoint: Endpoint, env: Mapping[str, str]) -> Iterator[Path]:
    """The override file for as long as the block runs; removed afterwards, whatever happens."""
    path = write_override(directory, endpoint, env)
    try:
        yield path
    finally:
        if _is_ours(path):
            path.unlink(missing_ok=True)


def proxy_environment(env: Mapping[str, str], endpoint: Endpoint) -> dict[str, str]:
    """``env`` with riconnect as the HTTP proxy (riconnect itself excepted, for clients that
    honour NO_PROXY: Tea compares each entry with ``host:port`` exactly)."""
    out = dict(env)
    direct = ",".join(
        dict.fromkeys(
            [endpoint.hostport, f"127.0.0.1:{endpoint.port}", f"localhost:{endpoint.port}"]
        )
    )
    for name in ("HTTP_PROXY", "http_proxy"):
        out[name] = endpoint.url
    for name in ("NO_PROXY", "no_proxy"):
        out[name] = direct
    return out


def _terminal_fd() -> int | None:
    """stdin's descriptor when it is our controlling terminal and we are in its foreground."""
    try:
        fd = sys.stdin.fileno()
        if os.isatty(fd) and os.tcgetpgrp(fd) == os.getpgrp():
            return fd
    except (OSError, ValueError, AttributeError):
        pass
    return None


def _give_terminal(fd: int, pgrp: int) -> None:
    # Changing the foreground group from outside it raises SIGTTOU unless ignored.
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(fd, pgrp)
    except OSError:
        pass
    finally:
        signal.signal(signal.SIGTTOU, previous)


def run_child(argv: Sequence[str], cwd: Path, env: Mapping[str, str]) -> int:
    """Run ``argv`` as a shell runs a foreground job: in its own process group, which gets the
    terminal (so Ctrl-C reaches it once, and it can prompt).  SIGINT, SIGTERM and SIGHUP sent
    to this process are passed on to it.  Returns its exit status (128+N for signal N)."""
    terminal = _terminal_fd()

    def become_foreground() -> None:  # in the child, before exec
        if terminal is not None:
            _give_terminal(terminal, os.getpgrp())

    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        process_group=0,
        preexec_fn=become_foreground if terminal is not None else None,
    )

    def forward(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signum)

    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, forward) for s in handled}
    try:
        while True:
            try:
                code = proc.wait()
                break
            except InterruptedError:  # pragma: no cover - PEP 475 retries wait() itself
                continue
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if terminal is not None:
            _give_terminal(terminal, os.getpgrp())
    return 128 - code if code < 0 else code


def run_terraform(
    args: Sequence[str],
    directory: Path,
    endpoint: Endpoint,
    terraform: str | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """``terraform ARGS`` in ``directory`` with the override in place; its exit status."""
    env = dict(os.environ if env is None else env)
    binary = terraform or shutil.which("terraform", path=env.get("PATH"))
    if not binary:
        raise OverrideError("terraform is not on PATH; give its path with --terraform")
    if not directory.is_dir():
        raise OverrideError(f"{directory}: not a directory")
    with written_override(directory, endpoint, env):
        return run_child([binary, *args], directory, proxy_environment(env, endpoint))


# -- the commands (cli.py registers them) ---------------------------------------------------


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser(
        "run",
        help="run terraform against riconnect, unchanged code and official provider included",
        description="Run `terraform ARGS` in DIR with a temporary riconnect_override.tf that "
        'points every provider "alicloud" block at riconnect (endpoints, protocol HTTP, '
        "account), and riconnect as HTTP proxy so that no request leaves the machine. The "
        "file is removed when terraform ends, on Ctrl-C too. Example: "
        "riconnect terraform run -- apply -auto-approve",
    )
    run.add_argument("--endpoint", default=DEFAULT_ENDPOINT, help="riconnect's address")
    run.add_argument("--dir", default=".", help="the configuration's directory (default .)")
    run.add_argument("--terraform", default=None, help="the terraform (or tofu) to run")
    run.add_argument("terraform_args", nargs=argparse.REMAINDER, help="-- then terraform's")
    override = sub.add_parser(
        "override",
        help="write riconnect_override.tf into DIR (then run terraform yourself)",
        description='Write riconnect_override.tf, which points every provider "alicloud" '
        "block of the configuration in DIR at riconnect. Delete it to go back to the real "
        "cloud.",
    )
    override.add_argument("--endpoint", default=DEFAULT_ENDPOINT, help="riconnect's address")
    override.add_argument("dir", nargs="?", default=".", help="the configuration's directory")


def run_command(args: argparse.Namespace) -> int:
    """``riconnect terraform run`` / ``override``; a user's mistake is one line, status 2."""
    try:
        endpoint = parse_endpoint(args.endpoint)
        if args.tf_command == "override":
            path = write_override(Path(args.dir), endpoint, os.environ)
            print(path)
            return 0
        terraform_args = list(args.terraform_args)
        if terraform_args[:1] == ["--"]:
            terraform_args = terraform_args[1:]
        if not terraform_args:
            raise OverrideError("give terraform's arguments after --, e.g. -- plan")
        return run_terraform(terraform_args, Path(args.dir), endpoint, args.terraform)
    except OverrideError as exc:
        print(f"riconnect terraform {args.tf_command}: {exc}", file=sys.stderr)
        return 2
