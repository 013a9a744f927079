"""Names of people without consent taken out of free text for customer documents: the
full name, the surname and (for the lot's producer's own people) the first name with its
title, each replaced by the person's role in the template's words."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..domain.model import Person

HONORIFIC = (r"(?i:(?:don|doña|dona|dom|seu|señor|señora|senhor|senhora|sr|sra|mr|mrs|ms|"
             r"mama|mamá|papa|papá)\.?\s+)?")
"""A title a story puts before a name ("Don Julio", "Doña María", "Seu João"): redacted with
the name, never left before the role ("Don the owner")."""


def _name_patterns(person: Person, first_name: bool = True) -> list[tuple[str, int]]:
    """(pattern, flags) of the full name, the surname (last word of four letters or more) and,
    with ``first_name``, the first name (three letters or more) of a person, each with a title.
    A first name matches only as a name, capitalised ("Julio", not the month "julio")."""
    words = person.name.split()
    out = [(rf"\b{HONORIFIC}{re.escape(person.name.strip())}\b", re.IGNORECASE)]
    if len(words) > 1 and len(words[-1]) >= 4:
        out.append((rf"\b{HONORIFIC}{re.escape(words[-1])}\b", re.IGNORECASE))
    if first_name and len(words) > 1 and len(words[0]) >= 3:
        first = words[0][:1].upper() + words[0][1:]
        out.append((rf"\b{HONORIFIC}{re.escape(first)}\b", 0))
    return out


def redact(text: str, hidden: list[Person], stand_in: Callable[[str], str] | None = None,
           keep: Sequence[str] = (), first_names: bool = True) -> str:
    """Replace the names of people who may not appear with their role, e.g. "(the owner)": the
    full name, the surname and (``first_names``) the first name ("Don Julio y su familia"),
    with a title before them.

    ``stand_in`` turns a role into those words (a template's, see
    :meth:`Template.redacted_person`); English "the <role>" without it. ``keep``: names that
    stay whole wherever they are written, as whole words (the producer's, when it may be
    named: "Fazenda Santa Maria" is not a hidden Maria; a person's who may be named: "María
    Gómez" is not a hidden María)."""
    kept = sorted({k.strip() for k in keep if k.strip()}, key=len, reverse=True)
    if kept:
        pattern = "|".join(rf"\b{re.escape(k)}\b" for k in kept)
        parts = re.split(f"({pattern})", text, flags=re.IGNORECASE)
        return "".join(part if n % 2 else redact(part, hidden, stand_in, (), first_names)
                       for n, part in enumerate(parts))
    for person in hidden:
        # a role not recorded is "the person", never a role guessed
        role_value = person.role.value if person.role else ""
        role = stand_in(role_value) if stand_in else f"the {role_value or 'person'}"
        for pat, flags in _name_patterns(person, first_names):
            text = re.sub(pat, lambda m, r=role: capitalised(r, m.string[:m.start()]),
                          text, flags=flags)
    return text


def capitalised(word: str, before: str) -> str:
    """``word`` with a capital letter when it starts the text or a sentence."""
    tail = before.rstrip()
    return word[:1].upper() + word[1:] if not tail or tail[-1] in ".!?:" else word


def mentions(text: str, hidden: list[Person]) -> bool:
    """Whether ``text`` (a producer's name) holds the full name or surname of someone hidden
    (a first name alone does not unname "Fazenda Santa Maria")."""
    return redact(text, hidden, first_names=False) != text
