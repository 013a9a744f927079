"""Full-text search over visit notes, producer names and lot codes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from roasterdesk.domain.model import Lot, Producer, ProducerKind, Visit
from roasterdesk.store.store import fts_query


@pytest.fixture
def filled(store):
    farm = store.save_producer(Producer("Finca El Mirador", ProducerKind.FARM, "CO",
                                        region="Nariño"))
    other = store.save_producer(Producer("Kochere Washing Station", ProducerKind.WASHING_STATION,
                                         "ET", region="Yirgacheffe"))
    v1 = store.save_visit(Visit(farm.id, date(2025, 3, 2),
                                notes="Secado lento en camas africanas; la cosecha de Nariño "
                                      "viene tarde por las lluvias."))
    v2 = store.save_visit(Visit(other.id, date(2024, 12, 1),
                                notes="Fermentation tanks cleaned; new pulp composting area."))
    lot = store.save_lot(Lot("ET-24-017", other.id, 2024, name="Kochere natural"))
    return store, farm, other, v1, v2, lot


def kinds(hits, kind):
    return [h.id for h in hits if h.kind == kind]


def test_a_word_of_a_visit_note_finds_the_visit(filled):
    store, farm, other, v1, v2, _ = filled
    assert kinds(store.search("lluvias"), "visit") == [v1.id]
    assert kinds(store.search("composting"), "visit") == [v2.id]
    hit = next(h for h in store.search("lluvias") if h.kind == "visit")
    assert hit.title == "2025-03-02" and "[lluvias]" in hit.snippet


def test_with_and_without_diacritics(filled):
    store, farm, _, v1, _, _ = filled
    for text in ("Narino", "Nariño", "NARIÑO", "narino"):
        hits = store.search(text)
        assert kinds(hits, "visit") == [v1.id], text
        assert kinds(hits, "producer") == [farm.id], text  # region Nariño


def test_prefix_and_several_words(filled):
    store, farm, other, v1, v2, lot = filled
    assert kinds(store.search("cam"), "visit") == [v1.id]
    assert kinds(store.search("ferment"), "visit") == [v2.id]
    assert kinds(store.search("secado cam"), "visit") == [v1.id]
    assert kinds(store.search("secado composting"), "visit") == []  # every word must match
    assert kinds(store.search("Mira"), "producer") == [farm.id]
    assert kinds(store.search("ET-24"), "lot") == [lot.id]
    assert kinds(store.search("kochere"), "lot") == [lot.id]
    assert kinds(store.search("kochere"), "producer") == [other.id]


@pytest.mark.parametrize("text", [
    '"', "'", "*", "(", ")", "NEAR(", "AND", "OR NOT", "-lluvias", "^lluvias", "lluvias:",
    'notes:lluvias', '"lluvias', "lluvias*)", "{notes}", "+", "a AND (b OR", "\\", "%", "_",
    "lluvias; DROP TABLE visits;--",
])
def test_fts_syntax_in_user_text_is_harmless(filled, text):
    store = filled[0]
    hits = store.search(text)  # never raises
    assert all(h.kind in ("producer", "visit", "lot") for h in hits)
    assert store.counts()["visits"] == 2


def test_syntax_characters_around_a_word_still_find_it(filled):
    store, _, _, v1, _, _ = filled
    for text in ('"lluvias"', "(lluvias)", "lluvias*", "-lluvias-", "lluvias?!"):
        assert v1.id in kinds(store.search(text), "visit"), text
    assert store.search("") == [] and store.search('  "*() ') == []


def test_fts_query_quotes_every_word():
    assert fts_query("Nariño camas") == '"Nariño" "camas"*'
    assert fts_query('a"b OR c') == '"a" "b" "OR" "c"*'
    assert fts_query("--") == ""


def test_an_edited_note_is_found_by_its_new_words(filled):
    store, _, _, v1, _, _ = filled
    store.save_visit(replace(v1, notes="Beneficio ecológico instalado"))
    assert kinds(store.search("lluvias"), "visit") == []
    assert kinds(store.search("ecologico"), "visit") == [v1.id]
