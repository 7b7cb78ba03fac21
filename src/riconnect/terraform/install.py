"""Install a Python provider for Terraform as an unpacked filesystem mirror.

Layout written under ``target_dir``::

    mirror/<host>/<namespace>/<type>/<version>/<os>_<arch>/terraform-provider-<type>_v<version>
    terraformrc        CLI config: filesystem_mirror for our addresses, direct for the rest

The executable is a ``#!/bin/sh`` launcher that ``exec``s this interpreter, so the
Python process is Terraform's direct child and receives its signals. ``terraform init``
works offline and writes a lock file (its ``h1:`` hash covers the launcher only, not the
Python code it runs).
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Terraform's registry, and OpenTofu's (where `aliyun/alicloud` means
# registry.opentofu.org/aliyun/alicloud).
ALICLOUD_ADDRESSES = (
    "registry.terraform.io/hashicorp/alicloud",
    "registry.terraform.io/aliyun/alicloud",
    "registry.opentofu.org/hashicorp/alicloud",
    "registry.opentofu.org/aliyun/alicloud",
)
ALICLOUD_MODULE = "riconnect.terraform.alicloud"
# The official provider release whose schema riconnect's provider follows, and the version it
# is published under in the mirror, so that constraints such as `version = ">= 1.220.0"` in
# users' configurations resolve to it (`riconnect terraform setup --provider-version` changes
# it).  Terraform reads the version only from the mirror's directory names.
ALICLOUD_VERSION = "1.285.0"

_ARCHES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}

# -P keeps the working directory (Terraform's configuration dir) off sys.path, so a
# stray file there cannot shadow a module; no -I/-S: the venv's site-packages and
# editable installs need the site module.
INTERPRETER_FLAGS = ("-P",)


def platform_dir() -> str:
    """Terraform's ``<os>_<arch>`` for this machine, e.g. ``linux_amd64``."""
    machine = platform.machine().lower()
    arch = _ARCHES.get(machine, machine)
    system = "darwin" if sys.platform == "darwin" else sys.platform.rstrip("0123456789")
    return f"{system}_{arch}"


def provider_command(provider: str, python: str | None = None) -> list[str]:
    """The command that runs ``provider``: a module name (``python -P -m module``) or the
    path of a ``.py`` file (``python -P file.py``, e.g. a test provider kept outside the
    installed package)."""
    interpreter = os.path.abspath(python or sys.executable)
    if provider.endswith(".py"):
        return [interpreter, *INTERPRETER_FLAGS, os.path.abspath(provider)]
    return [interpreter, *INTERPRETER_FLAGS, "-m", provider]


def launcher_script(provider: str, python: str | None = None) -> str:
    argv = provider_command(provider, python)
    return "#!/bin/sh\nexec " + " ".join(shlex.quote(a) for a in argv) + ' "$@"\n'


def _hcl_string(text: str) -> str:
    # JSON string escapes are valid HCL; "${" and "%{" would start a template.
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def cli_config(mirror_dir: Path, addresses: Sequence[str]) -> str:
    include = ", ".join(_hcl_string(a) for a in addresses)
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {_hcl_string(str(mirror_dir))}\n"
        f"    include = [{include}]\n"
        "  }\n"
        "  direct {\n"
        f"    exclude = [{include}]\n"
        "  }\n"
        "}\n"
    )


def setup_mirror(
    target_dir: Path,
    provider_module: str = ALICLOUD_MODULE,
    version: str = ALICLOUD_VERSION,
    addresses: Sequence[str] = ALICLOUD_ADDRESSES,
    python: str | None = None,
) -> dict[str, Any]:
    """Write the mirror and CLI config; return their paths and the export line.

    ``provider_module`` is a module name or a ``.py`` file (see :func:`provider_command`).
    ``addresses`` are full provider source addresses (``host/namespace/type``); the
    executable of each is named after its type, as Terraform requires.
    """
    target_dir = Path(target_dir).absolute()
    mirror = target_dir / "mirror"
    plat = platform_dir()
    script = launcher_script(provider_module, python)
    launchers: list[Path] = []
    for address in addresses:
        host, namespace, type_name = address.split("/")
        folder = mirror / host / namespace / type_name / version / plat
        folder.mkdir(parents=True, exist_ok=True)
        exe = folder / f"terraform-provider-{type_name}_v{version}"
        exe.write_text(script)
        exe.chmod(0o755)
        launchers.append(exe)
    config = target_dir / "terraformrc"
    config.write_text(cli_config(mirror, addresses))
    return {
        "mirror_dir": mirror,
        "cli_config": config,
        "launchers": launchers,
        "addresses": list(addresses),
        "version": version,
        "platform": plat,
        "export": f"export TF_CLI_CONFIG_FILE={shlex.quote(str(config))}",
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m riconnect.terraform.install DIR [MODULE|FILE.py]``: print the export line."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m riconnect.terraform.install TARGET_DIR [PROVIDER_MODULE|FILE.py]")
        return 0 if args else 2
    module = args[1] if len(args) > 1 else ALICLOUD_MODULE
    result = setup_mirror(Path(args[0]), module)
    print(result["export"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
