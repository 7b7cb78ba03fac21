"""``riconnect demo``: the seed example, end to end, on a local cloud."""

from __future__ import annotations

import argparse

HELP = "start a local cloud, build and destroy the seed example with Terraform"
DESCRIPTION = (
    "Start a cloud on a free port, install riconnect's alicloud provider into a local "
    "mirror, apply the seed example (two VPCs joined by a router interface pair) with "
    "Terraform, show the pair as the cloud reports it, check that a second plan is clean, "
    "destroy everything and stop the cloud. Its files go into --workdir: a new or empty "
    "directory, or one an earlier demo made; the demo never deletes anything it did not "
    "make. Needs terraform: the one installed beside this Python (the test or terraform "
    "extra, e.g. pip install '.[terraform]' in a clone) or one on PATH."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workdir", default=".demo", help="where the demo's files go (default .demo)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="leave the cloud and what was built running"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show Terraform's full output as it runs"
    )


def run(args: argparse.Namespace) -> int:
    from riconnect.commands import CommandError
    from riconnect.demo import DemoError, run_demo

    try:
        return run_demo(workdir=args.workdir, keep=args.keep, verbose=args.verbose)
    except DemoError as exc:
        raise CommandError(str(exc), exc.status) from None
