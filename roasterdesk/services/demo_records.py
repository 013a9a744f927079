"""The records of one demo family (a producer and, for a cooperative, its members).

Every value comes from the family's own ``random.Random``; ids, lot codes and unique names come
from the writer, in the order families are built, so the output is the same for the same seed.
Rows are made with :mod:`roasterdesk.store.rows`, exactly as the store writes them.
"""

from __future__ import annotations

import math
import random
import uuid as _uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain.geo import ring_area_ha
from ..domain.model import (
    Certification,
    Commitment,
    Consent,
    ConsentScope,
    ContractType,
    CostLeg,
    Evidence,
    FarmGatePrice,
    Fixation,
    FollowUp,
    Lot,
    LotStatus,
    Observation,
    Party,
    Person,
    Photo,
    Plot,
    Premium,
    PremiumBasis,
    PremiumType,
    Process,
    Producer,
    ProducerKind,
    Project,
    ProjectCategory,
    Purpose,
    Role,
    Scheme,
    Species,
    Topic,
    Visit,
    VisitMode,
)
from ..domain.pricing import farm_gate_usd_lb_green, fob_usd_lb
from ..domain.units import DEFAULT_KG_PER_KG_GREEN, LB_KG, factor_from_rendimiento
from ..store import rows as R
from ..store.codec import d2s
from . import demo_origins as O
from .demo_photos import demo_images
from .demo_plan import LAST_PRICED, Family, Planned

if TYPE_CHECKING:
    from .demo import Writer


@dataclass
class Bundle:
    """One producer's records, kept until its lot metrics are written."""

    producer: Producer
    lots: list[Lot] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    certs: list[Certification] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


def q(x: float, step: str) -> Decimal:
    """A float rounded to a multiple of ``step`` as an exact Decimal."""
    s = Decimal(step)
    return (Decimal(repr(x)) / s).quantize(Decimal(1)) * s


def sig(x: Decimal, digits: int = 4) -> Decimal:
    """Round to ``digits`` significant digits (a farm-gate price as a buyer writes it down)."""
    exp = x.adjusted() - digits + 1
    rounded = x.quantize(Decimal(1).scaleb(exp))
    return rounded.quantize(Decimal(1)) if exp > 0 else rounded


def iso_stamp(day: date) -> str:
    return f"{day.isoformat()}T12:00:00+00:00"


_KC = {3: "H", 5: "K", 7: "N", 9: "U", 12: "Z"}
_TOPICS = tuple(Topic)
_SCOPES = (ConsentScope.NAME, ConsentScope.QUOTE, ConsentScope.PHOTO)
_CC = {"CO": "57", "ET": "251", "KE": "254", "GT": "502", "HN": "504", "PE": "51", "BR": "55",
       "RW": "250", "VN": "84", "CR": "506", "UG": "256"}


class FamilyBuilder:
    """Generates one family (a producer and, for a cooperative, its members) from its own seed."""

    def __init__(self, w: Writer, fam: Family) -> None:
        self.w, self.fam = w, fam
        self.rng = random.Random(fam.seed)
        self.today = w.today
        self.bundles: dict[int, Bundle] = {}

    def uuid(self) -> str:
        return str(_uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def row(self, table: str, row: dict[str, Any]) -> None:
        self.w.rows[table].append(row)

    def build(self) -> None:
        for p in self.fam.producers:
            self.producer(p)
        for p in self.fam.producers:
            b = self.bundles[p.id]
            self.visits(p, b)
            self.certifications(p, b)
            for harvest in sorted(p.lots):
                for _ in range(p.lots[harvest]):
                    b.lots.append(self.lot(p, b, harvest))
            self.commitments(p, b)
            self.projects(p, b)
            self.flush_lots(b)
            self.w.bundles.append(b)
            self.w.pending_lots += len(b.lots)

    # producers, people, plots ------------------------------------------------------------------
    def person_name(self, o: O.Origin) -> str:
        first, last = O.NAME_POOLS[o.names]
        if o.names == "vn":
            return f"{self.rng.choice(last)} {self.rng.choice(first)}"
        if o.names in ("es",) and self.rng.random() < 0.5:
            return f"{self.rng.choice(first)} {self.rng.choice(last)} {self.rng.choice(last)}"
        return f"{self.rng.choice(first)} {self.rng.choice(last)}"

    def producer_name(self, p: Planned) -> str:
        """A name not used yet in this demo: the family name, the place or a number is added."""
        base = self.base_name(p)
        used = self.w.names
        extras = [f"{base} ({p.place})"]
        if p.kind in ("cooperative", "washing_station"):
            extras = []
        elif p.origin.names in O.FARM_WORDS:  # a farm's own name: tell them apart by family
            extras.insert(0, f"{base} – {self.person_name(p.origin).split()[-1]}")
        name, n = base, 2
        while name in used:
            name = extras.pop(0) if extras else f"{base} {n}"
            n += 0 if extras else 1
        used.add(name)
        return name

    def base_name(self, p: Planned) -> str:
        o, r = p.origin, self.rng
        key = o.names if o.names in O.FARM_WORDS else "other"
        word = r.choice(O.FARM_WORDS[key])
        place = p.place
        if p.kind == "farm":
            return {"es": f"Finca {word}", "pt": f"Sítio {word}", "vn": f"Nông trại {word}"}.get(
                o.names, f"{self.person_name(o)} Farm")  # East Africa: named after the farmer
        if p.kind == "estate":
            return {"es": f"Hacienda {word}", "pt": f"Fazenda {word}"}.get(
                o.names, f"{place} {word} Estate")
        if p.kind == "cooperative":
            return {
                "es": r.choice([f"Cooperativa Cafetalera {place}",
                                f"Asociación de Productores de {place}",
                                f"Cooperativa Agraria {place}",
                                f"Cooperativa {r.choice(O.COOP_WORDS)}",
                                f"Asociación {r.choice(O.COOP_WORDS)} de {place}"]),
                "pt": f"Cooperativa dos Cafeicultores de {place}",
                "ke": f"{place} Farmers' Cooperative Society",
                "vn": f"Hợp tác xã {place}",
            }.get(o.names, f"{place} {r.choice(['Farmers', 'Coffee Growers'])}' Cooperative")
        return {"es": f"Beneficio {word}", "ke": f"{place} Factory",
                "pt": f"Central de Beneficiamento {place}"}.get(
            o.names, f"{place} Washing Station")

    def producer(self, p: Planned) -> None:
        r, o, reg = self.rng, p.origin, p.region
        lo = r.randrange(reg.alt[0], reg.alt[1] - 80, 10)
        hi = min(reg.alt[1] + 100, lo + r.randrange(60, 400, 10))
        total = coffee = None
        if p.kind == "farm":
            total = q(r.uniform(0.8, 9.0) if not p.parent else r.uniform(0.5, 5.0), "0.1")
            coffee = q(float(total) * r.uniform(0.6, 0.95), "0.1")
        elif p.kind == "estate":
            total = q(r.uniform(20, 350), "1")
            coffee = q(float(total) * r.uniform(0.4, 0.8), "1")
        elif p.kind == "cooperative":
            coffee = q(r.uniform(150, 3000), "1")
        varieties = tuple(sorted(set(r.sample(reg.varieties, min(len(reg.varieties),
                                                                  r.randint(1, 3))))))
        processes = tuple(sorted(set(r.sample(reg.processes, min(len(reg.processes),
                                                                  r.randint(1, 2))))))
        notes = ""
        if p.kind == "cooperative":
            n = r.randint(80, 1800)
            notes = f"{n:,} members, {r.randint(15, 45)} % of them women."
        elif p.kind == "washing_station":
            n = r.randint(150, 1500)
            notes = f"Buys cherry from about {n:,} smallholders around {p.place}."
        first = min(p.lots) if p.lots else 2018
        prod = Producer(
            name=self.producer_name(p), kind=ProducerKind(p.kind), country=o.code,
            region=reg.name, municipality=p.place, altitude_min_m=lo, altitude_max_m=hi,
            total_area_ha=total, coffee_area_ha=coffee, varieties=varieties, processes=processes,
            harvest_months=o.harvest_months, parent_id=p.parent.id if p.parent else None,
            notes=notes, id=p.id, uuid=self.uuid(),
        )
        stamp = iso_stamp(date(first - 1, r.randint(1, 12), r.randint(1, 28)))
        self.row("producers", {"id": p.id, **R.producer_to_row(prod), "created_at": stamp,
                               "updated_at": stamp})
        b = Bundle(prod)
        self.bundles[p.id] = b
        self.people(p, b, stamp)
        self.plots(p, b, stamp)

    def people(self, p: Planned, b: Bundle, stamp: str) -> None:
        r = self.rng
        roles = {
            "farm": [Role.OWNER, Role.OTHER],
            "estate": [Role.OWNER, Role.MANAGER, Role.AGRONOMIST],
            "cooperative": [Role.COOP_PRESIDENT, Role.MANAGER, Role.AGRONOMIST],
            "washing_station": [Role.MANAGER, Role.EXPORTER_CONTACT],
        }[p.kind]
        for role in roles[: r.randint(1, len(roles))]:
            consent = None
            x = r.random()
            if self.w.serial("person") % 12 == 5:
                x = 0.0  # every twelfth person withdrew consent later
            if x < 0.6:
                given = date(min(p.lots or {2019: 0}), r.randint(1, 12), r.randint(1, 28))
                scope = frozenset(r.sample(_SCOPES, r.randint(1, 3)) + [ConsentScope.NAME])
                withdrawn = None
                if x < 0.08:
                    withdrawn = min(self.today - timedelta(days=1),
                                    given + timedelta(days=r.randint(200, 2000)))
                consent = Consent(given, scope, withdrawn,
                                  "signed form at the visit" if r.random() < 0.7 else "by message")
            person = Person(
                producer_id=p.id, name=self.person_name(p.origin), role=role,
                phone=f"+{_CC[p.origin.code]} {r.randint(300, 999)} {r.randint(100, 999)} "
                      f"{r.randint(1000, 9999)}" if r.random() < 0.8 else "",
                email=f"contact{p.id}@example.com" if r.random() < 0.3 else "",
                consent=consent,
                quote=r.choice(O.QUOTES) if consent and r.random() < 0.4 else "",
                pseudonymised=r.random() < 0.03,
                id=self.w.new_id("people"), uuid=self.uuid(),
            )
            self.row("people", {"id": person.id, **R.person_to_row(person), "updated_at": stamp})
            b.people.append(person)

    def plots(self, p: Planned, b: Bundle, stamp: str) -> None:
        if p.kind not in ("farm", "estate"):
            return
        r, reg = self.rng, p.region
        lat0 = reg.lat + r.uniform(-0.25, 0.25)
        lon0 = reg.lon + r.uniform(-0.25, 0.25)
        area = float(b.producer.coffee_area_ha or 2)
        n = r.randint(1, 3) if p.kind == "farm" else r.randint(2, 6)
        parts = [r.uniform(0.5, 1.5) for _ in range(n)]
        for i, part in enumerate(parts, 1):
            ha = max(0.3, area * part / sum(parts))
            lat = lat0 + r.uniform(-0.01, 0.01)
            lon = lon0 + r.uniform(-0.01, 0.01)
            geometry: dict | None
            if ha <= 4:
                geometry = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
                area_ha = q(ha, "0.01")
            else:
                ring = polygon(r, lon, lat, max(ha, 4.6))
                geometry = {"type": "Polygon", "coordinates": [ring]}
                area_ha = q(ring_area_ha(ring), "0.01")
            if r.random() < 0.05:
                geometry = None  # coordinates not collected yet (EUDR gap to show)
            forest = None if r.random() < 0.1 else (r.random() < 0.015)
            plot = Plot(
                producer_id=p.id, name=r.choice(["Lote", "Plot", "Parcela", "Block"]) + f" {i}",
                area_ha=area_ha, geometry=geometry,
                altitude_m=r.randint(b.producer.altitude_min_m or 1000,
                                     b.producer.altitude_max_m or 1500),
                varieties=(r.choice(b.producer.varieties),) if b.producer.varieties else (),
                shade_pct=r.choice([None, 0, 10, 20, 30, 40, 50, 60, 70]),
                planted_on=date(r.randint(1995, 2021), r.randint(1, 12), 1),
                forest_after_2020=forest, id=self.w.new_id("plots"), uuid=self.uuid(),
            )
            self.row("plots", {"id": plot.id, **R.plot_to_row(plot), "updated_at": stamp})
            b.plots.append(plot)

    # visits ---------------------------------------------------------------------------------
    def fill(self, text: str, p: Planned, b: Bundle, year: int) -> str:
        r = self.rng
        person = b.people[0].name if b.people else "the manager"
        return text.format(
            person=person, place=p.place, region=p.region.name, n=r.randint(4, 60),
            variety=r.choice(b.producer.varieties or ("Caturra",)),
            process=r.choice(b.producer.processes or ("washed",)),
            flavour=r.choice(O.FLAVOURS), flavour2=r.choice(O.FLAVOURS),
            score=f"{r.uniform(83, 89.5):.2f}", hours=r.choice([18, 24, 36, 48, 72, 96, 120]),
            temp=r.randint(16, 26), year=year + 1, bags=r.randint(5, 120),
            month=f"KC{r.choice('HKNUZ')}{(year + 1) % 100:02d}",
            moisture=f"{r.uniform(10.2, 12.8):.1f}", pct=r.randrange(20, 90, 5),
            alt=r.randrange(b.producer.altitude_min_m or 1200,
                            (b.producer.altitude_max_m or 1800) + 1, 10),
            port=O.PORTS[p.origin.code],
        )

    def visits(self, p: Planned, b: Bundle) -> None:
        r = self.rng
        years = sorted(p.lots) or sorted(p.parent.lots if p.parent else []) or [2021, 2023]
        ongoing = years[-1] >= 2024
        pool = years + ([self.today.year, self.today.year - 1] if ongoing else [])
        for _ in range(p.visits):
            year = r.choice(pool)
            day = date(year, r.randint(1, 12), r.randint(1, 28))
            if day >= self.today:  # this year: spread over the days already past
                start = date(self.today.year, 1, 1)
                day = start + timedelta(days=r.randrange(max(1, (self.today - start).days)))
            in_person = r.random() < 0.55
            mode = VisitMode.IN_PERSON if in_person else r.choice(
                [VisitMode.CALL, VisitMode.VIDEO, VisitMode.MESSAGE])
            purposes = tuple(sorted(set(r.choices(list(Purpose), [5, 4, 2, 1, 2],
                                                  k=r.randint(1, 2))), key=list(Purpose).index))
            if in_person:
                topics = r.sample(_TOPICS, r.randint(2, 10))
                obs = tuple(self.observation(t) for t in sorted(topics, key=_TOPICS.index))
                parts = [self.fill(r.choice(O.NOTE_OPENINGS[purposes[0].value]), p, b, year)]
                parts += [self.fill(s, p, b, year)
                          for s in r.sample(O.NOTE_OBSERVATIONS, r.randint(1, 4))]
                parts.append(r.choice(O.NOTE_CLOSINGS))
            else:
                topics = r.sample(_TOPICS, r.randint(0, 2))
                obs = tuple(Observation(t, r.choice([Evidence.REPORTED, Evidence.NOT_CHECKED]))
                            for t in sorted(topics, key=_TOPICS.index))
                parts = [self.fill(r.choice(O.REMOTE_NOTES), p, b, year)]
            notes = " ".join(x for x in parts if x)
            participants = (r.choice(O.BUYERS), *(x.name for x in b.people[: r.randint(0, 2)]))
            follow_ups = []
            if r.random() < 0.35:
                for _ in range(r.randint(1, 2)):
                    due = day + timedelta(days=r.randint(14, 120))
                    age = (self.today - due).days  # old follow-ups were dealt with long ago
                    done = age > 365 or r.random() < (0.8 if age > 60 else 0.35)
                    follow_ups.append(FollowUp(
                        what=self.fill(r.choice(O.FOLLOW_UPS), p, b, year),
                        who=r.choice([participants[0], *participants[1:]]), due=due, done=done,
                        id=self.w.new_id("follow_ups"), uuid=self.uuid()))
            photos = self.photos(b, day) if in_person and r.random() < 0.25 else ()
            v = Visit(producer_id=p.id, date=day, mode=mode, participants=participants,
                      purposes=purposes, observations=obs, notes=notes,
                      follow_ups=tuple(follow_ups), photos=photos,
                      id=self.w.new_id("visits"), uuid=self.uuid())
            self.row("visits", {"id": v.id, **R.visit_to_row(v), "updated_at": iso_stamp(day)})
            for f in follow_ups:
                self.row("follow_ups", {
                    "id": f.id, "uuid": f.uuid, "visit_id": v.id, "what": f.what, "who": f.who,
                    "due": f.due.isoformat() if f.due else None, "done": int(f.done)})
            for ph in photos:
                self.row("photos", {
                    "id": self.w.new_id("photos"), "visit_id": v.id, "sha256": ph.sha256,
                    "filename": ph.filename, "caption": ph.caption, "person_id": ph.person_id})
            b.visits.append(v)

    def photos(self, b: Bundle, day: date) -> tuple[Photo, ...]:
        """1–3 of the demo pictures; a portrait shows one of the producer's people (whose
        consent, given, missing or withdrawn, decides whether a customer document may use it)."""
        r = self.rng
        out = []
        for img in r.sample(demo_images(), r.randint(1, 3)):
            person = None
            if img.kind == "portrait":
                if not b.people:
                    continue
                person = r.choice(b.people)
            caption = f"{person.name}: {img.caption.lower()}" if person else img.caption
            name = f"IMG_{day:%Y%m%d}_{r.randint(1000, 9999)}.png"
            out.append(Photo(sha256=img.sha256, filename=name, caption=caption,
                             person_id=person.id if person else None))
        return tuple(out)

    def observation(self, topic: Topic) -> Observation:
        r = self.rng
        evidence = r.choices(list(Evidence), [60, 25, 15])[0]
        note = ""
        if evidence is not Evidence.NOT_CHECKED and r.random() < 0.6:
            note = r.choice(O.OBSERVATION_NOTES[topic.value]).format(
                pct=r.randrange(10, 80, 5), n=r.randint(3, 40))
        return Observation(topic, evidence, note)

    # certifications, commitments, projects -----------------------------------------------------
    def certifications(self, p: Planned, b: Bundle) -> None:
        r = self.rng
        chance = {"cooperative": 0.75, "washing_station": 0.35, "estate": 0.5, "farm": 0.2}
        if p.parent is not None or r.random() > chance[p.kind]:
            return
        first = min(p.lots) if p.lots else 2019
        for scheme_name in r.sample(p.origin.certifications, r.randint(1, 2)):
            scheme = Scheme(scheme_name)
            years = 1 if scheme.is_organic else 3
            # A fixed rotation (not a coin toss) so that even the small demo shows each case.
            state = self.w.cert_states[self.w.serial("cert") % len(self.w.cert_states)]
            if state == "soon":
                end = self.today + timedelta(days=r.randint(5, 85))
            elif state == "expired":
                end = self.today - timedelta(days=r.randint(20, 500))
            else:
                end = self.today + timedelta(days=r.randint(100, 1000))
            number = self.cert_number(scheme, p.origin.code)
            while end.year >= first:
                start = date(end.year - years, end.month, min(end.day, 28)) + timedelta(days=1)
                c = Certification(producer_id=p.id, scheme=scheme, number=number,
                                  holder=b.producer.name, valid_from=start, valid_to=end,
                                  id=self.w.new_id("certifications"), uuid=self.uuid())
                self.row("certifications", {"id": c.id, **R.certification_to_row(c)})
                b.certs.append(c)
                gap = timedelta(days=r.randint(60, 240)) if r.random() < 0.1 else timedelta(0)
                end = start - timedelta(days=1) - gap

    def cert_number(self, s: Scheme, cc: str) -> str:
        r = self.rng
        return {
            Scheme.FAIRTRADE: f"FLO ID {r.randint(1000, 49999)}",
            Scheme.RAINFOREST_ALLIANCE: f"RA-{cc}-{r.randint(100000, 999999)}",
            Scheme.ORGANIC_EU: f"{cc}-BIO-{r.randint(100, 199)}-{r.randint(10000, 99999)}",
            Scheme.ORGANIC_USDA: f"NOP-{r.randint(1000000, 9999999)}",
            Scheme.FOUR_C: f"4C-{cc}-{r.randint(10000, 99999)}",
            Scheme.CAFE_PRACTICES: f"CP-{r.randint(100000, 999999)}",
            Scheme.BIRD_FRIENDLY: f"SBF-{r.randint(1000, 9999)}",
        }.get(s, f"{r.randint(10000, 99999)}")

    def commitments(self, p: Planned, b: Bundle) -> None:
        r = self.rng
        years = sorted(p.lots)
        chance = 0.25 if p.kind == "farm" else 0.5
        if len(years) < 3 or r.random() > chance:
            return
        delivered: dict[int, Decimal] = defaultdict(Decimal)
        priced: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
        for lot in b.lots:
            if lot.status is not LotStatus.CANCELLED and lot.weight is not None:
                delivered[lot.harvest] += lot.weight
                f = fob_usd_lb(lot)
                if f is not None:
                    priced[lot.harvest].append((lot.weight, f))
        plans = []
        # Fixed rotations (not coin tosses) so that even the small demo shows every state.
        if years[-1] >= LAST_PRICED and self.w.serial("commitment-now") % 3 == 0:
            plans.append((LAST_PRICED, LAST_PRICED + 2, "in progress"))
        closed = [y for y in years if y < LAST_PRICED]
        if closed:
            first = r.choice(closed)
            intent = ("kept", "short", "kept")[self.w.serial("commitment") % 3]
            plans.append((first, min(LAST_PRICED, first + r.randint(1, 2)), intent))
        for lo, hi, intent in plans:
            n = hi - lo + 1
            got = sum((delivered[y] for y in range(lo, hi + 1)), Decimal(0))
            per = got / n if got else Decimal(600)
            factor = {"kept": r.uniform(0.6, 0.95), "short": r.uniform(1.25, 1.7),
                      "in progress": r.uniform(1.1, 1.5)}[intent]
            volume = max(Decimal(60), q(float(per) * factor, "10"))
            floor = None
            window = [x for y in range(lo, hi + 1) for x in priced[y]]
            if window and r.random() < 0.45:
                avg = sum(w * f for w, f in window) / sum(w for w, _ in window)
                floor = q(float(avg) * (r.uniform(0.8, 0.95) if intent != "short"
                                         else r.uniform(1.1, 1.3)), "0.01")
            terms = f"At least {volume:,} kg green per harvest"
            terms += f", FOB no lower than {floor} USD/lb" if floor else ""
            terms += "; prices agreed each harvest, premium for cup score ≥ 86."
            c = Commitment(producer_id=p.id, first_harvest=lo, last_harvest=hi, volume_kg=volume,
                           price_floor_usd_lb=floor, terms=terms,
                           id=self.w.new_id("commitments"), uuid=self.uuid())
            self.row("commitments", {"id": c.id, **R.commitment_to_row(c)})
            b.commitments.append(c)

    def projects(self, p: Planned, b: Bundle) -> None:
        r = self.rng
        if not p.lots or r.random() > (0.15 if p.parent else 0.35):
            return
        for _ in range(r.randint(1, 3)):
            year = r.choice(sorted(p.lots))
            cat = r.choice(list(ProjectCategory))
            evidence = [v for v in b.visits
                        if v.date.year in (year, year + 1) and not v.mode.remote]
            lots = [x for x in b.lots if x.harvest == year]
            local = r.random() < 0.2
            pr = Project(
                producer_id=p.id, year=year, category=cat,
                amount=q(r.uniform(400, 25000) * (
                    float(p.origin.fx[min(year, LAST_PRICED)]) if local else 1), "1"),
                currency=p.origin.currency if local else "USD",
                description=r.choice(O.PROJECTS[cat.value]),
                evidence_visit_id=r.choice(evidence).id if evidence and r.random() < 0.6
                else None,
                lot_id=r.choice(lots).id if lots and r.random() < 0.3 else None,
                id=self.w.new_id("projects"), uuid=self.uuid(),
            )
            self.row("projects", {"id": pr.id, **R.project_to_row(pr)})
            b.projects.append(pr)

    # lots -------------------------------------------------------------------------------------
    def lot(self, p: Planned, b: Bundle, harvest: int) -> Lot:
        r, o, prod = self.rng, p.origin, b.producer
        robusta = p.region.robusta
        key = (o.code, harvest)
        self.w.codes[key] += 1
        code = f"{o.code}-{harvest % 100:02d}-{self.w.codes[key]:04d}"
        variety = r.choice(prod.varieties)
        process = Process(r.choice(prod.processes))
        open_harvest = harvest > LAST_PRICED  # this year's contracts: no C level to price them
        if open_harvest:
            status = r.choices([LotStatus.CONTRACTED, LotStatus.OFFER], [65, 35])[0]
        elif harvest < LAST_PRICED:
            status = LotStatus.ARRIVED
        else:
            status = r.choices([LotStatus.ARRIVED, LotStatus.SHIPPED, LotStatus.CONTRACTED,
                                LotStatus.OFFER], [55, 20, 18, 7])[0]
        if r.random() < 0.015 or self.w.serial("lot") % 97 == 50:
            status = LotStatus.CANCELLED
        month = r.randint(1, 9)
        contract = date(harvest, month, r.randint(1, 28))
        if contract >= self.today:
            contract = self.today - timedelta(days=r.randint(1, 60))
        bags_range = {"farm": (2, 25), "estate": (10, 150), "cooperative": (20, 275),
                      "washing_station": (20, 320)}[p.kind]
        if p.parent is not None:
            bags_range = (1, 15)
        bags: int | None = r.randint(*bags_range)
        bag_kg: Decimal | None = Decimal(o.bag_kg)
        weight: Decimal | None = None
        x = r.random()
        if x < 0.05:
            weight, bags, bag_kg = Decimal(bags * 30), None, None  # vacuum boxes, no bags
        elif x < 0.4:
            weight = bags * bag_kg - Decimal(r.randint(0, 2) * bags) / 10  # net of tare
        if status is LotStatus.OFFER and r.random() < 0.15:
            weight = bags = bag_kg = None  # size not agreed yet
        if robusta:
            score = q(r.gauss(81.5, 1.2), "0.25")
        else:
            mean = {"cooperative": 84.2, "washing_station": 85.0}.get(p.kind, 86.0)
            score = q(min(93.0, max(80.0, r.gauss(mean, 1.6))), "0.25")
        quality = None if r.random() < 0.05 else score
        c_level = self.w.c_at(contract)
        c_day = q(float(c_level) * r.uniform(0.97, 1.03), "0.05")
        diff = q(min(300.0, max(30.0, 45 + (float(score) - 82) * 30 + r.gauss(0, 20))), "1")
        ptbf = not robusta and (open_harvest or r.random() < 0.45)
        fixations: tuple[Fixation, ...] = ()
        fields: dict[str, Any] = {}
        if open_harvest and ptbf:  # arabica: the differential is agreed, the price not fixed
            fields = dict(contract_type=ContractType.PTBF, differential_cents_lb=diff,
                          futures_month=self.futures_month(contract))
        elif open_harvest:  # robusta: an offer still under negotiation
            status = LotStatus.OFFER if status is not LotStatus.CANCELLED else status
        elif ptbf:
            fixations = self.fixations(contract, harvest, weight or (
                bags * bag_kg if bags and bag_kg else None), status)
            fields = dict(contract_type=ContractType.PTBF, differential_cents_lb=diff,
                          futures_month=self.futures_month(contract), fixations=fixations)
        elif robusta:
            fob = q((float(c_day) * r.uniform(0.55, 0.72) + r.uniform(15, 60)) / 100, "0.01")
            fields = dict(contract_type=ContractType.FIXED, fob_usd_lb=fob)
        else:
            fields = dict(contract_type=ContractType.FIXED,
                          fob_usd_lb=q((float(c_day) + float(diff)) / 100, "0.01"),
                          c_cents_lb=c_day if r.random() < 0.8 else None)
        claimed = tuple(sorted({c.scheme for c in b.certs}, key=list(Scheme).index))
        if r.random() > 0.75:
            claimed = ()
        exporter = "" if r.random() < 0.06 else (
            prod.name if p.kind == "cooperative" and r.random() < 0.3 else r.choice(o.exporters))
        lot_id = self.w.new_id("lots")
        plot_ids = self.plot_ids(p, b)
        lot = Lot(
            code=code, producer_id=p.id, harvest=harvest, weight_kg=weight, bags=bags,
            bag_kg=bag_kg, name=self.lot_name(p, prod, variety, process), plot_ids=plot_ids,
            variety=variety, process=process,
            species=Species.ROBUSTA if robusta else Species.ARABICA, quality_score=quality,
            defects_cat1=None if r.random() < 0.08 else (
                0 if r.random() < 0.9 else r.randint(1, 2)),
            defects_cat2=None if r.random() < 0.08 else r.randint(0, 7),
            moisture_pct=None if r.random() < 0.08 else q(r.uniform(9.8, 11.9), "0.1"),
            status=status, contract_date=contract,
            exporter=exporter, importer="" if r.random() < 0.08 else r.choice(O.IMPORTERS),
            organic=any(s.is_organic for s in claimed), certifications_claimed=claimed,
            story=self.story(p, b, variety, process) if r.random() < 0.3 else "",
            id=lot_id, uuid=self.uuid(), **fields,
        )
        fob = fob_usd_lb(lot)
        fg = None
        if fob is not None and r.random() < (0.85 if harvest >= 2022 else 0.7):
            fg = self.farm_gate(p, robusta, fob, harvest, contract)
        costs = self.costs(fob, fg, bool(claimed)) if fg is not None else ()
        premiums = self.premiums(p, prod, claimed) if not open_harvest else ()
        return replace(lot, farm_gate=fg, costs=costs, premiums=premiums)

    def fixations(self, contract: date, harvest: int, weight: Decimal | None,
                  status: LotStatus) -> tuple[Fixation, ...]:
        r = self.rng
        if status in (LotStatus.OFFER, LotStatus.CONTRACTED) and r.random() < 0.3:
            return ()  # price still to be fixed
        parts = r.choices([1, 2, 3], [70, 25, 5])[0]
        if weight is None:
            parts = 1
        out = []
        day = contract
        for i in range(parts):
            day = min(day + timedelta(days=r.randint(0, 45)), date(harvest, 12, 20),
                      self.today - timedelta(days=1))
            level = self.w.c_at(day)
            volume = None
            if i < parts - 1 and weight is not None:
                volume = q(float(weight) * r.uniform(0.2, 0.45), "1")
            out.append(Fixation(day, q(float(level) * r.uniform(0.97, 1.03), "0.05"), volume))
        return tuple(out)

    @staticmethod
    def futures_month(contract: date) -> str:
        year, m = contract.year, next((m for m in _KC if m > contract.month), None)
        if m is None:
            year, m = year + 1, 3
        return f"KC{_KC[m]}{year % 100:02d}"

    def farm_gate(self, p: Planned, robusta: bool, fob: Decimal, harvest: int,
                  contract: date) -> FarmGatePrice:
        r, o = self.rng, p.origin
        share = min(0.83, max(0.52, r.gauss(o.share, 0.06)))
        unit_name, unit_kg, basis = o.unit_name, o.unit_kg, o.basis
        outturn = o.outturn
        if robusta and o.robusta_unit is not None:
            unit_name, unit_kg, basis = o.robusta_unit
            outturn = None
        factor: Decimal | None = None
        if o.code == "CO":
            factor = factor_from_rendimiento(r.randint(88, 98))
        elif outturn is not None and (o.code == "CR" or r.random() < 0.7):
            factor = q(r.uniform(float(outturn[0]), float(outturn[1])), "0.01")
        fx_year = o.fx[harvest]
        fx = fx_year * Decimal(repr(round(r.uniform(0.98, 1.02), 4)))
        fx = sig(fx, 6) if fx < 100 else fx.quantize(Decimal(1))
        per_lb_green = fob * Decimal(repr(round(share, 4)))
        eff = factor or DEFAULT_KG_PER_KG_GREEN[basis]
        amount = sig(per_lb_green / LB_KG * fx * unit_kg / eff)
        return FarmGatePrice(amount=amount, currency=o.currency, unit_name=unit_name,
                             unit_kg=unit_kg, basis=basis, fx_local_per_usd=fx,
                             kg_per_kg_green=factor, fx_date=contract, fx_source=o.fx_source)

    def costs(self, fob: Decimal | None, fg: FarmGatePrice, certified: bool
              ) -> tuple[CostLeg, ...]:
        r = self.rng
        if fob is None or r.random() > 0.55:
            return ()
        gap = float(fob - farm_gate_usd_lb_green(fg))
        legs = [("collection", 0.05, 0.12), ("milling", 0.05, 0.12), ("export", 0.08, 0.18)]
        if certified:
            legs.append(("certification", 0.01, 0.05))
        out = [CostLeg(Party.EXPORTER, name, q(gap * r.uniform(lo, hi), "0.0001"))
               for name, lo, hi in legs]
        if r.random() < 0.45:
            out += [
                CostLeg(Party.IMPORTER, "freight", q(r.uniform(0.08, 0.18), "0.0001")),
                CostLeg(Party.IMPORTER, "insurance", q(r.uniform(0.005, 0.015), "0.0001")),
                CostLeg(Party.IMPORTER, "import", q(r.uniform(0.02, 0.05), "0.0001")),
                CostLeg(Party.IMPORTER, "warehousing", q(r.uniform(0.02, 0.06), "0.0001")),
                CostLeg(Party.IMPORTER, "importer margin", q(r.uniform(0.2, 0.6), "0.0001")),
            ]
        return tuple(out)

    def premiums(self, p: Planned, prod: Producer, claimed: tuple[Scheme, ...]
                 ) -> tuple[Premium, ...]:
        r = self.rng
        if r.random() > 0.45:
            return ()
        out = []
        group = p.kind in ("cooperative", "washing_station")
        kinds = list(PremiumType)
        for t in r.sample(kinds, r.randint(1, 3)):
            if t is PremiumType.QUALITY:
                pr = Premium(t, PremiumBasis.PER_KG, q(r.uniform(0.2, 1.5), "0.01"), True,
                             prod.name)
            elif t is PremiumType.CERTIFICATION:
                if Scheme.FAIRTRADE not in claimed:
                    continue
                pr = Premium(t, PremiumBasis.PER_KG, Decimal("0.4409"), True, prod.name)
            elif t is PremiumType.SOCIAL:
                pr = Premium(t, PremiumBasis.PER_LOT, q(r.uniform(500, 5000), "10"), False,
                             f"community of {p.place}")
            elif t is PremiumType.RELATIONSHIP:
                pr = Premium(t, PremiumBasis.PER_KG, q(r.uniform(0.1, 0.5), "0.01"), False,
                             prod.name)
            elif group:
                pr = Premium(t, PremiumBasis.PER_FARMER, q(r.uniform(20, 80), "1"), False,
                             "member farmers", farmers=r.randint(10, 250))
            else:
                pr = Premium(t, PremiumBasis.PCT_OF_PRICE, q(r.uniform(3, 10), "0.5"), False,
                             prod.name)
            out.append(replace(pr, voided=r.random() < 0.015, id=self.w.new_id("premiums"),
                               uuid=self.uuid()))
        return tuple(out)

    def plot_ids(self, p: Planned, b: Bundle) -> tuple[int, ...]:
        r = self.rng
        if b.plots:
            k = min(len(b.plots), r.randint(1, 2))
            return tuple(sorted(x.id for x in r.sample(b.plots, k)))  # type: ignore[misc]
        if p.kind == "cooperative":
            member_plots = [x for m in self.fam.producers[1:] for x in self.bundles[m.id].plots]
            if member_plots and r.random() < 0.7:
                k = min(len(member_plots), r.randint(1, 5))
                return tuple(sorted(x.id for x in r.sample(member_plots, k)))  # type: ignore[misc]
        return ()

    def lot_name(self, p: Planned, prod: Producer, variety: str, process: Process) -> str:
        r = self.rng
        if p.origin.code == "ET":
            return f"{p.place} Grade {r.choice([1, 1, 2])} {process.value.title()}"
        if p.origin.code == "KE":
            return f"{p.place} {r.choice(['AA', 'AB', 'PB', 'AA', 'AB'])}"
        if p.kind in ("cooperative", "washing_station") and r.random() < 0.3:
            group = r.choice(["community", "women producers", "young producers"])
            return f"{p.region.name} {group} lot"
        return f"{prod.name} {variety} {process.value}"

    def story(self, p: Planned, b: Bundle, variety: str, process: Process) -> str:
        r = self.rng
        return r.choice(O.STORIES).format(
            producer=b.producer.name, alt=f"{b.producer.altitude_max_m or 1600:,}",
            place=p.place, region=p.region.name,
            person=b.people[0].name if b.people else "the family", variety=variety,
            process=process.value, project=r.choice(O.PROJECTS["drying beds"]).lower(),
        )

    def flush_lots(self, b: Bundle) -> None:
        for lot in b.lots:
            stamp = iso_stamp(lot.contract_date or date(lot.harvest, 6, 30))
            self.row("lots", {"id": lot.id, **R.lot_to_row(lot), "created_at": stamp,
                              "updated_at": stamp})
            for pid in lot.plot_ids:
                self.row("lot_plots", {"lot_id": lot.id, "plot_id": pid})
            for f in lot.fixations:
                self.row("fixations", {"lot_id": lot.id, "on_date": f.on.isoformat(),
                                       "c_cents_lb": d2s(f.c_cents_lb),
                                       "volume_kg": d2s(f.volume_kg)})
            for c in lot.costs:
                self.row("cost_legs", {"lot_id": lot.id, "party": c.party.value, "leg": c.leg,
                                       "usd_lb": d2s(c.usd_lb)})
            for pr in lot.premiums:
                self.row("premiums", {"id": pr.id, **R.premium_to_row(pr, lot.id),  # type: ignore[arg-type]
                                      "created_at": stamp})


def polygon(r: random.Random, lon: float, lat: float, ha: float) -> list[list[float]]:
    """A simple (star-shaped, so never self-crossing) closed ring of about ``ha`` hectares."""
    n = r.randint(5, 9)
    radius_m = math.sqrt(ha * 10_000 / (n / 2 * math.sin(2 * math.pi / n)))
    angles = [2 * math.pi * i / n + r.uniform(-0.25, 0.25) * 2 * math.pi / n for i in range(n)]
    ring = []
    for a in angles:
        d = radius_m * r.uniform(0.85, 1.15)
        dlat = d * math.sin(a) / 111_320
        dlon = d * math.cos(a) / (111_320 * math.cos(math.radians(lat)))
        ring.append([round(lon + dlon, 6), round(lat + dlat, 6)])
    ring.append(list(ring[0]))
    return ring

