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


def test_one_harvest_label_on_every_page_the_export_and_the_pdf(qtbot, ctx, sample, tmp_path):
    """The same lot's harvest reads the same on the Lots page, the producer's Lots tab, its
    History axis, the list export and the statement PDF: across the new year for Ethiopia
    ("2025/26"), by the year alone for the co-op whose recorded months fall in one year."""
    import csv
    import io

    from pypdf import PdfReader

    from roasterdesk.domain.harvest import harvest_name
    from roasterdesk.pdf import load_template, render_statement
    from roasterdesk.services.exporting import export_list
    from roasterdesk.services.statement import load_statement
    from roasterdesk.ui.views.history import HistoryTab

    this = current_harvest()
    lots = {f"ET-{this % 100}-001": (sample.station, f"{this - 1}/{this % 100:02d}"),
            f"CO-{(this - 1) % 100}-003": (sample.coop, str(this - 1))}
    page = _shown(LotListModel(ctx), HARVEST)
    tab, history = LotsTab(ctx), HistoryTab(ctx)
    qtbot.addWidget(tab)
    qtbot.addWidget(history)
    out = tmp_path / "lots.csv"
    export_list(ctx.store, "lots", out)
    exported = {r["Lot code"]: r["Harvest"]
                for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    for code, (producer, expected) in lots.items():
        lot = ctx.store.lot_by_code(code)
        assert harvest_name(lot.harvest, producer.country, producer.harvest_months) == expected
        assert page[code] == expected, "Lots page"
        tab.load(producer.id)
        assert _shown(tab.model, 1)[code] == expected, "producer's Lots tab"
        history.load(producer.id)
        assert expected in list(history.views[0].chart().axes()[0].categories()), "History"
        assert exported[code] == expected, "list export"
        data = load_statement(ctx.store, code, photos=False)
        pdf = render_statement(data, load_template("default-en"))
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
                        .split())
        assert f"Harvest {expected} ·" in text, "statement PDF"


def test_commitments_name_their_harvests_by_the_producers_calendar(qtbot, ctx, sample):
    """The producer's Commitments tab, the Commitments page, the commitment dialog and the
    Overview's commitments card say "2025/26" for Ethiopia and "2025" for the co-op."""
    from datetime import date

    from roasterdesk.domain.harvest import harvest_name
    from roasterdesk.services.attention import commitments_at_risk
    from roasterdesk.ui.editors import CommitmentDialog
    from roasterdesk.ui.views.commitments import CommitmentsPage
    from roasterdesk.ui.views.producer_tabs import CommitmentsTab

    this = current_harvest()
    station = f"{harvest_name(this - 1, 'ET')} – {harvest_name(this + 1, 'ET')}"
    coop = f"{this - 2} – {this}"  # the co-op's months fall in one year
    assert station == f"{this - 2}/{(this - 1) % 100:02d} – {this}/{(this + 1) % 100:02d}"
    tab = CommitmentsTab(ctx)
    qtbot.addWidget(tab)
    tab.load(sample.station.id)
    assert tab.model.index(0, 0).data() == station
    tab.load(sample.coop.id)
    assert tab.model.index(0, 0).data() == coop
    page = CommitmentsPage(ctx)
    qtbot.addWidget(page)
    shown = {page.commitments.index(r, 1).data() for r in range(page.commitments.rowCount())}
    assert {station, coop} <= shown
    dlg = CommitmentDialog(ctx, sample.at_risk)
    qtbot.addWidget(dlg)
    assert (dlg.first.text(), dlg.last.text()) == tuple(station.split(" – "))
    assert dlg.collect().first_harvest == this - 1  # read back as the same year
    items = commitments_at_risk(ctx.store, date.today())
    assert any(i.text.startswith(f"Chelchele Washing Station — {harvest_name(this, 'ET')}:")
               for i in items)
