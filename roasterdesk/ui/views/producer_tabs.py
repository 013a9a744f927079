"""The list tabs of a producer page: people, plots, certifications, visits, lots,
commitments, projects and (for a cooperative or washing station) its member farms."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
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
from ...domain.model import ConsentScope, Person, Visit
from ...domain.money import round_pct, round_per_lb
from ...domain.relationship import evaluate_commitment
from ...domain.words import NOT_RECORDED
from ...errors import KNOWN_ERRORS
from ...services.analysis import lots_with_figures
from ...store.store import current_harvest
from ..editors import (
    CertificationDialog,
    CommitmentDialog,
    PersonDialog,
    PlotDialog,
    ProjectDialog,
)
from ..plotmap import PlotMap
from ..undo import delete_record, label_of
from ..widgets import Column, RecordTableModel, empty_state, fit_columns, make_table, muted

if TYPE_CHECKING:
    from ..context import AppContext


def consent_text(p: Person) -> str:
    if p.pseudonymised:
        return "pseudonymised"
    c = p.consent
    if c is None:
        return "no consent"
    if c.withdrawn_on is not None and c.withdrawn_on <= date.today():
        return f"withdrawn {c.withdrawn_on}"
    scopes = ", ".join(s.value for s in ConsentScope if s in c.scope)
    return f"{scopes} (since {c.given_on})"


class RecordTab(QWidget):
    """A table of one producer's records with Add / Edit / Delete."""

    dialog: type | None = None
    columns: Sequence[Column] = ()
    noun = "record"

    def __init__(self, ctx: AppContext, loader: Callable[[int], list[Any]],
                 parent: QWidget | None = None, hint: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loader = loader
        self.producer_id: int | None = None
        self.model = RecordTableModel(self.columns, self)
        self.view = make_table(self.model)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(8)
        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in self.actions():
            b = QPushButton(text)
            b.clicked.connect(slot)
            bar.addWidget(b)
            self.buttons[key] = b
        bar.addStretch(1)
        self.hint = muted(hint)
        self.hint.setWordWrap(False)  # one line beside the buttons
        if hint:
            bar.addWidget(self.hint)
        lay.addLayout(bar)
        self.body(lay)
        self.empty = empty_state(self.view, self._empty_text)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self._enable()

    def actions(self) -> list[tuple[str, str, Callable[[], Any]]]:
        n = self.noun
        return [("add", f"Add {n}…", self.add), ("edit", "Edit…", self.edit),
                ("delete", "Delete", self.delete)]

    def body(self, lay: QVBoxLayout) -> None:
        lay.addWidget(self.view, 1)

    def _empty_text(self) -> str:
        """The next step for an empty tab: the first button says what it is."""
        first = next(iter(self.buttons.values()), None)
        plural_noun = {"person": "people"}.get(self.noun, self.noun + "s")
        step = f" Add one with {first.text().rstrip('…')}." if first is not None else ""
        return f"No {plural_noun} yet.{step}"

    def _enable(self) -> None:
        has = self.current() is not None
        for key in ("edit", "delete", "open"):
            if key in self.buttons:
                self.buttons[key].setEnabled(has)

    def load(self, producer_id: int) -> None:
        self.producer_id = producer_id
        self.model.set_records(self.loader(producer_id))
        fit_columns(self.view)
        self._enable()

    def current(self) -> Any:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.record(rows[0].row()) if rows else None

    def select_id(self, id_: int) -> None:
        for i, r in enumerate(self.model.records):
            if r.id == id_:
                self.view.selectRow(i)
                return

    def add(self) -> None:
        if self.dialog is None or self.producer_id is None:
            return
        dlg = self.dialog(self.ctx, None, self, producer_id=self.producer_id)
        if dlg.exec() and dlg.saved is not None:
            self.load(self.producer_id)
            self.select_id(dlg.saved.id)

    def edit(self) -> None:
        rec = self.current()
        if rec is None or self.dialog is None:
            return
        dlg = self.dialog(self.ctx, rec, self)
        if dlg.exec() and dlg.saved is not None and self.producer_id is not None:
            self.load(self.producer_id)
            self.select_id(dlg.saved.id)

    def delete(self) -> None:
        rec = self.current()
        if rec is None or self.producer_id is None:
            return
        answer = QMessageBox.question(
            self, "RoasterDesk", f"Delete this {label_of(rec)}? (Edit ▸ Undo brings it back.)")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_record(self.ctx, rec)
        except KNOWN_ERRORS as exc:
            self.ctx.messages.error.emit(f"Not deleted: {exc}")
            return
        self.load(self.producer_id)


class PeopleTab(RecordTab):
    dialog = PersonDialog
    noun = "person"
    columns = (
        Column("Name", lambda p: p.name),
        Column("Role", lambda p: p.role.value if p.role else NOT_RECORDED),
        Column("Consent to appear", consent_text),
        Column("Phone", lambda p: p.phone),
        Column("Email", lambda p: p.email),
    )


def _plot_geometry(p: Any) -> str:
    if not p.geometry:
        return "—"
    if p.geometry["type"] == "Point":
        return "point"
    return f"outline, {len(p.geometry['coordinates'][0]) - 1} corners"


class PlotsTab(RecordTab):
    dialog = PlotDialog
    noun = "plot"
    columns = (
        Column("Plot", lambda p: p.name),
        Column("Area (ha)", lambda p: p.area_ha, align_right=True, places=2),
        Column("Geometry", _plot_geometry),
        Column("Altitude (masl)", lambda p: p.altitude_m, align_right=True),
        Column("Shade %", lambda p: p.shade_pct, align_right=True),
        Column("Forest after 2020", lambda p: {None: "not known", True: "yes",
                                              False: "no"}[p.forest_after_2020]),
    )

    def body(self, lay: QVBoxLayout) -> None:
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        self.map = PlotMap()
        split.addWidget(self.map)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setSizes([180, 360])
        lay.addWidget(split, 1)
        self.map.plot_clicked.connect(self._map_clicked)
        self.view.selectionModel().selectionChanged.connect(self._table_selected)

    def load(self, producer_id: int) -> None:
        super().load(producer_id)
        self.map.set_plots(self.model.records, self.ctx.store.producer(producer_id).country)

    def _map_clicked(self, index: int) -> None:
        self.select_id(self.map.plots[index].id)  # type: ignore[arg-type]

    def _table_selected(self, *_: Any) -> None:
        rec = self.current()
        self.map.select(rec.id if rec is not None else None)


class CertificationsTab(RecordTab):
    dialog = CertificationDialog
    noun = "certification"
    columns = (
        Column("Scheme", lambda c: c.scheme.value),
        Column("Number", lambda c: c.number),
        Column("Holder", lambda c: c.holder),
        Column("Valid from", lambda c: c.valid_from),
        Column("Valid to", lambda c: c.valid_to),
        Column("Current", lambda c: "yes" if c.valid_on(date.today()) else "no"),
    )

    def load(self, producer_id: int) -> None:
        self.model.warn = lambda c: not c.valid_on(date.today())
        super().load(producer_id)


class CommitmentsTab(RecordTab):
    dialog = CommitmentDialog
    noun = "commitment"
    columns = (
        Column("Harvests", lambda r: f"{r[2](r[0].first_harvest)} – {r[2](r[0].last_harvest)}"),
        Column("State", lambda r: r[1].state.value),
        Column("Volume / harvest (kg)", lambda r: r[0].volume_kg, align_right=True, places=0),
        Column("Floor (USD/lb)", lambda r: r[0].price_floor_usd_lb, align_right=True,
               places=2),
        Column("Delivered (kg)", lambda r: r[1].delivered_kg, align_right=True, places=0),
        Column("Avg FOB (USD/lb)", lambda r: r[1].average_fob_usd_lb, align_right=True,
               places=2),
        Column("Terms", lambda r: r[0].terms),
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        def loader(pid: int) -> list[Any]:
            lots = ctx.store.lots(pid)
            h = current_harvest()
            p = ctx.store.producer(pid)

            def name(year: int) -> str:  # by the producer's calendar, as everywhere
                return harvest_name(year, p.country, p.harvest_months)

            return [(c, evaluate_commitment(c, lots, h), name)
                    for c in ctx.store.commitments(pid)]

        super().__init__(ctx, loader, parent)

    def current(self) -> Any:
        row = super().current()
        return row[0] if row is not None else None

    def select_id(self, id_: int) -> None:
        for i, r in enumerate(self.model.records):
            if r[0].id == id_:
                self.view.selectRow(i)
                return


class ProjectsTab(RecordTab):
    dialog = ProjectDialog
    noun = "project"
    columns = (
        Column("Year", lambda p: p.year),
        Column("Category", lambda p: p.category.value),
        Column("Amount", lambda p: f"{p.amount:,.2f} {p.currency}", align_right=True),
        Column("What it funded", lambda p: p.description),
    )


class LinkedTab(RecordTab):
    """Records edited on their own page (visits, lots): Open goes there."""

    kind = ""

    def actions(self) -> list[tuple[str, str, Callable[[], Any]]]:
        return [("new", f"New {self.noun}…", self.new), ("open", "Open", self.edit)]

    def new(self) -> None:
        if self.producer_id is not None:
            self.ctx.messages.new_record.emit(self.kind, self.producer_id)

    def edit(self) -> None:
        rec = self.current()
        if rec is not None:
            self.ctx.messages.open_record.emit(self.kind, int(rec.id))

    def delete(self) -> None:  # not offered here
        return


def _visit_follow_ups(v: Visit) -> str:
    open_ = [f for f in v.follow_ups if not f.done]
    return f"{len(open_)} open" if open_ else ("all done" if v.follow_ups else "")


class VisitsTab(LinkedTab):
    kind = "visit"
    noun = "visit"
    columns = (
        Column("Date", lambda v: v.date),
        Column("Mode", lambda v: v.mode.label),
        Column("Purpose", lambda v: ", ".join(p.value for p in v.purposes)),
        Column("Follow-ups", _visit_follow_ups),
        Column("Notes", lambda v: " ".join(v.notes.split())[:160]),
    )


class LotRow:
    """A lot with the figures the producer's lot tab shows (computed by the domain)."""

    def __init__(self, lot: Any, eco: Any, answered: int | None, applicable: int | None,
                 harvest: str = "") -> None:
        self.lot, self.eco = lot, eco
        self.harvest = harvest or str(lot.harvest)
        self.id = lot.id
        self.answered, self.applicable = answered, applicable


def _per_lb(v: Decimal | None) -> str:
    return f"{round_per_lb(v):+,.4f}" if v is not None else NOT_RECORDED


class LotsTab(LinkedTab):
    kind = "lot"
    noun = "lot"
    columns = (
        Column("Code", lambda r: r.lot.code),
        Column("Harvest", lambda r: r.harvest),
        Column("Status", lambda r: r.lot.status.value if r.lot.status else NOT_RECORDED),
        Column("Weight (kg)", lambda r: r.lot.weight, align_right=True, places=0),
        Column("Score", lambda r: r.lot.quality_score, align_right=True, places=2),
        Column("FOB (USD/lb)", lambda r: round_per_lb(r.eco.fob_usd_lb)
               if r.eco.fob_usd_lb is not None else None, align_right=True),
        Column("Premium over market (USD/lb)", lambda r: _per_lb(r.eco.premium_over_c_usd_lb)
               + ("*" if r.eco.c_estimated and r.eco.premium_over_c_usd_lb is not None else ""),
               align_right=True, tip="FOB minus the market price (ICE C for arabica, ICE "
                                     "London for robusta); * = estimated from the series"),
        Column("Farm-gate share", lambda r: f"{round_pct(r.eco.farm_gate_share)} %"
               if r.eco.farm_gate_share is not None else NOT_RECORDED, align_right=True),
        Column("Transparency", lambda r: f"{r.answered} of {r.applicable}" if r.applicable
               else "", align_right=True),
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        def loader(pid: int) -> list[LotRow]:
            producer = ctx.store.producer(pid)
            checks = ctx.store.lot_answers(pid)
            return [LotRow(lot, eco, *checks.get(lot.id, (None, None)),
                           harvest=harvest_name(lot.harvest, producer.country,
                                                producer.harvest_months))
                    for lot, eco in lots_with_figures(ctx.store, pid)]

        super().__init__(ctx, loader, parent)


#: Lot statuses that count as bought (an offer is not yet bought; a cancelled lot never was).
BOUGHT = ("contracted", "shipped", "arrived")


class MemberRow:
    """A member farm with the number of its lots bought."""

    def __init__(self, producer: Any, lots_bought: int) -> None:
        self.producer, self.lots_bought = producer, lots_bought
        self.id = producer.id


class MembersTab(LinkedTab):
    """The member farms of a cooperative or washing station; Enter or double-click opens one."""

    kind = "producer"
    noun = "member"
    columns = (
        Column("Member", lambda r: r.producer.name),
        Column("Kind", lambda r: r.producer.kind.label if r.producer.kind else NOT_RECORDED),
        Column("Region", lambda r: r.producer.region),
        Column("Altitude", lambda r: r.producer.altitude_label),
        Column("Lots bought", lambda r: r.lots_bought, align_right=True,
               tip="Lots contracted, shipped or arrived"),
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        def loader(pid: int) -> list[MemberRow]:
            counts = ctx.store.member_lot_counts(pid, BOUGHT)
            return [MemberRow(m, counts.get(m.id, 0)) for m in ctx.store.members(pid)]

        super().__init__(ctx, loader, parent,
                         hint="Farms whose profile names this producer under “Member of”.")
        # activated comes on double-click and on Enter/Return: one signal, one opening
        self.view.doubleClicked.disconnect()
        self.view.activated.connect(lambda _i: self.edit())

    def actions(self) -> list[tuple[str, str, Callable[[], Any]]]:
        return [("open", "Open member", self.edit)]
