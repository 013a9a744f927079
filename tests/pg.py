"""A real PostgreSQL for the sync tests: initdb and pg_ctl on a Unix socket in a temporary folder.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user (made by
the Debian package) through ``runuser``. Nothing is skipped: without PostgreSQL the tests fail
with a message saying what to install.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MISSING = ("PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "
           "'postgresql' (apt-get install -y postgresql), as .ci/run does")


def bindir() -> Path:
    """The folder holding initdb and pg_ctl: pg_config's, else the newest Debian one, else PATH."""
    found: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0:
            found.append(Path(out.stdout.strip()))
    found += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                      key=lambda p: int(Path(p).parent.name), reverse=True)]
    initdb = shutil.which("initdb")
    if initdb:
        found.append(Path(initdb).parent)
    for folder in found:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise RuntimeError(MISSING)


@dataclass
class Cluster:
    folder: Path
    bin: Path
    user: str | None  # the system user running the server (None: this process's user)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket(self) -> Path:
        return self.folder

    def url(self, role: str = "postgres", dbname: str = "postgres") -> str:
        return f"postgresql://{role}@/{dbname}?host={self.socket}&port=5432"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=self.folder)
        if check and out.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {out.stderr.strip() or out.stdout}")
        return out

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")

    def start(self) -> None:
        opts = (f"-c listen_addresses='' -c unix_socket_directories='{self.socket}' "
                "-c port=5432 -c fsync=off -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l",
                  str(self.folder / "server.log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(dbname=name)


def start_cluster() -> Cluster:
    folder_bin = bindir()
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise RuntimeError("running as root, PostgreSQL needs a non-root user: the Debian "
                               "package 'postgresql' makes the user 'postgres'") from exc
        user = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="rdpg-", dir="/tmp"))
    if user is not None:
        pw = pwd.getpwnam(user)
        os.chown(folder, pw.pw_uid, pw.pw_gid)
    os.chmod(folder, 0o755)
    cluster = Cluster(folder, folder_bin, user)
    cluster.init()
    cluster.start()
    return cluster


def remove(cluster: Cluster) -> None:
    cluster.stop("immediate")
    shutil.rmtree(cluster.folder, ignore_errors=True)
