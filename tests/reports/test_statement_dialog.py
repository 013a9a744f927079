"""The statement preview (QtPdf) and batch export in the window."""

from __future__ import annotations

import pytest
from statement_sample import build_example

from roasterdesk.ui.context import AppContext
from roasterdesk.ui.settings import Settings

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def ctx(qapp, store, db_path, tmp_path):
    _, lot = build_example(store)
    c = AppContext.create(db_path, settings=Settings(tmp_path / "s.ini"))
    c.lot = lot  # the test's handle on the example lot
    yield c
    c.close()


def test_preview_shows_the_pdf_and_the_preflight_and_exports(qtbot, ctx, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtPdf import QPdfDocument

    from roasterdesk.ui.dialogs.statement import show_statement_preview

    dlg = show_statement_preview(ctx, ctx.lot.id, None)
    qtbot.addWidget(dlg, before_close_func=lambda w: w.setAttribute(
        Qt.WidgetAttribute.WA_DeleteOnClose, False))
    qtbot.waitUntil(lambda: dlg.export_btn.isEnabled(), timeout=20000)
    assert dlg.document.status() == QPdfDocument.Status.Ready
    assert dlg.document.pageCount() >= 2
    assert "Where the money went" in dlg.document.getAllText(1).text() + \
        dlg.document.getAllText(0).text()
    items = [dlg.missing.item(i).text() for i in range(dlg.missing.count())]
    assert any("Multi-year buying commitment" in i for i in items)
    assert "CO-25-001" in dlg.windowTitle()

    dlg.template.setCurrentText("default-es")
    qtbot.waitUntil(lambda: dlg.export_btn.isEnabled() and b"%PDF" in dlg.pdf[:8]
                    and dlg.status.text().endswith("KB"), timeout=20000)
    qtbot.waitUntil(lambda: "Lista de transparencia" in "".join(
        dlg.document.getAllText(p).text() for p in range(dlg.document.pageCount())),
        timeout=20000)

    out = dlg.export(path=str(tmp_path / "exported"))
    assert out == tmp_path / "exported.pdf" and out.read_bytes() == dlg.pdf
    qtbot.waitUntil(lambda: ctx.tasks.running == 0)


def test_batch_dialog_exports_a_harvest_with_progress(qtbot, ctx, tmp_path):
    from roasterdesk.ui.dialogs.statement import BatchExportDialog

    dlg = BatchExportDialog(ctx, None)
    qtbot.addWidget(dlg)
    assert dlg.by_harvest.isChecked() and not dlg.by_selection.isEnabled()
    dlg.harvest.setCurrentText("2025")
    dlg.folder.setText(str(tmp_path / "out"))
    dlg.start()
    assert not dlg.close_btn.isEnabled() and dlg.cancel_btn.isEnabled()
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60000)
    assert dlg.result_count == 1
    assert (tmp_path / "out" / "CO-25-001.pdf").read_bytes().startswith(b"%PDF")
    assert dlg.status.text().startswith("Done: 1 statement (")


def test_batch_dialog_for_selected_lots(qtbot, ctx, tmp_path):
    from roasterdesk.ui.dialogs.statement import BatchExportDialog

    ids = [x.id for x in ctx.store.lots_where("1 = 1")]
    dlg = BatchExportDialog(ctx, None, lot_ids=ids)
    qtbot.addWidget(dlg)
    assert dlg.by_selection.isChecked()
    assert sorted(code for _, code in dlg.chosen_lots()) == ["CO-24-007", "CO-25-001"]
    dlg.folder.setText(str(tmp_path / "chosen"))
    dlg.start()  # two lots: two worker processes, spawned (Qt is running)
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60000)
    assert dlg.result_count == 2
    assert sorted(p.name for p in (tmp_path / "chosen").iterdir()) == [
        "CO-24-007.pdf", "CO-25-001.pdf"]
