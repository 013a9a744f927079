"""One number, one source: for a sample of demo lots, the lot table's cell, the lot editor's
figure and the statement's figure read the same (services.analysis is their one home; the table
shows the exact text the lot_metrics cache keeps beside its sort keys)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from roasterdesk.domain.money import fmt_pct, fmt_usd_lb
from roasterdesk.domain.words import NOT_RECORDED
from roasterdesk.services.demo import build_demo
from roasterdesk.services.statement import load_statement
from roasterdesk.ui.context import AppContext
from roasterdesk.ui.settings import Settings
from roasterdesk.ui.views.lots import LotListModel, LotsPage

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support"),
]

ON = date(2026, 6, 30)
# table column, editor figure, the statement's figure (economics attribute), formatter
FIGURES = [
    ("FOB USD/lb", "fob", "fob_usd_lb", fmt_usd_lb),
    ("Premium over market", "premium", "premium_over_c_usd_lb", fmt_usd_lb),
    ("Premium %", "premium_pct", "premium_over_c_pct", fmt_pct),
    ("Farm-gate share", "share", "farm_gate_share", fmt_pct),
]


def test_table_editor_and_statement_show_the_same_figures(qtbot, tmp_path):
    path = tmp_path / "demo.sqlite"
    build_demo(path, "small", seed=2025, today=ON)
    ctx = AppContext.create(path, settings=Settings(tmp_path / "s.ini"))
    try:
        model = LotListModel(ctx, page_size=1000)
        col = {c.header: i for i, c in enumerate(model.columns)}
        page = LotsPage(ctx)
        qtbot.addWidget(page)
        checked = 0
        for row in range(0, model.rowCount(), 7):  # a sample of every seventh lot
            lot_id = model.id_at(row)
            page.open_record(lot_id)
            data = load_statement(ctx.store, lot_id, on=ON, photos=False)
            for header, fig, attr, fmt in FIGURES:
                value = getattr(data.analysis.economics, attr)
                cell = model.data(model.index(row, col[header]), Qt.ItemDataRole.DisplayRole)
                statement = fmt(value, NOT_RECORDED)
                editor = page.editor.fig[fig].text()
                assert cell == statement.replace(" USD/lb", ""), (lot_id, header)
                if value is None:  # the table says so, as the statement does; never a blank
                    assert cell == NOT_RECORDED, (lot_id, header)
                else:
                    assert editor.startswith(statement), (lot_id, header, editor)
                    checked += 1
        assert checked > 100  # the sample holds figures, not only gaps
    finally:
        ctx.close()
