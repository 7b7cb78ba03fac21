"""``riconnect admin``: operator actions on an existing cloud's database."""

from __future__ import annotations

import argparse

HELP = "operator actions on a cloud's database (physical connections, locks)"
DESCRIPTION = (
    "Operator actions that no API caller can do. They work on an existing cloud's database "
    "directly (a missing database is an error, never a new empty cloud) and are safe while "
    "servers run on it."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", default=None, help="the cloud's database (default: serve's) [RICONNECT_DB]"
    )
    sub = parser.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    add = sub.add_parser(
        "add-physical-connection",
        help="give an account a physical connection",
        description="Give an account a physical connection at an access point of a region.",
    )
    add.add_argument("--account", required=True, help="16-digit account id")
    add.add_argument(
        "--access-point", required=True, help="access point id, e.g. ap-cn-hangzhou-jg-B"
    )
    add.add_argument("--region", required=True, help="the access point's region, e.g. cn-hangzhou")
    add.add_argument("--bandwidth", type=int, default=1000, help="Mbps (default 1000)")
    add.add_argument("--name", default="", help="a name for people (default none)")
    add.add_argument("--id", default=None, help="physical connection id (default: generated)")
    ls = sub.add_parser(
        "list-physical-connections",
        help="an account's physical connections",
        description="List an account's physical connections, one a line.",
    )
    ls.add_argument("--account", required=True, help="16-digit account id")
    lock = sub.add_parser(
        "set-business-status",
        help="lock or unlock a router interface as billing would",
        description="Set a router interface's BusinessStatus, as billing or security would.",
    )
    lock.add_argument("--account", required=True, help="16-digit account id")
    lock.add_argument("interface_id", help="router interface id, e.g. ri-...")
    lock.add_argument("status", choices=("Normal", "FinancialLocked", "SecurityLocked"))


def run(args: argparse.Namespace) -> int:
    import time

    from riconnect.commands import CommandError, open_existing_cloud
    from riconnect.service import admin

    store = open_existing_cloud(args.db)
    try:
        if args.admin_command == "add-physical-connection":
            pc = admin.add_physical_connection(
                store,
                args.account,
                args.access_point,
                args.region,
                bandwidth=args.bandwidth,
                name=args.name,
                pc_id=args.id,
                now=time.time(),
            )
            print(pc.id)
        elif args.admin_command == "list-physical-connections":
            for pc in admin.list_physical_connections(store, args.account):
                print(
                    f"{pc.id}\t{pc.region_id}\t{pc.access_point_id}\t{pc.bandwidth} Mbps\t{pc.name}"
                )
        elif args.admin_command == "set-business-status":
            admin.set_business_status(store, args.account, args.interface_id, args.status)
            print(f"{args.interface_id}: {args.status}")
    except ValueError as exc:
        raise CommandError(str(exc), status=1) from None
    finally:
        store.close()
    return 0
