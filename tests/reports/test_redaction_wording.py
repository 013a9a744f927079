"""The words that stand in for names without consent come from the template's language."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader
from statement_sample import HIDDEN, ON, build_example

from roasterdesk.cli import main
from roasterdesk.domain.model import Person, ProducerKind, Role
from roasterdesk.pdf import load_template, render_statement
from roasterdesk.pdf.template import parse_template
from roasterdesk.services.statement import load_statement

OWNER = "Rosa Elvira Guerrero"


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def owner_without_consent(store, lot):
    """A farm named after its owner, who gave no consent; the lot's story names both."""
    prod = store.producer(lot.producer_id)
    store.save_producer(replace(prod, name="Finca Guerrero", kind=ProducerKind.FARM))
    store.save_person(Person(prod.id, OWNER, Role.OWNER))  # no consent recorded
    store.save_lot(replace(store.lot(lot.id), story=(
        f"Finca Guerrero sits above the river. {OWNER} picks only ripe cherries; "
        f"{HIDDEN} ferments them.")))


def statement_text(store, lot, name):
    tpl = load_template(name)
    data = load_statement(store, lot.code, on=ON, template=tpl)
    return data, text_of(render_statement(data, tpl))


def test_a_spanish_statement_uses_the_spanish_stand_ins(example):
    store, lot = example
    owner_without_consent(store, lot)
    data, text = statement_text(store, lot, "default-es")
    assert data.story == ("La finca sits above the river. La persona propietaria picks only "
                          "ripe cherries; la persona administradora ferments them.")
    assert "La finca sits above the river. La persona propietaria picks" in text
    assert "la persona administradora ferments" in text
    lowered = text.lower()
    for english in ("the farm", "the owner", "the manager"):
        assert english not in lowered
    assert OWNER not in text and "Guerrero" not in text and HIDDEN not in text


def test_the_english_template_and_one_without_the_keys_keep_the_english(example):
    store, lot = example
    owner_without_consent(store, lot)
    _, text = statement_text(store, lot, "default-en")
    assert "The farm sits above the river. The owner picks only ripe cherries; the manager " \
           "ferments them." in text
    bare = parse_template({"language": "es", "terms": {"owner": "dueña"}})
    data = load_statement(store, lot.code, on=ON, template=bare)
    assert data.story.startswith("The farm sits above the river. The dueña picks")
    assert "Guerrero" not in data.story


def test_a_role_without_its_own_words_uses_redacted_person_with_the_roles_term(example):
    store, lot = example
    owner_without_consent(store, lot)
    tpl = parse_template({"text": {"redacted_person": "la persona ({role})",
                                   "redacted_producer": "esa {kind}"},
                          "terms": {"owner": "dueña", "farm": "finca"}})
    data = load_statement(store, lot.code, on=ON, template=tpl)
    assert data.story == ("Esa finca sits above the river. La persona (dueña) picks only ripe "
                          "cherries; la persona (manager) ferments them.")


def test_export_pdf_with_the_spanish_template_uses_the_spanish_stand_ins(store, db_path,
                                                                         tmp_path):
    _, lot = build_example(store)
    owner_without_consent(store, lot)
    out = tmp_path / "es.pdf"
    assert main(["export-pdf", "--db", str(db_path), "--lot", lot.code, "--out", str(out),
                 "--template", "default-es"]) == 0
    text = text_of(out.read_bytes())
    assert "La finca sits above the river. La persona propietaria picks" in text
    assert "the owner" not in text.lower() and "the farm" not in text.lower()


def story_statement(example, farm, people, story):
    """The English statement of the example lot, its producer renamed ``farm`` (a farm) with
    ``people`` (their producer set here) and the lot's story ``story``."""
    store, lot = example
    prod = store.producer(lot.producer_id)
    store.save_producer(replace(prod, name=farm, kind=ProducerKind.FARM))
    for person in people:
        store.save_person(replace(person, producer_id=prod.id))
    store.save_lot(replace(store.lot(lot.id), story=story))
    return load_statement(store, lot.code, on=ON, template=load_template("default-en"))


def test_a_first_name_with_or_without_a_title_is_redacted_and_a_farm_named_like_it_is_not(
        example):
    """"Don Julio y su familia" named a person without consent by first name (only the full
    name and surname were replaced). A first name with its title becomes the role; the
    producer's own name, when it may be printed, stays whole even if it holds that first name;
    a first name alone does not unname the producer."""
    data = story_statement(example, "Finca Santa Julia", [
        Person(0, "Julio Pérez Ramírez", Role.OWNER), Person(0, "Julia Mendoza", Role.MANAGER)],
        "Don Julio y su familia cultivan Castillo en Finca Santa Julia. Julio picks; Doña "
        "Julia sorts. Mr. Ramírez and Julia dry it.")
    assert data.producer_label == "Finca Santa Julia"
    assert data.story == ("The owner y su familia cultivan Castillo en Finca Santa Julia. The "
                          "owner picks; the manager sorts. The owner and the manager dry it.")


def test_first_names_are_taken_only_from_the_producers_own_people_and_only_as_names(example):
    """A first name is redacted for the lot's producer's people without consent, capitalised
    as a name (the month "julio" stays); people of other producers lose their full name and
    surname only; a name that may be printed ("María Gómez", the producer's) stays whole."""
    from roasterdesk.domain.model import Consent, ConsentScope, Producer

    store, _lot = example
    other = store.save_producer(Producer("Finca Lejana", ProducerKind.FARM, "CO"))
    store.save_person(Person(other.id, "María López", Role.OWNER))
    store.save_person(Person(other.id, "Esperanza Ruiz", Role.OWNER))
    data = story_statement(example, "La Rosa", [
        Person(0, "María Gómez", Role.MANAGER, consent=Consent(
            ON.replace(year=2024), frozenset({ConsentScope.NAME}))),
        Person(0, "Julio Pérez", Role.OWNER), Person(0, "Rosalba Díaz", Role.MEMBER)],
        "María Gómez dries the coffee at the La Esperanza mill in julio. Julio picks; Rosalba "
        "sorts at La Rosa. López sold hers.")
    assert data.story == ("María Gómez dries the coffee at the La Esperanza mill in julio. The "
                          "owner picks; the member sorts at La Rosa. The owner sold hers.")
