"""``riconnect snapshot``: save or load the whole cloud as a file (riconnect/commands/operator.py does it)."""

from __future__ import annotations

import argparse

from riconnect.commands import operator

HELP = "save or load the whole cloud as a file"
DESCRIPTION = "Save a consistent copy of the cloud (taken while servers run), or load one in place of what the cloud holds (atomically). Files ending in .gz are compressed. Snapshots from older riconnect versions are migrated forward; newer ones are refused."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    operator.add_snapshot_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return operator.run(operator.cmd_snapshot, args)
