"""Lots: the lot table (computed columns from ``lot_metrics``, sorted and filtered in SQL) and
the lot editor, whose premium figures recompute live as fields change.

Every figure shown comes from :func:`roasterdesk.domain.pricing.economics`; this module only
parses what the user typed (with a message per field when it is wrong) and displays results.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.model import (
    EXPORTER_LEGS,
    IMPORTER_LEGS,
    ContractType,
    CostLeg,
    FarmGatePrice,
    Fixation,
    Lot,
    LotStatus,
    Party,
    Premium,
    PremiumBasis,
    PremiumType,
    Process,
    Scheme,
    Species,
)
from ...domain.money import fmt_pct, fmt_usd, fmt_usd_lb
from ...domain.pricing import LotEconomics, economics
from ...domain.units import (
    DEFAULT_KG_PER_KG_GREEN,
    LOCAL_UNITS,
    Basis,
    factor_from_ico,
    factor_from_rendimiento,
)
from ...store.store import fts_query
from ..widgets import FieldError, clean_number, heading, mark_invalid, muted, text_of
from .paged import SqlColumn, SqlPagedModel, SqlQuery
from .record_page import RecordEditor, RecordPage
from .visits import ProducerPicker

if TYPE_CHECKING:
    from ..context import AppContext

STATEMENT_MODULE = "roasterdesk.ui.dialogs.statement"
FUTURES = re.compile(r"KC[HKNUZ]\d{2}")
EARLIEST = date(1990, 1, 1)


# -- the list ------------------------------------------------------------------------------------
def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


def _per_lb(v: Any) -> str:
    return fmt_usd_lb(_dec(v), "").replace(" USD/lb", "")


def _pct(v: Any) -> str:
    return fmt_pct(_dec(v), "")


def _kg(v: Any) -> str:
    return "" if v is None else f"{_dec(v):,.0f}"


def _score(v: Any) -> str:
    return "" if v is None else f"{_dec(v):.2f}"


def _transparency_tip(row: tuple[Any, ...]) -> str:
    missing = row[-1]
    return f"Not answered: {missing}" if missing else "Every applicable item answered"


LOT_COLUMNS = (
    SqlColumn("Code", "l.code"),
    SqlColumn("Producer", "p.name", sort=("p.name COLLATE NOCASE",)),
    SqlColumn("Ctry", "p.country"),
    SqlColumn("Harvest", "l.harvest", sort=("l.harvest", "l.code"), align_right=True),
    SqlColumn("Process", "l.process"),
    SqlColumn("Status", "l.status"),
    SqlColumn("Weight kg", "COALESCE(CAST(l.weight_kg AS REAL), l.bags * CAST(l.bag_kg AS REAL))",
              show=_kg, align_right=True),
    SqlColumn("Score", "CAST(l.quality_score AS REAL)", show=_score, align_right=True),
    SqlColumn("FOB USD/lb", "m.fob_usd_lb", show=_per_lb, align_right=True, tiebreak="m.lot_id"),
    SqlColumn("Premium over C", "m.premium_usd_lb", show=_per_lb, align_right=True,
              tip="FOB − C at fixation, USD/lb", tiebreak="m.lot_id"),
    SqlColumn("Premium %", "m.premium_pct", show=_pct, align_right=True,
              tip="Premium over C as a share of C", tiebreak="m.lot_id"),
    SqlColumn("Farm-gate share", "m.farm_gate_share", show=_pct, align_right=True,
              tip="Farm-gate price (USD/lb green) ÷ FOB", tiebreak="m.lot_id"),
    SqlColumn("Transparency", "m.answered || ' / ' || m.applicable",
              sort=("m.answered * 1.0 / m.applicable",), align_right=True,
              tip="Checklist items answered / applicable", tooltip=_transparency_tip,
              tiebreak="m.lot_id"),
)
DEFAULT_SORT = 3  # harvest, newest first


class LotListModel(SqlPagedModel):
    """The lot table; computed columns come from ``lot_metrics``. ``ObjectRole`` gives the Lot."""

    def __init__(self, ctx: AppContext, parent: Any = None, page_size: int = 200) -> None:
        query = SqlQuery(
            # an inner join (every lot has its lot_metrics row: schema m003), so SQLite can
            # walk a lot_metrics index when the table is sorted by one of its figures
            "lots l JOIN producers p ON p.id = l.producer_id "
            "JOIN lot_metrics m ON m.lot_id = l.id", "l.id", extra=("m.missing",))
        super().__init__(ctx, LOT_COLUMNS, query, load=lambda i: ctx.store.lot(i),
                         sort_column=DEFAULT_SORT, sort_order=Qt.SortOrder.DescendingOrder,
                         page_size=page_size, parent=parent)


MANY_MATCHES = 0.5
"""Share of all lots a search must match for the sort's index to drive the page (lot_filter)."""


def _many_matches(db: Any, q: str) -> bool:
    """Whether ``q`` likely matches at least :data:`MANY_MATCHES` of the lots: the larger of
    the lots matched by code, name or variety (counted up to that share) and the lots of
    matched producers (their number times the lots per producer; the two overlap, as a farm
    named in its lots' names). Costs a few milliseconds at most."""
    lots, producers = db.execute(
        "SELECT (SELECT max(rowid) FROM lots), (SELECT max(rowid) FROM producers)").fetchone()
    if not lots or not producers:
        return False
    enough = int(lots * MANY_MATCHES)
    by_lot, by_producer = db.execute(
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM lots_fts WHERE lots_fts MATCH :q "
        "LIMIT :n)), (SELECT count(*) FROM producers_fts WHERE producers_fts MATCH :q)",
        {"q": q, "n": enough}).fetchone()
    return max(int(by_lot), int(by_producer) * lots / producers) >= enough


def lot_filter(*, text: str = "", harvest: int | None = None, status: str | None = None,
               process: str | None = None, incomplete: bool = False,
               producer_id: int | None = None, db: Any = None) -> tuple[list[str], list[Any]]:
    """WHERE terms and parameters for the lot table. A search is planned by how many lots it
    matches (``db`` given): up to half of them are read through the full-text index and
    sorted (the cost grows with the matches; a word matching nothing costs nothing); more are
    filtered while the sort's index drives (``+`` keeps SQLite off the match lists), which
    reads about two rows per row shown. Either way a first page reads at most about half of
    the lots, where always letting the sort's index drive could read them all (a word that
    matches mostly the lots at the far end of the sort order)."""
    where: list[str] = []
    params: list[Any] = []
    q = fts_query(text)
    if q:
        plus = "+" if db is None or _many_matches(db, q) else ""
        where.append(f"{plus}l.id IN (SELECT rowid FROM lots_fts WHERE lots_fts MATCH ?) OR "
                     f"{plus}l.producer_id IN (SELECT rowid FROM producers_fts "
                     "WHERE producers_fts MATCH ?)")
        params += [q, q]
    for col, value in (("l.harvest", harvest), ("l.status", status), ("l.process", process),
                       ("l.producer_id", producer_id)):
        if value is not None:
            where.append(f"{col} = ?")
            params.append(value)
    if incomplete:
        where.append("m.answered < m.applicable")
    return where, params


# -- editor helpers ------------------------------------------------------------------------------
def parse_dec(text: str, key: str, label: str, *, lo: Decimal | None = None,
              hi: Decimal | None = None, unit: str = "", hint: str = "",
              positive: bool = False, required: bool = False) -> Decimal | None:
    t = clean_number(text, key, label)
    if not t:
        if required:
            raise FieldError(key, f"{label}: required")
        return None
    try:
        value = Decimal(t)
        if not value.is_finite():
            raise ArithmeticError
    except ArithmeticError:
        raise FieldError(key, f"{label}: “{text.strip()}” is not a number") from None
    u = f" {unit}" if unit else ""
    if positive and value <= 0:
        raise FieldError(key, f"{label} must be more than 0{u}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        rng = f"{lo}–{hi}{u}" if lo is not None and hi is not None else (
            f"at least {lo}{u}" if lo is not None else f"at most {hi}{u}")
        raise FieldError(key, f"{label}: {value}{u} is outside {rng}{hint}")
    return value


def parse_whole(text: str, key: str, label: str, *, lo: int | None = None,
                hi: int | None = None, required: bool = False) -> int | None:
    v = parse_dec(text, key, label, required=required)
    if v is None:
        return None
    if v != v.to_integral_value():
        raise FieldError(key, f"{label}: enter a whole number")
    n = int(v)
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        raise FieldError(key, f"{label}: {n} is outside {lo if lo is not None else ''}–"
                         f"{hi if hi is not None else ''}")
    return n


def parse_day(text: str, key: str, label: str, *, required: bool = False) -> date | None:
    t = text.strip()
    if not t:
        if required:
            raise FieldError(key, f"{label}: enter a date as YYYY-MM-DD")
        return None
    try:
        d = date.fromisoformat(t)
    except ValueError:
        raise FieldError(key, f"{label}: “{t}” is not a date (use YYYY-MM-DD)") from None
    if d < EARLIEST or d > date.today() + timedelta(days=3 * 366):
        raise FieldError(key, f"{label}: {d} is out of range ({EARLIEST.year} to three years "
                         "from today)")
    return d


OUTTURN_MODES = (
    ("default", "Default for the basis"),
    ("kg", "kg of basis per kg green"),
    ("fr", "Colombian FR (kg parchment per 70 kg excelso)"),
    ("ico", "ICO factor (kg green per kg basis)"),
)


def _combo(items: list[tuple[str, Any]]) -> QComboBox:
    c = QComboBox()
    for label, data in items:
        c.addItem(label, data)
    return c


def _enum_combo(enum: Any, label: Any = None) -> QComboBox:
    return _combo([(label(e) if label else e.value, e) for e in enum])


def _data(combo: QComboBox, enum: Any) -> Any:
    """The enum member behind a combo's current item (Qt hands str enums back as str)."""
    v = combo.currentData()
    return None if v is None else enum(v)


def _set_combo(combo: QComboBox, data: Any) -> None:
    i = combo.findData(data)
    combo.setCurrentIndex(max(i, 0))


# -- the editor ------------------------------------------------------------------------------------
class LotEditor(RecordEditor):
    """Edits one lot. Figures recompute on every change; Save is enabled only when valid."""

    recomputed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.lot: Lot | None = None
        self.errors: dict[str, str] = {}
        self.economics: LotEconomics | None = None
        self._country: dict[int, str] = {}
        self.w: dict[str, QWidget] = {}
        self.err: dict[str, QLabel] = {}

        self.title = heading("New lot", 2)
        cols = QGridLayout()
        cols.setHorizontalSpacing(12)
        self._sections = [self._lot_box(), self._quantity_box(), self._chain_box(),
                          self._contract_box(), self._farm_gate_box(), self._costs_box(),
                          self._premiums_box()]
        self._grid = cols
        self._columns = 0
        self._arrange(2)
        body = QWidget()
        bl = QVBoxLayout(body)
        bl.addWidget(self.title)
        bl.addLayout(cols)
        bl.addStretch(1)
        scroll = self._scroll = self._scrolling(body)

        self.statement_btn = QPushButton("Statement…")
        self.statement_btn.setVisible(_statement_available())
        bar = self._save_bar(self.statement_btn)

        left = QVBoxLayout()
        left.addWidget(scroll, 1)
        left.addLayout(bar)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(left, 1)
        outer.addWidget(self._figures_panel())

        self.statement_btn.clicked.connect(self._statement)
        self.new_lot()

    # -- building the form -----------------------------------------------------------------
    def _arrange(self, columns: int) -> None:
        """Sections in two columns when there is room, else one below the other."""
        if columns == self._columns:
            return
        self._columns = columns
        g = self._grid
        for w in self._sections:
            g.removeWidget(w)
        lot, qty, chain, contract, farm_gate, costs, premiums = self._sections
        if columns == 2:
            spots = [(lot, 0, 0), (qty, 1, 0), (chain, 2, 0), (contract, 0, 1),
                     (farm_gate, 1, 1), (costs, 2, 1)]
            for w, r, c in spots:
                g.addWidget(w, r, c)
            g.addWidget(premiums, 3, 0, 1, 2)
            g.setColumnStretch(1, 1)
        else:
            for r, w in enumerate((lot, contract, farm_gate, qty, costs, premiums, chain)):
                g.addWidget(w, r, 0)
            g.setColumnStretch(1, 0)
        g.setColumnStretch(0, 1)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._arrange(2 if self._scroll.viewport().width() >= 900 else 1)

    def _field(self, form: QFormLayout, key: str, label: str, widget: QWidget | None = None,
               placeholder: str = "", unit: str = "") -> QWidget:
        w = widget if widget is not None else QLineEdit()
        if isinstance(w, QLineEdit):
            w.setPlaceholderText(placeholder)
            w.textChanged.connect(self._changed)
        elif isinstance(w, QComboBox):
            w.currentIndexChanged.connect(self._changed)
        elif isinstance(w, QCheckBox):
            w.toggled.connect(self._changed)
        elif isinstance(w, QPlainTextEdit):
            w.textChanged.connect(self._changed)
        err = QLabel()
        err.setObjectName("fieldError")
        err.setStyleSheet("color: #b3261e; font-size: 9pt;")
        err.setWordWrap(True)
        err.hide()
        cell = QWidget()
        v = QVBoxLayout(cell)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(1)
        if unit:
            row = QHBoxLayout()
            row.addWidget(w, 1)
            u = QLabel(unit)
            u.setObjectName("muted")
            u.setFixedWidth(100)
            row.addWidget(u)
            v.addLayout(row)
        else:
            v.addWidget(w)
        v.addWidget(err)
        form.addRow(label, cell)
        self.w[key] = w
        self.err[key] = err
        return w

    @staticmethod
    def _form(title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(5)
        return box, form

    def _lot_box(self) -> QGroupBox:
        box, f = self._form("Lot")
        self._field(f, "code", "Code", placeholder="e.g. CO-25-001")
        self._field(f, "name", "Name")
        self.producer = ProducerPicker(self.ctx)
        self._field(f, "producer", "Producer", self.producer)
        self.producer.picked.connect(self._producer_picked)
        self._field(f, "harvest", "Harvest", placeholder="year the harvest ends, e.g. 2025")
        self._field(f, "variety", "Variety")
        self._field(f, "process", "Process", _enum_combo(Process))
        self._field(f, "species", "Species", _enum_combo(Species))
        self._field(f, "status", "Status", _enum_combo(LotStatus))
        self._field(f, "organic", "", QCheckBox("Organic"))
        self.certs = QListWidget()
        self.certs.setMaximumHeight(82)
        for s in Scheme:
            it = QListWidgetItem(s.value)
            it.setData(Qt.ItemDataRole.UserRole, s)
            it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Unchecked)
            self.certs.addItem(it)
        self.certs.itemChanged.connect(self._changed)
        self._field(f, "certifications", "Certifications claimed", self.certs)
        self.plots = QListWidget()
        self.plots.setMaximumHeight(70)
        self.plots.itemChanged.connect(self._changed)
        self._field(f, "plots", "Plots", self.plots)
        return box

    def _quantity_box(self) -> QGroupBox:
        box, f = self._form("Quantity and quality")
        self._field(f, "weight_kg", "Weight", placeholder="blank: bags × bag size", unit="kg green")
        self._field(f, "bags", "Bags", unit="bags")
        self._field(f, "bag_kg", "Bag size", placeholder="60, 69, 70 …", unit="kg")
        self._field(f, "quality_score", "Quality score", placeholder="SCA 0–100", unit="points")
        self._field(f, "defects_cat1", "Category 1 defects", unit="full defects")
        self._field(f, "defects_cat2", "Category 2 defects", unit="full defects")
        self._field(f, "moisture_pct", "Moisture", placeholder="10–12 is normal", unit="%")
        return box

    def _chain_box(self) -> QGroupBox:
        box, f = self._form("Supply chain and story")
        self._field(f, "exporter", "Exporter")
        self._field(f, "importer", "Importer")
        story = QPlainTextEdit()
        story.setMaximumHeight(80)
        self._field(f, "story", "Public story", story)
        return box

    def _contract_box(self) -> QGroupBox:
        box, f = self._form("Contract and prices")
        self._field(f, "contract_type", "Contract",
                    _combo([("Fixed price", ContractType.FIXED),
                            ("Price to be fixed (PTBF)", ContractType.PTBF)]))
        self._field(f, "contract_date", "Contract date", placeholder="YYYY-MM-DD")
        self._field(f, "futures_month", "Futures month", placeholder="e.g. KCK25")
        self._field(f, "c_cents_lb", "C price", placeholder="fixed price: C at contract",
                    unit="US ¢/lb")
        self._field(f, "c_estimated", "", QCheckBox("C taken from the reference series"))
        self._field(f, "differential_cents_lb", "Differential", placeholder="PTBF: + or −",
                    unit="US ¢/lb")
        self._field(f, "fob_usd_lb", "FOB price", placeholder="fixed price", unit="USD/lb")
        self.fixations = QTableWidget(0, 3)
        self.fixations.setHorizontalHeaderLabels(["Date", "C ¢/lb", "Volume kg (blank: rest)"])
        self._table_setup(self.fixations, stretch=2)
        self._field(f, "fixations", "Fixations", self._with_buttons(
            self.fixations, "Add fixation", lambda: self.add_fixation()))
        return box

    def _farm_gate_box(self) -> QGroupBox:
        box, f = self._form("Farm-gate price (what the producer received)")
        self._field(f, "fg_amount", "Amount", placeholder="e.g. 2600000")
        self._field(f, "fg_currency", "Currency", placeholder="ISO code, e.g. COP")
        unit = QComboBox()
        for name, u in LOCAL_UNITS.items():
            unit.addItem(name, u.kg)
        unit.addItem("other unit", None)
        self._field(f, "fg_unit", "Per", unit)
        self._field(f, "fg_unit_kg", "Unit weight", unit="kg")
        unit.currentIndexChanged.connect(self._unit_picked)
        self._field(f, "fg_basis", "Basis", _enum_combo(Basis, lambda b: b.label))
        self._field(f, "fg_outturn_mode", "Outturn", _combo([(t, k) for k, t in OUTTURN_MODES]))
        self._field(f, "fg_outturn", "Outturn value", placeholder="e.g. FR 94")
        self._field(f, "fg_fx", "Exchange rate", unit="local per USD")
        self._field(f, "fg_fx_date", "Rate date", placeholder="YYYY-MM-DD")
        self._field(f, "fg_fx_source", "Rate source")
        return box

    def _costs_box(self) -> QGroupBox:
        box = QGroupBox("Cost legs (USD/lb green)")
        v = QVBoxLayout(box)
        self.costs = QTableWidget(0, 3)
        self.costs.setHorizontalHeaderLabels(["Party", "Leg", "USD/lb"])
        self._table_setup(self.costs, stretch=1)
        v.addWidget(self._with_buttons(self.costs, "Add cost leg", lambda: self.add_cost()))
        self.err["costs"] = self._table_error(v)
        self.w["costs"] = self.costs
        return box

    def _premiums_box(self) -> QGroupBox:
        box = QGroupBox("Premiums (payments are never deleted: void a wrong one)")
        v = QVBoxLayout(box)
        self.premiums = QTableWidget(0, 7)
        self.premiums.setHorizontalHeaderLabels(
            ["Type", "Basis", "Amount USD (or %)", "In FOB", "Paid to", "Farmers", "Voided"])
        self._table_setup(self.premiums, stretch=4)
        v.addWidget(self._with_buttons(self.premiums, "Add premium", lambda: self.add_premium()))
        self.err["premiums"] = self._table_error(v)
        self.w["premiums"] = self.premiums
        return box

    def _table_error(self, layout: QVBoxLayout) -> QLabel:
        err = QLabel()
        err.setStyleSheet("color: #b3261e; font-size: 9pt;")
        err.setWordWrap(True)
        err.hide()
        layout.addWidget(err)
        return err

    def _table_setup(self, t: QTableWidget, stretch: int) -> None:
        t.verticalHeader().hide()
        t.setMinimumHeight(120)
        t.setMaximumHeight(170)
        hh = t.horizontalHeader()
        for c in range(t.columnCount()):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
        t.itemChanged.connect(self._changed)

    def _with_buttons(self, table: QTableWidget, add_text: str, add: Any) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(table)
        row = QHBoxLayout()
        b = QPushButton(add_text)
        b.clicked.connect(add)
        row.addWidget(b)
        if table is not getattr(self, "premiums", None):
            rm = QPushButton("Remove")
            rm.clicked.connect(lambda: self._remove_row(table))
            row.addWidget(rm)
        row.addStretch(1)
        v.addLayout(row)
        return w

    def _remove_row(self, table: QTableWidget) -> None:
        r = table.currentRow()
        if r >= 0:
            table.removeRow(r)
            self._changed()

    def _figures_panel(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("card")
        v = QVBoxLayout(panel)
        v.addWidget(heading("Price chain", 2))
        self.fig: dict[str, QLabel] = {}
        rows = (
            ("c", "C at fixation"), ("fob", "FOB"), ("premium", "Premium over C"),
            ("premium_pct", "Premium over C, %"), ("farm_gate", "Farm gate, green"),
            ("share", "Share of FOB"), ("between", "Farm gate → FOB"),
            ("fairtrade", "Fairtrade floor"), ("living_income", "Living income"),
            (None, "Lot totals"),
            ("weight", "Weight"), ("fob_value", "FOB value"),
            ("premium_value", "Premium over C"), ("farm_gate_value", "Farm-gate value"),
            ("between_value", "Farm gate → FOB"),
            ("premiums_in_fob", "Premiums in FOB"), ("premiums_on_top", "Premiums on top"),
        )
        grid = QGridLayout()
        grid.setVerticalSpacing(4)
        for r, (key, label) in enumerate(rows):
            if key is None:
                grid.addWidget(heading(label, 2), r, 0, 1, 2)
                continue
            name = QLabel(label)
            name.setObjectName("muted")
            name.setWordWrap(True)
            val = QLabel("—")
            val.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            val.setWordWrap(True)
            grid.addWidget(name, r, 0)
            grid.addWidget(val, r, 1)
            self.fig[key] = val
        grid.setColumnStretch(1, 1)
        v.addLayout(grid)
        self.missing = muted("")
        v.addWidget(self.missing)
        v.addStretch(1)
        holder = QScrollArea()  # rows keep their height; a short window scrolls instead
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder.setWidget(panel)
        holder.setFixedWidth(310)
        return holder

    # -- table rows --------------------------------------------------------------------------
    def add_fixation(self, on: str = "", c: str = "", volume: str = "") -> int:
        return self._add_row(self.fixations, [on, c, volume])

    def add_cost(self, party: Party = Party.EXPORTER, leg: str = "", usd_lb: str = "") -> int:
        row = self._add_row(self.costs, ["", leg, usd_lb])
        combo = _enum_combo(Party)
        _set_combo(combo, party)
        combo.currentIndexChanged.connect(self._changed)
        self.costs.setCellWidget(row, 0, combo)
        it = self.costs.item(row, 1)
        it.setToolTip("exporter: " + ", ".join(EXPORTER_LEGS) + "; importer: "
                      + ", ".join(IMPORTER_LEGS))
        return row

    def add_premium(self, p: Premium | None = None) -> int:
        was = self._loading
        self._loading = True
        t = self.premiums
        row = self._add_row(t, ["", "", text_of(p.amount) if p else "", "",
                                p.paid_to if p else "", str(p.farmers or "") if p else "", ""])
        kind = _enum_combo(PremiumType)
        basis = _enum_combo(PremiumBasis)
        if p is not None:
            _set_combo(kind, p.type)
            _set_combo(basis, p.basis)
        kind.currentIndexChanged.connect(self._changed)
        basis.currentIndexChanged.connect(self._changed)
        t.setCellWidget(row, 0, kind)
        t.setCellWidget(row, 1, basis)
        for col, on in ((3, p.included_in_fob if p else True), (6, p.voided if p else False)):
            it = QTableWidgetItem()
            it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            t.setItem(row, col, it)
        first = t.item(row, 2)
        first.setData(Qt.ItemDataRole.UserRole, p)
        self._loading = was
        self._changed()
        return row

    def _add_row(self, t: QTableWidget, texts: list[str]) -> int:
        was = self._loading
        self._loading = True
        row = t.rowCount()
        t.insertRow(row)
        for c, text in enumerate(texts):
            t.setItem(row, c, QTableWidgetItem(text))
        self._loading = was
        self._changed()
        return row

    # -- loading -----------------------------------------------------------------------------
    def _line(self, key: str) -> QLineEdit:
        return self.w[key]  # type: ignore[return-value]

    def new_lot(self, producer_id: int | None = None) -> None:
        self.load(None, producer_id=producer_id)

    def load(self, lot: Lot | None, producer_id: int | None = None) -> None:
        self._loading = True
        try:
            self.lot = lot
            self.title.setText("New lot" if lot is None else f"Lot {lot.code}")
            x = lot or Lot(code="-", producer_id=producer_id or 0, harvest=date.today().year)
            for key in ("name", "variety", "futures_month", "exporter", "importer"):
                self._line(key).setText(getattr(x, key))
            self._line("code").setText(lot.code if lot else "")
            self.producer.set_producer(x.producer_id or None)
            self._line("harvest").setText(str(x.harvest) if lot else "")
            for key in ("weight_kg", "bags", "bag_kg", "quality_score", "defects_cat1",
                        "defects_cat2", "moisture_pct", "c_cents_lb", "differential_cents_lb",
                        "fob_usd_lb"):
                self._line(key).setText(text_of(getattr(x, key)))
            self._line("contract_date").setText(text_of(x.contract_date))
            for key in ("process", "species", "status", "contract_type"):
                _set_combo(self.w[key], getattr(x, key))  # type: ignore[arg-type]
            self.w["organic"].setChecked(x.organic)  # type: ignore[attr-defined]
            self.w["c_estimated"].setChecked(x.c_estimated)  # type: ignore[attr-defined]
            self.w["story"].setPlainText(x.story)  # type: ignore[attr-defined]
            for i in range(self.certs.count()):
                it = self.certs.item(i)
                on = it.data(Qt.ItemDataRole.UserRole) in x.certifications_claimed
                it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self._load_plots(x.producer_id or None, x.plot_ids)
            self._load_farm_gate(x.farm_gate)
            for t in (self.fixations, self.costs, self.premiums):
                t.setRowCount(0)
            for fx in x.fixations:
                self.add_fixation(fx.on.isoformat(), text_of(fx.c_cents_lb),
                                  text_of(fx.volume_kg))
            for c in x.costs:
                self.add_cost(c.party, c.leg, text_of(c.usd_lb))
            for p in x.premiums:
                self.add_premium(p)
            for w in self.w.values():
                if isinstance(w, QLineEdit):
                    w.setCursorPosition(0)  # show the start of long text
        finally:
            self._loading = False
        self._set_dirty(False)
        self.recompute()

    def _load_farm_gate(self, fg: FarmGatePrice | None) -> None:
        for key in ("fg_amount", "fg_currency", "fg_unit_kg", "fg_outturn", "fg_fx",
                    "fg_fx_date", "fg_fx_source"):
            self._line(key).clear()
        unit: QComboBox = self.w["fg_unit"]  # type: ignore[assignment]
        basis: QComboBox = self.w["fg_basis"]  # type: ignore[assignment]
        mode: QComboBox = self.w["fg_outturn_mode"]  # type: ignore[assignment]
        if fg is None:
            unit.setCurrentIndex(0)
            self._line("fg_unit_kg").setText("1")
            _set_combo(basis, Basis.PARCHMENT)
            _set_combo(mode, "default")
            return
        self._line("fg_amount").setText(text_of(fg.amount))
        self._line("fg_currency").setText(fg.currency)
        names = [unit.itemText(i) for i in range(unit.count())]
        if fg.unit_name not in names:  # a unit of this lot's own: keep its name
            unit.insertItem(unit.count() - 1, fg.unit_name, str(fg.unit_kg))
            names = [unit.itemText(i) for i in range(unit.count())]
        unit.setCurrentIndex(names.index(fg.unit_name))
        self._line("fg_unit_kg").setText(text_of(fg.unit_kg))
        _set_combo(basis, fg.basis)
        if fg.kg_per_kg_green is None:
            _set_combo(mode, "default")
        else:
            k = fg.kg_per_kg_green
            fr = (k * 70).quantize(Decimal("0.01"))
            if (k.as_tuple().exponent < -4  # type: ignore[operator]
                    and fg.basis is Basis.PARCHMENT and factor_from_rendimiento(fr) == k):
                _set_combo(mode, "fr")
                self._line("fg_outturn").setText(text_of(fr.normalize()))
            else:
                _set_combo(mode, "kg")
                self._line("fg_outturn").setText(text_of(k))
        self._line("fg_fx").setText(text_of(fg.fx_local_per_usd))
        self._line("fg_fx_date").setText(text_of(fg.fx_date))
        self._line("fg_fx_source").setText(fg.fx_source)

    def _load_plots(self, producer_id: int | None, checked: tuple[int, ...] = ()) -> None:
        """The producer's plots and its members' (a co-op's lot comes from members' plots),
        plus any plot the lot already names; the lot's own plots first, in their order."""
        was = self._loading
        self._loading = True
        self.plots.clear()
        rows: list[tuple[Any, ...]] = []
        if producer_id or checked:
            rows = self.ctx.store.plots_near(producer_id, checked)
        order = {pid: n for n, pid in enumerate(checked)}
        rows.sort(key=lambda r: order.get(r[0], len(order)))
        for pid, name, area, owner, owner_id in rows:
            text = name + (f" ({area} ha)" if area else "")
            if owner_id != producer_id:
                text += f" — {owner}"
            it = QListWidgetItem(text)
            it.setData(Qt.ItemDataRole.UserRole, pid)
            it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if pid in checked
                             else Qt.CheckState.Unchecked)
            self.plots.addItem(it)
        self._loading = was

    def _producer_picked(self, pid: Any) -> None:
        if not self._loading:
            self._load_plots(pid)

    def _unit_picked(self) -> None:
        if self._loading:
            return
        kg = self.w["fg_unit"].currentData()  # type: ignore[attr-defined]
        if kg is not None:
            self._line("fg_unit_kg").setText(text_of(Decimal(kg).normalize()))

    def revert(self) -> None:
        self.load(self.lot, producer_id=self.producer.producer_id)

    # -- parsing -----------------------------------------------------------------------------
    def build(self) -> tuple[Lot | None, dict[str, str]]:
        """The lot the fields describe, or None and a message per bad field."""
        errors: dict[str, str] = {}
        T = self._line

        def get(key: str, fn: Any) -> Any:
            try:
                return fn()
            except FieldError as exc:
                errors.setdefault(exc.field or key, str(exc))
                return None

        code = T("code").text().strip()
        if not code:
            errors["code"] = "Code: every lot needs a code"
        pid = self.producer.producer_id
        if pid is None:
            errors["producer"] = "Producer: pick one from the list"
        this_year = date.today().year
        harvest = get("harvest", lambda: parse_whole(
            T("harvest").text(), "harvest", "Harvest", lo=1990, hi=this_year + 2, required=True))
        weight = get("weight_kg", lambda: parse_dec(
            T("weight_kg").text(), "weight_kg", "Weight", positive=True, hi=Decimal(1_000_000),
            unit="kg"))
        bags = get("bags", lambda: parse_whole(T("bags").text(), "bags", "Bags", lo=1,
                                               hi=100_000))
        bag_kg = get("bag_kg", lambda: parse_dec(
            T("bag_kg").text(), "bag_kg", "Bag size", positive=True, hi=Decimal(1000),
            unit="kg"))
        if bags is not None and bag_kg is None and "bag_kg" not in errors:
            errors["bag_kg"] = "Bag size: needed with a number of bags (e.g. 60, 69, 70 kg)"
        score = get("quality_score", lambda: parse_dec(
            T("quality_score").text(), "quality_score", "Quality score", lo=Decimal(0),
            hi=Decimal(100), unit="points", hint=" (SCA scale)"))
        d1 = get("defects_cat1", lambda: parse_whole(
            T("defects_cat1").text(), "defects_cat1", "Category 1 defects", lo=0, hi=10_000))
        d2 = get("defects_cat2", lambda: parse_whole(
            T("defects_cat2").text(), "defects_cat2", "Category 2 defects", lo=0, hi=10_000))
        moisture = get("moisture_pct", lambda: parse_dec(
            T("moisture_pct").text(), "moisture_pct", "Moisture", lo=Decimal(0),
            hi=Decimal(30), unit="%", hint=" (green coffee is normally 10–12 %)"))
        contract_date = get("contract_date", lambda: parse_day(
            T("contract_date").text(), "contract_date", "Contract date"))
        fut = T("futures_month").text().strip().upper()
        if fut and not FUTURES.fullmatch(fut):
            errors["futures_month"] = ("Futures month: an ICE code like KCK25 (H Mar, K May, "
                                       "N Jul, U Sep, Z Dec)")
        c = get("c_cents_lb", lambda: parse_dec(
            T("c_cents_lb").text(), "c_cents_lb", "C price", lo=Decimal(20), hi=Decimal(2000),
            unit="¢/lb", hint=" — C is quoted in US cents per lb, e.g. 380.00"))
        diff = get("differential_cents_lb", lambda: parse_dec(
            T("differential_cents_lb").text(), "differential_cents_lb", "Differential",
            lo=Decimal(-500), hi=Decimal(5000), unit="¢/lb",
            hint=" — in US cents per lb, e.g. +95"))
        fob = get("fob_usd_lb", lambda: parse_dec(
            T("fob_usd_lb").text(), "fob_usd_lb", "FOB price", lo=Decimal("0.30"),
            hi=Decimal(500), unit="USD/lb", hint=" — FOB is in USD per lb, e.g. 4.75"))
        ctype = _data(self.w["contract_type"], ContractType)  # type: ignore[arg-type]
        fixations = get("fixations", self._fixations)
        if ctype is ContractType.FIXED and fixations:
            errors.setdefault("fixations", "Fixations: only a PTBF contract is fixed later")
        if ctype is ContractType.PTBF and fixations and diff is None \
                and "differential_cents_lb" not in errors:
            errors["differential_cents_lb"] = "Differential: needed to price the fixations"
        farm_gate = self._farm_gate(errors)
        costs = get("costs", self._costs)
        premiums = get("premiums", self._premiums)
        if errors:
            return None, errors
        kw: dict[str, Any] = dict(
            code=code, producer_id=pid, harvest=harvest, weight_kg=weight, bags=bags,
            bag_kg=bag_kg, name=T("name").text().strip(), variety=T("variety").text().strip(),
            process=_data(self.w["process"], Process),  # type: ignore[arg-type]
            species=_data(self.w["species"], Species),  # type: ignore[arg-type]
            status=_data(self.w["status"], LotStatus),  # type: ignore[arg-type]
            quality_score=score, defects_cat1=d1, defects_cat2=d2, moisture_pct=moisture,
            contract_type=ctype, contract_date=contract_date, futures_month=fut,
            fixations=fixations or (), c_cents_lb=c,
            c_estimated=self.w["c_estimated"].isChecked(),  # type: ignore[attr-defined]
            differential_cents_lb=diff, fob_usd_lb=fob, farm_gate=farm_gate,
            costs=costs or (), premiums=premiums or (),
            exporter=T("exporter").text().strip(), importer=T("importer").text().strip(),
            organic=self.w["organic"].isChecked(),  # type: ignore[attr-defined]
            certifications_claimed=tuple(
                self.certs.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.certs.count())
                if self.certs.item(i).checkState() == Qt.CheckState.Checked),
            plot_ids=tuple(
                self.plots.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.plots.count())
                if self.plots.item(i).checkState() == Qt.CheckState.Checked),
            story=self.w["story"].toPlainText().strip(),  # type: ignore[attr-defined]
        )
        try:
            lot = replace(self.lot, **kw) if self.lot is not None else Lot(**kw)
        except ValueError as exc:
            return None, {"": str(exc)}
        return lot, {}

    def _cell(self, t: QTableWidget, r: int, c: int) -> str:
        it = t.item(r, c)
        return it.text().strip() if it is not None else ""

    def _fixations(self) -> tuple[Fixation, ...]:
        out = []
        t = self.fixations
        for r in range(t.rowCount()):
            texts = [self._cell(t, r, c) for c in range(3)]
            if not any(texts):
                continue
            n = f"Fixation {r + 1}"
            on = parse_day(texts[0], "fixations", f"{n} date", required=True)
            c = parse_dec(texts[1], "fixations", f"{n} C price", lo=Decimal(20),
                          hi=Decimal(2000), unit="¢/lb", required=True,
                          hint=" — C is quoted in US cents per lb")
            vol = parse_dec(texts[2], "fixations", f"{n} volume", positive=True, unit="kg")
            out.append(Fixation(on, c, vol))  # type: ignore[arg-type]
        return tuple(out)

    def _costs(self) -> tuple[CostLeg, ...]:
        out = []
        t = self.costs
        for r in range(t.rowCount()):
            leg, amount = self._cell(t, r, 1), self._cell(t, r, 2)
            if not leg and not amount:
                continue
            n = f"Cost leg {r + 1}"
            if not leg:
                raise FieldError("costs", f"{n}: name the leg (e.g. milling)")
            v = parse_dec(amount, "costs", f"{n} ({leg})", lo=Decimal(0), hi=Decimal(20),
                          unit="USD/lb", required=True)
            party = _data(t.cellWidget(r, 0), Party)  # type: ignore[arg-type]
            out.append(CostLeg(party, leg, v))  # type: ignore[arg-type]
        return tuple(out)

    def _premiums(self) -> tuple[Premium, ...]:
        out = []
        t = self.premiums
        for r in range(t.rowCount()):
            n = f"Premium {r + 1}"
            kind = _data(t.cellWidget(r, 0), PremiumType)  # type: ignore[arg-type]
            basis = _data(t.cellWidget(r, 1), PremiumBasis)  # type: ignore[arg-type]
            hi = Decimal(100) if basis is PremiumBasis.PCT_OF_PRICE else None
            amount = parse_dec(self._cell(t, r, 2), "premiums", f"{n} amount", lo=Decimal(0),
                               hi=hi, required=True)
            farmers = parse_whole(self._cell(t, r, 5), "premiums", f"{n} farmers", lo=1)
            if basis is PremiumBasis.PER_FARMER and not farmers:
                raise FieldError("premiums", f"{n}: a per-farmer premium needs the number "
                                 "of farmers")
            in_fob = t.item(r, 3).checkState() == Qt.CheckState.Checked
            voided = t.item(r, 6).checkState() == Qt.CheckState.Checked
            old: Premium | None = t.item(r, 2).data(Qt.ItemDataRole.UserRole)
            fields = dict(type=kind, basis=basis, amount=amount, included_in_fob=in_fob,
                          paid_to=self._cell(t, r, 4), farmers=farmers, voided=voided)
            out.append(replace(old, **fields) if old is not None else Premium(**fields))
        return tuple(out)

    def _farm_gate(self, errors: dict[str, str]) -> FarmGatePrice | None:
        T = self._line
        amount_text = T("fg_amount").text()
        if not amount_text.strip():
            return None
        start = len(errors)

        def get(key: str, fn: Any) -> Any:
            try:
                return fn()
            except FieldError as exc:
                errors.setdefault(key, str(exc))
                return None

        amount = get("fg_amount", lambda: parse_dec(amount_text, "fg_amount",
                                                    "Farm-gate amount", positive=True))
        cur = T("fg_currency").text().strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", cur):
            errors["fg_currency"] = "Currency: a three-letter ISO code, e.g. COP, ETB, USD"
        unit_kg = get("fg_unit_kg", lambda: parse_dec(
            T("fg_unit_kg").text(), "fg_unit_kg", "Unit weight", positive=True,
            hi=Decimal(1000), unit="kg", required=True))
        basis = _data(self.w["fg_basis"], Basis)  # type: ignore[arg-type]
        mode = self.w["fg_outturn_mode"].currentData()  # type: ignore[attr-defined]
        factor = None
        otext = T("fg_outturn").text()
        if mode == "kg":
            factor = get("fg_outturn", lambda: parse_dec(
                otext, "fg_outturn", "Outturn", positive=True, hi=Decimal(20), required=True,
                unit="kg per kg green"))
            if factor is not None and factor < 1:
                errors["fg_outturn"] = ("Outturn: kg of basis per kg green is at least 1 "
                                        f"(default for {basis.label}: "
                                        f"{DEFAULT_KG_PER_KG_GREEN[basis]})")
        elif mode == "fr":
            fr = get("fg_outturn", lambda: parse_dec(
                otext, "fg_outturn", "Factor de rendimiento", lo=Decimal(70), hi=Decimal(150),
                required=True, hint=" (reference FR 94)"))
            if fr is not None:
                factor = factor_from_rendimiento(fr)
                if basis is not Basis.PARCHMENT:
                    errors["fg_basis"] = "Basis: the Colombian FR is for dry parchment"
        elif mode == "ico":
            ico = get("fg_outturn", lambda: parse_dec(
                otext, "fg_outturn", "ICO factor", positive=True, hi=Decimal(1), required=True,
                hint=" (e.g. 0.8 for parchment)"))
            if ico is not None:
                factor = factor_from_ico(ico)
        fx_text = T("fg_fx").text()
        if cur == "USD" and not fx_text.strip():
            fx_text = "1"
        fx = get("fg_fx", lambda: parse_dec(fx_text, "fg_fx", "Exchange rate", positive=True,
                                            required=True, unit="local per USD"))
        if cur == "USD" and fx is not None and fx != 1:
            errors["fg_fx"] = "Exchange rate: a price in USD has a rate of 1"
        fx_date = get("fg_fx_date", lambda: parse_day(T("fg_fx_date").text(), "fg_fx_date",
                                                      "Rate date"))
        if len(errors) > start:
            return None
        unit_name = self.w["fg_unit"].currentText()  # type: ignore[attr-defined]
        if self.w["fg_unit"].currentData() is None:  # type: ignore[attr-defined]
            unit_name = f"{unit_kg.normalize():f} kg"  # type: ignore[union-attr]
        return FarmGatePrice(amount, cur, unit_name, unit_kg, basis, fx,  # type: ignore[arg-type]
                             kg_per_kg_green=factor, fx_date=fx_date,
                             fx_source=T("fg_fx_source").text().strip())

    # -- live figures ------------------------------------------------------------------------
    def _recheck(self) -> None:
        self.recompute()

    def _producer_country(self, pid: int | None) -> str:
        if pid is None:
            return ""
        if pid not in self._country:
            label = self.ctx.store.producer_label(pid)
            self._country[pid] = label[1] if label else ""
        return self._country[pid]

    def recompute(self) -> None:
        """Parse the fields, show a message beside each bad one, and refresh the figures."""
        lot, errors = self.build()
        self.errors = errors
        shown = errors if self.dirty or self.lot is not None else {}  # untouched new lot: quiet
        for key, label in self.err.items():
            msg = shown.get(key, "")
            if label.text() != msg:  # re-styling every field on each keystroke is slow
                label.setText(msg)
                label.setVisible(bool(msg))
                mark_invalid(self.w.get(key), bool(msg))
        if errors:
            n = len(errors)
            general = errors.get("", "")
            if shown:
                self.error.show_error(general or f"{n} field{'s' if n > 1 else ''} to correct "
                                      "before saving")
            else:
                self.error.clear_error()
            self.save_btn.setEnabled(False)
        else:
            self.error.clear_error()
            self.save_btn.setEnabled(self.dirty)
        if lot is None:
            self.economics = None
            self._show(None)
        else:
            ft, lir, cs = self.ctx.store.reference()
            self.economics = economics(lot, fairtrade=ft, living_income=lir,
                                       country=self._producer_country(lot.producer_id),
                                       c_series=cs)
            self._show(self.economics)
        self.recomputed.emit()

    def _show(self, e: LotEconomics | None) -> None:
        f = self.fig
        if e is None:
            for lab in f.values():
                lab.setText("—")
            self.missing.setText("Correct the marked fields to see the figures." if self.dirty
                                 or self.lot is not None else "Figures appear as you type.")
            return
        nr = "not recorded"
        c = fmt_usd_lb(e.c_usd_lb, nr)
        f["c"].setText(c + (" (estimated)" if e.c_estimated and e.c_usd_lb is not None else ""))
        f["fob"].setText(fmt_usd_lb(e.fob_usd_lb, nr))
        f["premium"].setText(fmt_usd_lb(e.premium_over_c_usd_lb, "needs FOB and C"))
        f["premium_pct"].setText(fmt_pct(e.premium_over_c_pct, "needs FOB and C"))
        f["farm_gate"].setText(fmt_usd_lb(e.farm_gate_usd_lb, nr))
        f["share"].setText(fmt_pct(e.farm_gate_share, "needs farm gate and FOB"))
        f["between"].setText(fmt_usd_lb(e.intermediaries_usd_lb, "—"))
        if e.fairtrade is None:
            f["fairtrade"].setText("needs FOB")
        else:
            ft = e.fairtrade
            diff = fmt_usd_lb(abs(ft.difference_usd_lb))
            word = "above" if ft.meets else "below"
            f["fairtrade"].setText(f"{fmt_usd_lb(ft.floor_usd_lb)}; FOB is {diff} {word}")
        if e.living_income is None or e.living_income_usd_lb is None:
            f["living_income"].setText("no reference for this origin")
        else:
            ref = fmt_usd_lb(e.living_income_usd_lb)
            vs = (f"; farm gate is {fmt_pct(e.farm_gate_vs_living_income)} of it"
                  if e.farm_gate_vs_living_income is not None else "")
            f["living_income"].setText(f"{ref} ({e.living_income.year}){vs}")
        f["weight"].setText(f"{e.weight_kg:,.0f} kg = {e.weight_lb:,.2f} lb"
                            if e.weight_kg is not None and e.weight_lb is not None else nr)
        f["fob_value"].setText(fmt_usd(e.fob_value_usd, "—"))
        f["premium_value"].setText(fmt_usd(e.premium_over_c_value_usd, "—"))
        f["farm_gate_value"].setText(fmt_usd(e.farm_gate_value_usd, "—"))
        f["between_value"].setText(fmt_usd(e.intermediaries_value_usd, "—"))
        f["premiums_in_fob"].setText(fmt_usd(e.premiums_in_fob_usd))
        f["premiums_on_top"].setText(fmt_usd(e.premiums_on_top_usd))
        self.missing.setText("Missing: " + ", ".join(e.missing) if e.missing
                             else "Every price figure is recorded.")

    # -- saving ------------------------------------------------------------------------------
    def save(self) -> bool:
        self.recompute()
        lot, errors = self.build()
        if lot is None:
            return False
        return self._store(lot, lambda stored: f"Lot {stored.code} saved")

    def _statement(self) -> None:
        if self.lot is None or self.lot.id is None:
            self.ctx.messages.info.emit("Save the lot first, then preview its statement")
            return
        try:
            from ..dialogs.statement import show_statement_preview  # type: ignore[import-not-found]
        except ImportError:
            self.statement_btn.hide()
            return
        show_statement_preview(self.ctx, self.lot.id, self)


def _statement_available() -> bool:
    """Whether the statement preview exists, without importing it (it is heavy)."""
    try:
        return importlib.util.find_spec(STATEMENT_MODULE) is not None
    except (ImportError, ValueError):
        return False


# -- the page ------------------------------------------------------------------------------------
class LotsPage(RecordPage):
    """The lot table above the lot editor."""

    noun = "lot"
    refresh_on = ("lot", "producer", "visit", "commitment", "project", "*")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._make_search("Search code, name, variety or producer…  (Ctrl+F)")
        self.harvest_filter = QComboBox()
        self.status_filter = _combo([("Any status", None)]
                                    + [(s.value, s.value) for s in LotStatus])
        self.process_filter = _combo([("Any process", None)]
                                     + [(p.value, p.value) for p in Process])
        self.incomplete = QCheckBox("Missing transparency data")
        self.new_btn = QPushButton("New lot")
        self.count = muted("")
        self._fill_harvests()

        self._make_table(LotListModel(ctx, self), DEFAULT_SORT,
                         (100, 170, 40, 60, 70, 76, 70, 50, 80, 100, 80, 100, 90))
        self.editor = LotEditor(ctx)

        filters = self._filter_row((self.search, 3), (self.harvest_filter, 1),
                                   (self.status_filter, 1), (self.process_filter, 1),
                                   (self.incomplete, 0))
        top = self._header("Lots", self.count)
        upper = QWidget()
        ul = QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.addLayout(top)
        ul.addLayout(filters)
        ul.addWidget(self.table, 1)
        self._split(Qt.Orientation.Vertical, upper, [400, 600])

        self.search.textChanged.connect(self.apply_filter)
        for combo in (self.harvest_filter, self.status_filter, self.process_filter):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.incomplete.toggled.connect(self.apply_filter)
        self._connect_records()

    def _fill_harvests(self) -> None:
        current = self.harvest_filter.currentData()
        self.harvest_filter.blockSignals(True)
        self.harvest_filter.clear()
        self.harvest_filter.addItem("Any harvest", None)
        for h in reversed(self.ctx.store.harvests()):
            self.harvest_filter.addItem(str(h), h)
        _set_combo(self.harvest_filter, current)
        self.harvest_filter.blockSignals(False)

    def apply_filter(self, *_: Any) -> None:
        where, params = lot_filter(
            text=self.search.text(), harvest=self.harvest_filter.currentData(),
            status=self.status_filter.currentData(), process=self.process_filter.currentData(),
            incomplete=self.incomplete.isChecked(), db=self.ctx.db)
        self.model.set_filter(where, params)

    def _update_count(self, *_: Any) -> None:
        n = self.model.rowCount()
        more = "+" if self.model.has_more else ""
        self.count.setText(f"{n:,}{more} lot{'s' if n != 1 or more else ''}  ")

    def refresh(self) -> None:
        self._fill_harvests()
        super().refresh()

    def _focus_new(self) -> None:
        self.editor.w["code"].setFocus()
