"""The records of one demo family (a producer and, for a cooperative, its members).

Every value comes from the family's own ``random.Random``; ids, lot codes and unique names come
from the writer, in the order families are built, so the output is the same for the same seed.
Rows are made with :mod:`roasterdesk.store.rows`, exactly as the store writes them.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from ..domain.geo import ring_area_ha
from ..domain.model import (
    Certification,
    Commitment,
    Consent,
    ConsentScope,
    Evidence,
    FollowUp,
    LotStatus,
    Observation,
    Outcome,
    Person,
    Photo,
    Plot,
    Producer,
    ProducerKind,
    Project,
    ProjectCategory,
    Purpose,
    Role,
    Scheme,
    Topic,
    Visit,
    VisitMode,
)
from ..domain.pricing import fob_usd_lb
from ..store import rows as R
from . import demo_origins as O
from .demo_family import Bundle, FamilyBase, Writer, iso_stamp, q, sig
from .demo_lots import LotBuilder
from .demo_photos import demo_images
from .demo_plan import LAST_PRICED, Planned

__all__ = ["Bundle", "FamilyBase", "FamilyBuilder", "Writer", "iso_stamp", "polygon", "q", "sig"]

_TOPICS = tuple(Topic)
_SCOPES = (ConsentScope.NAME, ConsentScope.QUOTE, ConsentScope.PHOTO)
_CC = {"CO": "57", "ET": "251", "KE": "254", "GT": "502", "HN": "504", "PE": "51", "BR": "55",
       "RW": "250", "VN": "84", "CR": "506", "UG": "256"}


class FamilyBuilder(LotBuilder):
    """Generates one family (a producer and, for a cooperative, its members) from its own seed."""
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
        outcome = None  # observed in person: an issue found when its note says so (no draw)
        if evidence is Evidence.OBSERVED:
            outcome = Outcome.ISSUE if note in O.ISSUE_NOTES else Outcome.NO_ISSUE
        return Observation(topic, evidence, note, outcome)

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
