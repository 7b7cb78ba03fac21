"""``riconnect serve`` as a user runs it: the banner, the stop, what is left on disk (issue 16)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from riconnect.testing.clients import vpc_client
from tests.cli.helpers import environment


class Serve:
    """``riconnect serve ...`` in the background, its stderr collected in a file."""

    def __init__(self, tmp: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.log = tmp / f"serve-{time.monotonic_ns()}.log"
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "riconnect.cli", "serve", *args],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=environment(tmp, env),
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text())
            if found:
                return found
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} not seen; output:\n{self.text()}")

    def port(self) -> int:
        return int(self.wait_for(r"the cloud is at http://127\.0\.0\.1:(\d+)\n").group(1))

    def stop(self, sig: int, timeout: float = 30) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _healthy(port: int) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.0.1:{port}/riconnect/health", timeout=5) as resp:
        return bool(resp.status == 200)


def _create_vpc(port: int) -> str:
    from alibabacloud_vpc20160428 import models

    client = vpc_client(f"127.0.0.1:{port}")
    return str(client.create_vpc(models.CreateVpcRequest(region_id="cn-hangzhou")).body.vpc_id)


def _vpcs_in_file_alone(db: Path, tmp: Path) -> int:
    """How many VPCs a copy of the database file alone holds (what a user copying it gets)."""
    copy = tmp / f"copy-{time.monotonic_ns()}" / db.name
    copy.parent.mkdir()
    shutil.copy(db, copy)
    with sqlite3.connect(f"file:{copy}?immutable=1", uri=True) as conn:
        return int(conn.execute("SELECT count(*) FROM vpcs").fetchone()[0])


def test_banner_after_bind_with_the_real_port(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(
        '[[account]]\nid = "1234567890123456"\n[[account.access_key]]\n'
        'id = "LTAI5tRiconnectDemoKey01"\nsecret = "riconnectDemoSecret0000000000000"\n'
    )
    serve = Serve(
        tmp_path,
        "--port", "0",
        "--db", str(tmp_path / "c.db"),
        "--accounts", str(accounts),
        "--faults", "CreateVpc:ServiceUnavailable=0.5",
        "--fault-seed", "3",
        "--transitions", "realistic",
    )  # fmt: skip
    try:
        port = serve.port()
        assert port != 0 and _healthy(port)  # printed once the socket is bound
        text = serve.text()
        assert f"database     {tmp_path / 'c.db'}" in text
        assert f"accounts     {accounts} (1 account)" in text
        assert "faults       CreateVpc:ServiceUnavailable=0.5 (seed 3)" in text
        assert "transitions  realistic" in text
        assert "workers      1 process, 16 threads each" in text
        assert text.count("the cloud is at") == 1
    finally:
        serve.kill()


def test_banner_masks_passwords() -> None:
    from riconnect.api.config import ServerConfig
    from riconnect.api.runtime import build_cloud
    from riconnect.api.server import banner
    from riconnect.store.db import Store

    config = ServerConfig(db="postgresql://ops:s3cret@db.example:5432/cloud")
    cloud = build_cloud(config, store=Store(":memory:"))
    try:
        text = banner(config, cloud, 18080)
    finally:
        cloud.close()
    assert "s3cret" not in text
    assert "postgresql://ops:***@db.example:5432/cloud" in text


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_saves_everything_into_the_file(tmp_path: Path, workers: int) -> None:
    """SIGTERM (kill, systemd, container runtimes) used to leave every change in
    riconnect.db-wal and a 4 KiB riconnect.db without the schema."""
    db = tmp_path / "cloud.db"
    serve = Serve(tmp_path, "--port", "0", "--db", str(db), "--workers", str(workers))
    try:
        port = serve.port()
        serve.wait_for("stop with ctrl-c|Stop with Ctrl-C")
        deadline = time.monotonic() + 30
        while True:  # workers start after the banner
            try:
                vpc = _create_vpc(port)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        status = serve.stop(signal.SIGTERM)
    finally:
        serve.kill()
    assert status == -signal.SIGTERM, serve.text()  # a graceful stop, re-raised
    text = serve.text()
    assert "SIGTERM: stopping" in text
    assert f"state saved in {db}" in text
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert _vpcs_in_file_alone(db, tmp_path) == 1, vpc
    assert "Traceback" not in text


def test_sigint_says_it_stops_and_saves(tmp_path: Path) -> None:
    db = tmp_path / "cloud.db"
    serve = Serve(tmp_path, "--port", "0", "--db", str(db))
    try:
        _create_vpc(serve.port())
        status = serve.stop(signal.SIGINT)
    finally:
        serve.kill()
    text = serve.text()
    assert status == 130, text
    assert re.search(r"SIGINT: stopping; requests in progress get 5 s", text), text
    assert re.search(rf"stopped; state saved in {re.escape(str(db))}\n", text), text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert _vpcs_in_file_alone(db, tmp_path) == 1


def test_a_worker_that_fails_at_start_stops_the_server(tmp_path: Path) -> None:
    """uvicorn restarted such a worker forever.  The supervisor stops everything, with the
    worker's error, and exits non-zero; here a worker whose database vanished."""
    (tmp_path / "failing_worker.py").write_text(
        textwrap.dedent(
            """
            import sys

            def target(config, sock, conn):
                conn.send(("failed", "the database went away"))
                sys.exit(3)
            """
        )
    )
    script = textwrap.dedent(
        f"""
        import failing_worker
        from riconnect.api.config import ServerConfig
        from riconnect.api.server import bind
        from riconnect.api.supervisor import Supervisor

        config = ServerConfig(port=0, workers=2, db={str(tmp_path / "c.db")!r})
        raise SystemExit(Supervisor(config, bind(config), failing_worker.target).run())
        """
    )
    env = environment(tmp_path, {"PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])})
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 1, proc.stderr
    assert "failed to start (the database went away); stopping the server" in proc.stderr
    assert proc.stderr.count("failed to start") == 1  # no restart loop
    assert time.monotonic() - started < 30
