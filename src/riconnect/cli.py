"""The ``riconnect`` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from riconnect import __version__


def _serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from riconnect.api.config import options

    p = sub.add_parser(
        "serve",
        help="run the cloud: the Vpc 2016-04-28 and Sts 2015-04-01 APIs over HTTP",
        description="Run riconnect's cloud. Each option can also be set with the environment "
        "variable shown; a flag wins over the variable, the variable over the default.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # One option per setting of api/config.py, in its order.
    for option in options():
        typed: dict[str, Any] = {} if option.parse is str else {"type": option.parse}
        p.add_argument(
            option.flag,
            dest=option.name,
            default=None,
            help=f"{option.help} [{option.env}]",
            **typed,
        )


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from riconnect.api.config import ServerConfig, options
    from riconnect.api.http import GuardedH11Protocol
    from riconnect.api.startup import SUPERVISOR_ENV, configure_logging, create_app

    try:
        config = ServerConfig.from_env(**{o.name: getattr(args, o.name) for o in options()})
        # Worker processes read their configuration from the environment.
        os.environ.update(config.to_env())
        os.environ[SUPERVISOR_ENV] = str(os.getpid())
        configure_logging(config.log_level)
        app = None if config.workers > 1 else create_app()
    except (ValueError, OSError) as exc:
        print(f"riconnect: {exc}", file=sys.stderr)
        return 2
    print(
        f"riconnect {__version__}: cloud at http://{config.host}:{config.port} "
        f"(db {config.db}, transitions {config.transitions})",
        file=sys.stderr,
        flush=True,
    )
    uvicorn_options: dict[str, Any] = {
        "host": config.host,
        "port": config.port,
        "log_level": "warning",
        "access_log": False,
        # Always h11 (with deadlines, see api/http.py): uvicorn's "auto" would pick
        # httptools when installed, which ignores the head size limit.
        "http": GuardedH11Protocol,
        "timeout_keep_alive": config.keep_alive,
        "h11_max_incomplete_event_size": config.max_header_size,
        "timeout_graceful_shutdown": config.shutdown_timeout,
    }
    if app is not None:
        uvicorn.run(app, **uvicorn_options)
    else:
        _run_workers(config.workers, uvicorn_options)
    return 0


def _run_workers(workers: int, options: dict[str, Any]) -> None:
    """``uvicorn.run(..., workers=N)``, but with TCP_NODELAY on the listening socket.

    uvicorn binds the shared socket with ``socket.socket(AF_INET)`` (protocol 0), and
    asyncio only sets TCP_NODELAY on accepted connections whose protocol is IPPROTO_TCP;
    so every answer (headers and body are two writes) waited for the client's delayed ACK:
    about 40 ms per request.  Linux copies TCP_NODELAY from the listener to each
    accepted connection.
    """
    import inspect
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "riconnect.api.startup:create_app", factory=True, workers=workers, **options
    )
    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        if "target" in inspect.signature(Multiprocess).parameters:  # older uvicorn
            Multiprocess(config, target=uvicorn.Server(config).run, sockets=[sock]).run()  # type: ignore[call-arg]
        else:
            Multiprocess(config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()


def _admin_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "admin",
        help="operator actions on a cloud's database (physical connections, locks)",
        description="Operator actions that no API caller can do. They work on the database "
        "directly and are safe while servers run on it.",
    )
    p.add_argument("--db", default=None, help="the cloud's database [RICONNECT_DB]")
    asub = p.add_subparsers(dest="admin_command", required=True)
    add = asub.add_parser("add-physical-connection", help="give an account a physical connection")
    add.add_argument("--account", required=True, help="16-digit account id")
    add.add_argument(
        "--access-point", required=True, help="access point id, e.g. ap-cn-hangzhou-jg-B"
    )
    add.add_argument("--region", required=True, help="region id, e.g. cn-hangzhou")
    add.add_argument("--bandwidth", type=int, default=1000, help="Mbps (default 1000)")
    add.add_argument("--name", default="")
    add.add_argument("--id", default=None, help="physical connection id (default: generated)")
    ls = asub.add_parser("list-physical-connections", help="an account's physical connections")
    ls.add_argument("--account", required=True)
    lock = asub.add_parser(
        "set-business-status", help="lock or unlock a router interface as billing would"
    )
    lock.add_argument("--account", required=True)
    lock.add_argument("interface_id")
    lock.add_argument("status", choices=("Normal", "FinancialLocked", "SecurityLocked"))


def cmd_admin(args: argparse.Namespace) -> int:
    import time

    from riconnect.api.config import ServerConfig
    from riconnect.service import admin
    from riconnect.store.db import Store

    config = ServerConfig.from_env(db=args.db)
    try:
        store = Store(config.db)
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
        print(f"riconnect admin: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_terraform_setup(target: str) -> int:
    from pathlib import Path

    from riconnect.terraform.install import setup_mirror

    result = setup_mirror(Path(target))
    for launcher in result["launchers"]:
        print(f"provider: {launcher}", file=sys.stderr)
    print(f"CLI config: {result['cli_config']}", file=sys.stderr)
    print("Then point Terraform at it and at the cloud, e.g.:", file=sys.stderr)
    print("  export ALIBABA_CLOUD_ENDPOINT_VPC=http://127.0.0.1:18080", file=sys.stderr)
    print("  export ALIBABA_CLOUD_ENDPOINT_STS=http://127.0.0.1:18080", file=sys.stderr)
    print("  export ALIBABA_CLOUD_ENDPOINT_ECS=http://127.0.0.1:18080", file=sys.stderr)
    print(result["export"])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="riconnect", description=__doc__)
    parser.add_argument("--version", action="version", version=f"riconnect {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _serve_parser(sub)
    demo = sub.add_parser("demo", help="start a cloud and run the seed example end to end")
    demo.add_argument("--keep", action="store_true", help="leave the cloud running afterwards")
    demo.add_argument(
        "--workdir", default=None, help="where to put the demo's files (default .demo)"
    )
    _admin_parser(sub)
    from riconnect import reach

    reach.add_parser(sub)
    tf = sub.add_parser("terraform", help="install riconnect's Terraform provider")
    tfsub = tf.add_subparsers(dest="tf_command", required=True)
    setup = tfsub.add_parser(
        "setup",
        help="write a provider mirror and CLI config into DIR",
        description="Write a filesystem mirror holding the alicloud provider for "
        "registry.terraform.io/hashicorp/alicloud and registry.terraform.io/aliyun/alicloud, "
        "and a Terraform CLI config that uses it. Then `terraform init` works offline.",
    )
    setup.add_argument("dir", help="target directory")
    args = parser.parse_args(argv)
    if args.command == "terraform":
        return cmd_terraform_setup(args.dir)
    if args.command == "admin":
        return cmd_admin(args)
    if args.command == "reach":
        return reach.run(args)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "demo":
        from riconnect.demo import run_demo

        return run_demo(keep=args.keep, workdir=args.workdir)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
