"""Is this a safe place for a live database? Network shares and cloud-sync folders are not.

SQLite relies on file locks and on writes reaching the disk in order. Network file systems
(SMB/CIFS, NFS, AFP, WebDAV, sshfs) get locking wrong, and sync clients (Dropbox, OneDrive,
iCloud Drive, Google Drive) upload a database while it is being written and may "resolve
conflicts" by replacing it with another copy: both lose records. Backups may live in such
places; the live database should not.

:func:`classify` is pure (path text and a mount table in, a verdict out) and tested on paths of
every platform; :func:`location_warning` applies it to a real path on this machine.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smbfs", "smb3", "smb2", "afpfs", "webdav", "davfs", "fuse.sshfs",
    "sshfs", "9p", "afs", "ncpfs", "fuse.rclone", "fuse.s3fs", "glusterfs", "ceph", "lustre",
})

# (what the user calls it, path components that identify it; compared case-insensitively)
CLOUD_FOLDERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("iCloud Drive", ("icloud drive", "iclouddrive", "mobile documents", "com~apple~clouddocs")),
    ("Dropbox", ("dropbox",)),
    ("OneDrive", ("onedrive",)),
    ("Google Drive", ("google drive", "googledrive", "my drive", "drivefs")),
    ("Box", ("box sync",)),
)


@dataclass(frozen=True)
class Verdict:
    kind: str  # "local" | "network" | "cloud"
    service: str = ""  # the cloud service or the network file system

    @property
    def safe(self) -> bool:
        return self.kind == "local"


def _cloud(parts: Sequence[str]) -> str:
    for part in parts:
        low = part.lower()
        for service, needles in CLOUD_FOLDERS:
            # "OneDrive - Contoso", "Dropbox (Team)", "GoogleDrive-me@example.com"
            if any(low == n or low.startswith(n + " ") or low.startswith(n + "-")
                   or low.startswith(n + " (") for n in needles):
                return service
    return ""


def classify(path: PurePath, mounts: Iterable[tuple[str, str]] = ()) -> Verdict:
    """Where ``path`` (absolute) lives. ``mounts`` are (mount point, file-system type) pairs."""
    if isinstance(path, PureWindowsPath) and path.drive.startswith("\\\\"):
        return Verdict("network", "Windows share")
    service = _cloud(path.parts)
    if service:
        return Verdict("cloud", service)
    best, fstype = "", ""
    text = path.as_posix()
    for point, kind in mounts:
        point = point.rstrip("/") or "/"
        inside = text == point or text.startswith(point + "/") or point == "/"
        if inside and len(point) >= len(best):
            best, fstype = point, kind
    if fstype.lower() in NETWORK_FS:
        return Verdict("network", fstype)
    return Verdict("local")


def warning_text(path: PurePath, verdict: Verdict) -> str:
    if verdict.kind == "cloud":
        return (f"{path} is inside a {verdict.service} folder. Sync services can copy or replace "
                "a database while RoasterDesk writes it, and records can be lost. Keep the "
                "database in a local folder; backups may go to the cloud folder.")
    if verdict.kind == "network":
        return (f"{path} is on a network drive ({verdict.service}). Network drives do not lock "
                "databases reliably, and records can be lost. Keep the database on this "
                "computer; backups may go to the network drive.")
    return ""


def linux_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, type) from the text of /proc/mounts."""
    out = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            out.append((fields[1].replace("\\040", " "), fields[2]))
    return out


def _mounts() -> list[tuple[str, str]]:
    if sys.platform.startswith("linux"):
        try:
            return linux_mounts(Path("/proc/mounts").read_text())
        except OSError:
            return []
    return []


def _windows_remote_drive(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    drive = os.path.splitdrive(str(path))[0]
    return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # REMOTE


def location_warning(db_path: Path | str) -> str:
    """A warning for the user if the database lives on a network share or in a cloud folder."""
    path = Path(db_path).expanduser().absolute()
    try:
        path = path.resolve()
    except OSError:
        pass
    if os.name == "nt":  # pragma: no cover - Windows only
        pure: PurePath = PureWindowsPath(str(path))
        if _windows_remote_drive(path):
            return warning_text(pure, Verdict("network", "Windows share"))
    else:
        pure = PurePosixPath(str(path))
    return warning_text(pure, classify(pure, _mounts()))
