"""Lot analysis through the store and the derived ``lot_metrics`` table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

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
from ..domain.transparency import VisitEvidence, visit_evidence
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
        evidence: VisitEvidence | None = None,
    ) -> LotAnalysis:
        """``rel``, ``evidence``: the producer's relationship and what its visits show, when
        the caller already has them (bulk work)."""
        return analyse_lot(lot, producer, lots, visits, commitments, certs, projects,
                           self.reference(), today, rel, evidence)

    def relationship(self, producer_id: int, today: date | None = None) -> Relationship:
        return relationship(self.lots(producer_id), self.visits(producer_id),
                            self.commitments(producer_id), current_harvest(today))

    def metrics_rows(self, producer: Producer, lots: list[Lot],
                     visits: Sequence[Visit] = (), commitments: Sequence[Commitment] = (),
                     certs: Sequence[Certification] = (), projects: Sequence[Project] = (),
                     ) -> list[tuple[Any, ...]]:
        """The ``lot_metrics`` rows of one producer's ``lots`` from its records: the one
        analysis behind every refresh (one lot, a batch, an import's new producers)."""
        v, c, ce, p = list(visits), list(commitments), list(certs), list(projects)
        rel = relationship(lots, v, c, current_harvest())
        ev = visit_evidence(v)
        return [metrics_row(self.analyse_with(lot, producer, lots, v, c, ce, p, rel=rel,
                                              evidence=ev))
                for lot in lots]

    def producer_metrics_rows(self, producer_id: int, lots: list[Lot]) -> list[tuple[Any, ...]]:
        """:meth:`metrics_rows` with the producer's records read from the store."""
        return self.metrics_rows(self.producer(producer_id), lots, self.visits(producer_id),
                                 self.commitments(producer_id),
                                 self.certifications(producer_id), self.projects(producer_id))

    def refresh_metrics(self, producer_id: int | None) -> None:
        """Recompute the derived sort keys of one producer's lots (inside the caller's write)."""
        if not producer_id:
            return
        lots = self.lots(producer_id)
        if lots:
            self.db.conn.executemany(METRICS_UPSERT, self.producer_metrics_rows(producer_id,
                                                                               lots))

    def refresh_all_metrics(self, progress: Callable[[int, int], None] | None = None) -> None:
        ids = [r[0] for r in self.db.execute("SELECT DISTINCT producer_id FROM lots")]
        with self.transaction():
            for n, pid in enumerate(ids, 1):
                self.refresh_metrics(pid)
                if progress:
                    progress(n, len(ids))

    # -- any record ------------------------------------------------------------------------
