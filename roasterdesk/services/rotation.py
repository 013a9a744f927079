"""Rotation of automatic backups (see :mod:`roasterdesk.store.backup`, section Rotation)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .backup import AUTO, RotationPolicy, list_backups

DEFAULT_POLICY = RotationPolicy()  # frozen


def plan_rotation(
    backups: Sequence[tuple[Any, date]], today: date, policy: RotationPolicy = DEFAULT_POLICY
) -> set[Any]:
    """Which backups to delete: ``backups`` are (key, local day) pairs; returns the keys to drop.

    Every backup of today and yesterday stays; going back in time, the newest backup of a day not
    yet kept is kept while daily slots remain, then of a week not yet kept while weekly slots
    remain, then of a month, like Anki's backup thinning.
    """
    yesterday = today - timedelta(days=1)
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    months: set[tuple[int, int]] = set()
    left = {"daily": policy.daily, "weekly": policy.weekly, "monthly": policy.monthly}
    drop = set()
    for key, day in sorted(backups, key=lambda b: b[1], reverse=True):
        week, month = tuple(day.isocalendar())[:2], (day.year, day.month)
        if day >= yesterday:
            keep = True
        elif day not in days and left["daily"] > 0:
            left["daily"] -= 1
            keep = True
        elif week not in weeks and left["weekly"] > 0:
            left["weekly"] -= 1
            keep = True
        elif month not in months and left["monthly"] > 0:
            left["monthly"] -= 1
            keep = True
        else:
            keep = False
        if keep:
            days.add(day)
            weeks.add(week)  # type: ignore[arg-type]
            months.add(month)
        else:
            drop.add(key)
    return drop


def rotate(folder: Path | str, policy: RotationPolicy = DEFAULT_POLICY,
           today: date | None = None) -> list[Path]:
    """Delete the automatic backups in ``folder`` that the policy no longer keeps."""
    autos = [b for b in list_backups(folder) if b.reason == AUTO]
    drop = plan_rotation([(b.path, b.local_time.date()) for b in autos],
                         today or date.today(), policy)
    for p in sorted(drop):
        p.unlink(missing_ok=True)
    return sorted(drop)
