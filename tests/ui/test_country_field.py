"""The profile's country field: a name or a code, with suggestions; the store keeps ISO-2."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(
    "propagateSizeHints", "does not support raise", "does not support grabbing the keyboard")]


def open_profile(window, producer_id):
    page = window.show_page("producer")
    page.open_record(producer_id)
    return page.detail.profile


def test_a_known_country_shows_its_name_and_code(window, sample):
    form = open_profile(window, sample.station.id)
    assert form.country.text() == "Ethiopia (ET)"


@pytest.mark.parametrize("typed", ["Peru", " peru ", "pe", "PER"])
def test_a_typed_name_or_code_is_stored_as_iso2(window, qtbot, ctx, sample, typed):
    form = open_profile(window, sample.farm.id)
    form.country.clear()
    qtbot.keyClicks(form.country, typed)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.error.isVisible()
    assert ctx.store.producer(sample.farm.id).country == "PE"
    assert form.country.text() == "Peru (PE)"


def test_picking_a_suggestion_stores_its_code(window, qtbot, ctx, sample):
    form = open_profile(window, sample.farm.id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    form.country.setFocus()  # the field being typed in, as for a user
    qtbot.waitUntil(form.country.hasFocus, timeout=2000)
    form.country.clear()
    qtbot.keyClicks(form.country, "lomb")  # matches anywhere in the name
    popup = form.country_completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    shown = [form.country_completer.completionModel().index(r, 0).data()
             for r in range(form.country_completer.completionCount())]
    assert shown == ["Colombia (CO)"]
    form.grab().save("/tmp/shots/country_completer_form.png")
    popup.grab().save("/tmp/shots/country_completer_popup.png")
    rect = popup.visualRect(popup.model().index(0, 0))
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert form.country.text() == "Colombia (CO)"
    assert form.dirty
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert ctx.store.producer(sample.farm.id).country == "CO"


def test_typing_co_suggests_every_country_with_co_in_it(window, qtbot, sample):
    form = open_profile(window, sample.farm.id)
    form.country.clear()
    qtbot.keyClicks(form.country, "CO")
    shown = [form.country_completer.completionModel().index(r, 0).data()
             for r in range(form.country_completer.completionCount())]
    assert "Colombia (CO)" in shown and "Costa Rica (CR)" in shown
    assert "Brazil (BR)" not in shown


@pytest.mark.parametrize("typed", ["Narnia", "C1", "Colombiaa"])
def test_an_unknown_country_shows_the_message_and_saves_nothing(window, qtbot, ctx, sample,
                                                                 typed):
    form = open_profile(window, sample.coop.id)
    form.country.clear()
    qtbot.keyClicks(form.country, typed)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.error.isVisible()
    assert f"“{typed}” is not a country we know" in form.error.text()
    assert form.country.property("invalid") is True
    assert ctx.store.producer(sample.coop.id) == sample.coop
