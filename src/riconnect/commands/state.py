"""``riconnect state``: show every resource by account and region (riconnect/commands/operator.py does it)."""

from __future__ import annotations

import argparse

from riconnect.commands import operator

HELP = "show every resource by account and region"
DESCRIPTION = "Show what the cloud holds: VPCs, VBRs, router interfaces and physical connections by account and region (what GET /riconnect/state answers), from a running server (--endpoint) or a database (--db)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    operator.add_state_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return operator.run(operator.cmd_state, args)
