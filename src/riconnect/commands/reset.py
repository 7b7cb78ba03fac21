"""``riconnect reset``: empty the cloud, keeping its accounts (riconnect/commands/operator.py does it)."""

from __future__ import annotations

import argparse

from riconnect.commands import operator

HELP = "empty the cloud, keeping its accounts"
DESCRIPTION = "Delete every VPC, VBR, router interface and ClientToken (of one account with --account); accounts and physical connections stay."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    operator.add_reset_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return operator.run(operator.cmd_reset, args)
