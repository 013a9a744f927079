"""Every editor of the producer's records: bad input shows a message and saves nothing;
good input saves one record."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from roasterdesk.ui.editors import (
    CertificationDialog,
    CommitmentDialog,
    PersonDialog,
    PlotDialog,
    ProjectDialog,
    parse_coordinates,
)
from roasterdesk.ui.widgets import FieldError

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def press_save(qtbot, dlg):
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def type_into(qtbot, dlg, values):
    for key, text in values.items():
        w = dlg.fields[key]
        if hasattr(w, "findText"):  # a choice: the item with that text
            w.setCurrentIndex(w.findText(text))
        elif hasattr(w, "setPlainText"):
            w.setPlainText(text)
        else:
            w.clear()
            qtbot.keyClicks(w, text)


CASES = [
    # dialog, table, good input, bad input, expected message, field marked
    (PersonDialog, "people", {"name": "Rosa"}, {"name": ""}, "Name", "name"),
    (PersonDialog, "people", {"name": "Rosa"}, {"email": "rosa.example.org"},
     "not an email address", "email"),
    (PlotDialog, "plots", {"name": "Alto"}, {"area": "big"}, "is not a number", "area"),
    # a decimal comma is refused, never read as a thousands separator (1,5 ha is not 15 ha)
    (PlotDialog, "plots", {"name": "Alto"}, {"area": "1,5"}, "use a point for decimals", "area"),
    (PlotDialog, "plots", {"name": "Alto"}, {"coords": "1.85, -76.05\n1.86"},
     "line 2", "coords"),
    (PlotDialog, "plots", {"name": "Alto"}, {"coords": "95, 10"}, "latitude 95.0", "coords"),
    (PlotDialog, "plots", {"name": "Alto"}, {"shade": "140"}, "140 is outside 0–100", "shade"),
    (PlotDialog, "plots", {"name": "Alto"},
     {"coords": "0, 0\n1, 1\n0, 1\n1, 0"}, "cross", "coords"),
    (CertificationDialog, "certifications", {"scheme": "Fairtrade", "valid_to": "2027-01-31"},
     {"valid_to": "31/01/2027"}, "YYYY-MM-DD", "valid_to"),
    (CertificationDialog, "certifications", {"scheme": "Fairtrade", "valid_to": "2027-01-31"},
     {"valid_from": "2027-06-01"}, "expire before it starts", "valid_to"),
    # a scheme or a category is chosen by the user, never by the dialog
    (CertificationDialog, "certifications", {"scheme": "Fairtrade", "valid_to": "2027-01-31"},
     {"scheme": "Choose…"}, "Scheme: choose one", "scheme"),
    (ProjectDialog, "projects", {"category": "Training", "year": "2025", "amount": "1200"},
     {"category": "Choose…"}, "Category: choose one", "category"),
    (CommitmentDialog, "commitments", {"first": "2025", "last": "2026/27", "volume": "3000"},
     {"last": "2024"}, "before the first harvest", "last"),
    (CommitmentDialog, "commitments", {"first": "2025", "last": "2026/27", "volume": "3000"},
     {"volume": "", "floor": ""}, "volume, a price floor, or both", "volume"),
    (CommitmentDialog, "commitments", {"first": "2025", "last": "2026/27", "volume": "3000"},
     {"floor": "-1"}, "more than 0", "floor"),
    (ProjectDialog, "projects", {"category": "Training", "year": "2025", "amount": "1200"},
     {"amount": "lots"}, "is not a number", "amount"),
    (ProjectDialog, "projects", {"category": "Training", "year": "2025",
                                 "amount": "12,500.50"},
     {"amount": "12,5"}, "use a point for decimals", "amount"),
    (ProjectDialog, "projects", {"category": "Training", "year": "2025", "amount": "1200"},
     {"currency": "Pesos"}, "not a code like USD", "currency"),
]


FIXED = {"currency": "USD", "volume": "3000"}  # corrections where empty is not allowed


@pytest.mark.parametrize("dialog, table, good, bad, message, field", CASES)
def test_bad_input_shows_a_message_and_saves_nothing(qtbot, ctx, sample, dialog, table, good,
                                                      bad, message, field):
    before = ctx.store.counts()[table]
    dlg = dialog(ctx, None, producer_id=sample.farm.id)
    qtbot.addWidget(dlg)
    dlg.show()
    type_into(qtbot, dlg, {**good, **bad})
    press_save(qtbot, dlg)
    assert dlg.error.isVisible()
    assert message in dlg.error.text()
    assert dlg.fields[field].property("invalid") is True
    assert ctx.store.counts()[table] == before
    assert dlg.saved is None
    assert ctx.undo_stack.count() == 0
    # the user corrects the field: the record is saved, once
    type_into(qtbot, dlg, good | {k: FIXED.get(k, "") for k in bad if k not in good})
    press_save(qtbot, dlg)
    assert dlg.saved is not None, dlg.error.text()
    assert ctx.store.counts()[table] == before + 1
    assert ctx.undo_stack.count() == 1


def test_editing_keeps_the_record_identity(qtbot, ctx, sample):
    commitment = sample.at_risk
    dlg = CommitmentDialog(ctx, commitment)
    qtbot.addWidget(dlg)
    first = commitment.first_harvest
    assert dlg.first.text() == f"{first - 1}/{first % 100:02d}"
    type_into(qtbot, dlg, {"floor": "4.25"})
    press_save(qtbot, dlg)
    (saved,) = [c for c in ctx.store.commitments(sample.station.id) if c.id == commitment.id]
    assert saved.price_floor_usd_lb == Decimal("4.25")
    assert saved.uuid == commitment.uuid
    ctx.undo_stack.undo()
    (restored,) = [c for c in ctx.store.commitments(sample.station.id) if c.id == commitment.id]
    assert restored.price_floor_usd_lb == Decimal("4.00")


def test_commitment_for_any_producer_needs_a_producer(qtbot, ctx, sample):
    dlg = CommitmentDialog(ctx, None)  # from the Commitments page: choose the producer
    qtbot.addWidget(dlg)
    type_into(qtbot, dlg, {"first": "2025", "last": "2025", "volume": "500"})
    press_save(qtbot, dlg)
    assert "choose a producer" in dlg.error.text()
    dlg.producer_box.setCurrentIndex(dlg.producer_box.findData(sample.farm.id))
    press_save(qtbot, dlg)
    assert [c.volume_kg for c in ctx.store.commitments(sample.farm.id)] == [Decimal(500)]


def test_coordinates_are_typed_latitude_first_and_stored_longitude_first():
    assert parse_coordinates("") is None
    assert parse_coordinates("1.85, -76.05") == {"type": "Point",
                                                 "coordinates": [-76.05, 1.85]}
    poly = parse_coordinates("1.85 -76.05\n1.85 -76.04\n1.86 -76.04")
    assert poly["type"] == "Polygon"
    ring = poly["coordinates"][0]
    assert ring[0] == ring[-1] == [-76.05, 1.85]
    with pytest.raises(FieldError, match="at least 3 corners"):
        parse_coordinates("1.85, -76.05\n1.86, -76.04")


def test_a_new_record_starts_on_no_choice_the_user_did_not_make(qtbot, ctx, sample):
    """A person's role starts "not recorded" (a statement printed "(owner)" for a role never
    chosen); a certification's scheme and a project's category start on "Choose…"."""
    person = PersonDialog(ctx, None, producer_id=sample.farm.id)
    cert = CertificationDialog(ctx, None, producer_id=sample.farm.id)
    project = ProjectDialog(ctx, None, producer_id=sample.farm.id)
    for dlg in (person, cert, project):
        qtbot.addWidget(dlg)
    assert person.role.current() is None and person.role.currentText() == "Not recorded"
    assert cert.scheme.current() is None and cert.scheme.currentText() == "Choose…"
    assert project.category.current() is None
    type_into(qtbot, person, {"name": "Rosa"})
    press_save(qtbot, person)
    assert person.saved is not None and person.saved.role is None
