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
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..domain.analysis import figures_to_check
from ..domain.geo import rounded_location
from ..domain.model import (
    NOT_BOUGHT,
    Certification,
    ConsentScope,
    Evidence,
    Lot,
    Person,
    Photo,
    PremiumBasis,
    Project,
    Visit,
)
from ..domain.pricing import farm_gate_local_per_kg_green, weight_lb
from ..domain.transparency import RULES, Answer, reference_date, withheld_producer
from ..domain.words import NOT_RECORDED
from ..errors import UserError
from ..pdf.data import (
    CertificationView,
    ChainStep,
    CheckAnswer,
    ConsentDecision,
    NamedPerson,
    PaymentView,
    PhotoView,
    PlotView,
    ProjectView,
    StatementData,
    VisitView,
)
from ..store import Store
from ..store.store import LotAnalysis
from .analysis import harvest_history
from .redaction import capitalised, mentions, redact

if TYPE_CHECKING:
    from ..pdf.template import Template

MAX_PHOTOS = 2
PHOTO_MAX_PX = 1400


# -- privacy: roasterdesk.services.redaction (redact is part of this module's API) ----------


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
    bring_up_to_date(path)
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True,
                           check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    return Store(Database(conn), path)


def bring_up_to_date(path: Path) -> None:
    """A database written by an earlier version is migrated once (backup first, under the
    writer lock) before it is read: a read-only connection cannot, and reading the old layout
    would fail on a table or column this version expects. A newer database is refused."""
    from ..store.db import check_compatible, read_file_version
    from ..store.schema import known_migrations

    version = read_file_version(path)
    check_compatible(path, version)
    if not version.empty and set(known_migrations()) - set(version.applied):
        Store.open(path, create=False).close()


def find_lot(store: Store, code: str) -> Lot:
    lot = store.lot_by_code(code)
    if lot is None:
        raise UserError(f"no lot with code {code!r}")
    return lot


def bought_lot(store: Store, code: str) -> Lot:
    """The lot ``code`` for its statement (the PDF or its data): refused for an offer or a
    cancelled lot, as a statement says what was paid (:data:`NOT_BOUGHT`)."""
    lot = find_lot(store, code)
    if lot.status in NOT_BOUGHT:
        raise UserError(f"{lot.code} is recorded as {lot.status.value}, not bought: a "
                        "statement says what was paid (set its status once it is contracted)")
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
    ref = reference_date(analysis.lot)
    producer = analysis.producer
    pid = producer.id
    assert pid is not None
    people = store.people(pid)
    hidden = [p for p in people if not p.may_appear(ConsentScope.NAME, on)]
    # every name printed is checked against every person of the database without consent,
    # not only the lot's producer's people (a farm named after someone elsewhere)
    others_hidden = [p for p in _all_people(store)
                     if p.producer_id != pid and not p.may_appear(ConsentScope.NAME, on)]
    everyone_hidden = hidden + others_hidden
    region = _region_label(analysis)
    producer_named = not mentions(producer.name, everyone_hidden)
    if not producer_named:
        analysis = replace(analysis, checklist=withheld_producer(analysis.checklist))
    kind = producer.kind
    # a kind not recorded is "the producer", never "the farm"
    kind_value, kind_label = (kind.value, kind.label) if kind else ("producer", "producer")
    label = producer.name if producer_named else f"a {kind_label} in {region}"
    producer_word = template.redacted_producer(kind_value, kind_label) if template \
        else f"the {kind_label}"
    person_word = template.redacted_person if template else None

    # names that may be printed stay whole (the producer's, a consented person's)
    keep = ([producer.name] if producer_named else []) + [p.name for p in people
                                                           if p not in hidden]

    def clean(text: str) -> str:
        """Free text for the page: a producer name that may not appear becomes "the farm",
        then the names of people without consent become their role."""
        if not producer_named:
            text = re.sub(re.escape(producer.name),
                          lambda m: capitalised(producer_word, m.string[:m.start()]),
                          text, flags=re.IGNORECASE)
        # the producer's own people without consent lose their first name too; people of
        # other producers their full name and surname only (a first name is too common to
        # take from every statement)
        text = redact(text, hidden, person_word, keep)
        return redact(text, others_hidden, person_word, keep,
                      first_names=False)

    named = [
        NamedPerson(p.name, p.role.value if p.role else "",
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

    certs = tuple(_cert_view(c, ref, clean) for c in store.certifications(pid))
    projects = tuple(
        ProjectView(p.year, p.category.value, p.amount, p.currency, clean(p.description))
        for p in _relevant_projects(store.projects(pid), lot)
    )

    history = tuple(harvest_history(store, pid))  # cancelled lots left out
    people_by_id = {p.id: p for p in people if p.id is not None}
    photo_views, unreadable = _photos(store, visits, people_by_id, on, clean) if photos \
        else ((), 0)
    local = farm_gate_local_per_kg_green(lot.farm_gate) if lot.farm_gate is not None else None
    payments = _payments(analysis, producer.name, clean)
    reached, share = _reached_producer(analysis, payments)
    consent = _consent(producer_named, label, people, on, photo_views, unreadable)
    return StatementData(
        analysis=analysis, on=on, reference_date=ref, producer_label=label,
        producer_named=producer_named,
        region_label=region, people=tuple(named), hidden_people=len(hidden),
        plots=plot_views, visits=visit_views, certifications=certs, projects=projects,
        history=history, photos=photo_views, photos_unreadable=unreadable,
        story=clean(lot.story),
        lot_title=clean(lot.name) or lot.code,
        farm_gate_local_per_kg_green=local, coordinate_decimals=coordinate_decimals,
        payments=payments, reached_producer_usd=reached, reached_producer_share=share,
        chain=_chain(analysis), checks=_checks(analysis), consent=consent,
    )


def _all_people(store: Store) -> list[Person]:
    """Every person of the database (any producer), not deleted (tombstones left out)."""
    from ..store.rows import row_to_person

    return [row_to_person(r) for r in store.db.query("SELECT * FROM people")
            if r.get("deleted_at") is None]


_BASIS = {PremiumBasis.PER_KG: "per kg", PremiumBasis.PCT_OF_PRICE: "% of FOB",
          PremiumBasis.PER_LOT: "lump sum", PremiumBasis.PER_FARMER: "per farmer"}


TO_PRODUCER = frozenset({
    "producer", "the producer", "farmer", "the farmer", "farm", "the farm", "grower",
    "productor", "el productor", "la productora", "productora", "produtor", "o produtor",
    "caficultor", "cafeicultor"})
"""A premium's recipient written as the producer in words (not its name)."""
TO_MEMBERS = frozenset({
    "members", "the members", "member farmers", "the member farmers", "member producers",
    "members of the cooperative", "cooperative members", "socios", "los socios", "asociados",
    "membros", "os membros", "cooperados"})
"""A premium's recipient written as the producer's members in words."""


def _payments(analysis: LotAnalysis, producer_name: str,
              clean: Callable[[str], str]) -> tuple[PaymentView, ...]:
    """The lot's premiums and second payments by basis and recipient.

    Recipient rule (from the records, never guessed): a per-farmer payment, or one recorded as
    paid to the members (:data:`TO_MEMBERS`), went to the producer's **members** (with how
    many); a payment recorded as paid to the producer's own name, or to the producer in words
    (:data:`TO_PRODUCER`: "to producer", the form the import documents), went to the
    **producer**; one with no recipient recorded is "not recorded"; any other recipient (a
    community project, an intermediary) is **other**, shown by its recorded words.
    Payments on top of FOB to the producer or its members are added to what reached the
    producer; payments included in FOB are already in the FOB price and are not added again.
    """
    lot, e = analysis.lot, analysis.economics
    wlb = weight_lb(lot.weight) if lot.weight is not None else None
    out = []
    for p in lot.premiums:
        if p.voided:
            continue
        to = p.paid_to.strip()
        said = " ".join(to.casefold().split())
        if p.basis is PremiumBasis.PER_FARMER or said in TO_MEMBERS:
            recipient = "members"
        elif not to:
            recipient = "not recorded"
        elif said == " ".join(producer_name.casefold().split()) or said in TO_PRODUCER:
            recipient = "producer"
        else:
            recipient = "other"
        value: Decimal | None = None
        if p.basis is PremiumBasis.PER_LOT:
            value = p.amount
        elif p.basis is PremiumBasis.PER_FARMER:
            value = p.amount * (p.farmers or 0)
        elif p.basis is PremiumBasis.PER_KG and lot.weight is not None:
            value = p.amount * lot.weight
        elif p.basis is PremiumBasis.PCT_OF_PRICE and e.fob_usd_lb is not None \
                and wlb is not None:
            value = p.amount / 100 * e.fob_usd_lb * wlb
        reaches = recipient in ("producer", "members") and not p.included_in_fob \
            and value is not None
        out.append(PaymentView(p.type.value, _BASIS[p.basis], p.amount, recipient,
                               clean(to) if recipient != "producer" else "", p.farmers,
                               p.included_in_fob, value, reaches))
    return tuple(out)


def _reached_producer(analysis: LotAnalysis, payments: tuple[PaymentView, ...]
                      ) -> tuple[Decimal | None, Decimal | None]:
    """Farm-gate value plus the payments on top that went to the producer or its members, and
    its share of the FOB value; ``None`` when the farm-gate or FOB value is not recorded."""
    e = analysis.economics
    if e.farm_gate_value_usd is None:
        return None, None
    total = e.farm_gate_value_usd + sum(
        (p.value_usd for p in payments if p.reaches_producer and p.value_usd is not None),
        Decimal(0))
    share = total / e.fob_value_usd if e.fob_value_usd else None
    return total, share


def _chain(analysis: LotAnalysis) -> tuple[ChainStep, ...]:
    """Farm gate → each recorded exporter leg → exporter margin = FOB → each recorded importer
    leg → landed. Only what was recorded: no leg is invented, landed only with importer legs."""
    e, lot = analysis.economics, analysis.lot
    steps = [ChainStep("farm_gate", "farm gate", e.farm_gate_usd_lb, True)]
    from ..domain.model import Party

    legs = [c for c in lot.costs if c.party is Party.EXPORTER]
    for c in legs:
        steps.append(ChainStep(f"exporter:{c.leg}", c.leg, c.usd_lb, False))
    margin = e.split.exporter_margin if e.split is not None else None
    # with no exporter cost recorded the whole gap is not all margin: said so (as the PDF does)
    steps.append(ChainStep("exporter_margin", "exporter margin" if legs else
                           "between farm gate and FOB, not broken down", margin, False))
    steps.append(ChainStep("fob", "FOB", e.fob_usd_lb, True))
    imp = [c for c in lot.costs if c.party is Party.IMPORTER]
    for c in imp:
        steps.append(ChainStep(f"importer:{c.leg}", c.leg, c.usd_lb, False))
    landed = None
    if imp and e.fob_usd_lb is not None:
        landed = e.fob_usd_lb + sum((c.usd_lb for c in imp), Decimal(0))
    steps.append(ChainStep("landed", "landed", landed, True))
    return tuple(steps)


def _checks(analysis: LotAnalysis) -> tuple[CheckAnswer, ...]:
    return tuple(
        CheckAnswer(i.number, i.key, i.question, i.answer.value,
                    RULES[i.key] if i.answer is Answer.ANSWERED
                    else f"missing: {i.missing}" if i.answer is Answer.NOT_ANSWERED
                    else RULES[i.key])
        for i in analysis.checklist.items)


def _consent(named: bool, label: str, people: list[Person], on: date,
             photos: tuple[PhotoView, ...], unreadable: int) -> tuple[ConsentDecision, ...]:
    """Each consent decision of the statement (withheld names are not repeated here)."""
    out = [ConsentDecision("producer name", named,
                           "no one without consent is named in it" if named else
                           f"it contains the name of a person without consent; printed as "
                           f"\"{label}\"")]
    for p in people:
        ok = p.may_appear(ConsentScope.NAME, on)
        out.append(ConsentDecision(
            f"person ({p.role.value if p.role else 'role not recorded'})"
            + (f": {p.name}" if ok else ""), ok,
            f"consent to be named on {on.isoformat()}" if ok
            else f"no consent to be named on {on.isoformat()}; withheld"))
        if ok and p.quote.strip():
            q = p.may_appear(ConsentScope.QUOTE, on)
            out.append(ConsentDecision(f"quote of {p.name}", q,
                                       "consent for quotes" if q else "no consent for quotes"))
    for ph in photos:
        out.append(ConsentDecision(f"photo: {ph.caption}", True,
                                   "nobody in particular, or the person's photo consent"))
    return tuple(out)


def _visit_view(v: Visit, clean: Callable[[str], str]) -> VisitView:
    def pick(ev: Evidence) -> tuple[tuple[str, str], ...]:
        return tuple((o.topic.value, clean(o.note))
                     for o in v.observations if o.evidence is ev)

    outcomes = tuple(o.outcome.value if o.outcome is not None else "not_recorded"
                     for o in v.observations if o.evidence is Evidence.OBSERVED)
    return VisitView(v.date, v.mode.value, pick(Evidence.OBSERVED), pick(Evidence.REPORTED),
                     outcomes)


def _cert_view(c: Certification, ref: date, clean: Callable[[str], str]) -> CertificationView:
    return CertificationView(c.scheme.value, c.number, clean(c.holder), c.valid_from,
                             c.valid_to, c.valid_on(ref))


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
    # "market price at fixation (species not recorded)" reads "…: not recorded (species …)",
    # "FOB price (price of 1,400 kg not fixed yet)" "FOB price: not recorded (price of …)"
    items = [re.sub(r"^(.*?)(?: \((.* not (?:recorded|fixed yet))\))?$",
                    lambda x: f"{x[1]}: {NOT_RECORDED}" + (f" ({x[2]})" if x[2] else ""), m)
             for m in a.economics.missing]
    said = {key for key, m in _SAME_AS_ECONOMICS.items()
            if any(x == m or x.startswith(m + " (") for x in a.economics.missing)}
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
    for c in data.consent:
        if not c.shown and c.item != "producer name":
            items.append(f"withheld: {c.item} — {c.reason}")
    if data.photos_unreadable:
        items.append(f"photos: {data.photos_unreadable} photo file(s) of the visits are missing "
                     "from the attachments folder or cannot be read; they are left out")
    status = data.lot.status
    if status in NOT_BOUGHT:
        items.append(f"status: the lot is {status.value}, not bought; a statement would show "
                     "prices that were not paid")
    if status is None:
        items.append(f"status: {NOT_RECORDED} (is the lot bought? a statement shows prices "
                     "as paid)")
    facts = (("species", data.lot.species, "its market (ICE C or London), Fairtrade minimum "
              "and living-income reference depend on it"),
             ("process", data.lot.process, "the Fairtrade minimum depends on it"),
             ("organic status", data.lot.organic, "the Fairtrade floor adds the organic "
              "differential and the living-income reference may differ"
              + ("; a claimed organic certification does not set it"
                 if any(s.is_organic for s in data.lot.certifications_claimed) else "")),
             ("producer kind", data.analysis.producer.kind, "the statement says \"producer\" "
              "instead of farm, estate, cooperative or washing station"))
    items += [f"{name}: {NOT_RECORDED} ({why})" for name, value, why in facts if value is None]
    if data.lot.contract_type is None:
        items.append(f"contract type: {NOT_RECORDED} (fixed price or price to be fixed); "
                     "the statement names no contract")
    if not any(p.location for p in data.plots):
        items.append("plots: no location recorded")
    return items + [f"check: {x}" for x in figures_to_check(
        data.lot, a.economics.farm_gate_usd_lb, a.economics.fob_usd_lb)]


def preflight(store: Store, lot: Lot | int | str, on: date | None = None) -> list[str]:
    """The missing items of a lot's statement (from economics, the checklist and consent)."""
    return preflight_data(load_statement(store, lot, on=on))


__all__ = [
    "CertificationView", "NamedPerson", "PaymentView", "PhotoView", "PlotView", "ProjectView",
    "StatementData", "VisitView", "clean_photo", "find_lot", "load_statement",
    "open_read_only", "preflight", "preflight_data", "redact",
]
