"""``riconnect terraform``: install riconnect's Terraform provider (``setup``); run Terraform,
unchanged code and the official provider included, against riconnect (``run``, ``override``:
riconnect/terraform/override.py)."""

from __future__ import annotations

import argparse
import sys

HELP = "install riconnect's alicloud provider; run your Terraform code against riconnect"
DESCRIPTION = (
    "Terraform finds riconnect's alicloud provider through a local filesystem mirror. "
    "'riconnect terraform setup DIR' writes one into DIR, with a Terraform CLI config that "
    "uses it, and prints the export line that points Terraform at it; after that, plain "
    "'terraform init' works offline for configurations written for Alibaba Cloud. "
    "'riconnect terraform run -- ARGS' runs terraform with a temporary override file that "
    'points every provider "alicloud" block (the official provider\'s too) at riconnect; '
    "'riconnect terraform override' writes that file only."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="tf_command", required=True, metavar="SUBCOMMAND")
    setup = sub.add_parser(
        "setup",
        help="write a provider mirror and CLI config into DIR",
        description="Write a filesystem mirror holding the alicloud provider for "
        "hashicorp/alicloud and aliyun/alicloud (of registry.terraform.io, and of "
        "registry.opentofu.org for OpenTofu), and a Terraform CLI config that uses it. Prints "
        'the line to eval, e.g. eval "$(riconnect terraform setup ~/.riconnect-tf)".',
    )
    setup.add_argument("dir", help="target directory (created if missing)")
    setup.add_argument(
        "--provider-version",
        default="1.285.0",
        help="the version to publish the provider under (default: 1.285.0, the official "
        "release whose schema it follows)",
    )
    from riconnect.terraform import override

    override.add_commands(sub)  # run, override


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    if args.tf_command in ("run", "override"):
        from riconnect.terraform import override

        return override.run_command(args)

    from riconnect.commands import CommandError
    from riconnect.terraform.install import setup_mirror

    target = Path(args.dir).expanduser()
    if target.exists() and not target.is_dir():
        raise CommandError(f"{args.dir}: not a directory: give a directory for the mirror")
    try:
        result = setup_mirror(target, version=args.provider_version)
    except OSError as exc:
        raise CommandError(f"{args.dir}: cannot write the mirror ({exc.strerror})") from None
    for launcher in result["launchers"]:
        print(f"provider: {launcher}", file=sys.stderr)
    print(f"CLI config: {result['cli_config']}", file=sys.stderr)
    print("Then point Terraform at the cloud, e.g.:", file=sys.stderr)
    print("  export ALIBABA_CLOUD_ENDPOINT_VPC=http://127.0.0.1:18080", file=sys.stderr)
    print("  export ALIBABA_CLOUD_ENDPOINT_STS=http://127.0.0.1:18080", file=sys.stderr)
    print("  export ALIBABA_CLOUD_ENDPOINT_ECS=http://127.0.0.1:18080", file=sys.stderr)
    print(result["export"])
    return 0
