"""Commitments & projects: every multi-year promise and every funded project, across producers.

Whether a commitment was kept is computed in a background task (it needs each producer's
lots), so the page opens at once even on a large database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain.harvest import harvest_name
from ...domain.model import Commitment
from ...domain.relationship import CommitmentResult, evaluate_commitment
from ...errors import KNOWN_ERRORS
from ...store.store import current_harvest
from ..context import open_worker_store
from ..editors import CommitmentDialog, ProjectDialog
from ..undo import delete_record
from ..widgets import Column, RecordTableModel, fit_columns, heading, make_table, muted

if TYPE_CHECKING:
    from ..context import AppContext


class CommitmentRow:
    def __init__(self, c: Commitment, producer: str,
                 name_of: Callable[[int], str] = harvest_name) -> None:
        self.commitment = c
        self.producer = producer
        self.name_of = name_of  # a harvest by the producer's calendar
        self.result: CommitmentResult | None = None
        self.id = c.id


def _state(r: CommitmentRow) -> str:
    return r.result.state.value if r.result is not None else "…"


COMMITMENT_COLUMNS = (
    Column("Producer", lambda r: r.producer),
    Column("Harvests", lambda r: f"{r.name_of(r.commitment.first_harvest)} – "
                                 f"{r.name_of(r.commitment.last_harvest)}"),
    Column("State", _state),
    Column("Volume / harvest (kg)", lambda r: r.commitment.volume_kg, align_right=True,
           places=0),
    Column("Floor (USD/lb)", lambda r: r.commitment.price_floor_usd_lb, align_right=True,
           places=2),
    Column("Delivered (kg)", lambda r: r.result.delivered_kg if r.result else None,
           align_right=True, places=0),
    Column("Avg FOB (USD/lb)", lambda r: r.result.average_fob_usd_lb if r.result else None,
           align_right=True, places=2),
    Column("Terms", lambda r: r.commitment.terms),
)

PROJECT_COLUMNS = (
    Column("Producer", lambda r: r[1]),
    Column("Year", lambda r: r[0].year),
    Column("Category", lambda r: r[0].category.value),
    Column("Amount", lambda r: f"{r[0].amount:,.2f} {r[0].currency}", align_right=True),
    Column("What it funded", lambda r: r[0].description),
)


def evaluate_all(db_path: Any, commitments: list[Commitment], progress: Any,
                 cancelled: Any) -> dict[int, CommitmentResult]:
    """Worker: each commitment against its producer's lots, on its own connection."""
    out: dict[int, CommitmentResult] = {}
    h = current_harvest()
    by_producer: dict[int, list[Commitment]] = {}
    for c in commitments:
        by_producer.setdefault(c.producer_id, []).append(c)
    with open_worker_store(db_path) as store:
        for n, (pid, cs) in enumerate(by_producer.items(), 1):
            if cancelled():
                break
            first = min(c.first_harvest for c in cs)
            last = max(c.last_harvest for c in cs)
            # "+harvest": look lots up by producer (the harvest index is far slower here)
            lots = store.lots_where("producer_id = ? AND +harvest BETWEEN ? AND ?",
                                    [pid, first, last])
            for c in cs:
                out[c.id] = evaluate_commitment(c, lots, h)  # type: ignore[index]
            progress(n, len(by_producer))
    return out


class CommitmentsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)
        lay.setSpacing(10)
        lay.addWidget(heading("Commitments & projects"))
        lay.addWidget(muted("A commitment is kept when the lots bought reach its volume and "
                            "their FOB is at or above its floor; projects are what premiums "
                            "and funding paid for."))
        split = QSplitter(Qt.Orientation.Vertical)
        lay.addWidget(split, 1)

        self.commitments = RecordTableModel(COMMITMENT_COLUMNS, self)
        self.commitments.warn = lambda r: r.result is not None and r.result.state.value == \
            "not kept"
        self.c_view = make_table(self.commitments)
        self.projects = RecordTableModel(PROJECT_COLUMNS, self)
        self.p_view = make_table(self.projects)
        for title, view, new, edit, delete in (
            ("Commitments", self.c_view, self.new_commitment, self.edit_commitment,
             self.delete_commitment),
            ("Projects", self.p_view, self.new_project, self.edit_project,
             self.delete_project),
        ):
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 6, 0, 0)
            bar = QHBoxLayout()
            bar.addWidget(heading(title, 2))
            bar.addStretch(1)
            for text, slot in ((f"New {title.lower()[:-1]}…", new), ("Edit…", edit),
                               ("Delete", delete)):
                b = QPushButton(text)
                b.clicked.connect(slot)
                bar.addWidget(b)
            v.addLayout(bar)
            v.addWidget(view, 1)
            split.addWidget(box)
            view.doubleClicked.connect(lambda _i, edit=edit: edit())
        self._task: Any = None
        self.refresh()

    # -- page contract -----------------------------------------------------------------------
    def refresh(self) -> None:
        commitments = self.ctx.store.all_commitments()
        projects = self.ctx.store.all_projects()
        names = self.ctx.store.producer_names(
            [c.producer_id for c in commitments] + [p.producer_id for p in projects])
        calendars = {}
        for pid in {c.producer_id for c in commitments}:
            p = self.ctx.store.producer(pid)
            calendars[pid] = (p.country, p.harvest_months)
        rows = [CommitmentRow(c, names.get(c.producer_id, "?"),
                              lambda y, cal=calendars[c.producer_id]: harvest_name(y, *cal))
                for c in commitments]
        self.commitments.set_records(rows)
        self.projects.set_records([(p, names.get(p.producer_id, "?")) for p in projects])
        fit_columns(self.c_view)
        fit_columns(self.p_view)
        if self._task is not None:
            self._task.cancel()
        if rows:
            self._task = self.ctx.tasks.run(
                lambda progress, cancelled: evaluate_all(
                    self.ctx.db_path, [r.commitment for r in rows], progress, cancelled),
                on_done=lambda results, rows=rows: self._results(rows, results))

    def _results(self, rows: list[CommitmentRow], results: dict[int, CommitmentResult]) -> None:
        if rows is not self.commitments.records and rows != self.commitments.records:
            return  # a newer refresh replaced the rows
        for r in rows:
            r.result = results.get(r.id)
        self.commitments.set_records(rows)
        fit_columns(self.c_view)  # the states are longer than the "…" they replace
        self._task = None

    def open_record(self, id_: int) -> None:
        """Select a commitment."""
        self._select(self.c_view, self.commitments, id_)

    def open_project(self, id_: int) -> None:
        self._select(self.p_view, self.projects, id_, lambda r: r[0].id)

    def new_record(self) -> None:
        self.new_commitment()

    def _select(self, view: Any, model: RecordTableModel, id_: int,
                key: Any = lambda r: r.id) -> None:
        for i, r in enumerate(model.records):
            if key(r) == id_:
                view.selectRow(i)
                view.setFocus()
                return

    # -- actions -----------------------------------------------------------------------------
    def _current(self, view: Any, model: RecordTableModel) -> Any:
        rows = view.selectionModel().selectedRows()
        return model.record(rows[0].row()) if rows else None

    def new_commitment(self) -> None:
        if CommitmentDialog(self.ctx, None, self).exec():
            self.refresh()

    def edit_commitment(self) -> None:
        r = self._current(self.c_view, self.commitments)
        if r is not None and CommitmentDialog(self.ctx, r.commitment, self).exec():
            self.refresh()

    def delete_commitment(self) -> None:
        r = self._current(self.c_view, self.commitments)
        if r is not None:
            self._delete(r.commitment, "commitment")

    def new_project(self) -> None:
        if ProjectDialog(self.ctx, None, self).exec():
            self.refresh()

    def edit_project(self) -> None:
        r = self._current(self.p_view, self.projects)
        if r is not None and ProjectDialog(self.ctx, r[0], self).exec():
            self.refresh()

    def delete_project(self) -> None:
        r = self._current(self.p_view, self.projects)
        if r is not None:
            self._delete(r[0], "project")

    def _delete(self, rec: Any, noun: str) -> None:
        if QMessageBox.question(self, "RoasterDesk", f"Delete this {noun}? "
                                "(Edit ▸ Undo brings it back.)") != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_record(self.ctx, rec)
        except KNOWN_ERRORS as exc:
            self.ctx.messages.error.emit(f"Not deleted: {exc}")
            return
        self.refresh()
