"""A producer's own data: everything about one producer in a zip, and erasing a person.

Export (a subject-access or portability request): ``producer.json`` with the producer, its
people, plots, certifications, commitments, visits (with follow-ups and photo records), lots
(with fixations, cost legs, premiums) and projects, plus the photo files under ``photos/``.
Money stays exact (Decimals as strings), dates ISO.

Erase (a request to be forgotten): the person's name becomes a pseudonym, phone, e-mail, quote
and consent are cleared and ``pseudonymised`` is set; photos showing them lose the link; their
full name is replaced by the pseudonym wherever it is written in this producer's records (visit
participants, notes, photo captions, follow-ups, lot stories, project descriptions, premium
payees). A mention by first name alone cannot be found reliably and is not changed: the report
says so. Lots and payments stay: a buyer must keep them (accounts, the price chain). All in one
transaction.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from .. import __version__
from ..domain.model import Person
from ..errors import UserError


def jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def find_producer(store: Any, ref: str) -> Any:
    """A producer by id, UUID or exact name (refused when the name is ambiguous)."""
    if ref.isdigit():
        return store.producer(int(ref))
    by_uuid = store.producer_by_uuid(ref)
    if by_uuid is not None:
        return by_uuid
    found = store.producers("name = ? COLLATE NOCASE", [ref.strip()])
    if not found:
        raise UserError(f"no producer named {ref!r}")
    if len(found) > 1:
        ids = ", ".join(f"{p.id} ({p.country})" for p in found)
        raise UserError(f"{len(found)} producers are named {ref!r}; give the id: {ids}")
    return found[0]


def producer_record(store: Any, producer_id: int) -> dict[str, Any]:
    p = store.producer(producer_id)
    return {
        "format": "RoasterDesk producer data",
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": __version__,
        "producer": jsonable(p),
        "member_of": jsonable(store.producer(p.parent_id)) if p.parent_id else None,
        "members": [{"id": m.id, "name": m.name} for m in store.members(producer_id)],
        "people": jsonable(store.people(producer_id)),
        "plots": jsonable(store.plots(producer_id)),
        "certifications": jsonable(store.certifications(producer_id)),
        "commitments": jsonable(store.commitments(producer_id)),
        "visits": jsonable(store.visits(producer_id)),
        "lots": jsonable(store.lots(producer_id)),
        "projects": jsonable(store.projects(producer_id)),
    }


def _photo_file(attachments: Path, sha256: str) -> Path | None:
    if not attachments.is_dir():
        return None
    return next(iter(sorted(attachments.glob(f"{sha256}*"))), None)


def export_producer(store: Any, producer_id: int, out: Path | str,
                    attachments: Path | None = None) -> tuple[int, list[str]]:
    """Write the zip; returns (photo files included, photos whose file is missing)."""
    record = producer_record(store, producer_id)
    attachments = attachments or store.path.with_name(f"{store.path.stem}-attachments")
    included, missing = 0, []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("producer.json", json.dumps(record, ensure_ascii=False, indent=2))
        seen: set[str] = set()
        for visit in record["visits"]:
            for ph in visit["photos"]:
                if ph["sha256"] in seen:
                    continue
                seen.add(ph["sha256"])
                f = _photo_file(attachments, ph["sha256"])
                if f is None:
                    missing.append(ph["filename"])
                    continue
                zf.write(f, f"photos/{f.name}")
                included += 1
        if missing:
            zf.writestr("photos/MISSING.txt", "Photo files not found beside the database:\n"
                        + "\n".join(missing) + "\n")
    return included, missing


def pseudonym(person: Person) -> str:
    return f"Person {person.uuid.replace('-', '')[:6].upper()}"


def erase_person(store: Any, person_id: int) -> Person:
    """Replace a person's personal data by a pseudonym, keeping lots and payments."""
    person = store.person(person_id)
    if person.pseudonymised:
        raise UserError(f"{person.name} is already pseudonymised")
    alias = pseudonym(person)
    old = person.name
    erased = dataclasses.replace(person, name=alias, phone="", email="", consent=None, quote="",
                                 pseudonymised=True)
    def sub(text: str) -> str:
        return text.replace(old, alias)

    with store.transaction("Erase person"):
        store.save_person(erased)
        pid = person.producer_id
        visit_ids = {v.id for v in store.visits(pid)} | set(store.visits_showing(person_id))
        for vid in sorted(visit_ids):
            v = store.visit(vid)
            store.save_visit(dataclasses.replace(
                v, participants=tuple(alias if n == old else n for n in v.participants),
                notes=sub(v.notes),
                follow_ups=tuple(dataclasses.replace(f, who=sub(f.who), what=sub(f.what))
                                 for f in v.follow_ups),
                photos=tuple(dataclasses.replace(
                    ph, caption=sub(ph.caption),
                    person_id=None if ph.person_id == person_id else ph.person_id)
                    for ph in v.photos)))
        for lot in store.lots(pid):
            store.save_lot(dataclasses.replace(
                lot, story=sub(lot.story),
                premiums=tuple(dataclasses.replace(pr, paid_to=sub(pr.paid_to))
                               for pr in lot.premiums)))
        producer = store.producer(pid)
        store.save_producer(dataclasses.replace(producer, notes=sub(producer.notes)))
        for proj in store.projects(pid):
            store.save_project(dataclasses.replace(proj, description=sub(proj.description)))
        store.forget_text(old, alias, erased)
    return store.person(person_id)
