"""A visit to a producer (in person or remote) and what it recorded: observations by topic,
follow-ups, photos (no Qt, no SQL; part of :mod:`roasterdesk.domain.model`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .ids import new_uuid


class VisitMode(StrEnum):
    IN_PERSON = "in_person"
    CALL = "call"
    VIDEO = "video"
    MESSAGE = "message"

    @property
    def remote(self) -> bool:
        return self is not VisitMode.IN_PERSON

    @property
    def label(self) -> str:
        return "in person" if self is VisitMode.IN_PERSON else self.value


class Purpose(StrEnum):
    RELATIONSHIP = "relationship"
    QUALITY = "quality"
    AUDIT = "audit"
    TRAINING = "training"
    CONTRACT = "contract"


class Topic(StrEnum):
    """Structured observations of a visit (docs/domain.md)."""

    WORKER_HOUSING = "worker_housing"
    PAY_VS_MINIMUM = "pay_vs_minimum"
    CHILD_LABOUR = "child_labour"
    SAFETY_EQUIPMENT = "safety_equipment"
    SHADE = "shade"
    WATER_USE = "water_use"
    WASTEWATER = "wastewater"
    COMPOSTING = "composting"
    AGROCHEMICALS = "agrochemicals"
    BIODIVERSITY = "biodiversity"
    PROCESSING_DRYING = "processing_drying"
    INFRASTRUCTURE = "infrastructure"

    @property
    def label(self) -> str:
        return TOPIC_LABELS[self]

    @property
    def is_labour(self) -> bool:
        return self in LABOUR_TOPICS


TOPIC_LABELS = {
    Topic.WORKER_HOUSING: "Workers' housing",
    Topic.PAY_VS_MINIMUM: "Pay relative to local minimum",
    Topic.CHILD_LABOUR: "Child labour",
    Topic.SAFETY_EQUIPMENT: "Safety equipment",
    Topic.SHADE: "Shade cover",
    Topic.WATER_USE: "Water use",
    Topic.WASTEWATER: "Wastewater treatment",
    Topic.COMPOSTING: "Composting of pulp",
    Topic.AGROCHEMICALS: "Agrochemicals",
    Topic.BIODIVERSITY: "Biodiversity",
    Topic.PROCESSING_DRYING: "Processing and drying",
    Topic.INFRASTRUCTURE: "Infrastructure needs",
}
LABOUR_TOPICS = frozenset(
    {Topic.WORKER_HOUSING, Topic.PAY_VS_MINIMUM, Topic.CHILD_LABOUR, Topic.SAFETY_EQUIPMENT}
)
ENVIRONMENT_TOPICS = (Topic.SHADE, Topic.WATER_USE, Topic.COMPOSTING)


class Evidence(StrEnum):
    OBSERVED = "observed"
    REPORTED = "reported"
    NOT_CHECKED = "not_checked"


class Outcome(StrEnum):
    """What a topic checked in person showed (docs/domain.md: observation outcomes)."""

    NO_ISSUE = "no_issue"
    ISSUE = "issue"


@dataclass(frozen=True)
class Observation:
    """One topic of a visit. ``outcome`` is for a topic *observed* in person: no issue seen or
    an issue found (say what in ``note``); ``None`` is "not recorded" (and always for a topic
    reported or not checked). Only "no issue seen" in person supports a checklist tick."""

    topic: Topic
    evidence: Evidence
    note: str = ""
    outcome: Outcome | None = None

    def __post_init__(self) -> None:
        if self.outcome is not None and self.evidence is not Evidence.OBSERVED:
            raise ValueError("only a topic observed in person has an outcome")


@dataclass(frozen=True)
class FollowUp:
    what: str
    who: str = ""
    due: date | None = None
    done: bool = False
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        if not self.what.strip():
            raise ValueError("a follow-up needs a description")

    def overdue(self, today: date) -> bool:
        return not self.done and self.due is not None and self.due < today


@dataclass(frozen=True)
class Photo:
    sha256: str
    filename: str
    caption: str = ""
    person_id: int | None = None  # a person shown in the photo (consent applies)
    uuid: str = field(default="", compare=False)  # "" until stored


@dataclass(frozen=True)
class Visit:
    producer_id: int
    date: date
    mode: VisitMode = VisitMode.IN_PERSON
    participants: tuple[str, ...] = ()
    purposes: tuple[Purpose, ...] = ()
    observations: tuple[Observation, ...] = ()
    notes: str = ""
    follow_ups: tuple[FollowUp, ...] = ()
    photos: tuple[Photo, ...] = ()
    id: int | None = None
    uuid: str = field(default_factory=new_uuid)

    def __post_init__(self) -> None:
        topics = [o.topic for o in self.observations]
        if len(topics) != len(set(topics)):
            raise ValueError("each observation topic may appear once per visit")

    def observation(self, topic: Topic) -> Observation | None:
        return next((o for o in self.observations if o.topic is topic), None)
