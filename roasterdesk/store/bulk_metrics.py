"""The lot metrics (``lot_metrics``: the lot table's figures and sort keys) of many producers
at once, for bulk writes (an import, a sync pull): the lots of a batch of producers are read
in one query instead of one per producer, and each batch is written with one in-place upsert.

Same figures as :meth:`Store.refresh_metrics` (the same analysis, the same row), only fewer
statements: ``INSERT … ON CONFLICT DO UPDATE`` changes the row in place, where
``INSERT OR REPLACE`` deletes and re-inserts it (every index of the table touched twice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .errors import RecordNotFound
from .sql import _chunks

if TYPE_CHECKING:
    from ..domain.model import Lot
    from .store import Store

PRODUCERS_PER_BATCH = 200
LOTS_PER_BATCH = 20_000

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
    ids = producer_batches(store, producer_ids)
    total = sum(len(b) for b in ids)
    done = seen = 0
    for batch in ids:
        rows = batch_rows(store, batch)
        store.db.conn.executemany(METRICS_IN_PLACE, rows)
        done += len(rows)
        seen += len(batch)
        if progress is not None:
            progress(seen, total)
    return done


def producer_batches(store: Store, producer_ids: Iterable[int | None]) -> list[list[int]]:
    """The distinct producer ids in order, in batches (:func:`_batches`)."""
    return list(_batches(store, sorted({int(p) for p in producer_ids if p})))


def _batches(store: Store, ids: list[int]) -> Iterator[list[int]]:
    """``ids`` in batches of at most :data:`PRODUCERS_PER_BATCH` producers and
    :data:`LOTS_PER_BATCH` lots (a producer with more lots is a batch of its own), so that the
    lots held at once are bounded however many a bulk write touched."""
    lots: dict[int, int] = dict(store.db.execute(
        "SELECT producer_id, count(*) FROM lots GROUP BY producer_id").fetchall())
    batch: list[int] = []
    held = 0
    for pid in ids:
        n = lots.get(pid, 0)
        if batch and (len(batch) >= PRODUCERS_PER_BATCH or held + n > LOTS_PER_BATCH):
            yield batch
            batch, held = [], 0
        batch.append(pid)
        held += n
    if batch:
        yield batch


def batch_rows(store: Store, batch: list[int]) -> list[tuple[Any, ...]]:
    """The ``lot_metrics`` rows of every lot of a batch of producers: their lots in one query,
    their other records in one query per kind (:func:`records_of`)."""
    marks = ",".join("?" * len(batch))
    by_producer: dict[int, list[Lot]] = {}
    for lot in store.lots_where(f"producer_id IN ({marks})", batch):
        by_producer.setdefault(lot.producer_id, []).append(lot)
    records = records_of(store, [pid for pid in batch if pid in by_producer])
    rows: list[tuple[Any, ...]] = []
    for pid in batch:
        lots = by_producer.get(pid)
        if lots:
            rows += store.metrics_rows(lots=lots, **records[pid])
    return rows


def records_of(store: Store, producer_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The producer, visits, commitments, certifications and projects of each of these (live)
    producers, as :meth:`Store.producer_metrics_rows` reads them one producer at a time: one
    query per kind for all of them (keyword arguments of :meth:`Store.metrics_rows`)."""
    from . import rows as R

    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(producer_ids, 500):
        marks = ",".join("?" * len(chunk))
        where = f"WHERE producer_id IN ({marks}) AND deleted_at IS NULL"
        for r in store._rows(f"SELECT * FROM producers WHERE id IN ({marks}) "
                             "AND deleted_at IS NULL", chunk):
            out[r["id"]] = {"producer": R.row_to_producer(r), "visits": [], "commitments": [],
                            "certs": [], "projects": []}
        missing = set(chunk) - set(out)
        if missing:
            raise RecordNotFound(f"no producer with id {min(missing)}")
        for v in store._visits_from(store._rows(
                f"SELECT * FROM visits {where} ORDER BY producer_id, date DESC", chunk)):
            out[v.producer_id]["visits"].append(v)
        for key, table, order, make in (
                ("commitments", "commitments", "first_harvest", R.row_to_commitment),
                ("certs", "certifications", "valid_to DESC", R.row_to_certification),
                ("projects", "projects", "year", R.row_to_project)):
            for r in store._rows(f"SELECT * FROM {table} {where} ORDER BY producer_id, {order}",
                                 chunk):
                out[r["producer_id"]][key].append(make(r))
    return out

