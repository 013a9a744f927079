"""The records a green-coffee buyer keeps, as frozen dataclasses (no Qt, no SQL).

Ids: ``id`` is the local integer row id (``None`` before the record is stored); ``uuid`` is the
stable key that survives syncing between laptops. Lists are tuples so that records stay immutable;
change a record with :func:`dataclasses.replace`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .ids import new_uuid
from .text import country_problem
from .units import Basis
from .visits import (
    ENVIRONMENT_TOPICS,
    LABOUR_TOPICS,
    TOPIC_LABELS,
    Evidence,
    FollowUp,
    Observation,
    Outcome,
    Photo,
    Purpose,
    Topic,
    Visit,
    VisitMode,
)

__all__ = [  # the visit records live in domain.visits; their names are the model's too
    "Certification", "Commitment", "Consent", "ConsentScope", "ContractType", "CostLeg",
    "ENVIRONMENT_TOPICS", "EXPORTER_LEGS", "Evidence", "FarmGatePrice", "Fixation", "FollowUp",
    "IMPORTER_LEGS", "LABOUR_TOPICS", "Lot", "LotStatus", "NOT_BOUGHT", "Observation", "Outcome",
    "Party", "Person", "Photo", "Plot", "Premium", "PremiumBasis", "PremiumType", "Process",
    "Producer", "ProducerKind", "Project", "ProjectCategory", "Purpose", "Role", "Scheme",
    "Species", "TOPIC_LABELS", "Topic", "Visit", "VisitMode", "new_uuid",
]


# Fixations, cost legs and photos are values inside their lot or visit: two are equal when their
# figures are, whatever their ``uuid``. The uuid (given by the store, "" before) lets the store
# change the stored row in place when the value is edited, instead of deleting and re-inserting.


class ProducerKind(StrEnum):
    FARM = "farm"
    ESTATE = "estate"
    COOPERATIVE = "cooperative"
    WASHING_STATION = "washing_station"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class Producer:
    name: str
    kind: ProducerKind | None  # None: not recorded (a producer made from a lot list)
    country: str  # ISO 3166-1 alpha-2
    region: str = ""
    municipality: str = ""
    altitude_min_m: int | None = None
    altitude_max_m: int | None = None
    total_area_ha: Decimal | None = None
    coffee_area_ha: Decimal | None = None
    varieties: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()
    harvest_months: tuple[int, ...] = ()
    parent_id: int | None = None  # the cooperative a member farm belongs to
    notes: str = ""
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a producer needs a name")
        problem = country_problem(self.country)
        if problem:
            raise ValueError(problem)
        lo, hi = self.altitude_min_m, self.altitude_max_m
        for alt in (lo, hi):
            if alt is not None and not -500 <= alt <= 6000:
                raise ValueError(f"altitude {alt} m is not plausible (−500 to 6,000 masl)")
        if lo is not None and hi is not None and lo > hi:
            raise ValueError("the lowest altitude is above the highest")
        for area in (self.total_area_ha, self.coffee_area_ha):
            if area is not None and area < 0:
                raise ValueError("an area cannot be negative")
        if any(not 1 <= m <= 12 for m in self.harvest_months):
            raise ValueError("harvest months are 1–12")

    @property
    def altitude_label(self) -> str:
        lo, hi = self.altitude_min_m, self.altitude_max_m
        if lo is None and hi is None:
            return ""
        if lo is None or hi is None or lo == hi:
            return f"{lo if lo is not None else hi:,} masl"
        return f"{lo:,}–{hi:,} masl"


class ConsentScope(StrEnum):
    NAME = "name"
    QUOTE = "quote"
    PHOTO = "photo"


@dataclass(frozen=True)
class Consent:
    """Consent to appear in customer documents. Withdrawal ends it from that date on."""

    given_on: date
    scope: frozenset[ConsentScope]
    withdrawn_on: date | None = None
    note: str = ""

    def allows(self, scope: ConsentScope, on: date) -> bool:
        if scope not in self.scope or on < self.given_on:
            return False
        return self.withdrawn_on is None or on < self.withdrawn_on


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    COOP_PRESIDENT = "co-op president"
    MEMBER = "member"
    AGRONOMIST = "agronomist"
    EXPORTER_CONTACT = "exporter contact"
    OTHER = "other"


@dataclass(frozen=True)
class Person:
    producer_id: int
    name: str
    role: Role | None = None  # not recorded: never "owner" by default
    phone: str = ""
    email: str = ""
    consent: Consent | None = None
    quote: str = ""
    pseudonymised: bool = False
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a person needs a name")

    def may_appear(self, scope: ConsentScope, on: date) -> bool:
        """Whether customer documents of ``on`` may show this person's name/quote/photo."""
        return not self.pseudonymised and self.consent is not None and self.consent.allows(
            scope, on
        )


@dataclass(frozen=True)
class Plot:
    """A plot; ``geometry`` is a GeoJSON Point or Polygon dict in WGS84, longitude first."""

    producer_id: int
    name: str
    area_ha: Decimal | None = None
    geometry: dict[str, Any] | None = None
    altitude_m: int | None = None
    varieties: tuple[str, ...] = ()
    shade_pct: int | None = None
    planted_on: date | None = None
    forest_after_2020: bool | None = None  # EUDR: was it forest after 31 Dec 2020?
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        if self.area_ha is not None and self.area_ha <= 0:
            raise ValueError("a plot's area must be more than 0 ha")
        if self.shade_pct is not None and not 0 <= self.shade_pct <= 100:
            raise ValueError("shade cover is 0–100 %")
        if self.geometry is not None:
            from .geo import validate_geometry

            validate_geometry(self.geometry)


class Scheme(StrEnum):
    FAIRTRADE = "Fairtrade"
    ORGANIC_EU = "Organic (EU)"
    ORGANIC_USDA = "Organic (USDA)"
    RAINFOREST_ALLIANCE = "Rainforest Alliance"
    BIRD_FRIENDLY = "Bird Friendly"
    FOUR_C = "4C"
    CAFE_PRACTICES = "C.A.F.E. Practices"
    OTHER = "Other"

    @property
    def is_organic(self) -> bool:
        return self in (Scheme.ORGANIC_EU, Scheme.ORGANIC_USDA)

    @property
    def covers_labour(self) -> bool:
        """Schemes whose standard audits labour conditions (used by the transparency checklist)."""
        return self in (
            Scheme.FAIRTRADE,
            Scheme.RAINFOREST_ALLIANCE,
            Scheme.FOUR_C,
            Scheme.CAFE_PRACTICES,
        )


@dataclass(frozen=True)
class Certification:
    producer_id: int
    scheme: Scheme
    number: str = ""
    holder: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("a certificate cannot expire before it starts")

    def valid_on(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is not None and day <= self.valid_to


@dataclass(frozen=True)
class Commitment:
    """A multi-year promise: volume (kg green) and/or a price floor (USD/lb FOB)."""

    producer_id: int
    first_harvest: int
    last_harvest: int
    volume_kg: Decimal | None = None  # per harvest
    price_floor_usd_lb: Decimal | None = None
    terms: str = ""
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        if self.last_harvest < self.first_harvest:
            raise ValueError("a commitment's last harvest is before its first")
        if self.volume_kg is None and self.price_floor_usd_lb is None:
            raise ValueError("a commitment needs a volume, a price floor, or both")
        if self.volume_kg is not None and self.volume_kg <= 0:
            raise ValueError("committed volume must be positive")
        if self.price_floor_usd_lb is not None and self.price_floor_usd_lb <= 0:
            raise ValueError("a price floor must be positive")

    @property
    def harvests(self) -> range:
        return range(self.first_harvest, self.last_harvest + 1)




class Process(StrEnum):
    WASHED = "washed"
    NATURAL = "natural"
    HONEY = "honey"
    ANAEROBIC = "anaerobic"
    WET_HULLED = "wet-hulled"
    OTHER = "other"


class Species(StrEnum):
    ARABICA = "arabica"
    ROBUSTA = "robusta"


class LotStatus(StrEnum):
    OFFER = "offer"
    CONTRACTED = "contracted"
    SHIPPED = "shipped"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"  # lots are never deleted; a cancelled lot stays on record


NOT_BOUGHT = frozenset({LotStatus.OFFER, LotStatus.CANCELLED})
"""Lots on record that were not bought (an offer, a cancelled contract): never counted in what
was bought (the relationship, the history by harvest, the volume a commitment delivered, the
Transparency Pledge's lots) and given no statement, which says what was paid."""


class ContractType(StrEnum):
    FIXED = "fixed"
    PTBF = "ptbf"


@dataclass(frozen=True)
class Fixation:
    """One (partial) fixation of a PTBF contract: the futures price on a day, for a volume."""

    on: date
    c_cents_lb: Decimal
    volume_kg: Decimal | None = None  # None: the whole lot
    uuid: str = field(default="", compare=False)  # "" until stored

    def __post_init__(self) -> None:
        if self.c_cents_lb <= 0:
            raise ValueError("a C price must be positive")
        if self.volume_kg is not None and self.volume_kg <= 0:
            raise ValueError("a fixed volume must be positive")


@dataclass(frozen=True)
class FarmGatePrice:
    """What the producer received, in their currency and unit, with the factors to compare it.

    ``kg_per_kg_green`` is the outturn used (kg of ``basis`` for 1 kg green); ``None`` means the
    docs/domain.md default for the basis.
    """

    amount: Decimal
    currency: str
    unit_name: str
    unit_kg: Decimal
    basis: Basis
    fx_local_per_usd: Decimal
    kg_per_kg_green: Decimal | None = None
    fx_date: date | None = None
    fx_source: str = ""

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError("a farm-gate price must be positive")
        if self.unit_kg <= 0:
            raise ValueError("a unit must weigh more than 0 kg")
        if self.fx_local_per_usd <= 0:
            raise ValueError("an exchange rate must be positive")
        if self.kg_per_kg_green is not None and self.kg_per_kg_green <= 0:
            raise ValueError("an outturn factor must be positive")


class Party(StrEnum):
    EXPORTER = "exporter"
    IMPORTER = "importer"


EXPORTER_LEGS = ("collection", "milling", "export", "certification")
IMPORTER_LEGS = ("freight", "insurance", "import", "warehousing", "importer margin")


@dataclass(frozen=True)
class CostLeg:
    """A cost or margin of an intermediary, in USD per lb green."""

    party: Party
    leg: str
    usd_lb: Decimal
    uuid: str = field(default="", compare=False)  # "" until stored

    def __post_init__(self) -> None:
        if self.usd_lb < 0:
            raise ValueError("a cost leg cannot be negative")


class PremiumType(StrEnum):
    QUALITY = "quality"
    CERTIFICATION = "certification"
    SOCIAL = "social/community"
    RELATIONSHIP = "relationship/loyalty"
    SECOND_PAYMENT = "second payment"


class PremiumBasis(StrEnum):
    PER_KG = "per kg"
    PER_LOT = "per lot"
    PER_FARMER = "per farmer"
    PCT_OF_PRICE = "% of price"


@dataclass(frozen=True)
class Premium:
    """A premium payment on a lot. Amounts are USD (per kg, per lot, per farmer, or a % of FOB).

    ``included_in_fob``: part of the FOB price already (then it is not added to what was paid).
    Premiums are payments: they are never deleted, a wrong one is ``voided``.
    """

    type: PremiumType
    basis: PremiumBasis
    amount: Decimal
    included_in_fob: bool = True
    paid_to: str = ""
    farmers: int | None = None  # for PER_FARMER
    voided: bool = False
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a premium cannot be negative")
        if self.basis is PremiumBasis.PER_FARMER and not self.farmers:
            raise ValueError("a per-farmer premium needs the number of farmers")


@dataclass(frozen=True)
class Lot:
    code: str
    producer_id: int
    harvest: int
    weight_kg: Decimal | None = None
    bags: int | None = None
    bag_kg: Decimal | None = None
    name: str = ""
    plot_ids: tuple[int, ...] = ()
    variety: str = ""
    # None: not recorded (an import that does not give it). The defaults are the worked
    # example's (docs/domain.md); every constructor outside tests passes its own value.
    process: Process | None = Process.WASHED
    species: Species | None = Species.ARABICA
    quality_score: Decimal | None = None
    defects_cat1: int | None = None
    defects_cat2: int | None = None
    moisture_pct: Decimal | None = None
    status: LotStatus | None = LotStatus.CONTRACTED  # None: not recorded (e.g. an import)
    contract_type: ContractType | None = ContractType.FIXED  # None: not recorded
    contract_date: date | None = None
    futures_month: str = ""  # e.g. "KCK25"
    fixations: tuple[Fixation, ...] = ()
    c_cents_lb: Decimal | None = None  # fixed contracts: C recorded at the contract date
    c_estimated: bool = False  # True when C came from the reference series, not the contract
    differential_cents_lb: Decimal | None = None
    fob_usd_lb: Decimal | None = None  # fixed contracts; PTBF derives it from the fixations
    farm_gate: FarmGatePrice | None = None
    costs: tuple[CostLeg, ...] = ()
    premiums: tuple[Premium, ...] = ()
    exporter: str = ""
    importer: str = ""
    # None: not recorded (an import without it, a new lot in the editor); the default is the
    # worked example's (conventional), as for process and species above
    organic: bool | None = False
    certifications_claimed: tuple[Scheme, ...] = ()
    story: str = ""
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise ValueError("a lot needs a code")
        if self.weight_kg is not None and self.weight_kg <= 0:
            raise ValueError("a lot's weight must be more than 0 kg")
        if self.bags is not None and self.bags <= 0:
            raise ValueError("a lot has at least one bag")
        if self.bag_kg is not None and self.bag_kg <= 0:
            raise ValueError("a bag must weigh more than 0 kg")
        if self.quality_score is not None and not 0 <= self.quality_score <= 100:
            raise ValueError("an SCA score is 0–100")
        if self.moisture_pct is not None and not 0 <= self.moisture_pct <= 30:
            raise ValueError("moisture is 0–30 %")
        for n in (self.defects_cat1, self.defects_cat2):
            if n is not None and n < 0:
                raise ValueError("defect counts cannot be negative")
        if self.c_cents_lb is not None and self.c_cents_lb <= 0:
            raise ValueError("a C price must be positive")
        if self.fob_usd_lb is not None and self.fob_usd_lb <= 0:
            raise ValueError("a FOB price must be positive")
        diff = self.differential_cents_lb
        if self.contract_type is ContractType.PTBF and diff is not None and any(
            f.c_cents_lb + diff <= 0 for f in self.fixations
        ):
            raise ValueError("C + differential must be above 0 ¢/lb: a FOB price must be positive")

    @property
    def weight(self) -> Decimal | None:
        """kg green: the recorded weight, else bags × bag size."""
        if self.weight_kg is not None:
            return self.weight_kg
        if self.bags is not None and self.bag_kg is not None:
            return self.bags * self.bag_kg
        return None


class ProjectCategory(StrEnum):
    PROCESSING_EQUIPMENT = "processing equipment"
    DRYING_BEDS = "drying beds"
    TRAINING = "training"
    WATER = "water"
    HEALTH = "health"
    EDUCATION = "education"
    RENOVATION = "renovation"
    OTHER = "other"


@dataclass(frozen=True)
class Project:
    producer_id: int
    year: int
    category: ProjectCategory
    amount: Decimal
    currency: str = "USD"
    description: str = ""
    evidence_visit_id: int | None = None
    lot_id: int | None = None
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a project's amount cannot be negative")
