"""The data dialogs in the window: import with mapping and preview, export, EUDR, Pledge, prices."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from roasterdesk.domain.model import Lot, Plot, Producer, ProducerKind
from roasterdesk.ui.dialogs.data_io import (
    GeoJsonDialog,
    ImportDialog,
    PledgeDialog,
    ReferencePricesDialog,
    export_list,
)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]
FIX = Path(__file__).parent.parent / "fixtures" / "imports"


def lot_count(ctx):
    return ctx.store.db.execute("SELECT count(*) FROM lots").fetchone()[0]


def wait_preview(qtbot, dlg):
    qtbot.waitUntil(lambda: dlg.plan is not None, timeout=10000)
    dlg.ctx.tasks.wait()


def cell(table, r, c):
    return table.item(r, c).text()


def test_import_dialog_previews_problems_and_writes_nothing(qtbot, ctx, tmp_path):
    before = lot_count(ctx)
    dlg = ImportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.load_file(FIX / "lots_messy.csv")
    wait_preview(qtbot, dlg)
    combo = dlg.mapping.cellWidget(1, 2)
    assert isinstance(combo, QComboBox) and combo.currentData() == "producer"
    assert cell(dlg.mapping, 0, 0) == "Lot Number" and cell(dlg.mapping, 0, 1) == "CO-24-001"
    problems = [[cell(dlg.problems, r, c) for c in range(4)]
                for r in range(dlg.problems.rowCount())]
    assert ["10", "Country of Origin", "error",
            "unknown country 'Narnia'; nearest: Armenia · Argentina · Mauritania"] in problems
    assert ["12", "Total Cup Points", "error", "'eighty' is not a number"] in problems
    assert "2 errors must be fixed" in dlg.summary.text()
    assert not dlg.import_button.isEnabled()
    dlg.grab().save(str(tmp_path / "import.png"))
    # ignoring the score column removes that error, but the country one remains
    dlg.set_mapping(11, None)
    qtbot.waitUntil(lambda: dlg.plan is not None and len(dlg.plan.errors) == 1, timeout=10000)
    assert not dlg.import_button.isEnabled()
    assert lot_count(ctx) == before


def test_import_dialog_imports_in_the_background(qtbot, ctx, tmp_path):
    src = (FIX / "lots_messy.csv").read_text(encoding="utf-8")
    good = tmp_path / "lots.csv"
    src = src.replace("Narnia", "Guatemala").replace("eighty", "83").replace("-24-", "-X4-")
    good.write_text(src, encoding="utf-8")
    before = lot_count(ctx)
    changed = []
    ctx.messages.data_changed.connect(changed.append)
    dlg = ImportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.load_file(good)
    wait_preview(qtbot, dlg)
    assert dlg.import_button.isEnabled()
    assert lot_count(ctx) == before  # nothing until Import is pressed
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=20000)
    assert lot_count(ctx) == before + 5
    assert dlg.result.created == 5 and "5 created" in dlg.summary.text()
    assert changed == ["*"]
    assert ctx.store.lot_by_code("CO-X4-001").quality_score == Decimal("86.25")


def test_export_list_writes_the_page_list(qtbot, ctx, tmp_path):
    out = tmp_path / "lots.xlsx"
    export_list(ctx, "lot", None, path=out)
    ctx.tasks.wait()
    qtbot.waitUntil(out.exists, timeout=5000)
    ws = load_workbook(out).active
    assert ws.max_row - 1 == lot_count(ctx)
    assert [c.value for c in ws[1]][:3] == ["Lot code", "Lot name", "Producer"]
    warnings = []
    ctx.messages.warning.connect(warnings.append)
    export_list(ctx, "commitment", None, path=tmp_path / "x.csv")
    assert warnings and not (tmp_path / "x.csv").exists()


def test_geojson_dialog_shows_the_report_and_saves(qtbot, ctx, tmp_path):
    store = ctx.store
    p = store.save_producer(Producer("Finca Geo", ProducerKind.FARM, "CO"))
    good = store.save_plot(Plot(p.id, "Norte", Decimal(2),
                                {"type": "Point", "coordinates": [-75.5, 4.5]}))
    store.save_plot(Plot(p.id, "Sin mapa", Decimal(2)))
    store.save_lot(Lot("GEO-1", p.id, 2031, plot_ids=(good.id,)))
    store.save_lot(Lot("GEO-2", p.id, 2031))
    dlg = GeoJsonDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.codes.setText("GEO-1 GEO-2")
    dlg.validate()
    assert "missing geolocation: 1" in dlg.summary.text()
    assert cell(dlg.problems, 0, 2) == "Sin mapa"
    assert not dlg.save.isEnabled()
    dlg.force.setChecked(True)
    assert dlg.save.isEnabled()
    out = tmp_path / "g.geojson"
    assert dlg.save_file(out)
    assert [f["properties"]["ProductionPlace"] for f in json.loads(out.read_text())["features"]] \
        == ["Norte"]


def test_pledge_dialog_lists_lots_and_exports(qtbot, ctx, tmp_path):
    dlg = PledgeDialog(ctx)
    qtbot.addWidget(dlg)
    harvests = ctx.store.harvests()
    from PySide6.QtCore import QDate

    dlg.start.setDate(QDate(harvests[0] - 1, 1, 1))
    dlg.end.setDate(QDate(harvests[-1] + 1, 12, 31))
    assert dlg.table.rowCount() == len(dlg.rows) > 0
    assert "Share of volume reported" in dlg.summary.text()
    out = tmp_path / "pledge.csv"
    assert dlg.export(out)
    assert out.read_text(encoding="utf-8-sig").startswith("Lot,Harvest,Producer or organisation")


def test_reference_prices_dialog_edits_and_imports(qtbot, ctx, tmp_path):
    dlg = ReferencePricesDialog(ctx)
    qtbot.addWidget(dlg)
    assert dlg.ft_edits[("arabica", "washed")].text() == "1.80"
    dlg.ft_edits[("arabica", "washed")].setText("2.05")
    dlg.ft_from.setText("2026-01-01")
    assert dlg.save_fairtrade()
    ft = ctx.store.reference()[0]
    assert str(ft.valid_from) == "2026-01-01"
    dlg.ft_premium.setText("abc")
    assert not dlg.save_fairtrade() and "not saved" in dlg.status.text()
    rows = dlg.li_table.rowCount()
    dlg._add_li_row(["Peru", "2024", "3.10", "USD", "1", "parchment", "arabica", "no", "test"])
    assert dlg.save_living_income()
    lir = ctx.store.reference()[1]
    assert len(lir) == rows + 1 and any(r.country == "PE" and r.source == "test" for r in lir)
    c = tmp_path / "c.csv"
    c.write_text("month,cents/lb\n2025-01,330.5\n2025-02,345\n")
    dlg.import_c(c)
    assert "2 months" in dlg.status.text()
    assert cell(dlg.c_table, 0, 0) == "2025-02"
    london = tmp_path / "london.csv"
    london.write_text("month,USD/t\n2025-01,4400\n")
    dlg.import_c(london, market="london")
    status = dlg.status.text()
    assert "London robusta prices" in status and "1 month from 1 row" in status
    assert cell(dlg.london_table, 0, 1) == "4400.00" and dlg.c_table.rowCount() == 2
    dlg.tabs.setCurrentIndex(1)
    dlg.grab().save(str(tmp_path / "prices.png"))
