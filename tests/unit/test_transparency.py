"""The transparency checklist: each of the 13 items answered, not answered or not applicable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.domain.model import (
    LABOUR_TOPICS,
    Certification,
    Commitment,
    Evidence,
    Fixation,
    Observation,
    Outcome,
    Project,
    ProjectCategory,
    Scheme,
    Topic,
    Visit,
    VisitMode,
)
from roasterdesk.domain.transparency import QUESTIONS, Answer, checklist, reference_date

D = Decimal
KEYS = [k for k, _, _ in QUESTIONS]


def full_records(lot):
    """Records that answer every question for the worked-example lot (contract 2025-03-14)."""
    visit = Visit(1, date(2024, 8, 20), observations=(
        Observation(Topic.SHADE, Evidence.OBSERVED),
        Observation(Topic.WATER_USE, Evidence.REPORTED),
        Observation(Topic.COMPOSTING, Evidence.OBSERVED),
        Observation(Topic.WORKER_HOUSING, Evidence.OBSERVED),
    ))
    return dict(
        visits=[visit],
        certifications=[Certification(1, Scheme.FAIRTRADE, valid_from=date(2023, 1, 1),
                                      valid_to=date(2026, 12, 31))],
        commitments=[Commitment(1, 2024, 2026, volume_kg=D(1400))],
        projects=[Project(1, 2024, ProjectCategory.DRYING_BEDS, D(3000))],
        first_harvest=2019,
    )


@pytest.fixture
def good_lot(lot):
    return replace(lot, quality_score=D("86.5"), exporter="Exportadora Nariño",
                   importer="Green Import Co", certifications_claimed=(Scheme.FAIRTRADE,))


def test_every_item_answered(good_lot, producer):
    c = checklist(good_lot, producer, **full_records(good_lot))
    assert [i.key for i in c.items] == KEYS
    assert [i.number for i in c.items] == list(range(1, 14))
    assert [i.pledge for i in c.items] == [True] * 5 + [False] * 8
    assert all(i.answer is Answer.ANSWERED and i.missing == "" for i in c.items)
    assert (c.answered, c.applicable) == (13, 13)
    assert c.pledge_complete and c.missing == ()


def test_nothing_recorded_says_what_is_missing(make_lot, producer):
    lot = make_lot(fixations=(), bags=None, farm_gate=None)
    c = checklist(lot, producer, visits=[], certifications=[], commitments=[], projects=[])
    answers = {i.key: (i.answer, i.missing) for i in c.items}
    na = Answer.NOT_ANSWERED
    assert answers == {
        "producer": (Answer.ANSWERED, ""),
        "fob": (na, "FOB price (C not fixed yet)"),  # a PTBF lot without a fixation
        "quality": (na, "cup score"),
        "lot_size": (na, "lot weight or bags × bag size"),
        "relationship": (Answer.ANSWERED, ""),
        "farm_gate": (na, "farm-gate price with exchange rate and unit"),
        "supply_chain": (na, "exporter and importer"),
        "environment": (na, "shade cover, water use, composting of pulp"),
        "commitment": (na, "a commitment covering this harvest and at least one more"),
        "labour": (na, "labour seen in person with no issue within 24 months, "
                       "or a current certification"),
        "visit": (na, "an in-person visit within 24 months of the contract"),
        "premium_use": (na, "a project funded around this harvest"),
        "certifications": (Answer.NOT_APPLICABLE, ""),
    }
    assert (c.answered, c.applicable) == (2, 12)
    assert not c.pledge_complete
    assert [i.key for i in c.missing] == [k for k in KEYS if answers[k][0] is na]
    assert c.item("certifications").answer is Answer.NOT_APPLICABLE


def check(lot, producer, **changes):
    records = {**full_records(lot), **changes}
    return checklist(lot, producer, **records)


def test_supply_chain_names_the_missing_party(good_lot, producer):
    item = check(replace(good_lot, importer=""), producer).item("supply_chain")
    assert (item.answer, item.missing) == (Answer.NOT_ANSWERED, "importer")


def test_environment_needs_shade_water_and_composting_observed_or_reported(good_lot, producer):
    v = Visit(1, date(2024, 8, 20), observations=(
        Observation(Topic.SHADE, Evidence.OBSERVED),
        Observation(Topic.WATER_USE, Evidence.NOT_CHECKED),
    ))
    item = check(good_lot, producer, visits=[v]).item("environment")
    assert item.answer is Answer.NOT_ANSWERED
    assert item.missing == "water use, composting of pulp"


def test_commitment_must_cover_this_harvest_and_another(good_lot, producer):
    one_year = [Commitment(1, 2025, 2025, volume_kg=D(1))]
    assert check(good_lot, producer, commitments=one_year).item("commitment").answer is \
        Answer.NOT_ANSWERED
    other = [Commitment(1, 2021, 2023, volume_kg=D(1))]
    assert check(good_lot, producer, commitments=other).item("commitment").answer is \
        Answer.NOT_ANSWERED


def test_labour_by_observation_in_person_or_by_certification(good_lot, producer):
    heard = Visit(1, date(2024, 8, 20), observations=(
        Observation(Topic.CHILD_LABOUR, Evidence.REPORTED),))
    remote = Visit(1, date(2024, 8, 21), mode=VisitMode.VIDEO, observations=(
        Observation(Topic.CHILD_LABOUR, Evidence.OBSERVED),))
    old = Visit(1, date(2023, 3, 13), observations=(
        Observation(Topic.PAY_VS_MINIMUM, Evidence.OBSERVED),))
    organic_only = [Certification(1, Scheme.ORGANIC_EU, valid_from=date(2023, 1, 1),
                                  valid_to=date(2026, 1, 1))]
    c = check(good_lot, producer, visits=[heard, remote, old], certifications=organic_only)
    assert c.item("labour").answer is Answer.NOT_ANSWERED
    assert c.item("visit").answer is Answer.ANSWERED  # the reported visit was in person
    seen = Visit(1, date(2023, 3, 15), observations=tuple(  # 730 days before
        Observation(t, Evidence.OBSERVED, outcome=Outcome.NO_ISSUE) for t in LABOUR_TOPICS))
    assert check(good_lot, producer, visits=[seen], certifications=[]).item(
        "labour").answer is Answer.ANSWERED
    assert check(good_lot, producer, visits=[]).item("labour").answer is Answer.ANSWERED


def test_one_labour_topic_seen_is_not_labour_conditions_verified(good_lot, producer):
    """Workers' housing, pay, child labour and safety equipment each seen with no issue, on one
    in-person visit or several within 24 months; short of that the item names what is left."""
    def seen(day, *topics):
        return Visit(1, day, observations=tuple(
            Observation(t, Evidence.OBSERVED, outcome=Outcome.NO_ISSUE) for t in topics))

    def labour(*visits):
        return check(good_lot, producer, visits=list(visits), certifications=[]).item("labour")

    one = labour(seen(date(2024, 8, 20), Topic.SAFETY_EQUIPMENT))
    assert one.answer is Answer.NOT_ANSWERED
    assert one.missing == ("workers' housing, pay relative to local minimum and child labour "
                           "seen in person with no issue within 24 months (safety equipment "
                           "was), or a current certification")
    two_visits = (seen(date(2024, 8, 20), Topic.SAFETY_EQUIPMENT, Topic.CHILD_LABOUR),
                  seen(date(2025, 1, 9), Topic.WORKER_HOUSING, Topic.PAY_VS_MINIMUM))
    assert labour(*two_visits).answer is Answer.ANSWERED
    outside = replace(two_visits[1], date=date(2022, 1, 9))  # more than 24 months before
    late = labour(two_visits[0], outside)
    assert late.answer is Answer.NOT_ANSWERED and late.missing.startswith(
        "workers' housing and pay relative to local minimum seen in person with no issue within "
        "24 months (child labour and safety equipment were)")
    remote = replace(two_visits[1], mode=VisitMode.VIDEO)  # seen on a video call: not in person
    assert labour(two_visits[0], remote).answer is Answer.NOT_ANSWERED


def test_only_no_issue_seen_in_person_ticks_labour_and_an_issue_is_never_ticked_over(
        good_lot, producer):
    """docs/domain.md: only "no issue seen" in person supports the tick; an outcome not
    recorded supports nothing; an issue found is stated, even beside a current certificate."""
    def visit(outcome):  # child labour's outcome as given, the other labour topics no issue
        return Visit(1, date(2024, 8, 20), observations=(
            Observation(Topic.CHILD_LABOUR, Evidence.OBSERVED, "seen", outcome),
            *(Observation(t, Evidence.OBSERVED, outcome=Outcome.NO_ISSUE)
              for t in LABOUR_TOPICS - {Topic.CHILD_LABOUR})))

    def labour(outcome, certs):  # certs None: the full records' certificates
        more = {} if certs is None else {"certifications": certs}
        return check(good_lot, producer, visits=[visit(outcome)], **more).item("labour")

    assert labour(Outcome.NO_ISSUE, []).answer is Answer.ANSWERED
    assert labour(None, []).answer is Answer.NOT_ANSWERED
    found = labour(Outcome.ISSUE, [])
    assert found.answer is Answer.NOT_ANSWERED and "issue found" in found.missing
    assert labour(Outcome.ISSUE, None).answer is Answer.NOT_ANSWERED  # the default certificate
    assert labour(None, None).answer is Answer.ANSWERED  # a labour certificate alone
    with pytest.raises(ValueError, match="only a topic observed"):
        Observation(Topic.CHILD_LABOUR, Evidence.REPORTED, outcome=Outcome.NO_ISSUE)


def test_visit_within_24_months_in_person_only(good_lot, producer):
    remote = Visit(1, date(2025, 1, 5), mode=VisitMode.CALL)
    too_old = Visit(1, date(2023, 3, 13))  # 732 days before the contract
    c = check(good_lot, producer, visits=[remote, too_old])
    assert c.item("visit").answer is Answer.NOT_ANSWERED
    after = Visit(1, date(2027, 3, 14))  # 730 days after also counts
    assert check(good_lot, producer, visits=[after]).item("visit").answer is Answer.ANSWERED


def test_premium_use_needs_a_project_around_the_harvest(good_lot, producer):
    for year, answer in ((2023, Answer.NOT_ANSWERED), (2024, Answer.ANSWERED),
                         (2026, Answer.ANSWERED), (2027, Answer.NOT_ANSWERED)):
        projects = [Project(1, year, ProjectCategory.WATER, D(100))]
        assert check(good_lot, producer, projects=projects).item("premium_use").answer is answer


def test_claimed_certifications_must_be_current(good_lot, producer):
    lot = replace(good_lot, certifications_claimed=(Scheme.FAIRTRADE, Scheme.ORGANIC_EU))
    item = check(lot, producer).item("certifications")
    assert (item.answer, item.missing) == (Answer.NOT_ANSWERED,
                                           "current certificate for Organic (EU)")
    lapsed = [Certification(1, Scheme.FAIRTRADE, valid_from=date(2020, 1, 1),
                            valid_to=date(2024, 12, 31))]
    item = check(good_lot, producer, certifications=lapsed).item("certifications")
    assert item.missing == "current certificate for Fairtrade"


def test_relationship_not_answered_when_first_harvest_is_after_the_lot(good_lot, producer):
    c = check(good_lot, producer, first_harvest=2026)
    assert c.item("relationship").answer is Answer.NOT_ANSWERED


def test_reference_date_contract_then_fixation_then_mid_harvest(make_lot):
    assert reference_date(make_lot()) == date(2025, 3, 14)
    lot = make_lot(contract_date=None, fixations=(
        Fixation(date(2025, 5, 2), D(380)), Fixation(date(2025, 4, 1), D(390))))
    assert reference_date(lot) == date(2025, 4, 1)
    assert reference_date(make_lot(contract_date=None, fixations=())) == date(2025, 6, 30)


def test_visit_evidence_computed_once_gives_every_lot_the_same_answers(good_lot, producer):
    """Bulk work passes each producer's visit evidence once; the answers are the ones the
    checklist computes from the visits for lots of every date."""
    from roasterdesk.domain.transparency import visit_evidence

    visits = [
        Visit(1, date(2024, 8, 20), observations=(
            Observation(Topic.SHADE, Evidence.OBSERVED),
            *(Observation(t, Evidence.OBSERVED, outcome=Outcome.NO_ISSUE)
              for t in sorted(LABOUR_TOPICS)))),
        Visit(1, date(2021, 2, 1), observations=(
            Observation(Topic.WATER_USE, Evidence.REPORTED),
            Observation(Topic.SAFETY_EQUIPMENT, Evidence.OBSERVED, outcome=Outcome.ISSUE))),
        Visit(1, date(2024, 9, 1), mode=VisitMode.VIDEO, observations=(
            Observation(Topic.COMPOSTING, Evidence.REPORTED),)),
    ]
    ev = visit_evidence(visits)
    assert ev.seen == {Topic.SHADE, *LABOUR_TOPICS, Topic.WATER_USE, Topic.COMPOSTING}
    assert ev.in_person == ((date(2024, 8, 20), False, LABOUR_TOPICS),
                            (date(2021, 2, 1), True, frozenset()))
    answers = set()
    for on in (date(2020, 6, 1), date(2022, 5, 1), date(2025, 3, 14), date(2027, 1, 1)):
        lot = replace(good_lot, contract_date=on)
        plain = checklist(lot, producer, visits=visits, certifications=[], commitments=[],
                          projects=[])
        given = checklist(lot, producer, visits=[], certifications=[], commitments=[],
                          projects=[], evidence=ev)
        assert given == plain
        answers.add((plain.item("labour").answer, plain.item("visit").answer))
    assert len({labour for labour, _ in answers}) > 1  # the dates reach different answers
