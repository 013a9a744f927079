"""Deterministic, realistic demo databases written through the real schema.

``build_demo`` plans producers, harvests, lots and visits from one ``random.Random(seed)`` and
writes them in batches through the store's bulk API (:meth:`Store.insert_many`, rows made by
:mod:`roasterdesk.store.rows`, each logged in the change log), then fills ``lot_metrics`` with
:meth:`Store.analyse_with` and :meth:`Store.write_metrics` — the same domain calculations the app
uses, never a second copy of the formulas. Rows the plan gives no uuid (fixations, cost legs,
lot plots, photos) get one derived from the seed, so two builds stay identical.

Choices:
- Dates that must look *current* (certificates expiring soon or expired, follow-ups overdue,
  recent visits) are placed relative to ``today`` (default: the real date), so a demo built today
  shows "expiring within 90 days" today. Everything else depends on the seed alone; two builds on
  the same day are identical.
- Prices follow DEMO_C_ANNUAL_CENTS: the monthly C series varies around each year's level; PTBF
  fixations and fixed contracts take the month's level ± 3 %. Farm-gate prices are derived from
  the FOB and a target share of 52–83 % (by origin), expressed in the origin's currency and unit
  and rounded to 4 significant digits as a buyer would note them.
- A build into a file goes to a temporary file next to it that replaces the target only on
  success; a build into an open :class:`Store` is one transaction. A cancelled or failed build
  leaves nothing behind either way.
"""

from __future__ import annotations

import math
import os
import random
import sqlite3
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..domain.reference import DEMO_C_ANNUAL_CENTS
from ..errors import UserError
from ..store import Store
from ..store.db import check_compatible, read_file_version
from ..store.faults import fault_point
from ..store.kinds import TABLES
from .backup import attachments_dir_for
from .demo_photos import write_images
from .demo_plan import SCALES, Scale, plan
from .demo_records import Bundle, FamilyBuilder, q

DEFAULT_SEED = 2025
DEMO_FILE = "roasterdesk-demo.sqlite"


@dataclass(frozen=True)
class DemoStats:
    """What a build wrote: record counts per kind and the time it took."""

    scale: str
    seed: int
    counts: dict[str, int]
    seconds: float
    path: Path | None = None


class DemoCancelled(Exception):
    """The build was cancelled; nothing was written."""


Progress = Callable[[int, int], None]


# -- where the demo lives -----------------------------------------------------------------------
def demo_db_path() -> Path:
    """The demo database in the user's data folder (next to the real one, never the same file)."""
    from platformdirs import user_data_path

    return user_data_path("RoasterDesk", appauthor=False) / DEMO_FILE


def ensure_demo(
    path: Path | str | None = None,
    scale: str = "roaster",
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Path:
    """Build the demo database if it does not exist yet (or holds no data); return its path."""
    target = Path(path) if path is not None else demo_db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not _has_data(target):
        build_demo(target, scale, progress=progress, cancel=cancel)
    else:
        write_images(attachments_dir_for(target))  # in case the folder was removed
    return target


# -- building -----------------------------------------------------------------------------------
def build_demo(
    store_or_path: Store | Path | str,
    scale: str = "roaster",
    *,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    today: date | None = None,
    replace_existing: bool = False,
) -> DemoStats:
    """Write a demo database of ``scale`` ("small", "roaster" or "large").

    Into an open, empty :class:`Store`: one transaction. Into a path: a new file next to it that
    replaces the path on success; a path that already holds data is refused unless
    ``replace_existing``. ``progress(done, total)`` is called between batches, ``cancel()`` is
    checked there too; a cancelled build raises :class:`DemoCancelled` and leaves nothing behind.
    """
    if scale not in SCALES:
        raise UserError(f"unknown demo scale {scale!r} (choose {', '.join(SCALES)})")
    today = today or date.today()
    if isinstance(store_or_path, Store):
        stats = _build_into(store_or_path, scale, seed, progress, cancel, today)
    else:
        stats = _build_file(Path(store_or_path), scale, seed, progress, cancel, today,
                            replace_existing)
    # The pictures the visits show, beside the database (after the data, so a cancelled build
    # leaves no files; content-named, so nothing already there is ever overwritten).
    write_images(attachments_dir_for(stats.path))  # type: ignore[arg-type]
    return stats


def _build_into(
    store: Store, scale: str, seed: int, progress: Progress | None,
    cancel: Callable[[], bool] | None, today: date,
) -> DemoStats:
    if not store.is_empty():
        raise UserError(f"{store.path} already holds data; demo data goes into an empty database")
    started = time.perf_counter()
    with store.transaction():
        Writer(store, SCALES[scale], seed, today, progress, cancel).run()
    return DemoStats(scale, seed, store.counts(), time.perf_counter() - started, store.path)


def _build_file(
    path: Path, scale: str, seed: int, progress: Progress | None,
    cancel: Callable[[], bool] | None, today: date, replace_existing: bool,
) -> DemoStats:
    started = time.perf_counter()
    if not path.parent.is_dir():
        raise UserError(f"the folder {path.parent} does not exist")
    from .lock import writer_lock

    with writer_lock(path, "demo"):  # not while the app (or another build) writes it
        if _has_data(path) and not replace_existing:
            raise UserError(f"{path} already holds data; use --force to replace it with demo data")
        stats = _build_beside(path, scale, seed, progress, cancel, today)
    return replace(stats, path=path, seconds=time.perf_counter() - started)


def _build_beside(
    path: Path, scale: str, seed: int, progress: Progress | None,
    cancel: Callable[[], bool] | None, today: date,
) -> DemoStats:
    tmp = path.with_name(f".{path.name}.demo-build")
    _remove_db_files(tmp)
    try:
        store = Store.open(tmp)
        try:
            # A fresh file that is thrown away on failure: no WAL copy of every page, no fsyncs.
            store.db.execute("PRAGMA journal_mode = DELETE")
            store.db.execute("PRAGMA synchronous = OFF")
            store.db.execute("PRAGMA cache_size = -262144")
            stats = _build_into(store, scale, seed, progress, cancel, today)
            store.db.execute("PRAGMA journal_mode = WAL")
        finally:
            store.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if path.exists():
            _checkpoint(path)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        fault_point("demo:built")  # crash tests: the old file still in place
        os.replace(tmp, path)
        fault_point("demo:replaced")
    except BaseException:
        _remove_db_files(tmp)
        raise
    return stats


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _has_data(path: Path) -> bool:
    """Whether ``path`` is a RoasterDesk database with producers (read-only; refuses others)."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    version = read_file_version(path)
    check_compatible(path, version)
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "producers" not in tables:
            if tables:
                raise UserError(f"{path} is not a RoasterDesk database; it was not replaced")
            return False
        return bool(conn.execute("SELECT count(*) FROM producers").fetchone()[0])
    finally:
        conn.close()


# -- writing ------------------------------------------------------------------------------------
class Writer:
    """Collects the rows of many families and writes them, with their lot metrics, in batches."""

    BATCH_LOTS = 1000

    def __init__(self, store: Store, scale: Scale, seed: int, today: date,
                 progress: Progress | None, cancel: Callable[[], bool] | None) -> None:
        self.store, self.scale, self.seed, self.today = store, scale, seed, today
        self.progress, self.cancel = progress, cancel
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.bundles: list[Bundle] = []
        self.next_id: dict[str, int] = defaultdict(lambda: 1)
        self.codes: dict[tuple[str, int], int] = defaultdict(int)
        self.c_months: dict[tuple[int, int], Decimal] = {}
        self.pending_lots = 0
        self.serials: dict[str, int] = defaultdict(int)
        self.names: set[str] = set()

    def new_id(self, table: str) -> int:
        n = self.next_id[table]
        self.next_id[table] = n + 1
        return n

    cert_states = ("soon", "valid", "expired", "valid", "valid", "soon", "valid", "expired",
                   "valid", "valid")

    def serial(self, name: str) -> int:
        n = self.serials[name]
        self.serials[name] = n + 1
        return n

    def c_at(self, day: date) -> Decimal:
        """The demo C level of a day's month (clamped to the years the series covers)."""
        year = min(max(day.year, min(DEMO_C_ANNUAL_CENTS)), max(DEMO_C_ANNUAL_CENTS))
        return self.c_months[(year, day.month)]

    def run(self) -> None:
        rng = random.Random(self.seed)
        self.c_months = _c_series(rng)
        self.store.set_c_prices(self.c_months)
        families = plan(self.scale, rng, self.today.year)
        total = sum(len(f.producers) for f in families)
        done = 0
        self._tick(done, total)
        for fam in families:
            FamilyBuilder(self, fam).build()
            done += len(fam.producers)
            if self.pending_lots >= self.BATCH_LOTS:
                self.flush()
                self._tick(done, total)
        self.flush()
        self._tick(done, total)

    def _tick(self, done: int, total: int) -> None:
        if self.cancel is not None and self.cancel():
            raise DemoCancelled("demo build cancelled")
        if self.progress is not None:
            self.progress(done, total)

    def flush(self) -> None:
        stamp = f"{self.today.isoformat()}T00:00:00+00:00"
        for table in TABLES:  # the registry's order: a row's references are written before it
            rows = self.rows.pop(table, [])
            if not rows:
                continue
            for r in rows:
                if "uuid" not in r:
                    n = self.serial(f"uuid:{table}")
                    r["uuid"] = str(uuid.uuid5(uuid.NAMESPACE_URL,
                                               f"roasterdesk-demo:{self.seed}:{table}:{n}"))
                r.setdefault("updated_at", stamp)
            self.store.insert_many(table, rows)
        if any(self.rows.values()):
            raise ValueError(f"demo rows of tables the store does not know: {sorted(self.rows)}")
        self.store.write_metrics(
            self.store.analyse_with(lot, b.producer, b.lots, b.visits, b.commitments, b.certs,
                                    b.projects, self.today)
            for b in self.bundles for lot in b.lots)
        self.bundles.clear()
        self.pending_lots = 0


def _c_series(rng: random.Random) -> dict[tuple[int, int], Decimal]:
    """Monthly C levels (¢/lb) swinging about ±8 % around each year's DEMO_C_ANNUAL_CENTS."""
    months = {}
    for year, level in DEMO_C_ANNUAL_CENTS.items():
        phase = rng.uniform(0, 12)
        for m in range(1, 13):
            f = 1 + 0.07 * math.sin(2 * math.pi * (m + phase) / 12) + rng.gauss(0, 0.015)
            months[(year, m)] = q(float(level) * f, "0.05")
    return months


__all__ = ["DEFAULT_SEED", "SCALES", "DemoCancelled", "DemoStats", "Scale", "build_demo",
           "demo_db_path", "ensure_demo"]
