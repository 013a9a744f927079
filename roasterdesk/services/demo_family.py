"""What every part of a demo family's builder shares: the writer it fills, one producer's
bundle of records, the family's own random source and the rounding helpers
(:mod:`roasterdesk.services.demo_records` builds on it)."""

from __future__ import annotations

import random
import uuid as _uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from ..domain.model import (
    Certification,
    Commitment,
    Lot,
    Person,
    Plot,
    Producer,
    Project,
    Visit,
)
from .demo_plan import Family


class Writer(Protocol):
    """What a family builder needs of the demo's writer
    (:class:`roasterdesk.services.demo.Writer`)."""

    today: date
    rows: dict[str, list[dict[str, Any]]]
    bundles: list[Bundle]
    codes: dict[tuple[str, int], int]
    names: set[str]
    pending_lots: int
    cert_states: tuple[str, ...]

    def new_id(self, table: str) -> int: ...

    def serial(self, name: str) -> int: ...

    def c_at(self, day: date) -> Decimal: ...


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




class FamilyBase:
    """The family's writer, seed and records under way."""

    def __init__(self, w: Writer, fam: Family) -> None:
        self.w, self.fam = w, fam
        self.rng = random.Random(fam.seed)
        self.today = w.today
        self.bundles: dict[int, Bundle] = {}

    def uuid(self) -> str:
        return str(_uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def row(self, table: str, row: dict[str, Any]) -> None:
        self.w.rows[table].append(row)

