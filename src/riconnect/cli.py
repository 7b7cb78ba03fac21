"""The ``riconnect`` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from riconnect import __version__


def _serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from riconnect.api.server import ServerConfig

    d = ServerConfig()
    p = sub.add_parser(
        "serve",
        help="run the cloud: the Vpc 2016-04-28 and Sts 2015-04-01 APIs over HTTP",
        description="Run riconnect's cloud. Each option can also be set with the environment "
        "variable shown; a flag wins over the variable, the variable over the default.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )

    def opt(name: str, help: str, **kw: object) -> None:
        var = "RICONNECT_" + name.upper().replace("-", "_")
        p.add_argument(f"--{name}", default=None, help=f"{help} [{var}]", **kw)  # type: ignore[arg-type]

    opt("host", f"address to listen on (default {d.host})")
    opt("port", f"TCP port (default {d.port})", type=int)
    opt("db", f"SQLite file path or SQLAlchemy URL; ':memory:' keeps nothing (default {d.db})")
    opt("accounts", "TOML accounts file (default: one demo account, see README)")
    opt(
        "transitions",
        "how long intermediate states last: immediate | realistic | "
        "fixed:SECONDS | name=SECONDS,... (default immediate)",
    )
    opt(
        "faults",
        "comma-separated fault rules [Action:]Code=rate, e.g. Throttling.User=0.3 (default none)",
    )
    opt("fault-seed", "random seed for fault injection (default: random)")
    opt(
        "retry-after-ms",
        f"x-acs-retry-after sent with injected throttling (default {d.retry_after_ms})",
        type=int,
    )
    opt("vpc-quota", f"VPCs per account and region (default {d.vpc_quota})", type=int)
    opt("max-body", f"largest request body in bytes (default {d.max_body})", type=int)
    opt("workers", "server processes sharing one database (default 1)", type=int)
    opt("threads", f"worker threads per process (default {d.threads})", type=int)
    opt("log-level", "debug | info | warning | error (default info)")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from riconnect.api.server import ServerConfig, configure_logging, create_app

    overrides = {
        k: getattr(args, k)
        for k in (
            "host",
            "port",
            "db",
            "accounts",
            "transitions",
            "faults",
            "fault_seed",
            "retry_after_ms",
            "vpc_quota",
            "max_body",
            "workers",
            "threads",
            "log_level",
        )
    }
    try:
        config = ServerConfig.from_env(**overrides)
        # Worker processes read their configuration from the environment.
        os.environ.update(config.to_env())
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
    uvicorn.run(
        app if app is not None else "riconnect.api.server:create_app",
        factory=app is None,
        host=config.host,
        port=config.port,
        workers=config.workers if config.workers > 1 else None,
        log_level="warning",
        access_log=False,
        timeout_keep_alive=15,
        h11_max_incomplete_event_size=64 * 1024,
    )
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
    args = parser.parse_args(argv)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "demo":
        from riconnect.demo import run_demo

        return run_demo(keep=args.keep, workdir=args.workdir)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
