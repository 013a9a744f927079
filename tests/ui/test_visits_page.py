"""The Visits page driven as a user would: log a visit with a photo and a follow-up, find it by
a word of its notes, undo, and bad input that saves nothing."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage

from roasterdesk.domain.model import (
    Evidence,
    FollowUp,
    Outcome,
    Producer,
    ProducerKind,
    Topic,
    Visit,
    VisitMode,
)
from roasterdesk.ui.context import AppContext
from roasterdesk.ui.settings import Settings
from roasterdesk.ui.views.visits import VisitListModel, VisitsPage, visit_filter

pytestmark = [
    pytest.mark.gui,
    # the offscreen platform cannot raise or grab for the producer name completer's popup
    pytest.mark.qt_log_ignore("This plugin does not support"),
]


@pytest.fixture
def ctx(qapp, tmp_path):
    c = AppContext.create(tmp_path / "rd.sqlite", settings=Settings(tmp_path / "s.ini"))
    yield c
    c.close()


@pytest.fixture
def farm(ctx):
    return ctx.store.save_producer(Producer("Finca La Esperanza", ProducerKind.FARM, "CO",
                                            region="Huila"))


@pytest.fixture
def page(ctx, farm, qtbot):
    p = VisitsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1300, 850)
    p.show()
    return p


def _png(path, colour="#6b4226"):
    img = QImage(64, 48, QImage.Format.Format_RGB32)
    img.fill(QColor(colour))
    assert img.save(str(path))
    return path


def _drop(widget, paths):
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, md,
                    Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(ev)


def test_log_a_visit_with_a_photo_and_a_follow_up_then_find_it(page, ctx, farm, qtbot,
                                                               tmp_path):
    ed = page.editor
    page.new_record()
    qtbot.keyClicks(ed.producer, "Finca La Esperanza")
    qtbot.keyClick(ed.producer, Qt.Key.Key_Return)
    assert ed.producer.producer_id == farm.id
    ed.date.clear()
    qtbot.keyClicks(ed.date, "2025-03-10")
    ed.mode.setCurrentIndex(ed.mode.findData(VisitMode.IN_PERSON))
    qtbot.keyClicks(ed.participants, "Ana Rojas, Luis Ortega")
    ed.purposes[next(iter(ed.purposes))].setChecked(True)
    ed.evidence[Topic.COMPOSTING].setCurrentIndex(
        ed.evidence[Topic.COMPOSTING].findData("observed/no_issue"))
    qtbot.keyClicks(ed.obs_note[Topic.COMPOSTING], "pulp piles covered")
    qtbot.keyClicks(ed.notes, "New raised drying beds finished; vermicompost started")
    qtbot.mouseClick(ed.add_follow_up_btn, Qt.MouseButton.LeftButton)
    ed.follow_ups.item(0, 0).setText("Send moisture meter")
    ed.follow_ups.item(0, 1).setText("buyer")
    ed.follow_ups.item(0, 2).setText("2025-04-30")
    photo = _png(tmp_path / "drying beds.png")
    _drop(ed.photo_strip, [photo])
    assert ed.photo_strip.count() == 1
    assert ed.save_btn.isEnabled(), ed.error.text()
    qtbot.mouseClick(ed.save_btn, Qt.MouseButton.LeftButton)

    [saved] = ctx.store.visits(farm.id)
    assert saved.date == date(2025, 3, 10)
    assert saved.participants == ("Ana Rojas", "Luis Ortega")
    assert saved.observation(Topic.COMPOSTING).evidence is Evidence.OBSERVED
    assert saved.observation(Topic.COMPOSTING).outcome is Outcome.NO_ISSUE
    assert [(f.what, f.who, f.due, f.done) for f in saved.follow_ups] == [
        ("Send moisture meter", "buyer", date(2025, 4, 30), False)]
    [ph] = saved.photos
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert ph.sha256 == sha and ph.filename == "drying beds.png"
    assert (ctx.attachments_dir / f"{sha}.png").read_bytes() == photo.read_bytes()
    assert not ed.dirty and ed.title.text() == "Visit of 2025-03-10"
    assert page.model.rowCount() == 1
    assert page.model.index(0, 5).data() == "1"  # one open follow-up

    # another visit, then search the notes word by word as the user types
    ctx.store.save_visit(Visit(farm.id, date(2024, 11, 2), VisitMode.CALL,
                               notes="Talked about the harvest outlook"))
    page.refresh()
    assert page.model.rowCount() == 2
    page.focus_find()
    qtbot.keyClicks(page.search, "v")  # one letter does not search yet, and says so
    assert page.model.rowCount() == 2 and "two or more letters" in page.count.text()
    qtbot.keyClicks(page.search, "ermi")
    assert page.model.rowCount() == 1
    assert "vermicompost" in page.model.index(0, 6).data()
    page.search.clear()
    qtbot.keyClicks(page.search, "outlook")
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == [
        "2024-11-02"]
    page.search.clear()
    qtbot.keyClicks(page.search, "nothing like this")
    assert page.model.rowCount() == 0


def test_a_photo_whose_file_is_gone_is_said_so(page, ctx, farm, qtbot, tmp_path):
    """A photo whose file left the attachments folder showed a blank tile with its caption
    (statements leave it out without a word to the buyer): it now says the file is missing,
    where it was looked for, and what to do."""
    page.new_record()
    ed = page.editor
    qtbot.keyClicks(ed.producer, "Finca La Esperanza")
    qtbot.keyClick(ed.producer, Qt.Key.Key_Return)
    ed.mode.setCurrentIndex(ed.mode.findData(VisitMode.IN_PERSON))
    _drop(ed.photo_strip, [_png(tmp_path / "patio.png")])
    qtbot.mouseClick(ed.save_btn, Qt.MouseButton.LeftButton)
    [saved] = ctx.store.visits(farm.id)
    [ph] = saved.photos
    page.open_record(saved.id)
    assert ed.photo_strip.item(0).text() == "patio.png"
    stored = ctx.attachments_dir / f"{ph.sha256}.png"
    stored.unlink()
    page.open_record(saved.id)
    item = ed.photo_strip.item(0)
    assert item.text() == "patio.png (file missing)" and item.icon().isNull()
    assert item.toolTip().startswith(f"patio.png: not found in the attachments folder ({stored})")
    assert "statements leave it out" in item.toolTip()


def test_opening_a_visit_and_saving_it_changes_nothing(page, ctx, farm):
    from roasterdesk.domain.model import Observation

    v = ctx.store.save_visit(Visit(
        farm.id, date(2025, 1, 5), observations=(
            Observation(Topic.WATER_USE, Evidence.REPORTED, "new tanks"),
            Observation(Topic.CHILD_LABOUR, Evidence.NOT_CHECKED)),
        follow_ups=(FollowUp("call back", due=date(2025, 2, 1)),)))
    page.refresh()
    page.open_record(v.id)
    built = page.editor.build()
    assert built.observations == v.observations
    assert [(f.uuid, f.what, f.due) for f in built.follow_ups] == [
        (f.uuid, f.what, f.due) for f in v.follow_ups]
    assert not page.editor.dirty and not page.editor.save_btn.isEnabled()


def test_undo_and_redo_the_last_edit(page, ctx, farm, qtbot):
    v = ctx.store.save_visit(Visit(farm.id, date(2025, 1, 5), notes="first notes"))
    page.refresh()
    page.open_record(v.id)
    page.editor.notes.setPlainText("second notes")
    assert page.save()
    assert ctx.store.visit(v.id).notes == "second notes"
    ctx.undo_stack.undo()
    assert ctx.store.visit(v.id).notes == "first notes"
    assert page.editor.notes.toPlainText() == "first notes"  # the page followed the undo
    ctx.undo_stack.redo()
    assert ctx.store.visit(v.id).notes == "second notes"
    # undoing a new visit removes it
    page.new_record(farm.id)
    page.editor.notes.setPlainText("a call")
    assert not page.save()  # a new visit's mode is chosen, never "in person" by default
    assert "Mode: choose" in page.editor.error.text()
    page.editor.mode.setCurrentIndex(page.editor.mode.findData(VisitMode.CALL))
    assert page.save()
    assert len(ctx.store.visits(farm.id)) == 2
    ctx.undo_stack.undo()
    assert len(ctx.store.visits(farm.id)) == 1


@pytest.mark.parametrize("field,text,message", [
    ("date", "2025-13-40", "is not a date"),
    ("date", (date.today() + timedelta(days=30)).isoformat(), "in the future"),
    ("due", "next week", "is not a date"),
    ("what", "", "say what needs doing"),
])
def test_bad_input_shows_a_message_and_saves_nothing(page, ctx, farm, qtbot, field, text,
                                                     message):
    ed = page.editor
    page.new_record()
    assert not ed.error.isVisible() and not ed.save_btn.isEnabled()  # untouched: no message
    page.editor.producer.set_producer(farm.id)
    ed.mode.setCurrentIndex(ed.mode.findData(VisitMode.IN_PERSON))
    ed.notes.setPlainText("notes")
    if field == "date":
        ed.date.setText(text)
    else:
        ed.add_follow_up("Call back" if field == "due" else "", "me",
                         text if field == "due" else "2025-01-01")
    assert message in ed.error.text()
    assert ed.error.isVisible()
    assert not ed.save_btn.isEnabled()
    qtbot.mouseClick(ed.save_btn, Qt.MouseButton.LeftButton)
    assert not ed.save()
    assert ctx.store.visits(farm.id) == []


def test_a_file_that_is_not_a_photo_is_refused_with_a_message(page, ctx, farm, tmp_path,
                                                               qtbot):
    txt = tmp_path / "notes.txt"
    txt.write_text("not an image")
    with qtbot.waitSignal(ctx.messages.warning) as sig:
        _drop(page.editor.photo_strip, [txt])
    assert "notes.txt" in sig.args[0]
    assert page.editor.photo_count == 0


def test_filters(page, ctx, farm):
    other = ctx.store.save_producer(Producer("Chelchele Station", ProducerKind.WASHING_STATION,
                                             "ET"))
    ctx.store.save_visit(Visit(farm.id, date(2025, 2, 1), VisitMode.IN_PERSON,
                               follow_ups=(FollowUp("open one"),)))
    ctx.store.save_visit(Visit(other.id, date(2024, 6, 1), VisitMode.VIDEO))
    ctx.store.save_visit(Visit(other.id, date(2023, 6, 1), VisitMode.CALL,
                               follow_ups=(FollowUp("closed", done=True),)))
    page.refresh()
    m = page.model
    assert m.rowCount() == 3
    page.producer_filter.setText("chelch")
    assert m.rowCount() == 2
    page.mode_filter.setCurrentIndex(page.mode_filter.findText("Video"))
    assert m.rowCount() == 1
    page.producer_filter.clear()
    page.mode_filter.setCurrentIndex(page.mode_filter.findText("Remote (any)"))
    assert m.rowCount() == 2
    page.mode_filter.setCurrentIndex(0)
    page.date_from.setText("2024-01-01")
    assert m.rowCount() == 2
    page.date_to.setText("2024-12-31")
    assert [m.index(0, 0).data()] == ["2024-06-01"] and m.rowCount() == 1
    page.date_to.setText("2024-99")  # a bad date is marked and ignored
    assert page.date_to.property("invalid") is True
    page.date_from.clear()
    page.date_to.clear()
    page.open_only.setChecked(True)
    assert m.rowCount() == 1 and m.index(0, 1).data() == "Finca La Esperanza"


def test_visit_model_passes_qtmodeltester_and_pages_lazily(ctx, farm, qtmodeltester):
    for n in range(25):
        ctx.store.save_visit(Visit(farm.id, date(2024, 1, 1) + timedelta(days=n),
                                   notes=f"visit number {n}"))
    model = VisitListModel(ctx, page_size=10)
    assert model.rowCount() == 10 and model.canFetchMore()
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 25
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() >= 10  # back to the first page (the tester may fetch more)
    for col in range(model.columnCount()):
        model.sort(col, Qt.SortOrder.DescendingOrder)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 0).data() == "2024-01-01"
    from roasterdesk.ui.widgets import ObjectRole, SortRole

    assert model.index(0, 0).data(SortRole) == "2024-01-01"
    assert model.index(0, 0).data(ObjectRole).notes == "visit number 0"
    model.set_filter(*visit_filter(text="number 2"))
    assert model.rowCount() == 6  # "number" and the prefix "2*": visits 2 and 20–24
    model.set_filter(*visit_filter(text="number 13"))
    assert model.rowCount() == 1
    qtmodeltester.check(model)
