"""File dialogs start where the user last went (Documents the first time); an export says where
its file went and offers Open and Show in folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from roasterdesk.ui import files
from roasterdesk.ui.dialogs.data_io import export_list

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_dialogs_start_in_documents_then_in_the_last_folder(ctx, tmp_path, monkeypatch):
    asked: list[str] = []
    chosen = tmp_path / "exports" / "lots.xlsx"
    chosen.parent.mkdir()
    monkeypatch.setattr(files.QFileDialog, "getSaveFileName",
                        lambda parent, title, start, filters: (asked.append(start) or
                                                               (str(chosen), filters)))
    monkeypatch.setattr(files.QFileDialog, "getOpenFileName",
                        lambda parent, title, start, filters: (asked.append(start) or
                                                               ("", filters)))
    assert files.start_folder(ctx.settings) == files.documents() != Path.home()
    assert files.save_path(None, ctx.settings, "Export", "lots.xlsx", "*.xlsx") == chosen
    assert asked[0] == str(files.documents() / "lots.xlsx")
    assert files.open_path(None, ctx.settings, "Import", "*.csv") is None  # cancelled
    assert asked[1] == str(chosen.parent)  # the folder chosen before
    chosen.parent.rmdir()  # a folder that went away: back to Documents
    assert files.start_folder(ctx.settings) == files.documents()


def test_an_export_offers_open_and_show_in_folder(qtbot, ctx, sample, tmp_path, monkeypatch):
    target = tmp_path / "lots.csv"
    monkeypatch.setattr(files.QFileDialog, "getSaveFileName",
                        lambda *a: (str(target), "CSV (*.csv)"))
    opened: list[str] = []
    monkeypatch.setattr(files.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    export_list(ctx, "lot", host)
    qtbot.waitUntil(lambda: host.findChild(QMessageBox, "savedNote") is not None, timeout=10000)
    box = host.findChild(QMessageBox, "savedNote")
    assert target.exists()
    assert box.informativeText() == str(target)
    buttons = {b.text(): b for b in box.buttons()}
    assert {"Open", "Show in folder"} <= set(buttons)
    buttons["Show in folder"].click()
    assert opened == [str(tmp_path)]
    box = host.findChild(QMessageBox, "savedNote")
    if box is not None and box.isVisible():
        box.close()
