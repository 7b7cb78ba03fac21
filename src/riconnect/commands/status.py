"""``riconnect status``: is a server up: version, store, uptime, counts, settings (riconnect/commands/operator.py does it)."""

from __future__ import annotations

import argparse

from riconnect.commands import operator

HELP = "is a server up: version, store, uptime, counts, settings"
DESCRIPTION = "Ask a running server how it is: version, schema revision, store, uptime, resources per type and the settings in effect. Exit status 1 when no server answers."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    operator.add_status_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return operator.run(operator.cmd_status, args)
