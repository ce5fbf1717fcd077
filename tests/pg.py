"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temporary directory, on a free loopback
port, as an unprivileged user when the tests run as root (CI does), stopped and removed afterwards.

The binaries come from Debian's ``postgresql`` package (``/usr/lib/postgresql/<version>/bin``), which
scripts/install-system-deps.sh installs when missing."""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.browser import free_port

RUN_AS = "nobody"


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin directory, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


@dataclass
class Server:
    port: int
    user: str = "karnama"
    database: str = "postgres"

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def new_schema_url(self, prefix: str = "t") -> str:
        """A URL whose connections work in a fresh, empty schema (a cheap stand-in for a new database)."""
        import psycopg

        schema = f"{prefix}_{secrets.token_hex(5)}"
        with psycopg.connect(self.url.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        return f"{self.url}?options=-csearch_path%3D{schema}"

    def new_database_url(self, prefix: str = "d") -> str:
        import psycopg

        name = f"{prefix}_{secrets.token_hex(5)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{name}"


@contextmanager
def server() -> Iterator[Server]:
    """Start a server; raises FileNotFoundError when PostgreSQL is not installed."""
    bindir = bin_dir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
    base = Path(tempfile.mkdtemp(prefix="karnama-pg-"))
    data, log = base / "data", base / "server.log"
    prefix: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        pw = pwd.getpwnam(RUN_AS)
        os.chown(base, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", RUN_AS, "--"]
    os.chmod(base, 0o755)
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], cwd=base, check=True, capture_output=True, timeout=120)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "karnama", "-A", "trust", "-E", "UTF8", "--no-sync")
        opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start")
        try:
            yield Server(port)
        finally:
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                cwd=base,
                capture_output=True,
                timeout=60,
            )
    except subprocess.CalledProcessError as exc:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r} {tail}") from exc
    finally:
        shutil.rmtree(base, ignore_errors=True)
