"""Deterministic, realistic demo databases written through the real schema.

``build_demo`` plans producers, harvests, lots and visits from one ``random.Random(seed)`` and
writes them in batches with ``executemany`` (rows made by :mod:`roasterdesk.store.rows`), then
fills ``lot_metrics`` with :meth:`Store._analyse` and :func:`metrics_row` — the same domain
calculations the app uses, never a second copy of the formulas.

Choices:
- Dates that must look *current* (certificates expiring soon or expired, follow-ups overdue,
  recent visits) are placed relative to ``today`` (default: the real date), so a demo built today
  shows "expiring within 90 days" today. Everything else depends on the seed alone; two builds on
  the same day are identical.
- Prices follow DEMO_C_ANNUAL_CENTS: the monthly C series varies around each year's level; PTBF
  fixations and fixed contracts take the month's level ± 3 %. Farm-gate prices are derived from
  the FOB and a target share of 52–83 % (by origin), expressed in the origin's currency and unit
  and rounded to 4 significant digits as a buyer would note them.
- A build into a file goes to a temporary file next to it that replaces the target only on
  success; a build into an open :class:`Store` is one transaction. A cancelled or failed build
  leaves nothing behind either way.
"""

from __future__ import annotations

import math
import os
import random
import sqlite3
import time
import uuid as _uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

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
from ..domain.reference import DEMO_C_ANNUAL_CENTS
from ..domain.units import DEFAULT_KG_PER_KG_GREEN, LB_KG, factor_from_rendimiento
from ..errors import UserError
from ..store import Store
from ..store import rows as R
from ..store.codec import d2s
from ..store.db import check_compatible, read_file_version
from ..store.store import METRICS_UPSERT, metrics_row
from . import demo_origins as O

DEFAULT_SEED = 2025
DEMO_FILE = "roasterdesk-demo.sqlite"


@dataclass(frozen=True)
class Scale:
    producers: int
    lots: int
    visits: int
    members: tuple[int, int]  # members per cooperative


SCALES: dict[str, Scale] = {
    "small": Scale(30, 300, 200, (2, 4)),
    "roaster": Scale(360, 3_200, 2_200, (3, 10)),
    "large": Scale(10_000, 200_000, 100_000, (3, 14)),
}


@dataclass(frozen=True)
class DemoStats:
    scale: str
    seed: int
    counts: dict[str, int]
    seconds: float
    path: Path | None = None


class DemoCancelled(Exception):
    """The build was cancelled; nothing was written."""


Progress = Callable[[int, int], None]


# -- where the demo lives -----------------------------------------------------------------------
def demo_db_path() -> Path:
    """The demo database in the user's data folder (next to the real one, never the same file)."""
    from platformdirs import user_data_path

    return user_data_path("RoasterDesk", appauthor=False) / DEMO_FILE


def ensure_demo(
    path: Path | str | None = None,
    scale: str = "roaster",
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Path:
    """Build the demo database if it does not exist yet (or holds no data); return its path."""
    target = Path(path) if path is not None else demo_db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not _has_data(target):
        build_demo(target, scale, progress=progress, cancel=cancel)
    return target


# -- building -----------------------------------------------------------------------------------
def build_demo(
    store_or_path: Store | Path | str,
    scale: str = "roaster",
    *,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    today: date | None = None,
    replace_existing: bool = False,
) -> DemoStats:
    """Write a demo database of ``scale`` ("small", "roaster" or "large").

    Into an open, empty :class:`Store`: one transaction. Into a path: a new file next to it that
    replaces the path on success; a path that already holds data is refused unless
    ``replace_existing``. ``progress(done, total)`` is called between batches, ``cancel()`` is
    checked there too; a cancelled build raises :class:`DemoCancelled` and leaves nothing behind.
    """
    if scale not in SCALES:
        raise UserError(f"unknown demo scale {scale!r} (choose {', '.join(SCALES)})")
    today = today or date.today()
    if isinstance(store_or_path, Store):
        return _build_into(store_or_path, scale, seed, progress, cancel, today)
    return _build_file(Path(store_or_path), scale, seed, progress, cancel, today,
                       replace_existing)


def _build_into(
    store: Store, scale: str, seed: int, progress: Progress | None,
    cancel: Callable[[], bool] | None, today: date,
) -> DemoStats:
    if not store.is_empty():
        raise UserError(f"{store.path} already holds data; demo data goes into an empty database")
    started = time.perf_counter()
    with store.transaction():
        _Writer(store, SCALES[scale], seed, today, progress, cancel).run()
    return DemoStats(scale, seed, store.counts(), time.perf_counter() - started, store.path)


def _build_file(
    path: Path, scale: str, seed: int, progress: Progress | None,
    cancel: Callable[[], bool] | None, today: date, replace_existing: bool,
) -> DemoStats:
    started = time.perf_counter()
    if not path.parent.is_dir():
        raise UserError(f"the folder {path.parent} does not exist")
    if _has_data(path) and not replace_existing:
        raise UserError(f"{path} already holds data; use --force to replace it with demo data")
    from .lock import writer_lock

    with writer_lock(path, "demo"):  # not while the app (or another build) writes it
        stats = _build_beside(path, scale, seed, progress, cancel, today)
    return replace(stats, path=path, seconds=time.perf_counter() - started)


def _build_beside(
    path: Path, scale: str, seed: int, progress: Progress | None,
    cancel: Callable[[], bool] | None, today: date,
) -> DemoStats:
    tmp = path.with_name(f".{path.name}.demo-build")
    _remove_db_files(tmp)
    try:
        store = Store.open(tmp)
        try:
            # A fresh file that is thrown away on failure: no WAL copy of every page, no fsyncs.
            store.db.execute("PRAGMA journal_mode = DELETE")
            store.db.execute("PRAGMA synchronous = OFF")
            store.db.execute("PRAGMA cache_size = -262144")
            stats = _build_into(store, scale, seed, progress, cancel, today)
            store.db.execute("PRAGMA journal_mode = WAL")
        finally:
            store.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if path.exists():
            _checkpoint(path)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException:
        _remove_db_files(tmp)
        raise
    return stats


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _has_data(path: Path) -> bool:
    """Whether ``path`` is a RoasterDesk database with producers (read-only; refuses others)."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    version = read_file_version(path)
    check_compatible(path, version)
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "producers" not in tables:
            if tables:
                raise UserError(f"{path} is not a RoasterDesk database; it was not replaced")
            return False
        return bool(conn.execute("SELECT count(*) FROM producers").fetchone()[0])
    finally:
        conn.close()


# -- planning -----------------------------------------------------------------------------------
@dataclass
class _Planned:
    id: int
    kind: str
    origin: O.Origin
    region: O.Region
    place: str
    parent: _Planned | None = None
    lots: dict[int, int] = field(default_factory=dict)  # harvest → number of lots
    visits: int = 0
    visit_weight: float = 1.0


@dataclass
class _Family:
    seed: int
    producers: list[_Planned]


def _plan(scale: Scale, rng: random.Random) -> list[_Family]:
    families: list[_Family] = []
    planned: list[_Planned] = []
    weights = [o.weight for o in O.ORIGINS]
    n = 0
    while len(planned) < scale.producers:
        first_pass = n < len(O.ORIGINS)
        origin = O.ORIGINS[n] if first_pass else rng.choices(O.ORIGINS, weights)[0]
        kinds, kw = zip(*origin.kinds, strict=True)
        kind = rng.choices(kinds, kw)[0]
        if first_pass and n % 3 == 1:
            kind = "cooperative"  # every scale shows cooperatives with members
        region = rng.choice(origin.regions)
        root = _Planned(len(planned) + 1, kind, origin, region, rng.choice(region.places))
        start = rng.choices(O.YEARS, [10, 8, 7, 6, 6, 5, 5, 4, 4, 3])[0]
        end = 2025 if rng.random() < 0.8 else rng.randint(start, 2025)
        years = [y for y in range(start, end + 1) if y == start or rng.random() > 0.08]
        root.lots = {y: 1 for y in years}
        root.visit_weight = (len(years) + 1) * (2.0 if kind != "farm" else 1.0)
        if rng.random() < 0.06:
            root.visit_weight = 0.0  # bought through the exporter, never visited
        members = []
        if kind == "cooperative":
            member_kind = "washing_station" if origin.code in ("KE", "RW") else "farm"
            room = scale.producers - len(planned) - 1
            for _ in range(max(1, min(rng.randint(*scale.members), room))):
                m = _Planned(len(planned) + 2 + len(members), member_kind, origin, region,
                             rng.choice(region.places), parent=root)
                if rng.random() < 0.55:
                    since = rng.choice(years)
                    own = [y for y in years if y >= since and rng.random() > 0.25]
                    m.lots = {y: 1 for y in own}
                m.visit_weight = 0.4 + len(m.lots) * 0.6
                members.append(m)
        family = [root, *members]
        planned.extend(family)
        families.append(_Family(rng.getrandbits(64), family))
        n += 1

    slots = [(p, y) for p in planned for y in p.lots]
    if len(slots) > scale.lots:  # fewer lots than producer-years: drop some years
        rng.shuffle(slots)
        for p, y in slots[scale.lots:]:
            del p.lots[y]
        slots = slots[: scale.lots]
    size = {"cooperative": 4.0, "washing_station": 3.0, "estate": 2.5, "farm": 1.0}
    slot_w = [size[p.kind] * (0.5 if p.parent else 1.0) for p, _ in slots]
    for i in rng.choices(range(len(slots)), slot_w, k=scale.lots - len(slots)):
        p, y = slots[i]
        p.lots[y] += 1
    vw = [p.visit_weight for p in planned]
    for i in rng.choices(range(len(planned)), vw, k=scale.visits):
        planned[i].visits += 1
    return families


# -- writing ------------------------------------------------------------------------------------
_TABLES = ("producers", "people", "plots", "certifications", "commitments", "visits",
           "follow_ups", "lots", "lot_plots", "fixations", "cost_legs", "premiums", "projects")


@dataclass
class _Bundle:
    """One producer's records, kept until its lot metrics are written."""

    producer: Producer
    lots: list[Lot] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    certs: list[Certification] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


class _Writer:
    BATCH_LOTS = 1000

    def __init__(self, store: Store, scale: Scale, seed: int, today: date,
                 progress: Progress | None, cancel: Callable[[], bool] | None) -> None:
        self.store, self.scale, self.seed, self.today = store, scale, seed, today
        self.progress, self.cancel = progress, cancel
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.bundles: list[_Bundle] = []
        self.next_id: dict[str, int] = defaultdict(lambda: 1)
        self.codes: dict[tuple[str, int], int] = defaultdict(int)
        self.c_months: dict[tuple[int, int], Decimal] = {}
        self.pending_lots = 0
        self.serials: dict[str, int] = defaultdict(int)
        self.names: set[str] = set()

    # plumbing
    def _id(self, table: str) -> int:
        n = self.next_id[table]
        self.next_id[table] = n + 1
        return n

    cert_states = ("soon", "valid", "expired", "valid", "valid", "soon", "valid", "expired",
                   "valid", "valid")

    def serial(self, name: str) -> int:
        n = self.serials[name]
        self.serials[name] = n + 1
        return n

    def c_at(self, day: date) -> Decimal:
        """The demo C level of a day's month (clamped to the years the series covers)."""
        year = min(max(day.year, min(DEMO_C_ANNUAL_CENTS)), max(DEMO_C_ANNUAL_CENTS))
        return self.c_months[(year, day.month)]

    def run(self) -> None:
        rng = random.Random(self.seed)
        self.c_months = _c_series(rng)
        self.store.set_c_prices(self.c_months)
        families = _plan(self.scale, rng)
        total = sum(len(f.producers) for f in families)
        done = 0
        self._tick(done, total)
        for fam in families:
            _FamilyBuilder(self, fam).build()
            done += len(fam.producers)
            if self.pending_lots >= self.BATCH_LOTS:
                self.flush()
                self._tick(done, total)
        self.flush()
        self._tick(done, total)

    def _tick(self, done: int, total: int) -> None:
        if self.cancel is not None and self.cancel():
            raise DemoCancelled("demo build cancelled")
        if self.progress is not None:
            self.progress(done, total)

    def flush(self) -> None:
        conn = self.store.db.conn
        for table in _TABLES:
            rows = self.rows.pop(table, [])
            if not rows:
                continue
            cols = list(rows[0])
            sql = (f"INSERT INTO {table} ({', '.join(cols)}) "
                   f"VALUES ({', '.join('?' * len(cols))})")
            conn.executemany(sql, [tuple(r[c] for c in cols) for r in rows])
        metrics = []
        for b in self.bundles:
            for lot in b.lots:
                a = self.store._analyse(lot, b.producer, b.lots, b.visits, b.commitments,
                                        b.certs, b.projects, self.today)
                metrics.append(metrics_row(a))
        conn.executemany(METRICS_UPSERT, metrics)
        self.bundles.clear()
        self.pending_lots = 0


def _c_series(rng: random.Random) -> dict[tuple[int, int], Decimal]:
    """Monthly C levels (¢/lb) swinging about ±8 % around each year's DEMO_C_ANNUAL_CENTS."""
    months = {}
    for year, level in DEMO_C_ANNUAL_CENTS.items():
        phase = rng.uniform(0, 12)
        for m in range(1, 13):
            f = 1 + 0.07 * math.sin(2 * math.pi * (m + phase) / 12) + rng.gauss(0, 0.015)
            months[(year, m)] = _q(float(level) * f, "0.05")
    return months


def _q(x: float, step: str) -> Decimal:
    s = Decimal(step)
    return (Decimal(repr(x)) / s).quantize(Decimal(1)) * s


def _sig(x: Decimal, digits: int = 4) -> Decimal:
    """Round to ``digits`` significant digits (a farm-gate price as a buyer writes it down)."""
    exp = x.adjusted() - digits + 1
    q = x.quantize(Decimal(1).scaleb(exp))
    return q.quantize(Decimal(1)) if exp > 0 else q


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T12:00:00+00:00"


_KC = {3: "H", 5: "K", 7: "N", 9: "U", 12: "Z"}
_TOPICS = tuple(Topic)
_SCOPES = (ConsentScope.NAME, ConsentScope.QUOTE, ConsentScope.PHOTO)
_CC = {"CO": "57", "ET": "251", "KE": "254", "GT": "502", "HN": "504", "PE": "51", "BR": "55",
       "RW": "250", "VN": "84", "CR": "506", "UG": "256"}


class _FamilyBuilder:
    """Generates one family (a producer and, for a cooperative, its members) from its own seed."""
    def __init__(self, w: _Writer, fam: _Family) -> None:
        self.w, self.fam = w, fam
        self.rng = random.Random(fam.seed)
        self.today = w.today
        self.bundles: dict[int, _Bundle] = {}

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

    def producer_name(self, p: _Planned) -> str:
        """A name not used yet in this demo: the family name, the place or a number is added."""
        base = self.base_name(p)
        used = self.w.names
        extras = [] if p.kind in ("cooperative", "washing_station") else [
            f"{base} – {self.person_name(p.origin).split()[-1]}", f"{base} ({p.place})"]
        name, n = base, 2
        while name in used:
            name = extras.pop(0) if extras else f"{base} {n}"
            n += 0 if extras else 1
        used.add(name)
        return name

    def base_name(self, p: _Planned) -> str:
        o, r = p.origin, self.rng
        key = o.names if o.names in O.FARM_WORDS else "other"
        word = r.choice(O.FARM_WORDS[key])
        place = p.place
        if p.kind == "farm":
            return {"es": f"Finca {word}", "pt": f"Sítio {word}", "vn": f"Nông trại {word}"}.get(
                o.names, f"{self.person_name(o).split()[-1]} Family Farm")
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

    def producer(self, p: _Planned) -> None:
        r, o, reg = self.rng, p.origin, p.region
        lo = r.randrange(reg.alt[0], reg.alt[1] - 80, 10)
        hi = min(reg.alt[1] + 100, lo + r.randrange(60, 400, 10))
        total = coffee = None
        if p.kind == "farm":
            total = _q(r.uniform(0.8, 9.0) if not p.parent else r.uniform(0.5, 5.0), "0.1")
            coffee = _q(float(total) * r.uniform(0.6, 0.95), "0.1")
        elif p.kind == "estate":
            total = _q(r.uniform(20, 350), "1")
            coffee = _q(float(total) * r.uniform(0.4, 0.8), "1")
        elif p.kind == "cooperative":
            coffee = _q(r.uniform(150, 3000), "1")
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
        stamp = _stamp(date(first - 1, r.randint(1, 12), r.randint(1, 28)))
        self.row("producers", {"id": p.id, **R.producer_to_row(prod), "created_at": stamp,
                               "updated_at": stamp})
        b = _Bundle(prod)
        self.bundles[p.id] = b
        self.people(p, b, stamp)
        self.plots(p, b, stamp)

    def people(self, p: _Planned, b: _Bundle, stamp: str) -> None:
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
                id=self.w._id("people"), uuid=self.uuid(),
            )
            self.row("people", {"id": person.id, **R.person_to_row(person), "updated_at": stamp})
            b.people.append(person)

    def plots(self, p: _Planned, b: _Bundle, stamp: str) -> None:
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
                area_ha = _q(ha, "0.01")
            else:
                ring = _polygon(r, lon, lat, max(ha, 4.6))
                geometry = {"type": "Polygon", "coordinates": [ring]}
                area_ha = _q(ring_area_ha(ring), "0.01")
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
                forest_after_2020=forest, id=self.w._id("plots"), uuid=self.uuid(),
            )
            self.row("plots", {"id": plot.id, **R.plot_to_row(plot), "updated_at": stamp})
            b.plots.append(plot)

    # visits ---------------------------------------------------------------------------------
    def fill(self, text: str, p: _Planned, b: _Bundle, year: int) -> str:
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

    def visits(self, p: _Planned, b: _Bundle) -> None:
        r = self.rng
        years = sorted(p.lots) or sorted(p.parent.lots if p.parent else []) or [2021, 2023]
        ongoing = years[-1] >= 2024
        pool = years + ([self.today.year, self.today.year - 1] if ongoing else [])
        for _ in range(p.visits):
            year = r.choice(pool)
            day = date(year, r.randint(1, 12), r.randint(1, 28))
            if day >= self.today:
                day = self.today - timedelta(days=r.randint(1, 90))
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
                    done = r.random() < (0.93 if due < self.today - timedelta(days=60) else 0.35)
                    follow_ups.append(FollowUp(
                        what=self.fill(r.choice(O.FOLLOW_UPS), p, b, year),
                        who=r.choice([participants[0], *participants[1:]]), due=due, done=done,
                        id=self.w._id("follow_ups"), uuid=self.uuid()))
            v = Visit(producer_id=p.id, date=day, mode=mode, participants=participants,
                      purposes=purposes, observations=obs, notes=notes,
                      follow_ups=tuple(follow_ups), id=self.w._id("visits"), uuid=self.uuid())
            self.row("visits", {"id": v.id, **R.visit_to_row(v), "updated_at": _stamp(day)})
            for f in follow_ups:
                self.row("follow_ups", {
                    "id": f.id, "uuid": f.uuid, "visit_id": v.id, "what": f.what, "who": f.who,
                    "due": f.due.isoformat() if f.due else None, "done": int(f.done)})
            b.visits.append(v)

    def observation(self, topic: Topic) -> Observation:
        r = self.rng
        evidence = r.choices(list(Evidence), [60, 25, 15])[0]
        note = ""
        if evidence is not Evidence.NOT_CHECKED and r.random() < 0.6:
            note = r.choice(O.OBSERVATION_NOTES[topic.value]).format(
                pct=r.randrange(10, 80, 5), n=r.randint(3, 40))
        return Observation(topic, evidence, note)

    # certifications, commitments, projects -----------------------------------------------------
    def certifications(self, p: _Planned, b: _Bundle) -> None:
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
                                  id=self.w._id("certifications"), uuid=self.uuid())
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

    def commitments(self, p: _Planned, b: _Bundle) -> None:
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
        if years[-1] == 2025 and self.w.serial("commitment-now") % 3 == 0:
            plans.append((2025, 2027, "in progress"))
        first = r.choice(years[:-1])
        intent = ("kept", "short", "kept")[self.w.serial("commitment") % 3]
        plans.append((first, min(2025, first + r.randint(1, 2)), intent))
        for lo, hi, intent in plans:
            n = hi - lo + 1
            got = sum((delivered[y] for y in range(lo, hi + 1)), Decimal(0))
            per = got / n if got else Decimal(600)
            factor = {"kept": r.uniform(0.6, 0.95), "short": r.uniform(1.25, 1.7),
                      "in progress": r.uniform(1.1, 1.5)}[intent]
            volume = max(Decimal(60), _q(float(per) * factor, "10"))
            floor = None
            window = [x for y in range(lo, hi + 1) for x in priced[y]]
            if window and r.random() < 0.45:
                avg = sum(w * f for w, f in window) / sum(w for w, _ in window)
                floor = _q(float(avg) * (r.uniform(0.8, 0.95) if intent != "short"
                                         else r.uniform(1.1, 1.3)), "0.01")
            terms = f"At least {volume:,} kg green per harvest"
            terms += f", FOB no lower than {floor} USD/lb" if floor else ""
            terms += "; prices agreed each harvest, premium for cup score ≥ 86."
            c = Commitment(producer_id=p.id, first_harvest=lo, last_harvest=hi, volume_kg=volume,
                           price_floor_usd_lb=floor, terms=terms,
                           id=self.w._id("commitments"), uuid=self.uuid())
            self.row("commitments", {"id": c.id, **R.commitment_to_row(c)})
            b.commitments.append(c)

    def projects(self, p: _Planned, b: _Bundle) -> None:
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
                amount=_q(r.uniform(400, 25000) * (float(p.origin.fx[year]) if local else 1),
                          "1"),
                currency=p.origin.currency if local else "USD",
                description=r.choice(O.PROJECTS[cat.value]),
                evidence_visit_id=r.choice(evidence).id if evidence and r.random() < 0.6
                else None,
                lot_id=r.choice(lots).id if lots and r.random() < 0.3 else None,
                id=self.w._id("projects"), uuid=self.uuid(),
            )
            self.row("projects", {"id": pr.id, **R.project_to_row(pr)})
            b.projects.append(pr)

    # lots -------------------------------------------------------------------------------------
    def lot(self, p: _Planned, b: _Bundle, harvest: int) -> Lot:
        r, o, prod = self.rng, p.origin, b.producer
        robusta = p.region.robusta
        key = (o.code, harvest)
        self.w.codes[key] += 1
        code = f"{o.code}-{harvest % 100:02d}-{self.w.codes[key]:04d}"
        variety = r.choice(prod.varieties)
        process = Process(r.choice(prod.processes))
        if harvest < 2025:
            status = LotStatus.ARRIVED
        else:
            status = r.choices([LotStatus.ARRIVED, LotStatus.SHIPPED, LotStatus.CONTRACTED,
                                LotStatus.OFFER], [55, 20, 18, 7])[0]
        if r.random() < 0.015 or self.w.serial("lot") % 97 == 50:
            status = LotStatus.CANCELLED
        month = r.randint(1, 9)
        contract = date(harvest, month, r.randint(1, 28))
        if contract >= self.today:
            contract = self.today - timedelta(days=r.randint(1, 30))
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
            score = _q(r.gauss(81.5, 1.2), "0.25")
        else:
            mean = {"cooperative": 84.2, "washing_station": 85.0}.get(p.kind, 86.0)
            score = _q(min(93.0, max(80.0, r.gauss(mean, 1.6))), "0.25")
        quality = None if r.random() < 0.05 else score
        c_level = self.w.c_at(contract)
        c_day = _q(float(c_level) * r.uniform(0.97, 1.03), "0.05")
        diff = _q(min(300.0, max(30.0, 45 + (float(score) - 82) * 30 + r.gauss(0, 20))), "1")
        ptbf = not robusta and r.random() < 0.45
        fixations: tuple[Fixation, ...] = ()
        fields: dict[str, Any] = {}
        if ptbf:
            fixations = self.fixations(contract, harvest, weight or (
                bags * bag_kg if bags and bag_kg else None), status)
            fields = dict(contract_type=ContractType.PTBF, differential_cents_lb=diff,
                          futures_month=self.futures_month(contract), fixations=fixations)
        elif robusta:
            fob = _q((float(c_day) * r.uniform(0.55, 0.72) + r.uniform(15, 60)) / 100, "0.01")
            fields = dict(contract_type=ContractType.FIXED, fob_usd_lb=fob)
        else:
            fields = dict(contract_type=ContractType.FIXED,
                          fob_usd_lb=_q((float(c_day) + float(diff)) / 100, "0.01"),
                          c_cents_lb=c_day if r.random() < 0.8 else None)
        claimed = tuple(sorted({c.scheme for c in b.certs}, key=list(Scheme).index))
        if r.random() > 0.75:
            claimed = ()
        exporter = "" if r.random() < 0.06 else (
            prod.name if p.kind == "cooperative" and r.random() < 0.3 else r.choice(o.exporters))
        lot_id = self.w._id("lots")
        plot_ids = self.plot_ids(p, b)
        lot = Lot(
            code=code, producer_id=p.id, harvest=harvest, weight_kg=weight, bags=bags,
            bag_kg=bag_kg, name=self.lot_name(p, prod, variety, process), plot_ids=plot_ids,
            variety=variety, process=process,
            species=Species.ROBUSTA if robusta else Species.ARABICA, quality_score=quality,
            defects_cat1=None if r.random() < 0.08 else (
                0 if r.random() < 0.9 else r.randint(1, 2)),
            defects_cat2=None if r.random() < 0.08 else r.randint(0, 7),
            moisture_pct=None if r.random() < 0.08 else _q(r.uniform(9.8, 11.9), "0.1"),
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
        premiums = self.premiums(p, prod, claimed)
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
                volume = _q(float(weight) * r.uniform(0.2, 0.45), "1")
            out.append(Fixation(day, _q(float(level) * r.uniform(0.97, 1.03), "0.05"), volume))
        return tuple(out)

    @staticmethod
    def futures_month(contract: date) -> str:
        year, m = contract.year, next((m for m in _KC if m > contract.month), None)
        if m is None:
            year, m = year + 1, 3
        return f"KC{_KC[m]}{year % 100:02d}"

    def farm_gate(self, p: _Planned, robusta: bool, fob: Decimal, harvest: int,
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
            factor = _q(r.uniform(float(outturn[0]), float(outturn[1])), "0.01")
        fx_year = o.fx[harvest]
        fx = fx_year * Decimal(repr(round(r.uniform(0.98, 1.02), 4)))
        fx = _sig(fx, 6) if fx < 100 else fx.quantize(Decimal(1))
        per_lb_green = fob * Decimal(repr(round(share, 4)))
        eff = factor or DEFAULT_KG_PER_KG_GREEN[basis]
        amount = _sig(per_lb_green / LB_KG * fx * unit_kg / eff)
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
        out = [CostLeg(Party.EXPORTER, name, _q(gap * r.uniform(lo, hi), "0.0001"))
               for name, lo, hi in legs]
        if r.random() < 0.45:
            out += [
                CostLeg(Party.IMPORTER, "freight", _q(r.uniform(0.08, 0.18), "0.0001")),
                CostLeg(Party.IMPORTER, "insurance", _q(r.uniform(0.005, 0.015), "0.0001")),
                CostLeg(Party.IMPORTER, "import", _q(r.uniform(0.02, 0.05), "0.0001")),
                CostLeg(Party.IMPORTER, "warehousing", _q(r.uniform(0.02, 0.06), "0.0001")),
                CostLeg(Party.IMPORTER, "importer margin", _q(r.uniform(0.2, 0.6), "0.0001")),
            ]
        return tuple(out)

    def premiums(self, p: _Planned, prod: Producer, claimed: tuple[Scheme, ...]
                 ) -> tuple[Premium, ...]:
        r = self.rng
        if r.random() > 0.45:
            return ()
        out = []
        group = p.kind in ("cooperative", "washing_station")
        kinds = list(PremiumType)
        for t in r.sample(kinds, r.randint(1, 3)):
            if t is PremiumType.QUALITY:
                pr = Premium(t, PremiumBasis.PER_KG, _q(r.uniform(0.2, 1.5), "0.01"), True,
                             prod.name)
            elif t is PremiumType.CERTIFICATION:
                if Scheme.FAIRTRADE not in claimed:
                    continue
                pr = Premium(t, PremiumBasis.PER_KG, Decimal("0.4409"), True, prod.name)
            elif t is PremiumType.SOCIAL:
                pr = Premium(t, PremiumBasis.PER_LOT, _q(r.uniform(500, 5000), "10"), False,
                             f"community of {p.place}")
            elif t is PremiumType.RELATIONSHIP:
                pr = Premium(t, PremiumBasis.PER_KG, _q(r.uniform(0.1, 0.5), "0.01"), False,
                             prod.name)
            elif group:
                pr = Premium(t, PremiumBasis.PER_FARMER, _q(r.uniform(20, 80), "1"), False,
                             "member farmers", farmers=r.randint(10, 250))
            else:
                pr = Premium(t, PremiumBasis.PCT_OF_PRICE, _q(r.uniform(3, 10), "0.5"), False,
                             prod.name)
            out.append(replace(pr, voided=r.random() < 0.015, id=self.w._id("premiums"),
                               uuid=self.uuid()))
        return tuple(out)

    def plot_ids(self, p: _Planned, b: _Bundle) -> tuple[int, ...]:
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

    def lot_name(self, p: _Planned, prod: Producer, variety: str, process: Process) -> str:
        r = self.rng
        if p.origin.code == "ET":
            return f"{p.place} Grade {r.choice([1, 1, 2])} {process.value.title()}"
        if p.origin.code == "KE":
            return f"{p.place} {r.choice(['AA', 'AB', 'PB', 'AA', 'AB'])}"
        if p.kind in ("cooperative", "washing_station") and r.random() < 0.3:
            group = r.choice(["community", "women producers", "young producers"])
            return f"{p.region.name} {group} lot"
        return f"{prod.name} {variety} {process.value}"

    def story(self, p: _Planned, b: _Bundle, variety: str, process: Process) -> str:
        r = self.rng
        return r.choice(O.STORIES).format(
            producer=b.producer.name, alt=f"{b.producer.altitude_max_m or 1600:,}",
            place=p.place, region=p.region.name,
            person=b.people[0].name if b.people else "the family", variety=variety,
            process=process.value, project=r.choice(O.PROJECTS["drying beds"]).lower(),
        )

    def flush_lots(self, b: _Bundle) -> None:
        for lot in b.lots:
            stamp = _stamp(lot.contract_date or date(lot.harvest, 6, 30))
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


def _polygon(r: random.Random, lon: float, lat: float, ha: float) -> list[list[float]]:
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
