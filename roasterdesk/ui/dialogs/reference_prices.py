"""The reference prices in the window: the C price series (import), Fairtrade terms and
living-income reference prices, editable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.model import Species
from ...domain.reference import LivingIncomeReference
from ...domain.units import Basis
from ...errors import KNOWN_ERRORS
from .data_io import _fill, _table

if TYPE_CHECKING:
    from ..context import AppContext

# -- reference prices -----------------------------------------------------------------------------
FT_FIELDS = (("arabica", "washed", "Arabica washed minimum (USD/lb)"),
             ("arabica", "natural", "Arabica natural minimum (USD/lb)"),
             ("robusta", "washed", "Robusta washed minimum (USD/lb)"),
             ("robusta", "natural", "Robusta natural minimum (USD/lb)"))
LI_HEADERS = ["Country", "Year", "Value", "Currency", "Per kg of", "Basis", "Species",
              "Organic", "Source"]


class ReferencePricesDialog(QDialog):
    """C price series, Fairtrade terms and living-income reference prices, editable."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Reference prices")
        self.resize(820, 560)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._c_tab(), "C price (monthly)")
        self.tabs.addTab(self._london_tab(), "London robusta (monthly)")
        self.tabs.addTab(self._ft_tab(), "Fairtrade")
        self.tabs.addTab(self._li_tab(), "Living income")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        self.load()

    def _c_tab(self) -> QWidget:
        w = QWidget()
        self.c_table = _table(["Month", "US cents/lb"])
        imp = QPushButton("Import CSV or XLSX…")
        imp.clicked.connect(lambda: self.import_c())
        lay = QVBoxLayout(w)
        lay.addWidget(QLabel("Lots without a recorded C take the month of their contract date "
                             "(shown as estimated)."))
        lay.addWidget(self.c_table, 1)
        lay.addWidget(imp, 0, Qt.AlignmentFlag.AlignLeft)
        return w

    def _london_tab(self) -> QWidget:
        w = QWidget()
        self.london_table = _table(["Month", "USD per tonne"])
        imp = QPushButton("Import CSV or XLSX…")
        imp.clicked.connect(lambda: self.import_c(market="london"))
        lay = QVBoxLayout(w)
        lay.addWidget(QLabel("ICE London robusta futures, USD per metric tonne. Robusta lots "
                             "without a recorded market price take the month of their contract "
                             "date (shown as estimated); they are never compared with C."))
        lay.itemAt(0).widget().setWordWrap(True)
        lay.addWidget(self.london_table, 1)
        lay.addWidget(imp, 0, Qt.AlignmentFlag.AlignLeft)
        return w

    def _ft_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.ft_from = QLineEdit()
        form.addRow("Valid from (YYYY-MM-DD)", self.ft_from)
        self.ft_edits: dict[tuple[str, str], QLineEdit] = {}
        for species, process, label in FT_FIELDS:
            self.ft_edits[(species, process)] = QLineEdit()
            form.addRow(label, self.ft_edits[(species, process)])
        self.ft_premium, self.ft_organic = QLineEdit(), QLineEdit()
        form.addRow("Fairtrade Premium (USD/lb)", self.ft_premium)
        form.addRow("Organic differential (USD/lb)", self.ft_organic)
        save = QPushButton("Save Fairtrade terms")
        save.clicked.connect(self.save_fairtrade)
        form.addRow(save)
        return w

    def _li_tab(self) -> QWidget:
        w = QWidget()
        self.li_table = QTableWidget(0, len(LI_HEADERS))
        self.li_table.setHorizontalHeaderLabels(LI_HEADERS)
        self.li_table.horizontalHeader().setStretchLastSection(True)
        add, delete, save = (QPushButton("Add row"), QPushButton("Delete row"),
                             QPushButton("Save living-income table"))
        add.clicked.connect(self._add_li_row)
        delete.clicked.connect(self._delete_li_row)
        save.clicked.connect(self.save_living_income)
        row = QHBoxLayout()
        for b in (add, delete, save):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(w)
        lay.addWidget(QLabel("Farm-gate living-income reference prices; no comparison is shown "
                             "for a country without one."))
        lay.addWidget(self.li_table, 1)
        lay.addLayout(row)
        return w

    def load(self) -> None:
        ref = self.ctx.store.reference()
        ft, lir, cs = ref.fairtrade, ref.living_income, ref.c_series
        _fill(self.c_table, [[f"{y}-{m:02d}", f"{v:f}"] for (y, m), v in
                             sorted(cs.months.items(), reverse=True)])
        _fill(self.london_table, [[f"{y}-{m:02d}", f"{v:f}"] for (y, m), v in
                                  sorted(ref.london_series.months.items(), reverse=True)])
        if ft is not None:
            self.ft_from.setText(ft.valid_from.isoformat())
            for (species, process), edit in self.ft_edits.items():
                edit.setText(f"{ft.minimums[(Species(species), process)]:f}")
            self.ft_premium.setText(f"{ft.premium_usd_lb:f}")
            self.ft_organic.setText(f"{ft.organic_differential_usd_lb:f}")
        self.li_table.setRowCount(0)
        self._li_ids: list[int | None] = []
        for r in lir:
            self._add_li_row([r.country, str(r.year), f"{r.value:f}", r.currency,
                              f"{r.unit_kg:f}", r.basis.value, r.species.value,
                              "yes" if r.organic else "no", r.source], r.id)
        self._deleted: list[int] = []

    def import_c(self, path: Path | None = None, market: str = "c") -> None:
        from ...services.reference_prices import MARKETS, import_c_prices

        if path is None:
            from ..files import open_path

            path = open_path(self, self.ctx.settings, MARKETS[market],
                             "Spreadsheets (*.csv *.txt *.xlsx)")
            if path is None:
                return
        try:
            result = import_c_prices(self.ctx.store, path, market=market)
        except KNOWN_ERRORS as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(result.report() + ("" if result.ok else "\nNothing was imported."))
        if result.ok:
            self.ctx.messages.data_changed.emit("lot")
        self.load()

    def save_fairtrade(self) -> bool:
        from ...domain.reference import FairtradeTerms

        try:
            valid_from = date.fromisoformat(self.ft_from.text().strip())
            minimums = {(Species(s), p): Decimal(e.text().strip())
                        for (s, p), e in self.ft_edits.items()}
            terms = FairtradeTerms(valid_from, minimums, Decimal(self.ft_premium.text().strip()),
                                   Decimal(self.ft_organic.text().strip()))
            if any(v <= 0 for v in minimums.values()):
                raise ValueError("minimum prices must be positive")
        except (ValueError, InvalidOperation) as exc:
            self.status.setText(f"Fairtrade terms not saved: {exc or 'not a number'}")
            return False
        self.ctx.store.save_fairtrade_terms(terms)
        self.status.setText(f"Fairtrade terms valid from {valid_from} saved.")
        self.ctx.messages.data_changed.emit("lot")
        return True

    def _add_li_row(self, cells: list[str] | None = None, id_: int | None = None) -> None:
        r = self.li_table.rowCount()
        self.li_table.insertRow(r)
        defaults = cells or ["", str(date.today().year), "", "USD", "1", "parchment", "arabica",
                             "no", ""]
        for c, text in enumerate(defaults):
            self.li_table.setItem(r, c, QTableWidgetItem(text))
        self._li_ids.append(id_)

    def _delete_li_row(self) -> None:
        r = self.li_table.currentRow()
        if r < 0:
            return
        id_ = self._li_ids.pop(r)
        if id_ is not None:
            self._deleted.append(id_)
        self.li_table.removeRow(r)

    def save_living_income(self) -> bool:
        from ...services.parsing import parse_bool, parse_country

        refs = []
        try:
            for r in range(self.li_table.rowCount()):
                cell = [self.li_table.item(r, c).text().strip() if self.li_table.item(r, c)
                        else "" for c in range(len(LI_HEADERS))]
                try:
                    value, unit_kg = Decimal(cell[2]), Decimal(cell[4])
                    if value <= 0 or unit_kg <= 0:
                        raise ValueError("value and unit must be positive")
                    refs.append(LivingIncomeReference(
                        country=parse_country(cell[0]), year=int(cell[1]), value=value,
                        currency=cell[3].upper(), unit_kg=unit_kg, basis=Basis(cell[5]),
                        source=cell[8], species=Species(cell[6]), organic=parse_bool(cell[7]),
                        id=self._li_ids[r]))
                except (ValueError, InvalidOperation) as exc:
                    raise ValueError(f"row {r + 1}: {exc}") from exc
        except ValueError as exc:
            self.status.setText(f"Living-income table not saved: {exc}")
            return False
        store = self.ctx.store
        with store.transaction():
            for id_ in self._deleted:
                store.delete_living_income(id_)
            for ref in refs:
                store.save_living_income(ref)
        self.status.setText(f"Living-income table saved ({len(refs)} rows).")
        self.ctx.messages.data_changed.emit("lot")
        self.load()
        return True
