"""Every recorded term a statement can print has its word in every template's language.

A term without one falls back to the English value, which then leaks into a Spanish statement
("Collection", "quality"). The vocabularies are read from the domain, so a new process, scheme,
premium type or cost leg without a translation fails here.
"""

from __future__ import annotations

from enum import StrEnum

from roasterdesk.domain.model import (
    EXPORTER_LEGS,
    IMPORTER_LEGS,
    ContractType,
    PremiumType,
    Process,
    ProducerKind,
    ProjectCategory,
    Role,
    Scheme,
    Species,
)
from roasterdesk.domain.units import Basis
from roasterdesk.domain.visits import Topic
from roasterdesk.pdf.template import DEFAULT_TERMS, available_templates, load_template

VOCABULARIES: tuple[type[StrEnum], ...] = (Process, ProducerKind, Role, Scheme, Species,
                                           ProjectCategory, Basis, Topic, PremiumType,
                                           ContractType)
LEGS = (*EXPORTER_LEGS, *IMPORTER_LEGS, "exporter margin")


def printed_terms() -> list[str]:
    return [v.value for vocab in VOCABULARIES for v in vocab] + list(LEGS)


def test_every_printed_term_has_a_word_in_every_other_language() -> None:
    missing = []
    for name in available_templates():
        tpl = load_template(name)
        if tpl.language == "en":
            continue
        missing += [f"{name}: {term!r}" for term in printed_terms() if term not in tpl.terms]
    assert not missing, "terms that would print in English:\n" + "\n".join(missing)


def test_the_check_knows_a_missing_word() -> None:
    tpl = load_template("default-es")
    assert "collection" in tpl.terms and "collection" not in DEFAULT_TERMS
    del tpl.terms["collection"]
    assert tpl.term("collection") == "collection"  # what the test above guards against
