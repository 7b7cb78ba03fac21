"""``riconnect requests``: the most recent requests a server answered (riconnect/commands/operator.py does it)."""

from __future__ import annotations

import argparse

from riconnect.commands import operator

HELP = "the most recent requests a server answered"
DESCRIPTION = "The request journal of the server process that answers (oldest first)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    operator.add_requests_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return operator.run(operator.cmd_requests, args)
