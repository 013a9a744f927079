"""Lot figures of a join computed while its later pages arrive.

A laptop joining a team pulls every record page by page, and then needs every lot's figures
(``lot_metrics``: 200,000 lots in the large demo). The pull writes with one core; the figures
are computed by worker processes (:mod:`.parallel_figures`) that read committed records. Here
they start during the pull: once a page is committed, the producers touched by an earlier page
and not by this one (the hub sends a producer's records together, so they are most likely
complete) go to the workers, and their rows are written in the transaction of a later page.

Nothing relies on the guess. A producer touched again after its figures were asked for (a
later page adds a visit), or every producer when a reference table changes (C prices), is
asked again at the end of the pull, where every producer never asked is too. Until the end the
pull keeps "every producer's figures to compute" in ``sync_state`` (as before), so a pull
stopped midway computes them all at the next sync.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..store.kinds import REFERENCE_TABLES

if TYPE_CHECKING:
    from ..store import Store

AHEAD_FROM = 50_000
"""Changes a first pull must bring for its lot figures to start before its end."""

OWN = {"producers": "id", "lots": "producer_id", "visits": "producer_id",
       "commitments": "producer_id", "certifications": "producer_id", "projects": "producer_id"}
"""Tables whose rows bear on their producer's lot figures, and the column naming it."""
OF_LOT = ("fixations", "cost_legs", "premiums", "lot_plots")
"""Tables whose rows bear on their lot's figures."""


def touched_producers(store: Store, changes: list[Any]) -> set[int] | None:
    """Producers whose lot figures may change with ``changes`` (None: every producer); one
    query per table and 500 rows."""
    by_table: dict[str, set[str]] = {}
    for c in changes:
        if c.table in REFERENCE_TABLES:
            return None
        if c.table in OWN or c.table in OF_LOT:
            by_table.setdefault(c.table, set()).add(c.row_uuid)
    out: set[int] = set()
    for table, uuids in by_table.items():
        if table in OWN:
            sql = f"SELECT {OWN[table]} FROM {table} WHERE uuid IN "
        else:
            sql = (f"SELECT l.producer_id FROM {table} x JOIN lots l ON l.id = x.lot_id "
                   "WHERE x.uuid IN ")
        want = sorted(uuids)
        for k in range(0, len(want), 500):
            chunk = want[k:k + 500]
            for (pid,) in store.db.execute(sql + f"({','.join('?' * len(chunk))})", chunk):
                if pid is not None:
                    out.add(int(pid))
    return out


def last_rowids(store: Store) -> dict[str, int]:
    """The highest rowid of each table bearing on lot figures (new rows come after it)."""
    return {t: int(store.db.execute(f"SELECT coalesce(max(rowid), 0) FROM {t}").fetchone()[0])
            for t in (*OWN, *OF_LOT)}


def producers_of_new_rows(store: Store, before: dict[str, int]) -> set[int]:
    """Producers of the rows inserted past ``before`` (:func:`last_rowids`): a scan of the new
    rows only, instead of a look-up of each by its uuid."""
    out: set[int] = set()
    for t, after in before.items():
        if t in OWN:
            sql = f"SELECT DISTINCT {OWN[t]} FROM {t} WHERE rowid > ?"
        else:
            # CROSS JOIN: the new rows first, then their lots (not every lot, then its rows)
            sql = (f"SELECT DISTINCT l.producer_id FROM {t} x CROSS JOIN lots l "
                   "ON l.id = x.lot_id WHERE x.rowid > ?")
        out.update(int(p) for (p,) in store.db.execute(sql, [after]) if p is not None)
    return out


class FiguresAhead:
    """Worker processes computing lot figures during a pull (see the module text). Made before
    any other thread of the pull starts (workers are forked from this process)."""

    def __init__(self, store: Store, processes: int, method: str) -> None:
        from .parallel_figures import _init
        from .statement_batch import PRELOAD

        self.store = store
        ctx = mp.get_context(method)
        if ctx.get_start_method() == "forkserver":
            ctx.set_forkserver_preload([*PRELOAD, "roasterdesk.store.bulk_metrics"])
        self.pool = ctx.Pool(processes, initializer=_init, initargs=(str(store.path),))
        self.last: dict[int, int] = {}  # producer -> the last page that touched it
        self.asked: dict[int, int] = {}  # producer -> the page after whose commit it was asked
        self.jobs: list[Any] = []
        self.lots = 0

    @classmethod
    def start(cls, store: Store, changes: int) -> FiguresAhead | None:
        """Workers for a first pull of ``changes`` changes, if it is worth them and they can
        run here (as :func:`.parallel_figures.refresh_committed` decides)."""
        from .parallel_figures import workers_possible

        n = os.cpu_count() or 1
        method = workers_possible(store, n)
        if changes < AHEAD_FROM or method is None:
            return None
        return cls(store, n, method)

    def touched(self, page: int, producers: Iterable[int] | None) -> None:
        """Page ``page`` (being written) touched these producers (None: every producer)."""
        if producers is None:
            producers = list(self.asked)  # whatever was asked before this page is stale
        for p in producers:
            self.last[p] = page

    def committed(self, page: int) -> None:
        """Page ``page`` is committed: ask for the producers touched before it, not by it,
        and not asked since their last touch."""
        from ..store.bulk_metrics import LOTS_PER_BATCH, PRODUCERS_PER_BATCH

        want = sorted(p for p, t in self.last.items()
                      if t < page and (p not in self.asked or self.asked[p] < t))
        if not want:
            return
        for p in want:
            self.asked[p] = page
        counts: dict[int, int] = {}
        for k in range(0, len(want), 500):
            chunk = want[k:k + 500]
            counts.update(self.store.db.execute(
                "SELECT l.producer_id, count(*) FROM lots l JOIN producers p ON "
                "p.id = l.producer_id WHERE p.deleted_at IS NULL AND l.producer_id IN "
                f"({','.join('?' * len(chunk))}) GROUP BY l.producer_id", chunk).fetchall())
        batch: list[int] = []
        held = 0
        for p in want:
            n = counts.get(p, 0)
            if not n:
                continue
            if batch and (len(batch) >= PRODUCERS_PER_BATCH or held + n > LOTS_PER_BATCH):
                self._ask(batch)
                batch, held = [], 0
            batch.append(p)
            held += n
        if batch:
            self._ask(batch)

    def _ask(self, batch: list[int]) -> None:
        from .parallel_figures import _rows

        self.jobs.append(self.pool.apply_async(_rows, (batch,)))

    def write(self, wait: bool = False) -> None:
        """Write the rows workers have finished (in the caller's transaction)."""
        from ..store.bulk_metrics import METRICS_IN_PLACE

        left = []
        for job in self.jobs:
            if wait or job.ready():
                rows = job.get()
                self.store.db.conn.executemany(METRICS_IN_PLACE, rows)
                self.lots += len(rows)
            else:
                left.append(job)
        self.jobs = left

    def rest(self) -> set[int]:
        """Wait for the workers and write their rows (in the caller's transaction); the
        producers whose figures are still to compute."""
        self.write(wait=True)
        return {p for p, t in self.last.items() if p not in self.asked or self.asked[p] < t}

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()
