"""A PostgreSQL and a Redis of the test's own, on free loopback ports, so a fault test can stop and
restart them without touching the machine's shared servers.

PostgreSQL comes from Debian's packages (``/usr/lib/postgresql/*/bin``: ``initdb``, ``pg_ctl``),
Redis from ``redis-server``; ``scripts/test`` installs them when missing. As root (a container),
PostgreSQL runs as the ``postgres`` user, which its packages create. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from tests.auth_support import free_port
from tests.conftest import require

PG_BINS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
START_TIMEOUT = 30


def _as_postgres() -> dict[str, object]:
    """Popen arguments that drop root to the postgres user (initdb refuses to run as root)."""
    if os.geteuid() != 0:
        return {}
    import pwd

    entry = pwd.getpwnam("postgres")
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


@dataclass
class PrivatePostgres:
    bin: Path
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _pg_ctl(self, *args: str) -> None:
        done = subprocess.run(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), *args],
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT + 10,
            check=False,
            **_as_postgres(),  # type: ignore[arg-type]
        )
        assert done.returncode == 0, f"pg_ctl {args}: {done.stdout}{done.stderr}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._pg_ctl("-l", str(self.folder / "postgres.log"), "-o", options, "-w",
                     "-t", str(START_TIMEOUT), "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-m", mode, "-w", "-t", str(START_TIMEOUT), "stop")


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    require(bool(PG_BINS), "PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    pg_bin = Path(PG_BINS[-1])
    folder = Path(tempfile.mkdtemp(prefix="timesheet-pg-"))
    as_postgres = _as_postgres()
    if as_postgres:
        os.chown(folder, as_postgres["user"], as_postgres["group"])  # type: ignore[arg-type]
    server = PrivatePostgres(pg_bin, folder, free_port())
    try:
        done = subprocess.run(
            [str(pg_bin / "initdb"), "-D", str(server.data), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--no-sync", "--no-instructions"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            **as_postgres,  # type: ignore[arg-type]
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        server.start()
        yield server
    finally:
        with contextlib.suppress(AssertionError):  # not running: a test stopped it
            server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        with (self.folder / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.folder)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=1).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise AssertionError("redis-server did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    require(shutil.which("redis-server") is not None, "redis-server")
    folder = Path(tempfile.mkdtemp(prefix="timesheet-redis-"))
    server = PrivateRedis(free_port(), folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
