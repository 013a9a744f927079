"""One harvest label (domain.harvest.harvest_name) on the Lots page, the lot editor and the
producer's Lots tab, by the origin's harvest calendar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from roasterdesk.domain.harvest import current_harvest
from roasterdesk.ui.models.lots import LotListModel
from roasterdesk.ui.views.lot_editor import LotEditor
from roasterdesk.ui.views.producer_tabs import LotsTab

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

HARVEST = 3  # the Lots table's harvest column


def _shown(model, col: int) -> dict[str, str]:
    out = {}
    for r in range(model.rowCount()):
        code = model.data(model.index(r, 0), Qt.ItemDataRole.DisplayRole)
        out[code] = model.data(model.index(r, col), Qt.ItemDataRole.DisplayRole)
    return out


def test_one_harvest_label_on_the_lots_page_the_editor_and_the_producer_tab(qtbot, ctx, sample):
    this = current_harvest()
    et = f"ET-{this % 100}-001"  # Ethiopia, no months recorded: Oct–Jan, across the new year
    co = f"CO-{(this - 1) % 100}-003"  # the co-op's recorded months (Apr–Nov) are in one year
    across, within = f"{this - 1}/{this % 100:02d}", str(this - 1)

    model = LotListModel(ctx)
    page = _shown(model, HARVEST)
    assert page[et] == across
    assert page[co] == within

    tab = LotsTab(ctx)
    qtbot.addWidget(tab)
    tab.load(sample.station.id)
    assert _shown(tab.model, 1)[et] == across
    tab.load(sample.coop.id)
    assert _shown(tab.model, 1)[co] == within

    ed = LotEditor(ctx)
    qtbot.addWidget(ed)
    ed.load(ctx.store.lot(sample.lot_ids[-1]))  # the Ethiopian lot
    assert ed.units["harvest"].text() == f"= {across}"
    ed.w["harvest"].setText(across)  # typed the way it is shown: the same harvest
    assert "harvest" not in ed.errors
    assert ed.build()[0].harvest == this
