"""``riconnect settings``: show or change the live settings (transitions, faults, seed, VPC quota) (riconnect/commands/operator.py does it)."""

from __future__ import annotations

import argparse

from riconnect.commands import operator

HELP = "show or change the live settings (transitions, faults, seed, VPC quota)"
DESCRIPTION = "Show the settings in effect, or change them for every server on the cloud's database: --set KEY=VALUE (Transitions, Faults, FaultSeed, RetryAfterMs, Seed, VpcQuota; VALUE is JSON or plain text), --clear to return to each server's own flags."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    operator.add_settings_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return operator.run(operator.cmd_settings, args)
