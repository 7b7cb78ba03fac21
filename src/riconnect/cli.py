"""The ``riconnect`` command: a thin dispatcher over riconnect/commands/.

Each command is one module listed in ``COMMANDS`` (see riconnect/commands/__init__.py for
what a module provides).  Only the module of the command being run adds its arguments, and
heavy imports wait for ``run``, so ``--help`` stays fast.  What the user must fix is printed
as one line and a non-zero exit status, never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import NoReturn

from riconnect import __version__

# name -> module; a new command is a module in riconnect/commands/ and one line here.
COMMANDS: dict[str, str] = {
    "serve": "riconnect.commands.serve",
    "demo": "riconnect.commands.demo",
    "admin": "riconnect.commands.admin",
    "terraform": "riconnect.commands.terraform",
    # The operator's commands (riconnect/commands/operator.py).
    "status": "riconnect.commands.status",
    "state": "riconnect.commands.state",
    "reset": "riconnect.commands.reset",
    "snapshot": "riconnect.commands.snapshot",
    "requests": "riconnect.commands.requests",
    "settings": "riconnect.commands.settings",
    "reach": "riconnect.commands.reach",
}

DESCRIPTION = (
    "riconnect is a local Alibaba Cloud for connecting networks: it serves the VPC OpenAPI "
    "(VPCs, virtual border routers and router interfaces) so that the official SDKs and "
    "Terraform cannot tell it from the real service, and ships an alicloud Terraform "
    "provider. New here? Run: riconnect demo"
)


class Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (usage is one --help away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see: {self.prog} --help)\n")


def _chosen(argv: Sequence[str]) -> str | None:
    # The top level has no option that takes a value, so the command is the first word.
    return next((a for a in argv if not a.startswith("-")), None)


def build_parser(argv: Sequence[str]) -> Parser:
    parser = Parser(prog="riconnect", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"riconnect {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = _chosen(argv)
    for name, path in COMMANDS.items():
        module = import_module(path)
        command = sub.add_parser(name, help=module.HELP, description=module.DESCRIPTION)
        if name == chosen:
            module.add_arguments(command)
    return parser


def _user_error(exc: BaseException) -> bool:
    from riconnect.api.config import SettingError
    from riconnect.commands import CommandError
    from riconnect.domain.accounts import AccountsFileError
    from riconnect.store.opening import StoreOpenError

    return isinstance(exc, SettingError | CommandError | AccountsFileError | StoreOpenError)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv).parse_args(argv)
    prog = f"riconnect {args.command}"
    try:
        status: int = import_module(COMMANDS[args.command]).run(args)
        return status
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if _user_error(exc):
            print(f"{prog}: {exc}", file=sys.stderr)
            return int(getattr(exc, "status", 2))
        if os.environ.get("RICONNECT_TRACEBACK"):
            raise
        print(
            f"{prog}: unexpected error ({type(exc).__name__}: {exc}); this is a bug, please "
            "report it with the output of the same command run with RICONNECT_TRACEBACK=1",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
