"""The lot metrics (``lot_metrics``: the lot table's figures and sort keys) of many producers
at once, for bulk writes (an import, a sync pull): the lots of a batch of producers are read
in one query instead of one per producer, and each batch is written with one in-place upsert.

Same figures as :meth:`Store.refresh_metrics` (the same analysis, the same row), only fewer
statements: ``INSERT … ON CONFLICT DO UPDATE`` changes the row in place, where
``INSERT OR REPLACE`` deletes and re-inserts it (every index of the table touched twice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..domain.model import Lot, Producer
    from .store import Store

PRODUCERS_PER_BATCH = 200

_COLUMNS = ("fob_usd_lb", "c_usd_lb", "premium_usd_lb", "premium_pct", "farm_gate_usd_lb",
            "farm_gate_share", "answered", "applicable", "missing", "fob_exact", "c_exact",
            "premium_exact", "premium_pct_exact", "farm_gate_exact", "share_exact")
METRICS_IN_PLACE = (
    f"INSERT INTO lot_metrics (lot_id, {', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (len(_COLUMNS) + 1))}) ON CONFLICT (lot_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS)
)


def refresh_producers(store: Store, producer_ids: Iterable[int | None],
                      progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the lot metrics of every lot of these producers (inside the caller's write);
    returns how many lots were refreshed. ``progress(done, total)`` counts producers."""
    ids = sorted({int(p) for p in producer_ids if p})
    done = 0
    for start in range(0, len(ids), PRODUCERS_PER_BATCH):
        batch = ids[start:start + PRODUCERS_PER_BATCH]
        marks = ",".join("?" * len(batch))
        by_producer: dict[int, list[Lot]] = {}
        for lot in store.lots_where(f"producer_id IN ({marks})", batch):
            by_producer.setdefault(lot.producer_id, []).append(lot)
        rows = []
        for pid in batch:
            lots = by_producer.get(pid)
            if lots:
                rows += store.producer_metrics_rows(pid, lots)
        store.db.conn.executemany(METRICS_IN_PLACE, rows)
        done += len(rows)
        if progress is not None:
            progress(min(start + len(batch), len(ids)), len(ids))
    return done


def refresh_from_memory(store: Store, groups: Iterable[tuple[Producer, list[Lot]]],
                        lot_ids: dict[str, int]) -> int:
    """The lot metrics of producers created in the caller's write together with every one of
    their lots (an import's new producers): analysed from those records in memory instead of
    read back. Such a producer has no visits, commitments, certifications or projects yet, so
    the figures are the ones :func:`refresh_producers` would compute. ``lot_ids``: lot uuid ->
    new id. Returns how many lots were written."""
    rows = []
    for producer, group in groups:
        # the order in which the store reads a producer's lots (ORDER BY harvest, code)
        lots = sorted(group, key=lambda x: (x.harvest, x.code))
        rows += [(lot_ids[lot.uuid], *row[1:])
                 for lot, row in zip(lots, store.metrics_rows(producer, lots), strict=True)]
    store.db.conn.executemany(METRICS_IN_PLACE, rows)
    return len(rows)
