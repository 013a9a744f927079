"""Gather everything a lot's impact statement says into one plain, consent-checked object.

The statement is a customer document, so this module is where privacy is decided, once:

- a person's **name** appears only with consent covering names on the statement date
  (:meth:`Person.may_appear`), their **quote** only with consent for quotes, a **photo** of them
  only with consent for photos; otherwise the producer appears by farm/cooperative name — or by
  region when that name itself contains the name of someone who has not consented;
- free text that reaches the page (the lot's story, observation notes, project descriptions,
  certificate holders) has the names of people without consent replaced by their role;
- plot coordinates are the centroid rounded (default 2 decimals ≈ 1 km), never a polygon;
- photos are re-encoded (JPEG, no EXIF or other metadata).

Figures are the domain's (``store.analyse`` and :func:`roasterdesk.domain.history.
harvest_history`); the PDF code only lays them out.
"""

from __future__ import annotations

import io
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..domain.geo import rounded_location
from ..domain.history import HarvestPoint, harvest_history
from ..domain.model import (
    Certification,
    ConsentScope,
    Evidence,
    Lot,
    LotStatus,
    Person,
    Photo,
    Project,
    Visit,
)
from ..domain.pricing import economics, farm_gate_local_per_kg_green
from ..domain.transparency import Answer
from ..errors import UserError
from ..store import Store
from ..store.store import LotAnalysis

if TYPE_CHECKING:
    from ..pdf.template import Template

MAX_PHOTOS = 2
PHOTO_MAX_PX = 1400


@dataclass(frozen=True)
class NamedPerson:
    name: str
    role: str
    quote: str  # "" unless consent covers quotes


@dataclass(frozen=True)
class PlotView:
    name: str
    area_ha: Decimal | None
    altitude_m: int | None
    shade_pct: int | None
    varieties: tuple[str, ...]
    location: tuple[float, float] | None  # (lon, lat), rounded


@dataclass(frozen=True)
class VisitView:
    date: date
    mode: str
    observed: tuple[tuple[str, str], ...]  # (topic key, note) seen in person
    reported: tuple[tuple[str, str], ...]  # (topic key, note) told by the producer


@dataclass(frozen=True)
class CertificationView:
    scheme: str
    number: str
    holder: str
    valid_from: date | None
    valid_to: date | None
    valid_on_statement: bool


@dataclass(frozen=True)
class ProjectView:
    year: int
    category: str
    amount: Decimal
    currency: str
    description: str


@dataclass(frozen=True)
class PhotoView:
    jpeg: bytes  # re-encoded, without EXIF
    width: int
    height: int
    caption: str


@dataclass(frozen=True)
class StatementData:
    """What one statement shows; built by :func:`load_statement`, laid out by the PDF code."""

    analysis: LotAnalysis
    on: date  # the statement date (consent and validity are checked on it)
    producer_label: str  # farm/co-op name, or "a farm in Nariño, Colombia"
    producer_named: bool
    region_label: str
    people: tuple[NamedPerson, ...]
    hidden_people: int  # people of the producer who may not be named on this date
    plots: tuple[PlotView, ...]
    visits: tuple[VisitView, ...]  # in person, newest first
    certifications: tuple[CertificationView, ...]
    projects: tuple[ProjectView, ...]
    history: tuple[HarvestPoint, ...]
    photos: tuple[PhotoView, ...]
    photos_unreadable: int  # photos that may appear but whose file is missing or unreadable
    story: str
    lot_title: str  # the lot's name (names without consent replaced), else its code
    farm_gate_local_per_kg_green: Decimal | None
    coordinate_decimals: int

    @property
    def lot(self) -> Lot:
        return self.analysis.lot


# -- privacy ---------------------------------------------------------------------------------
def _name_patterns(person: Person) -> list[str]:
    """The full name and the surname (last word of four letters or more) of a person."""
    words = person.name.split()
    pats = [person.name.strip()]
    if len(words) > 1 and len(words[-1]) >= 4:
        pats.append(words[-1])
    return pats


def redact(text: str, hidden: list[Person],
           stand_in: Callable[[str], str] | None = None) -> str:
    """Replace the names of people who may not appear with their role, e.g. "(the owner)".

    ``stand_in`` turns a role into those words (a template's, see
    :meth:`Template.redacted_person`); English "the <role>" without it."""
    for person in hidden:
        role = stand_in(person.role.value) if stand_in else f"the {person.role.value}"
        for pat in sorted(_name_patterns(person), key=len, reverse=True):
            text = re.sub(rf"\b{re.escape(pat)}\b",
                          lambda m, r=role: _capitalised(r, m.string[:m.start()]),
                          text, flags=re.IGNORECASE)
    return text


def _capitalised(word: str, before: str) -> str:
    """``word`` with a capital letter when it starts the text or a sentence."""
    tail = before.rstrip()
    return word[:1].upper() + word[1:] if not tail or tail[-1] in ".!?:" else word


def _mentions(text: str, hidden: list[Person]) -> bool:
    return redact(text, hidden) != text


def _region_label(analysis: LotAnalysis) -> str:
    from ..domain.countries import country_name

    p = analysis.producer
    country = country_name(p.country)
    return f"{p.region}, {country}" if p.region else country


# -- photos ----------------------------------------------------------------------------------
def clean_photo(path: Path, caption: str) -> PhotoView | None:
    """Re-encode a photo as JPEG without EXIF/XMP/ICC; ``None`` if it cannot be read."""
    encoded = _reencode(str(path))
    return PhotoView(encoded[0], encoded[1], encoded[2], caption) if encoded else None


@lru_cache(maxsize=32)
def _reencode(path: str) -> tuple[bytes, int, int] | None:
    """Cached per process: attachments are named by their content's hash, so a path's bytes
    never change (a batch shows a producer's photos on each of its lots)."""
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as im:
            im = ImageOps.exif_transpose(im)  # keep the orientation, drop the tag
            im = im.convert("RGB")
            im.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
            out = io.BytesIO()
            im.save(out, "JPEG", quality=85, optimize=True)  # no exif= → none written
            return out.getvalue(), im.width, im.height
    except (OSError, ValueError):
        return None


def _photos(store: Store, visits: list[Visit], people: dict[int, Person], on: date,
            clean: Callable[[str], str]) -> tuple[tuple[PhotoView, ...], int]:
    """Up to :data:`MAX_PHOTOS` photos that may appear, newest visit first, and how many of
    those that may appear could not be read (file missing from the attachments folder)."""
    from .attachments import photo_path

    folder = store.path.with_name(f"{store.path.stem}-attachments")
    chosen: list[PhotoView] = []
    unreadable = 0
    for v in visits:
        for ph in v.photos:
            if len(chosen) >= MAX_PHOTOS:
                return tuple(chosen), unreadable
            if not _photo_allowed(ph, people, on):
                continue
            try:
                path = photo_path(folder, ph)
            except UserError:
                unreadable += 1
                continue
            view = clean_photo(path, clean(ph.caption)) if path.is_file() else None
            if view is None:
                unreadable += 1
            else:
                chosen.append(view)
    return tuple(chosen), unreadable


def _photo_allowed(ph: Photo, people: dict[int, Person], on: date) -> bool:
    """A photo of a person needs their photo consent; a photo of nobody in particular is fine."""
    if ph.person_id is None:
        return True
    person = people.get(ph.person_id)
    return person is not None and person.may_appear(ConsentScope.PHOTO, on)


# -- loading ---------------------------------------------------------------------------------
def open_read_only(path: Path | str) -> Store:
    """A Store on an existing database that cannot write (for batch workers and previews).

    An encrypted database (not plain SQLite) is opened through :meth:`Store.open` instead,
    which finds its key; the statement code only reads from it."""
    from sqlite_utils import Database

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path} does not exist")
    with open(path, "rb") as fh:
        plain = fh.read(16) == b"SQLite format 3\x00"
    if not plain:  # an encrypted database: the store knows how to open it (and its key)
        return Store.open(path, create=False)
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True,
                           check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    return Store(Database(conn), path)


def find_lot(store: Store, code: str) -> Lot:
    lot = store.lot_by_code(code)
    if lot is None:
        raise UserError(f"no lot with code {code!r}")
    return lot


def load_statement(store: Store, lot: Lot | int | str, *, on: date | None = None,
                   coordinate_decimals: int = 2, photos: bool = True,
                   template: Template | None = None) -> StatementData:
    """Everything the statement of ``lot`` (a Lot, its id, or its code) shows, on date ``on``.

    ``template`` supplies the words that stand in for names that may not appear ("the farm",
    "the owner"); English without it."""
    if isinstance(lot, str):
        lot = find_lot(store, lot)
    elif isinstance(lot, int):
        lot = store.lot(lot)
    on = on or date.today()
    analysis = store.analyse(lot, today=on)
    producer = analysis.producer
    pid = producer.id
    assert pid is not None
    people = store.people(pid)
    hidden = [p for p in people if not p.may_appear(ConsentScope.NAME, on)]
    region = _region_label(analysis)
    producer_named = not _mentions(producer.name, hidden)
    label = producer.name if producer_named else f"a {producer.kind.label} in {region}"
    kind = producer.kind
    producer_word = template.redacted_producer(kind.value, kind.label) if template \
        else f"the {kind.label}"
    person_word = template.redacted_person if template else None

    def clean(text: str) -> str:
        """Free text for the page: a producer name that may not appear becomes "the farm",
        then the names of people without consent become their role."""
        if not producer_named:
            text = re.sub(re.escape(producer.name),
                          lambda m: _capitalised(producer_word, m.string[:m.start()]),
                          text, flags=re.IGNORECASE)
        return redact(text, hidden, person_word)

    named = [
        NamedPerson(p.name, p.role.value,
                    clean(p.quote) if p.may_appear(ConsentScope.QUOTE, on) else "")
        for p in people if p.may_appear(ConsentScope.NAME, on)
    ]
    plot_ids = lot.plot_ids
    plots = [store.plot(i) for i in plot_ids] if plot_ids else store.plots(pid)
    plot_views = tuple(
        PlotView(
            clean(pl.name), pl.area_ha, pl.altitude_m, pl.shade_pct, pl.varieties,
            rounded_location(pl.geometry, coordinate_decimals) if pl.geometry else None,
        )
        for pl in plots
    )

    visits = [v for v in store.visits(pid) if not v.mode.remote and v.date <= on]
    visit_views = tuple(_visit_view(v, clean) for v in visits if v.observations)

    certs = tuple(_cert_view(c, on, clean) for c in store.certifications(pid))
    projects = tuple(
        ProjectView(p.year, p.category.value, p.amount, p.currency, clean(p.description))
        for p in _relevant_projects(store.projects(pid), lot)
    )

    ft, lir, cs = store.reference()
    all_lots = [x for x in store.lots(pid) if x.status is not LotStatus.CANCELLED]
    history = tuple(harvest_history(
        (x, economics(x, fairtrade=ft, living_income=lir, country=producer.country,
                      c_series=cs))
        for x in all_lots
    ))
    people_by_id = {p.id: p for p in people if p.id is not None}
    photo_views, unreadable = _photos(store, visits, people_by_id, on, clean) if photos \
        else ((), 0)
    local = farm_gate_local_per_kg_green(lot.farm_gate) if lot.farm_gate is not None else None
    return StatementData(
        analysis=analysis, on=on, producer_label=label, producer_named=producer_named,
        region_label=region, people=tuple(named), hidden_people=len(hidden),
        plots=plot_views, visits=visit_views, certifications=certs, projects=projects,
        history=history, photos=photo_views, photos_unreadable=unreadable,
        story=clean(lot.story),
        lot_title=clean(lot.name) or lot.code,
        farm_gate_local_per_kg_green=local, coordinate_decimals=coordinate_decimals,
    )


def _visit_view(v: Visit, clean: Callable[[str], str]) -> VisitView:
    def pick(ev: Evidence) -> tuple[tuple[str, str], ...]:
        return tuple((o.topic.value, clean(o.note))
                     for o in v.observations if o.evidence is ev)

    return VisitView(v.date, v.mode.value, pick(Evidence.OBSERVED), pick(Evidence.REPORTED))


def _cert_view(c: Certification, on: date, clean: Callable[[str], str]) -> CertificationView:
    return CertificationView(c.scheme.value, c.number, clean(c.holder), c.valid_from,
                             c.valid_to, c.valid_on(on))


def _relevant_projects(projects: list[Project], lot: Lot) -> list[Project]:
    """The lot's own projects first, then the producer's others (newest first)."""
    own = [p for p in projects if p.lot_id == lot.id]
    rest = sorted((p for p in projects if p.lot_id != lot.id), key=lambda p: -p.year)
    return own + rest


_SAME_AS_ECONOMICS = {"lot_size": "lot weight", "fob": "FOB price", "farm_gate": "farm-gate price"}
"""Checklist items that repeat a missing economics input (listed once)."""


# -- preflight -------------------------------------------------------------------------------
def preflight_data(data: StatementData) -> list[str]:
    """What the statement will have to call "not recorded" or leave out, in plain words."""
    a = data.analysis
    items = [f"{m}: not recorded" for m in a.economics.missing]
    said = {key for key, m in _SAME_AS_ECONOMICS.items() if m in a.economics.missing}
    for item in a.checklist.items:
        if item.answer is Answer.NOT_ANSWERED and item.key not in said:
            items.append(f"{item.question} (checklist {item.number}): missing "
                         f"{item.missing}")
    if not data.people:
        if data.hidden_people:
            items.append(
                f"consent: none of the producer's {data.hidden_people} people may be named on "
                f"{data.on.isoformat()}; the statement names only the "
                + ("farm or cooperative" if data.producer_named else "region")
            )
        else:
            items.append("people: nobody recorded at the producer; no one is named")
    elif data.hidden_people:
        items.append(f"consent: {data.hidden_people} of the producer's people are left out "
                     "(no consent to be named on this date)")
    if not data.producer_named:
        items.append("consent: the producer's name contains a person's name without consent; "
                     f"the statement says \"{data.producer_label}\"")
    if data.photos_unreadable:
        items.append(f"photos: {data.photos_unreadable} photo file(s) of the visits are missing "
                     "from the attachments folder or cannot be read; they are left out")
    status = data.lot.status
    if status in (LotStatus.OFFER, LotStatus.CANCELLED):
        items.append(f"status: the lot is {status.value}, not bought; a statement would show "
                     "prices that were not paid")
    if not any(p.location for p in data.plots):
        items.append("plots: no location recorded")
    return items


def preflight(store: Store, lot: Lot | int | str, on: date | None = None) -> list[str]:
    """The missing items of a lot's statement (from economics, the checklist and consent)."""
    return preflight_data(load_statement(store, lot, on=on))


__all__ = [
    "CertificationView", "NamedPerson", "PhotoView", "PlotView", "ProjectView",
    "StatementData", "VisitView", "clean_photo", "find_lot", "load_statement",
    "open_read_only", "preflight", "preflight_data", "redact",
]
