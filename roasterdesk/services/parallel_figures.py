"""Lot figures of many producers recomputed over a process pool (every core), for records
already committed: each worker opens the database read-only and computes the ``lot_metrics``
rows of batches of producers (:func:`roasterdesk.store.bulk_metrics.batch_rows`, the one
analysis); the calling process writes them inside its own transaction.

Used where a write has committed many producers' records and their figures come after: a
laptop joining a team pulls every record page by page, then computes 200,000 lots' figures,
the longest part of a join; an import of many lots commits its rows, then their figures. Small
refreshes, and an encrypted database (whose key would have to be handed to every worker), stay
in the calling process.

Figures left to compute are **pending**: the write that commits the records marks their
producers (``sync_state`` key ``metrics_dirty``) in the same transaction, and the mark goes in
the transaction that writes the figures. A process killed in between leaves the mark; the next
start (:func:`roasterdesk.services.recovery.recover_at_start`) or sync computes them.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store import Store

log = logging.getLogger(__name__)

PARALLEL_FROM = 5000
"""Lots from which a refresh is worth starting worker processes for."""

_worker: dict[str, Any] = {}


def _init(db_path: str) -> None:
    from .statement import open_read_only

    if hasattr(os, "nice"):  # the window (and the writing process) come first
        os.nice(5)
    _worker["store"] = open_read_only(db_path)


def _rows(batch: list[int]) -> list[tuple[Any, ...]]:
    from ..store.bulk_metrics import batch_rows

    return batch_rows(_worker["store"], batch)


def refresh_committed(store: Store, producer_ids: Iterable[int], lots: int,
                      processes: int | None = None, start: str | None = None) -> int:
    """Recompute the lot figures of these producers, whose records are committed, writing them
    in the caller's transaction; ``lots``: how many lots they have (decides whether workers are
    worth starting). Returns the lots refreshed. ``processes`` defaults to the cores; ``start``
    forces a multiprocessing start method."""
    from ..store.bulk_metrics import METRICS_IN_PLACE, producer_batches, refresh_producers
    from .statement_batch import PRELOAD

    n = processes or os.cpu_count() or 1
    method = workers_possible(store, n, start)
    if method is None or lots < PARALLEL_FROM:
        return refresh_producers(store, producer_ids)
    batches = producer_batches(store, producer_ids)
    ctx = mp.get_context(method)
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload([*PRELOAD, "roasterdesk.store.bulk_metrics"])
    done = 0
    workers = min(n, len(batches))
    with ctx.Pool(workers, initializer=_init, initargs=(str(store.path),)) as pool:
        # at most two batches a worker asked ahead: results never pile up in this process
        # when the workers compute faster than it writes (memory bounded by the batches)
        waiting: deque[Any] = deque()
        todo = iter(batches)
        for batch in todo:
            waiting.append(pool.apply_async(_rows, (batch,)))
            if len(waiting) >= 2 * workers:
                break
        while waiting:
            rows = waiting.popleft().get()
            next_batch = next(todo, None)
            if next_batch is not None:
                waiting.append(pool.apply_async(_rows, (next_batch,)))
            store.db.conn.executemany(METRICS_IN_PLACE, rows)
            done += len(rows)
    return done


def workers_possible(store: Store, processes: int, start: str | None = None) -> str | None:
    """How worker processes would start for this database (None: not at all: one core, an
    encrypted file, or a standalone build with Qt loaded)."""
    from .statement_batch import start_method, workers_start

    method = start or start_method()
    path = store.path
    if processes < 2 or path is None or not _plain(Path(path)) or not workers_start(method):
        return None
    return method


def _plain(path: Path) -> bool:
    """A plain SQLite file (an encrypted one is not)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


# -- figures pending -------------------------------------------------------------------------
PENDING = "metrics_dirty"


def mark_pending(store: Store, producer_ids: Iterable[int] | None) -> None:
    """Remember, inside the caller's transaction, whose lot figures are to compute once it has
    committed (``None``: every producer's)."""
    from .hub import _set_state, _state

    had = _state(store, PENDING)
    if had == "all" or producer_ids is None:
        _set_state(store, PENDING, "all")
        return
    ids = set(json.loads(had)) if had else set()
    _set_state(store, PENDING, json.dumps(sorted(ids | {int(p) for p in producer_ids if p})))


def after_commit(store: Store, producer_ids: set[int]) -> bool:
    """Whether the figures of these producers' lots (an import's) are worth computing in worker
    processes once their records are committed (many lots, a plain file, more than one core)
    rather than in the writing transaction."""
    if not producer_ids or workers_possible(store, os.cpu_count() or 1) is None:
        return False
    counts = dict(store.db.execute(
        "SELECT producer_id, count(*) FROM lots GROUP BY producer_id").fetchall())
    return sum(counts.get(p, 0) for p in producer_ids) >= PARALLEL_FROM


def finish_pending(store: Store, what: str) -> str | None:
    """:func:`refresh_pending` once ``what`` (an import of a file) has committed its records:
    whatever fails here, they stay committed and the figures pending for the next start; the
    note to give the user then, else None."""
    try:
        refresh_pending(store)
    except Exception as exc:  # the records are committed: never reported as not written
        log.warning("lot figures after %s not computed: %s", what, exc)
        return (f"the lot figures could not be computed now ({exc}); they are computed at the "
                "next start")
    return None


def refresh_pending(store: Store) -> int:
    """Compute the pending lot figures (those of live producers: a deleted producer's lots keep
    theirs), over every core when they are many, and clear the mark, in one transaction.
    Returns the lots refreshed."""
    from .hub import _state

    if _state(store, PENDING) is None:
        return 0
    sql = ("SELECT l.producer_id, count(*) FROM lots l JOIN producers p ON p.id = l.producer_id "
           "WHERE p.deleted_at IS NULL GROUP BY l.producer_id")
    with store.transaction():  # the mark read and cleared under the same write lock
        had = _state(store, PENDING)
        if had is None:  # computed meanwhile by another process
            return 0
        producers = None if had == "all" else set(json.loads(had))
        want = [(pid, n) for pid, n in store.db.execute(sql).fetchall()
                if producers is None or pid in producers]
        done = refresh_committed(store, [pid for pid, _ in want], sum(n for _, n in want))
        store.db.execute("DELETE FROM sync_state WHERE key = ?", [PENDING])
    return done
