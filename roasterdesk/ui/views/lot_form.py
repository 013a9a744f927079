"""The lot editor's form: its sections, tables and the price panel (built here; parsed and
filled by :class:`roasterdesk.ui.views.lot_editor.LotEditor`)."""

from __future__ import annotations

import importlib.util
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
from ...domain.money import fmt_kg, fmt_number, fmt_pct, fmt_usd_lb
from ...domain.pricing import LotEconomics, not_recorded_facts
from ...domain.units import DEFAULT_KG_PER_KG_GREEN, Basis, units_offered
from ..editors import CHOOSE, EnumCombo, YesNoCombo, data_combo
from ..widgets import heading, muted, text_of
from .producer_picker import ProducerPicker
from .record_page import RecordEditor

if TYPE_CHECKING:
    from ..context import AppContext

STATEMENT_MODULE = "roasterdesk.ui.dialogs.statement"
CONTRACT_LABELS = {ContractType.FIXED: "Fixed price",
                   ContractType.PTBF: "Price to be fixed (PTBF)"}

OUTTURN_MODES = (
    ("default", "Default for the basis"),
    ("kg", "kg of basis per kg green"),
    ("fr", "Colombian FR (kg parchment per 70 kg excelso)"),
    ("ico", "ICO factor (kg green per kg basis)"),
)



def _statement_available() -> bool:
    """Whether the statement preview exists, without importing it (it is heavy)."""
    try:
        return importlib.util.find_spec(STATEMENT_MODULE) is not None
    except (ImportError, ValueError):
        return False



def farm_gate_how(lot: Lot | None) -> str:
    """The conversion behind the farm-gate figure: unit, outturn factor and exchange rate."""
    fg = lot.farm_gate if lot is not None else None
    if fg is None:
        return ""
    k = fg.kg_per_kg_green
    default = k is None
    k = DEFAULT_KG_PER_KG_GREEN[fg.basis] if k is None else k
    # the unit's weight once ("per carga (125 kg) of dry parchment"), and the rate as typed
    # (0.00024 is not "0.00")
    weight = "" if "kg" in fg.unit_name else f"{fg.unit_kg.normalize():f} kg "
    return (f"{fmt_number(fg.amount, 2)} {fg.currency} per {fg.unit_name} "
            f"({weight}{fg.basis.label}); outturn "
            f"{fmt_number(k, 4)} kg {fg.basis.label} per kg green"
            + (" (default)" if default else "")
            + f"; {format(fg.fx_local_per_usd.normalize(), ',f')} {fg.currency}/USD; "
            "1 lb = 0.45359237 kg")


def fob_text(e: LotEconomics) -> str:
    """The FOB row of the figures panel. A PTBF lot partly fixed has none: what is fixed, at
    what price, and what is not ("not recorded — 700 of 2,100 kg fixed (at 4.80 USD/lb);
    1,400 kg not fixed yet"); a FOB recorded on a PTBF lot without a fixation is said to be
    as recorded."""
    nf = e.not_fixed
    if e.fob_usd_lb is not None:
        fob = fmt_usd_lb(e.fob_usd_lb)
        return fob + (f" (as recorded; {nf.why})" if nf is not None else "")
    if nf is None:
        return "not recorded"
    if not nf.fixed_kg or nf.unfixed_kg is None or e.weight_kg is None:
        return f"not recorded ({nf.why})"
    at = (f" (at {fmt_number(nf.fixed_fob_usd_lb, 2)} USD/lb)"
          if nf.fixed_fob_usd_lb is not None else "")
    return (f"not recorded — {fmt_kg(nf.fixed_kg)} of {fmt_kg(e.weight_kg)} kg fixed{at}; "
            f"{fmt_kg(nf.unfixed_kg)} kg not fixed yet")


def price_texts(e: LotEconomics) -> dict[str, str]:
    """The C, FOB, premium and share rows of the figures panel; a PTBF lot's price not
    (wholly) fixed yet says why in each figure it keeps open."""
    why = f"not recorded ({e.not_fixed.why})" if e.not_fixed is not None else ""
    c = fmt_usd_lb(e.c_usd_lb, why or "not recorded")
    share_why = why if why and e.fob_usd_lb is None and e.farm_gate_usd_lb is not None else ""
    # every figure made of an estimated C says so, as the statement does
    est = " (estimated)" if e.c_estimated and e.c_usd_lb is not None else ""
    return {
        "c": c + est,
        "fob": fob_text(e),
        "premium": fmt_usd_lb(e.premium_over_c_usd_lb, why or "needs FOB and C")
        + (est if e.premium_over_c_usd_lb is not None else ""),
        "premium_pct": fmt_pct(e.premium_over_c_pct, why or "needs FOB and C")
        + (est if e.premium_over_c_pct is not None else ""),
        "share": fmt_pct(e.farm_gate_share, share_why or "needs farm gate and FOB"),
    }


def stored_unfixed_c(stored: Lot | None, contract: ContractType | None,
                     fixations: tuple[Fixation, ...] | None, c: Decimal | None
                     ) -> Decimal | None:
    """The C of a stored PTBF lot that holds it without a fixation (an import), when the form
    still says so: it stays unfixed (opening the lot never fixes it on a guessed date), else
    ``None`` (a C typed on a PTBF contract is one fixation of the whole lot)."""
    if contract is not ContractType.PTBF or fixations or stored is None or c is None:
        return None
    same = stored.contract_type is ContractType.PTBF and not stored.fixations \
        and stored.c_cents_lb == c
    return c if same else None


def fairtrade_text(e: LotEconomics, lot: Lot | None) -> str:
    """The Fairtrade row of the figures panel: the floor and how FOB stands against it; with
    the species or process not recorded, the bound it clears and why, or "not recorded"."""
    ft = e.fairtrade
    species = lot.species if lot is not None else None
    market = ("C" if species is Species.ARABICA else "London" if species is Species.ROBUSTA
              else "market")
    nf = e.not_fixed
    if ft is None and nf is not None:  # no FOB or no C until the price is fixed
        return f"not recorded ({nf.why})"
    if ft is None:
        if e.fob_usd_lb is None:
            return "needs FOB"
        if e.c_usd_lb is None:  # the floor is max(minimum, C) + premium
            return f"depends on the {market} price at fixation (not recorded)"
        facts = not_recorded_facts(lot) if lot is not None else ""
        return f"not recorded ({facts})" if facts else "not recorded"
    diff = fmt_usd_lb(abs(ft.difference_usd_lb))
    if ft.at_least:  # no market price: only a lower bound of the floor is known
        why = nf.why if nf is not None else f"{market} price not recorded"
        return f"at least {fmt_usd_lb(ft.floor_usd_lb)}; FOB is at least {diff} below ({why})"
    text = f"{fmt_usd_lb(ft.floor_usd_lb)}; FOB is {diff} {'above' if ft.meets else 'below'}"
    if ft.not_recorded:
        which = "highest" if ft.meets else "lowest"
        text += f" (the {which} floor it could have: {ft.not_recorded})"
    if e.fairtrade_from_estimate:  # as the statement says it
        text += f" (from the estimated {market} price)"
    return text


# short enough for the premium table's Type column at 1280 px (the value stored is unchanged)
PREMIUM_LABELS = {PremiumType.RELATIONSHIP: "relationship", PremiumType.SOCIAL: "social"}


class LotForm(RecordEditor):
    """The lot editor's widgets; :class:`LotEditor` reads and fills them."""

    recomputed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.lot: Lot | None = None
        self.errors: dict[str, str] = {}
        self.economics: LotEconomics | None = None
        self._country: dict[int, tuple[str, tuple[int, ...]]] = {}
        self.w: dict[str, QWidget] = {}
        self.err: dict[str, QLabel] = {}
        self.units: dict[str, QLabel] = {}
        self.labels: dict[str, str] = {}

        self.title = heading("New lot", 2)
        cols = QGridLayout()
        cols.setHorizontalSpacing(12)
        self._sections = [self._lot_box(), self._quantity_box(), self._chain_box(),
                          self._contract_box(), self._farm_gate_box(), self._costs_box(),
                          self._premiums_box(), self._dds_box()]
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
        outer.addLayout(left, 2)
        outer.addWidget(self._figures_panel(), 1)  # wider on a wide window: fewer wrapped lines

        self.statement_btn.clicked.connect(self._statement)
        self.new_lot()
        self._contract_hints()

    # -- building the form -----------------------------------------------------------------
    def _arrange(self, columns: int) -> None:
        """Sections in two columns when there is room, else one below the other."""
        if columns == self._columns:
            return
        self._columns = columns
        g = self._grid
        for w in self._sections:
            g.removeWidget(w)
        lot, qty, chain, contract, farm_gate, costs, premiums, dds = self._sections
        if columns == 2:
            spots = [(lot, 0, 0), (qty, 1, 0), (chain, 2, 0), (contract, 0, 1),
                     (farm_gate, 1, 1), (costs, 2, 1)]
            for w, r, c in spots:
                g.addWidget(w, r, c)
            g.addWidget(premiums, 3, 0, 1, 2)
            g.addWidget(dds, 4, 0, 1, 2)
            g.setColumnStretch(1, 1)
        else:
            for r, w in enumerate((lot, contract, farm_gate, qty, costs, premiums, chain, dds)):
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
        # The message of a field is shown in the fixed strip of the save bar, never in the
        # form (a message appearing in the form moved every field below it under the mouse);
        # the field is marked and its tooltip holds the message.
        err = QLabel()
        err.setObjectName("fieldError")
        err.hide()
        self.labels[key] = label or getattr(w, "text", lambda: key)()
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
            self.units[key] = u
            v.addLayout(row)
        else:
            v.addWidget(w)
        form.addRow(label, cell)
        self.w[key] = w
        self.err[key] = err
        return w

    def _dds_box(self) -> QWidget:
        from .dds_section import DdsSection

        self.dds = DdsSection(self.ctx)
        return self.dds

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
        self._field(f, "harvest", "Harvest", placeholder="e.g. 2026 or 2025/26",
                    unit=" ")
        self.units["harvest"].setToolTip("The harvest as the origin's calendar names it")
        self._field(f, "variety", "Variety")
        self._field(f, "process", "Process", EnumCombo(Process, not_recorded=True))
        self._field(f, "species", "Species", EnumCombo(Species, not_recorded=True))
        self._field(f, "status", "Status", EnumCombo(LotStatus, not_recorded=True))
        self._field(f, "organic", "Organic", YesNoCombo("Organic", "Conventional"))
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
                    EnumCombo(ContractType, labels=CONTRACT_LABELS, not_recorded=True))
        self._field(f, "contract_date", "Contract date", placeholder="YYYY-MM-DD")
        self._field(f, "futures_month", "Futures month", placeholder="e.g. KCK25")
        self._field(f, "c_cents_lb", "C price", placeholder="fixed price: C at contract",
                    unit="US ¢/lb")
        self._field(f, "c_estimated", "", QCheckBox("C taken from the reference series"))
        self._field(f, "differential_cents_lb", "Differential", placeholder="PTBF: + or −",
                    unit="US ¢/lb")
        self._field(f, "fob_usd_lb", "FOB price", placeholder="fixed price", unit="USD/lb")
        self.w["contract_type"].currentIndexChanged.connect(self._contract_hints)
        self.fixations = QTableWidget(0, 3)
        self.fixations.setHorizontalHeaderLabels(["Date", "C ¢/lb", "Volume kg (blank: rest)"])
        self._table_setup(self.fixations, stretch=2)
        self._field(f, "fixations", "Fixations", self._with_buttons(
            self.fixations, "Add fixation", lambda: self.add_fixation()))
        return box

    HINTS = {
        ContractType.FIXED: {"c_cents_lb": "C on the contract date",
                             "differential_cents_lb": "optional: + or − to C",
                             "fob_usd_lb": "the fixed price"},
        ContractType.PTBF: {"c_cents_lb": "C fixed (or add fixations below)",
                            "differential_cents_lb": "+ or − to C at fixation",
                            "fob_usd_lb": "blank: C + differential"},
    }

    def _contract_hints(self) -> None:
        """The price fields' hints follow the contract type."""
        kind = self.w["contract_type"].current()  # type: ignore[attr-defined]
        for key, hint in self.HINTS.get(kind, {}).items():
            self.w[key].setPlaceholderText(hint)  # type: ignore[attr-defined]

    def _farm_gate_box(self) -> QGroupBox:
        box, f = self._form("Farm-gate price (what the producer received)")
        self._field(f, "fg_amount", "Amount", placeholder="e.g. 2600000")
        self._field(f, "fg_currency", "Currency", placeholder="ISO code, e.g. COP")
        unit = QComboBox()
        unit.addItem(CHOOSE, "")  # never kg unasked: a carga is 125 kg of parchment
        for u in units_offered():  # the producer's country narrows them (lot_farm_gate.py)
            unit.addItem(u.name, u.kg)
        unit.addItem("other unit", None)
        self._field(f, "fg_unit", "Per", unit)
        self._field(f, "fg_unit_kg", "Unit weight", unit="kg")
        unit.currentIndexChanged.connect(self._unit_picked)
        self._field(f, "fg_basis", "Basis", EnumCombo(Basis, choose=True))
        self._field(f, "fg_outturn_mode", "Outturn", data_combo([(t, k) for k, t in OUTTURN_MODES]))
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
        self.labels["costs"] = "Cost legs"
        self.w["costs"] = self.costs
        return box

    def _premiums_box(self) -> QGroupBox:
        box = QGroupBox("Premiums (payments are never deleted: void a wrong one)")
        v = QVBoxLayout(box)
        self.premiums = QTableWidget(0, 7)
        self.premiums.setHorizontalHeaderLabels(
            ["Type", "Basis", "Amount", "In FOB", "Paid to", "Farmers", "Voided"])
        self.premiums.horizontalHeaderItem(2).setToolTip(
            "USD per lot, per kg or per lb as the basis says; a percentage basis takes %")
        self._table_setup(self.premiums, stretch=4)
        v.addWidget(self._with_buttons(self.premiums, "Add premium", lambda: self.add_premium()))
        self.err["premiums"] = self._table_error(v)
        self.labels["premiums"] = "Premiums"
        self.w["premiums"] = self.premiums
        return box

    def _table_error(self, layout: QVBoxLayout) -> QLabel:
        """A table's message: kept for the strip, never shown in the form (see _field)."""
        err = QLabel()
        err.hide()
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
            ("c", "Market at fixation"), ("fob", "FOB"), ("premium", "Premium over market"),
            ("premium_pct", "Premium over market, %"), ("farm_gate", "Farm gate, green"),
            ("farm_gate_how", "  converted by"),
            ("share", "Share of FOB"), ("between", "Farm gate → FOB"),
            ("fairtrade", "Fairtrade floor"), ("living_income", "Living income"),
            (None, "Lot totals"),
            ("weight", "Weight"), ("fob_value", "FOB value"),
            ("premium_value", "Premium over market"), ("farm_gate_value", "Farm-gate value"),
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
        holder.setMinimumWidth(310)
        holder.setMaximumWidth(460)
        return holder

    # -- table rows --------------------------------------------------------------------------
    def add_fixation(self, on: str = "", c: str = "", volume: str = "") -> int:
        return self._add_row(self.fixations, [on, c, volume])

    def add_cost(self, party: Party = Party.EXPORTER, leg: str = "", usd_lb: str = "") -> int:
        row = self._add_row(self.costs, ["", leg, usd_lb])
        combo = EnumCombo(Party, party)
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
        kind = EnumCombo(PremiumType, p.type if p else None, labels=PREMIUM_LABELS)
        basis = EnumCombo(PremiumBasis, p.basis if p else None)
        for combo in (kind, basis):  # as wide as the item shown, so "Paid to" keeps room
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._changed)
        paid = t.item(row, 4)
        paid.setToolTip(paid.text())
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
