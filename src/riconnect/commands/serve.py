"""``riconnect serve``: run the cloud."""

from __future__ import annotations

import argparse

HELP = "run the cloud: the Vpc 2016-04-28 and Sts 2015-04-01 APIs over HTTP"
DESCRIPTION = (
    "Run riconnect's cloud until Ctrl-C or SIGTERM, which save the state and stop it. "
    "Each option can also be set with the environment variable shown in brackets; a flag "
    "wins over the variable, the variable over the default."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from riconnect.api.config import options

    # One option per setting of api/config.py, in its order.  Values are read and checked
    # there (the same way for flags and variables), so argparse takes them as text.
    for option in options():
        parser.add_argument(
            option.flag,
            dest=option.name,
            default=None,
            metavar=option.name.upper(),
            help=f"{option.help} [{option.env}]",
        )


def run(args: argparse.Namespace) -> int:
    from riconnect.api.config import ServerConfig, options
    from riconnect.api.server import serve
    from riconnect.commands import labelled
    from riconnect.store.opening import StoreOpenError, mask_password

    config = ServerConfig.from_env(**{o.name: getattr(args, o.name) for o in options()})
    try:
        return serve(config)
    except StoreOpenError as exc:
        raise labelled(config.given("db", mask_password(config.db)), exc) from None
