"""A throw-away PostgreSQL cluster for the lake tests and the benchmark's lake step: Debian's
postgresql, started on 127.0.0.1 in a temporary folder as an unprivileged user (PostgreSQL refuses to
run as root), stopped at the end."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from store.db import quote_literal

USER = "lake"


NOT_INSTALLED = "PostgreSQL is not installed: apt-get install postgresql (`make lake` does it)"


def installed_bin() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian: /usr/lib/postgresql/<major>/bin), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def postgres_bin() -> Path:
    found = installed_bin()
    if found is None:
        raise RuntimeError(NOT_INSTALLED)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """`password`: the cluster asks every connection for it (scram-sha-256); without one it trusts
    every connection from this machine."""

    def __init__(self, password: str | None = None) -> None:
        self.password = password
        self.bin = postgres_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="feedback-pg-"))
        self.port = free_port()
        self.runner = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        if self.runner:
            shutil.chown(self.folder, "nobody")

    def _run(self, program: str, *args: str) -> None:
        env = {**os.environ, "PGPASSWORD": self.password} if self.password else None
        subprocess.run([*self.runner, str(self.bin / program), *args], check=True, capture_output=True,
                       text=True, cwd=self.folder, env=env)

    def start(self) -> "Cluster":
        data = self.folder / "data"
        if self.password:
            secret = self.folder / "password"
            secret.write_text(self.password + "\n")
            if self.runner:
                shutil.chown(secret, "nobody")
            self._run("initdb", "-D", str(data), "-A", "scram-sha-256", f"--pwfile={secret}", "-U", USER,
                      "--no-sync")
            secret.unlink()
        else:
            self._run("initdb", "-D", str(data), "-A", "trust", "-U", USER, "--no-sync")
        self._run("pg_ctl", "-D", str(data), "-w", "-l", str(self.folder / "log"), "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
                  " -c max_connections=200", "start")
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def connection(self, dbname: str) -> str:
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user={USER}"

    def new_database(self) -> str:
        """A fresh, empty database's libpq connection string."""
        name = "t_" + uuid.uuid4().hex[:12]
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, name)
        return self.connection(name)

    def lake_url(self) -> str:
        """A URL naming no lake yet: connect() creates it there."""
        return "ducklake:postgres:" + self.new_database()

    def copied_lake_url(self, template: str, data_folder: Path) -> str:
        """A lake of its own, copied from the lake in database `template` (CREATE DATABASE …
        TEMPLATE, a file copy inside PostgreSQL) with its data files in `data_folder`: a test's
        store without DuckLake creating the schema's tables again, one catalog round trip each."""
        name = "t_" + uuid.uuid4().hex[:12]
        data_folder.mkdir(parents=True, exist_ok=True)
        # DuckLake keeps the data folder in its catalog, ending with a separator
        folder = str(data_folder).rstrip("/") + "/"
        self._psql(f"CREATE DATABASE {name} TEMPLATE {template}", f"\\connect {name}",
                   "UPDATE ducklake_metadata SET value = " + quote_literal(folder)
                   + " WHERE key = 'data_path' AND scope IS NULL")
        return "ducklake:postgres:" + self.connection(name)

    def _psql(self, *commands: str) -> None:
        """The commands, one after the other, in one psql session that starts in database postgres."""
        self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", "postgres",
                  "-v", "ON_ERROR_STOP=1", "-q", *(part for command in commands for part in ("-c", command)))
