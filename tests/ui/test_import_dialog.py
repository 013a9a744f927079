"""The import dialog: the good rows imported and the rest given back, values mapped once and
kept with the saved mapping, and a cancelled import that changes nothing."""

from __future__ import annotations

import csv
import json

import pytest
from PySide6.QtCore import Qt

from roasterdesk.domain.model import Process
from roasterdesk.services import importing as I
from roasterdesk.ui.dialogs.data_io import ImportDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]

HEAD = "Lot code;Producer;Country;Harvest;Bags;Bag kg;Process;Cup score\n"
ROWS = ("ZZ-1;Finca Uno;Colombia;2024;10;70;Washed / Wet;86\n"
        "ZZ-2;Finca Dos;Colombia;2024;-3;70;Natural;150\n"
        "ZZ-3;Finca Uno;Colombia;2024;12;70;Washd;85\n"
        "ZZ-4;Finca Tres;Peru;2024;8;69;Honey;84\n")


def count(ctx, table="lots"):
    return ctx.store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def opened(qtbot, ctx, path):
    dlg = ImportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.load_file(path)
    settle(qtbot, dlg)
    return dlg


def settle(qtbot, dlg):
    qtbot.waitUntil(lambda: dlg.plan is not None, timeout=15000)
    dlg.ctx.tasks.wait()


def press_import(qtbot, dlg):
    dlg.result = None
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=20000)


def test_the_good_rows_imported_the_rest_given_back_with_their_problems(qtbot, ctx, tmp_path):
    src = tmp_path / "offer.csv"
    src.write_text(HEAD + ROWS, encoding="utf-8")
    before = count(ctx)
    dlg = opened(qtbot, ctx, src)
    assert len(dlg.plan.rejected) == 2
    assert not dlg.import_button.isEnabled()  # all or nothing unless asked
    assert "3 errors must be fixed before importing (2 rows), or tick" in dlg.summary.text()
    # the problem's text is the last column (it takes the dialog's width), whole on hover
    t = dlg.problems
    assert t.horizontalHeaderItem(t.columnCount() - 1).text() == "Problem"
    texts = [t.item(r, 3).text() for r in range(t.rowCount())]
    assert any(x.startswith("bags must be more than 0") for x in texts), texts
    assert t.item(0, 3).toolTip() == t.item(0, 3).text()
    dlg.skip_invalid.setChecked(True)
    assert dlg.import_button.isEnabled()
    dlg.grab().save(str(tmp_path / "import-skip.png"))
    press_import(qtbot, dlg)
    assert count(ctx) == before + 2
    assert {"ZZ-1", "ZZ-4"} <= {lot.code for lot in ctx.store.lots_where("code LIKE 'ZZ-%'")}
    out = tmp_path / "offer.rejected.csv"
    assert dlg.rejects == out
    assert "2 rows refused" in dlg.summary.text() and str(out) in dlg.summary.text()
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))  # the source's separator, kept
    got = {r[0]: r[-1] for r in rows[1:]}
    assert rows[0][-1] == "problem" and set(got) == {"ZZ-2", "ZZ-3"}
    assert "Bags" in got["ZZ-2"] and "-3" in got["ZZ-2"] and "150" in got["ZZ-2"]
    assert "unknown process 'Washd'" in got["ZZ-3"]
    # fixed there, the refused rows import like any file
    out.write_text(out.read_text(encoding="utf-8-sig").replace(";-3;", ";3;")
                   .replace(";150", ";85").replace("Washd", "Washed"), encoding="utf-8")
    dlg2 = opened(qtbot, ctx, out)
    assert dlg2.plan.ok, dlg2.plan.report()
    press_import(qtbot, dlg2)
    assert count(ctx) == before + 4


def test_a_value_mapped_once_is_kept_with_the_saved_mapping(qtbot, ctx, tmp_path):
    src = tmp_path / "offer.csv"
    src.write_text(HEAD + ROWS.replace(";-3;", ";3;").replace(";150", ";85"), encoding="utf-8")
    dlg = opened(qtbot, ctx, src)
    assert [p.line for p in dlg.plan.errors] == [4]
    mapper = dlg.value_mapper
    assert mapper.isVisibleTo(dlg) and mapper.value.currentText() == "Process: Washd"
    assert "washed" in [mapper.meant.itemText(i).lower() for i in range(mapper.meant.count())]
    dlg.grab().save(str(tmp_path / "import-values.png"))
    mapper.meant.setCurrentText("washed")
    qtbot.mouseClick(mapper.button, Qt.MouseButton.LeftButton)
    settle(qtbot, dlg)
    qtbot.waitUntil(lambda: dlg.plan is not None and dlg.plan.ok, timeout=15000)
    assert not mapper.isVisibleTo(dlg)
    saved = tmp_path / "offer.mapping.json"
    dlg.save_mapping(saved)
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["_values"] == {"process": {"Washd": "washed"}}
    assert doc["Lot code"] == "code" and doc["Process"] == "process"
    # the command line reads the same file
    mapping = I.load_mapping(saved, "lots", dlg.table.headers)
    assert I.plan_import(ctx.store, dlg.table, "lots", mapping).ok
    # another session: a fresh dialog, the mapping loaded, the same value understood
    dlg2 = opened(qtbot, ctx, src)
    assert not dlg2.plan.ok
    dlg2.plan = None
    dlg2.load_mapping(saved)
    settle(qtbot, dlg2)
    assert dlg2.plan.ok, dlg2.plan.report()
    press_import(qtbot, dlg2)
    assert ctx.store.lot_by_code("ZZ-3").process is Process.WASHED


def test_cancel_during_an_import_changes_nothing(qtbot, ctx, tmp_path, monkeypatch):
    src = tmp_path / "offer.csv"
    src.write_text(HEAD + ROWS.replace(";-3;", ";3;").replace(";150", ";85")
                   .replace("Washd", "Washed"), encoding="utf-8")
    lots, producers = count(ctx), count(ctx, "producers")
    dlg = opened(qtbot, ctx, src)
    assert dlg.import_button.isEnabled()
    reached = []
    original = I.refresh_producers

    def cancel_then_refresh(store, ids, progress=None):  # every lot is written by now
        reached.append(store.db.execute("SELECT count(*) FROM lots").fetchone()[0])
        dlg._task.cancel()  # what the progress dialog's Cancel does
        return original(store, ids, progress)

    monkeypatch.setattr(I, "refresh_producers", cancel_then_refresh)
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in dlg.summary.text(), timeout=20000)
    dlg.ctx.tasks.wait()
    assert reached == [lots + 4]  # the rows were written inside the transaction...
    assert count(ctx) == lots and count(ctx, "producers") == producers  # ...and rolled back
    assert dlg.result is None and "nothing was written" in dlg.summary.text()
    assert dlg.import_button.isEnabled()  # the same import can be started again
