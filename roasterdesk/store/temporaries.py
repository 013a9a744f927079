"""Temporaries of backups and verifications (``.verify-<pid>-*``, ``.backup-<pid>-*``,
``.verified-<pid>-*.sqlite``) left by a process that was killed: removed when their process is
gone, or when older than a day whatever their owner; those of a living process (another backup
running) are left alone. :mod:`roasterdesk.store.backup` clears its folder before each backup;
the start-up recovery (:mod:`roasterdesk.services.recovery`) clears the database's folders."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

STALE_AFTER_S = 24 * 3600
_OWNED = re.compile(r"\.(?:verify|backup|verified)-(\d+)-")
_TEMP_GLOBS = (".verify-*", ".backup-*", ".verified-*.sqlite")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (another user's) or cannot tell: keep
    return True


def remove_stale_temporaries(folder: Path, now: float | None = None,
                             max_age_s: float = STALE_AFTER_S) -> list[Path]:
    """Remove temporaries of dead processes (any age) and of any process after ``max_age_s``;
    unnamed older ones (no process id in the name) after an hour. Returns what went."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    now = time.time() if now is None else now
    for pattern in _TEMP_GLOBS:
        for tmp in folder.glob(pattern):
            try:
                if tmp.is_symlink():
                    continue
                age = now - tmp.stat().st_mtime
                owner = _OWNED.match(tmp.name)
                if owner is not None:
                    stale = not _alive(int(owner.group(1))) or age > max_age_s
                else:
                    stale = age > 3600
                if not stale:
                    continue
                if tmp.is_dir():
                    shutil.rmtree(tmp)
                else:
                    tmp.unlink()
                removed.append(tmp)
            except OSError:
                continue
    return removed
