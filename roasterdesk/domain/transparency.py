"""The transparency checklist of a lot (docs/domain.md): what the records answer, and what is
missing.

Items 1–5 are the Transparency Pledge's data points; 6–13 are the buyer's vetting questions.
A lot's transparency is the count of applicable items answered — never padded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from .model import (
    ENVIRONMENT_TOPICS,
    LABOUR_TOPICS,
    Certification,
    Commitment,
    Evidence,
    Lot,
    Outcome,
    Producer,
    Project,
    Topic,
    Visit,
)
from .pricing import fob_usd_lb, not_fixed

WINDOW = timedelta(days=730)
"""24 months, the window for "a direct visit" and "labour verified in person"."""


class Answer(StrEnum):
    ANSWERED = "answered"
    NOT_ANSWERED = "not answered"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class CheckItem:
    number: int
    key: str
    question: str
    pledge: bool  # one of the Transparency Pledge's five data points
    answer: Answer
    missing: str = ""  # what a buyer would have to record to answer it


@dataclass(frozen=True)
class Checklist:
    items: tuple[CheckItem, ...]

    @property
    def applicable(self) -> int:
        return sum(1 for i in self.items if i.answer is not Answer.NOT_APPLICABLE)

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.answer is Answer.ANSWERED)

    @property
    def pledge_complete(self) -> bool:
        return all(i.answer is Answer.ANSWERED for i in self.items if i.pledge)

    @property
    def missing(self) -> tuple[CheckItem, ...]:
        return tuple(i for i in self.items if i.answer is Answer.NOT_ANSWERED)

    def item(self, key: str) -> CheckItem:
        return next(i for i in self.items if i.key == key)


QUESTIONS: tuple[tuple[str, str, bool], ...] = (
    ("producer", "Producer or producer organisation named", True),
    ("fob", "FOB price paid", True),
    ("quality", "Quality (cup score)", True),
    ("lot_size", "Lot size", True),
    ("relationship", "Length of the relationship", True),
    ("farm_gate", "Farm-gate price known", False),
    ("supply_chain", "Supply chain from farm to roaster named", False),
    ("environment", "Environmental practices recorded", False),
    ("commitment", "Multi-year buying commitment", False),
    ("labour", "Labour conditions verified", False),
    ("visit", "Direct visit within 24 months", False),
    ("premium_use", "What the premium funded documented", False),
    ("certifications", "Claimed certifications current", False),
)


RULES: dict[str, str] = {
    "producer": "answered when the statement may print the producer's name (consent of every "
                "person it names)",
    "fob": "answered when the lot's FOB is recorded or derived from its fixations",
    "quality": "answered when the lot's cup score is recorded",
    "lot_size": "answered when the lot's weight (or bags × bag size) is recorded",
    "relationship": "answered when the first harvest bought from the producer is known",
    "farm_gate": "answered when the lot's farm-gate price, unit and exchange rate are recorded",
    "supply_chain": "answered when the lot's exporter and importer are named",
    "environment": "answered when shade, water use and composting were each observed or "
                   "reported on a visit",
    "commitment": "answered when a commitment covers this harvest and at least one more",
    "labour": "answered when workers' housing, pay relative to the local minimum, child labour "
              "and safety equipment have each been seen in person with no issue within 24 "
              "months of the lot's date (on one visit or several), or by a labour-auditing "
              "certificate valid on that date; never when a labour issue was found in that time",
    "visit": "answered by an in-person visit within 24 months of the lot's date",
    "premium_use": "answered by a project of the producer in the harvest year ±1",
    "certifications": "answered when every certification the lot claims is valid on the lot's "
                      "date; not applicable when it claims none",
}
"""The written rule of each checklist item (printed in the statement's JSON with the answer)."""


def withheld_producer(ck: Checklist) -> Checklist:
    """The checklist of a statement that may not print the producer's name: item 1 is then not
    answered, whatever the records hold."""
    return Checklist(tuple(
        CheckItem(i.number, i.key, i.question, i.pledge, Answer.NOT_ANSWERED,
                  "consent to print the producer's name")
        if i.key == "producer" else i for i in ck.items
    ))


def reference_date(lot: Lot) -> date:
    """The day a lot's checks are made against.

    Choice: the contract date, else the first fixation, else 30 June of the harvest year.
    """
    if lot.contract_date is not None:
        return lot.contract_date
    if lot.fixations:
        return min(f.on for f in lot.fixations)
    return date(lot.harvest, 6, 30)


@dataclass(frozen=True)
class VisitEvidence:
    """What a producer's visits show whatever the lot: the topics observed or reported on any
    visit, and each in-person visit's date with whether it found a labour issue and the labour
    topics it saw with no issue. Bulk work (every lot of a producer) computes it once."""

    seen: frozenset[Topic]
    in_person: tuple[tuple[date, bool, frozenset[Topic]], ...]


LABOUR_IN_ORDER = tuple(t for t in Topic if t in LABOUR_TOPICS)
"""The labour topics a visit observes, in the order the checklist names them."""


def visit_evidence(visits: list[Visit]) -> VisitEvidence:
    seen = frozenset(o.topic for v in visits for o in v.observations
                     if o.evidence in (Evidence.OBSERVED, Evidence.REPORTED))
    in_person = []
    for v in visits:
        if v.mode.remote:
            continue
        labour = [o for o in v.observations
                  if o.topic.is_labour and o.evidence is Evidence.OBSERVED]
        in_person.append((v.date, any(o.outcome is Outcome.ISSUE for o in labour),
                          frozenset(o.topic for o in labour if o.outcome is Outcome.NO_ISSUE)))
    return VisitEvidence(seen, tuple(in_person))


def labour_missing(issue: bool, clear: frozenset[Topic]) -> str:
    """What the labour item still needs, in words: the labour topics not yet seen in person with
    no issue (all four are needed: one topic seen is not "labour conditions verified")."""
    if issue:
        # what is missing is labour without an issue, not the issue (said as a "missing" item)
        return ("labour with no issue found (an issue was found on an in-person visit within 24 "
                "months)")
    unseen = [t.label.lower() for t in LABOUR_IN_ORDER if t not in clear]
    seen = [t.label.lower() for t in LABOUR_IN_ORDER if t in clear]
    if not seen or not unseen:  # (none left to see: the item is answered, this is not shown)
        return "labour seen in person with no issue within 24 months, or a current certification"
    return (f"{_and(unseen)} seen in person with no issue within 24 months ({_and(seen)} "
            f"{'was' if len(seen) == 1 else 'were'}), or a current certification")


def _and(words: list[str]) -> str:
    """["a", "b", "c"] → "a, b and c"."""
    return f"{', '.join(words[:-1])} and {words[-1]}" if len(words) > 1 else words[0]


def checklist(
    lot: Lot,
    producer: Producer,
    *,
    visits: list[Visit],
    certifications: list[Certification],
    commitments: list[Commitment],
    projects: list[Project],
    first_harvest: int | None = None,
    evidence: VisitEvidence | None = None,
) -> Checklist:
    """Answer the thirteen questions from the records of one lot and its producer.

    Choices where docs/domain.md is silent:
    - visits count when within 24 months either side of the lot's :func:`reference_date`;
    - environment is answered when shade, water use and composting have each been *observed* or
      *reported* in some visit of the producer;
    - labour is verified when in-person visits in the window observed (not just heard about)
      every labour topic (workers' housing, pay relative to the local minimum, child labour,
      safety equipment) with no issue seen, on one visit or several, or by a labour-auditing
      certification valid on the reference date (one topic seen is not "labour conditions
      verified"); a labour issue found in the window is never ticked over (docs/domain.md:
      an issue found is stated, not hidden; an outcome not recorded supports nothing);
    - the premium's use is documented by a project of the producer in the harvest year ±1;
    - certifications are *not applicable* when the lot claims none.

    ``evidence``: :func:`visit_evidence` of ``visits`` when the caller already has it.
    """
    ref = reference_date(lot)
    ev = evidence if evidence is not None else visit_evidence(visits)
    in_window = [v for v in ev.in_person if abs((v[0] - ref).days) <= WINDOW.days]
    results: dict[str, tuple[Answer, str]] = {}

    def put(key: str, ok: bool, missing: str) -> None:
        results[key] = (Answer.ANSWERED, "") if ok else (Answer.NOT_ANSWERED, missing)

    put("producer", bool(producer.name.strip()), "producer name")
    unfixed = not_fixed(lot)  # a PTBF lot partly fixed has no FOB yet: said why
    put("fob", fob_usd_lb(lot) is not None,
        f"FOB price ({unfixed.why})" if unfixed is not None else "FOB price")
    put("quality", lot.quality_score is not None, "cup score")
    put("lot_size", lot.weight is not None, "lot weight or bags × bag size")
    since = first_harvest if first_harvest is not None else lot.harvest
    put("relationship", since <= lot.harvest, "first harvest bought")
    put("farm_gate", lot.farm_gate is not None, "farm-gate price with exchange rate and unit")
    chain = (("exporter", lot.exporter), ("importer", lot.importer))
    chain_missing = [n for n, v in chain if not v]
    put("supply_chain", not chain_missing, " and ".join(chain_missing))
    env_missing = [t.label.lower() for t in ENVIRONMENT_TOPICS if t not in ev.seen]
    put("environment", not env_missing, ", ".join(env_missing))
    multi = any(
        c.producer_id == producer.id and lot.harvest in c.harvests and len(c.harvests) > 1
        for c in commitments
    )
    put("commitment", multi, "a commitment covering this harvest and at least one more")
    labour_issue = any(issue for _, issue, _ in in_window)
    clear = frozenset().union(*(topics for _, _, topics in in_window))
    labour_seen = clear >= LABOUR_TOPICS
    labour_cert = any(c.scheme.covers_labour and c.valid_on(ref) for c in certifications)
    put("labour", not labour_issue and (labour_seen or labour_cert),
        labour_missing(labour_issue, clear))
    put("visit", bool(in_window), "an in-person visit within 24 months of the contract")
    funded = any(abs(p.year - lot.harvest) <= 1 for p in projects)
    put("premium_use", funded, "a project funded around this harvest")
    if lot.certifications_claimed:
        lapsed = [
            s.value for s in lot.certifications_claimed
            if not any(c.scheme is s and c.valid_on(ref) for c in certifications)
        ]
        put("certifications", not lapsed, "current certificate for " + ", ".join(lapsed))
    else:
        results["certifications"] = (Answer.NOT_APPLICABLE, "")

    return Checklist(tuple(
        _item(n, key, question, pledge, *results[key])
        for n, (key, question, pledge) in enumerate(QUESTIONS, start=1)
    ))


@lru_cache(maxsize=4096)
def _item(number: int, key: str, question: str, pledge: bool, answer: Answer,
          missing: str) -> CheckItem:
    """One answered item; items are immutable and few distinct ones exist, so the bulk
    analysis of an import (a checklist per lot) shares them instead of building 13 per lot."""
    return CheckItem(number, key, question, pledge, answer, missing)
