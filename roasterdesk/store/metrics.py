"""Lot analysis through the store and the derived ``lot_metrics`` table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..domain.analysis import LotAnalysis, analyse_lot
from ..domain.harvest import current_harvest
from ..domain.model import (
    Certification,
    Commitment,
    Lot,
    Producer,
    Project,
    Visit,
)
from ..domain.relationship import Relationship, relationship
from .base import StoreBase
from .sql import METRICS_UPSERT, metrics_row


class MetricsRecords(StoreBase):
    """Part of :class:`~roasterdesk.store.store.Store` (a mixin: ``self`` is the store)."""

    def analyse(self, lot: Lot, today: date | None = None) -> LotAnalysis:
        producer = self.producer(lot.producer_id)
        lots = self.lots(lot.producer_id)
        if lot.id is None or all(x.id != lot.id for x in lots):
            lots = [*lots, lot]
        else:
            lots = [lot if x.id == lot.id else x for x in lots]
        visits = self.visits(lot.producer_id)
        commitments = self.commitments(lot.producer_id)
        return self.analyse_with(
            lot, producer, lots, visits, commitments,
            self.certifications(lot.producer_id), self.projects(lot.producer_id), today,
        )

    def analyse_with(
        self,
        lot: Lot,
        producer: Producer,
        lots: list[Lot],
        visits: list[Visit],
        commitments: list[Commitment],
        certs: list[Certification],
        projects: list[Project],
        today: date | None = None,
        rel: Relationship | None = None,
    ) -> LotAnalysis:
        """``rel``: the producer's relationship when the caller already has it (bulk work)."""
        return analyse_lot(lot, producer, lots, visits, commitments, certs, projects,
                           self.reference(), today, rel)

    def relationship(self, producer_id: int, today: date | None = None) -> Relationship:
        return relationship(self.lots(producer_id), self.visits(producer_id),
                            self.commitments(producer_id), current_harvest(today))

    def refresh_metrics(self, producer_id: int | None) -> None:
        """Recompute the derived sort keys of one producer's lots (inside the caller's write)."""
        if not producer_id:
            return
        lots = self.lots(producer_id)
        if not lots:
            return
        producer = self.producer(producer_id)
        visits, commitments = self.visits(producer_id), self.commitments(producer_id)
        certs, projects = self.certifications(producer_id), self.projects(producer_id)
        rel = relationship(lots, visits, commitments, current_harvest())
        rows = []
        for lot in lots:
            a = self.analyse_with(lot, producer, lots, visits, commitments, certs, projects,
                                  rel=rel)
            rows.append(metrics_row(a))
        self.db.conn.executemany(METRICS_UPSERT, rows)

    def refresh_all_metrics(self, progress: Callable[[int, int], None] | None = None) -> None:
        ids = [r[0] for r in self.db.execute("SELECT DISTINCT producer_id FROM lots")]
        with self.transaction():
            for n, pid in enumerate(ids, 1):
                self.refresh_metrics(pid)
                if progress:
                    progress(n, len(ids))

    # -- any record ------------------------------------------------------------------------
