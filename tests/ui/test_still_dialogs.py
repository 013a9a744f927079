"""Record dialogs and the visit editor stay still while messages come and go; a message follows
the input and goes once it is right; the plot dialog questions a typed area that disagrees with
the outline, wraps its hints and shows the outline on the map."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from roasterdesk.domain import geo
from roasterdesk.ui.editors import (
    CertificationDialog,
    CommitmentDialog,
    PersonDialog,
    PlotDialog,
    ProjectDialog,
)
from roasterdesk.ui.views.visit_editor import VisitEditor
from roasterdesk.ui.worldmap import borders_ready

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _geometry(root: QWidget, widgets) -> list[tuple[int, int, int, int]]:
    out = []
    for w in widgets:
        top = w.mapTo(root, w.rect().topLeft())
        out.append((top.x(), top.y(), w.width(), w.height()))
    return out


def _open(qtbot, cls, ctx, producer_id):
    dlg = cls(ctx, None, producer_id=producer_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


# (dialog, field, a wrong entry) — each dialog's first field that can be wrong
WRONG = [(PersonDialog, "name", ""), (PlotDialog, "coords", "200, -76"),
         (CertificationDialog, "valid_from", "2024-13-45"), (CommitmentDialog, "first", "20x5"),
         (ProjectDialog, "year", "1200")]


@pytest.mark.parametrize(("cls", "key", "bad"), WRONG, ids=[c[0].__name__ for c in WRONG])
def test_a_dialogs_fields_stay_still_and_a_fixed_message_goes(qtbot, ctx, sample, cls, key,
                                                                bad):
    dlg = _open(qtbot, cls, ctx, sample.coop.id)
    fields = list(dlg.fields.values())
    before = _geometry(dlg, fields)
    w = dlg.fields[key]
    good = w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()
    (w.setPlainText if isinstance(w, QPlainTextEdit) else w.setText)(bad)
    assert not dlg.try_save()
    assert dlg.error.isVisible() and dlg.error.text()
    qtbot.wait(10)
    assert _geometry(dlg, fields) == before, "a field moved when the message appeared"
    fixed = {"name": "Ana", "coords": "1.85, -76.05", "valid_from": "2024-01-05",
             "first": "2025", "year": "2025"}[key]
    (w.setPlainText if isinstance(w, QPlainTextEdit) else w.setText)(fixed or good)
    qtbot.wait(10)
    if dlg.error.isVisible():  # another field is still wrong: the message names that one
        assert key not in dlg.error.text().lower()
    assert _geometry(dlg, fields) == before, "a field moved when the message went"


def test_the_plot_dialogs_latitude_banner_goes_with_the_fix(qtbot, ctx, sample):
    dlg = _open(qtbot, PlotDialog, ctx, sample.coop.id)
    dlg.name.setText("Lower terrace")
    dlg.coords.setPlainText("200, -76.05")
    assert not dlg.try_save()
    assert "latitude 200.0 is outside −90…90" in dlg.error.text()
    dlg.coords.setPlainText("1.85, -76.05")  # the fix
    assert not dlg.error.isVisible() and dlg.error.text() == ""
    assert dlg.focusWidget() is not dlg.fields["name"]  # rechecking never moves the focus


def test_the_plot_dialog_questions_a_typed_area_against_the_outline(qtbot, ctx, sample):
    dlg = _open(qtbot, PlotDialog, ctx, sample.coop.id)
    corners = "1.850, -76.050\n1.850, -76.0486\n1.8514, -76.0486\n1.8514, -76.050"
    dlg.coords.setPlainText(corners)
    outline = geo.geometry_area_ha(
        {"type": "Polygon", "coordinates": [[[-76.05, 1.85], [-76.0486, 1.85],
                                              [-76.0486, 1.8514], [-76.05, 1.8514],
                                              [-76.05, 1.85]]]})
    assert 2.3 < outline < 2.5
    assert "which is right" not in dlg.geo_info.text()  # no typed area: nothing to question
    dlg.area.setText("2.1")
    assert f"{outline:,.2f} ha" in dlg.geo_info.text()
    assert "The typed area, 2.10 ha, is" in dlg.geo_info.text()
    assert "which is right?" in dlg.geo_info.text()
    dlg.area.setText(f"{outline:.2f}")
    assert "which is right" not in dlg.geo_info.text()


def test_the_plot_dialog_says_when_a_point_is_not_enough_for_the_eudr(qtbot, ctx, sample):
    """A 12 ha plot saved as one point said only "A point"; the due-diligence file then left it
    out. The dialog says the file's rule while the area is typed (one rule: domain.geo)."""
    dlg = _open(qtbot, PlotDialog, ctx, sample.coop.id)
    dlg.coords.setPlainText("1.85, -76.05")
    assert dlg.geo_info.text() == "A point. EUDR: a point needs the plot's area in ha"
    dlg.area.setText("12,5")
    assert dlg.geo_info.text() == ("A point. EUDR: 12.5 ha needs a polygon (a point only up to "
                                   "4 ha)")
    dlg.area.setText("3.2")
    assert dlg.geo_info.text() == "A point"
    needed = dlg.geo_info.fontMetrics().boundingRect(
        QRect(0, 0, dlg.geo_info.width(), 10_000), Qt.TextFlag.TextWordWrap,
        "A point. EUDR: 12.5 ha needs a polygon (a point only up to 4 ha)")
    assert needed.height() <= dlg.geo_info.height()


def test_the_plot_dialogs_hint_wraps_and_the_outline_is_on_the_map(qtbot, ctx, sample):
    dlg = _open(qtbot, PlotDialog, ctx, sample.coop.id)
    dlg.coords.setPlainText("12.5, -76.05\n200, -76")
    qtbot.wait(10)
    hint = dlg.geo_info
    needed = hint.fontMetrics().boundingRect(QRect(0, 0, hint.width(), 10_000),
                                             Qt.TextFlag.TextWordWrap, hint.text())
    assert hint.text().endswith("is outside −90…90")
    assert needed.height() <= hint.height() and needed.width() <= hint.width()
    dlg.coords.setPlainText("1.85, -76.05\n1.85, -76.0486\n1.8514, -76.0486")
    qtbot.waitUntil(borders_ready, timeout=20000)
    dlg.preview.grab()
    assert [p.geometry["type"] for p in dlg.preview.plots] == ["Polygon"]
    assert dlg.preview.country == "CO" and "CO" in dlg.preview.country_paths
    shape = dlg.preview._shapes[0][1]
    assert dlg.preview.country_paths["CO"].contains(shape.boundingRect().center())


def test_the_visit_editor_stays_still_when_a_message_appears(qtbot, ctx, sample):
    ed = VisitEditor(ctx)
    qtbot.addWidget(ed)
    ed.resize(1000, 760)
    ed.show()
    ed.load(ctx.store.visit(sample.overdue_visit.id))
    qtbot.waitExposed(ed)
    fields = [w for w in ed.findChildren(QWidget)
              if isinstance(w, (QLineEdit, QPlainTextEdit)) and w.isVisible()]
    assert len(fields) >= 4
    before = _geometry(ed, fields)
    ed.date.setText((date.today() + timedelta(days=3)).isoformat())
    qtbot.wait(10)
    assert ed.error.isVisible() and "future" in ed.error.text()
    assert _geometry(ed, fields) == before
    ed.date.setText(date.today().isoformat())
    qtbot.wait(10)
    assert not ed.error.isVisible()
    assert _geometry(ed, fields) == before


def test_an_existing_plot_opens_in_its_dialog_and_keeps_its_forest_answer(qtbot, ctx, sample):
    from dataclasses import replace

    plot = next(p for p in ctx.store.plots(sample.coop.id) if p.name == "La Loma")
    plot = ctx.store.save_plot(replace(plot, forest_after_2020=False))
    dlg = PlotDialog(ctx, plot)
    qtbot.addWidget(dlg)
    assert dlg.forest.currentText() == "No"
    assert dlg.coords.toPlainText().startswith("1.85")
    assert dlg.collect().forest_after_2020 is False


def test_a_new_producers_save_is_in_sight_at_1280_by_800(window, qtbot):
    window.resize(1280, 800)
    page = window.show_page("producer")
    page.new_record()
    qtbot.wait(20)
    form = page.detail.profile
    save = form.save_button
    assert save.isVisible()
    assert form.state.text() == "A new producer: not saved yet"  # nothing was changed yet
    # on one line
    assert form.state.fontMetrics().horizontalAdvance(form.state.text()) <= form.state.width()
    bottom = save.mapTo(window, save.rect().bottomLeft()).y()
    assert bottom <= window.height() - window.statusBar().height()
    assert not save.visibleRegion().isEmpty()
    # a message goes to the strip beside Save: the fields do not move
    fields = list(form.fields.values())
    before = _geometry(form, fields)
    form.name.setText("x")
    form.country.setText("Narnia")
    assert not form.save()
    assert form.error.isVisible()
    assert _geometry(form, fields) == before
    form.name.setText("")
    form.country.setText("")


def test_the_plot_maps_labels_stay_inside_and_apart(qtbot, ctx, sample):
    """In the plot dialog's small map, longitude labels do not run into each other and a plot's
    name is not cut at the right edge."""
    dlg = _open(qtbot, PlotDialog, ctx, sample.coop.id)
    dlg.name.setText("Lower terrace by the river")
    dlg.coords.setPlainText("15.549332, -91.658748\n15.552426, -91.661016\n"
                            "15.551493, -91.665515\n15.547611, -91.665662")
    m = dlg.preview
    assert m.geometry().right() <= dlg.width()  # the map is inside the dialog
    m.grab()
    labels = m.lon_labels
    assert len(labels) >= 2
    for a, b in zip(labels, labels[1:], strict=False):
        assert a.right() + 4 <= b.left(), "longitude labels overlap"
    (name,) = m.label_rects
    assert 0 <= name.left() and name.right() <= m.width()
    assert not name.intersects(m._shapes[0][1].boundingRect()), "the name covers the plot"
