"""The data object of an impact statement, and its JSON form.

:class:`StatementData` is built by :func:`roasterdesk.services.statement.load_statement` (where
every figure and every consent decision is made) and laid out by :mod:`roasterdesk.pdf.render`,
which computes nothing. :func:`statement_json` is the same data for ``roasterdesk statement
--json``: reviewers and tests check it against the lot.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from ..domain.harvest import harvest_name
from ..domain.words import NOT_RECORDED

if TYPE_CHECKING:
    from ..domain.analysis import LotAnalysis
    from ..domain.history import HarvestPoint
    from ..domain.model import Lot


@dataclass(frozen=True)
class NamedPerson:
    name: str
    role: str  # "" when not recorded
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
    outcomes: tuple[str, ...] = ()  # per observed topic: "no_issue", "issue" or "not_recorded"


@dataclass(frozen=True)
class CertificationView:
    scheme: str
    number: str
    holder: str
    valid_from: date | None
    valid_to: date | None
    valid_on_lot: bool  # valid on the lot's reference date (contract, else first fixation)


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
class PaymentView:
    """One premium or second payment, by basis and recipient (voided ones are left out)."""

    type: str  # PremiumType value
    basis: str  # "per lb" | "% of FOB" | "lump sum" | "per farmer"
    rate: Decimal  # as recorded: USD per lb, percent of FOB, USD per lot, USD per farmer
    recipient: str  # "producer" | "members" | "other" | "not recorded"
    paid_to: str  # the recorded recipient's words (names without consent replaced)
    farmers: int | None  # members paid
    included_in_fob: bool
    value_usd: Decimal | None  # None when the basis needs a weight or FOB that is missing
    reaches_producer: bool  # counted in what reached the producer (on top of FOB only)


@dataclass(frozen=True)
class ChainStep:
    """One step of the chain from farm gate to landed, USD/lb green; ``None`` = not recorded."""

    key: str  # farm_gate | exporter:<leg> | exporter_margin | fob | importer:<leg> | landed
    label: str
    usd_lb: Decimal | None
    subtotal: bool  # farm gate, FOB and landed are prices; the others are legs


@dataclass(frozen=True)
class ConsentDecision:
    item: str  # what would be printed: "producer name", "person", "photo", "quote"
    shown: bool
    reason: str


@dataclass(frozen=True)
class CheckAnswer:
    number: int
    key: str
    question: str
    answer: str
    reason: str  # the rule's finding: what answered it, or what is missing


@dataclass(frozen=True)
class StatementData:
    """What one statement shows; built by ``load_statement``, laid out by the PDF code."""

    analysis: LotAnalysis
    on: date  # the statement date (consent is checked on it)
    reference_date: date  # the lot's date: certificates and commitments are judged on it
    producer_label: str  # farm/co-op name, or "a farm in Nariño, Colombia"
    producer_named: bool
    region_label: str
    people: tuple[NamedPerson, ...]
    hidden_people: int  # people of the producer who may not be named on this date
    plots: tuple[PlotView, ...]
    visits: tuple[VisitView, ...]  # in person, newest first
    certifications: tuple[CertificationView, ...]
    projects: tuple[ProjectView, ...]
    history: tuple[HarvestPoint, ...]  # the producer's averages per harvest
    photos: tuple[PhotoView, ...]
    photos_unreadable: int  # photos that may appear but whose file is missing or unreadable
    story: str
    lot_title: str  # the lot's name (names without consent replaced), else its code
    farm_gate_local_per_kg_green: Decimal | None
    coordinate_decimals: int
    payments: tuple[PaymentView, ...] = ()
    reached_producer_usd: Decimal | None = None  # farm-gate value + payments to producer/members
    reached_producer_share: Decimal | None = None  # of the FOB value
    chain: tuple[ChainStep, ...] = ()
    checks: tuple[CheckAnswer, ...] = ()
    consent: tuple[ConsentDecision, ...] = ()

    @property
    def lot(self) -> Lot:
        return self.analysis.lot

    @property
    def plots_of_lot(self) -> bool:
        """Whether :attr:`plots` are the lot's own (it names them) or, when it names none, the
        producer's (said so: never passed off as where this coffee grew)."""
        return bool(self.lot.plot_ids)

    @property
    def harvest_name(self) -> str:
        """The lot's harvest as named everywhere else: "2025/26" or "2026" by the producer's
        harvest months, else its country (`domain.harvest.harvest_name`)."""
        return self.name_of_harvest(self.lot.harvest)

    def name_of_harvest(self, year: int) -> str:
        """Any harvest of this producer (the chart's axis) named the same way."""
        p = self.analysis.producer
        return harvest_name(year, p.country, p.harvest_months)

    @property
    def this_lot_fob_usd_lb(self) -> Decimal | None:
        """The chart's "this lot" FOB point: the lot's own FOB, never a harvest average."""
        return self.analysis.economics.fob_usd_lb

    @property
    def this_lot_farm_gate_usd_lb(self) -> Decimal | None:
        return self.analysis.economics.farm_gate_usd_lb


def _plain(v: Any) -> Any:
    """A JSON-ready copy: Decimals as strings (exact), dates ISO, enums by value."""
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, bytes):
        return {"bytes": len(v)}
    if is_dataclass(v) and not isinstance(v, type):
        return {f.name: _plain(getattr(v, f.name)) for f in fields(v)}
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def statement_json(data: StatementData) -> dict[str, Any]:
    """Every figure, series, checklist answer (with its reason) and consent decision the PDF
    uses. Names that may not appear are not in it: only what the statement prints."""
    a = data.analysis
    e = a.economics
    lot = a.lot
    return {
        "lot": {
            "code": lot.code, "title": data.lot_title, "harvest": lot.harvest,
            "harvest_name": data.harvest_name,
            "species": _plain(lot.species) if lot.species else NOT_RECORDED,
            "process": _plain(lot.process) if lot.process else NOT_RECORDED,
            "organic": NOT_RECORDED if lot.organic is None else lot.organic,
            "status": _plain(lot.status) if lot.status else NOT_RECORDED,
            "contract_type": _plain(lot.contract_type) if lot.contract_type else NOT_RECORDED,
            "contract_date": _plain(lot.contract_date), "weight_kg": _plain(lot.weight),
            "quality_score": _plain(lot.quality_score),
        },
        "statement_date": data.on.isoformat(),
        "reference_date": data.reference_date.isoformat(),
        "producer": {"label": data.producer_label, "named": data.producer_named,
                     "region": data.region_label},
        "economics": _plain(e),
        "payments": _plain(data.payments),
        "reached_producer": {"usd": _plain(data.reached_producer_usd),
                             "share_of_fob": _plain(data.reached_producer_share)},
        "chain": _plain(data.chain),
        "chart": {
            "this_lot": {"harvest": lot.harvest, "fob_usd_lb": _plain(data.this_lot_fob_usd_lb),
                         "farm_gate_usd_lb": _plain(data.this_lot_farm_gate_usd_lb)},
            "producer_averages": _plain(data.history),
        },
        "checklist": {"answered": sum(c.answer == "answered" for c in data.checks),
                      "applicable": sum(c.answer != "not applicable" for c in data.checks),
                      "items": _plain(data.checks)},
        "relationship": _plain(a.relationship),
        "people": _plain(data.people),
        "plots": _plain(data.plots),
        "plots_of_lot": data.plots_of_lot,
        "visits": _plain(data.visits),
        "certifications": _plain(data.certifications),
        "projects": _plain(data.projects),
        "photos": [{"caption": p.caption, "width": p.width, "height": p.height}
                   for p in data.photos],
        "consent": _plain(data.consent),
        "story": data.story,
    }
