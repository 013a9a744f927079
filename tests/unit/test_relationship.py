"""Relationship metrics: runs of harvests, visits, commitments kept or not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from roasterdesk.domain.model import (
    Commitment,
    ContractType,
    Fixation,
    Lot,
    LotStatus,
    Visit,
    VisitMode,
)
from roasterdesk.domain.relationship import (
    CommitmentState,
    evaluate_commitment,
    relationship,
)

D = Decimal


def lot(harvest, kg=1400, fob="4.75", producer_id=1, **kw):
    return Lot(f"L{harvest}-{kg}", producer_id, harvest, weight_kg=D(kg),
               fob_usd_lb=D(fob) if fob else None, **kw)


def test_runs_of_consecutive_harvests():
    lots = [lot(y) for y in (2016, 2017, 2018, 2020, 2021, 2023, 2024, 2025)]
    lots.append(lot(2025, kg=700))  # two lots in one harvest count once
    lots.append(lot(2019, status=LotStatus.CANCELLED))  # a cancelled lot bridges nothing
    lots.append(lot(2022, status=LotStatus.OFFER))  # nor does an offer: it was not bought
    r = relationship(lots, [], [], current_harvest=2025)
    assert (r.first_harvest, r.last_harvest) == (2016, 2025)
    assert r.harvests_bought == 8
    assert r.longest_run == 3
    assert r.current_run == 3
    assert r.years_together(2025) == 10


def test_current_run_allows_the_current_harvest_not_yet_bought():
    lots = [lot(y) for y in (2022, 2023, 2024)]
    assert relationship(lots, [], [], 2025).current_run == 3
    assert relationship(lots, [], [], 2026).current_run == 0
    assert relationship(lots, [], [], 2026).longest_run == 3


def test_no_lots_no_relationship_yet():
    r = relationship([], [], [], 2025)
    assert r.first_harvest is None and r.last_harvest is None
    assert r.harvests_bought == r.longest_run == r.current_run == 0
    assert r.years_together(2025) == 0
    assert r.last_in_person_visit is None


def test_visits_in_person_vs_remote_and_last_in_person():
    visits = [
        Visit(1, date(2023, 2, 10)),
        Visit(1, date(2024, 11, 5)),
        Visit(1, date(2025, 1, 20), mode=VisitMode.VIDEO),
        Visit(1, date(2025, 3, 1), mode=VisitMode.CALL),
        Visit(1, date(2025, 4, 2), mode=VisitMode.MESSAGE),
    ]
    r = relationship([], visits, [], 2025)
    assert r.in_person_visits == 2
    assert r.remote_contacts == 3
    assert r.last_in_person_visit == date(2024, 11, 5)


def test_commitment_kept_by_volume():
    c = Commitment(1, 2023, 2024, volume_kg=D(1000))
    lots = [lot(2023, 1200), lot(2024, 900), lot(2025, 5000), lot(2024, 5000, producer_id=2)]
    res = evaluate_commitment(c, lots, current_harvest=2025)
    assert res.committed_kg == 2000 and res.delivered_kg == 2100
    assert res.volume_met is True and res.price_met is None
    assert res.state is CommitmentState.KEPT


def test_commitment_not_kept_by_volume_once_over():
    c = Commitment(1, 2023, 2024, volume_kg=D(1000))
    lots = [lot(2023, 1000), lot(2024, 500), lot(2024, 800, status=LotStatus.CANCELLED),
            lot(2024, 900, status=LotStatus.OFFER)]
    res = evaluate_commitment(c, lots, current_harvest=2025)
    assert res.delivered_kg == 1500
    assert res.volume_met is False
    assert res.state is CommitmentState.NOT_KEPT


def test_commitment_in_progress_until_its_last_harvest():
    c = Commitment(1, 2024, 2026, volume_kg=D(1000))
    res = evaluate_commitment(c, [lot(2024, 1000), lot(2025, 1000)], current_harvest=2025)
    assert res.state is CommitmentState.IN_PROGRESS
    assert res.volume_met is False


def test_commitment_by_price_floor_uses_volume_weighted_fob():
    c = Commitment(1, 2023, 2024, price_floor_usd_lb=D("4.00"))
    lots = [lot(2023, 1000, "3.50"), lot(2024, 3000, "4.25"), lot(2024, 500, fob=None)]
    res = evaluate_commitment(c, lots, current_harvest=2025)
    assert res.average_fob_usd_lb == (D(1000) * D("3.50") + D(3000) * D("4.25")) / 4000
    assert res.price_met is True and res.state is CommitmentState.KEPT
    lots = [lot(2023, 3000, "3.50"), lot(2024, 1000, "4.25")]
    res = evaluate_commitment(c, lots, current_harvest=2025)
    assert res.price_met is False and res.state is CommitmentState.NOT_KEPT


def test_commitment_price_of_a_ptbf_lot_is_its_fixed_fob():
    ptbf = Lot("P", 1, 2024, weight_kg=D(1000), contract_type=ContractType.PTBF,
               fixations=(Fixation(date(2024, 3, 1), D(250)),), differential_cents_lb=D(60))
    c = Commitment(1, 2024, 2024, price_floor_usd_lb=D("3.00"))
    res = evaluate_commitment(c, [ptbf], current_harvest=2025)
    assert res.average_fob_usd_lb == D("3.10") and res.state is CommitmentState.KEPT


def test_commitment_needs_both_volume_and_price():
    c = Commitment(1, 2023, 2023, volume_kg=D(1000), price_floor_usd_lb=D("4.00"))
    res = evaluate_commitment(c, [lot(2023, 1500, "3.90")], current_harvest=2025)
    assert (res.volume_met, res.price_met) == (True, False)
    assert res.state is CommitmentState.NOT_KEPT


def test_price_floor_without_any_priced_lot_is_unknown():
    c = Commitment(1, 2023, 2023, price_floor_usd_lb=D("4.00"))
    res = evaluate_commitment(c, [lot(2023, 1000, fob=None)], current_harvest=2025)
    assert res.average_fob_usd_lb is None and res.price_met is None
    assert res.state is CommitmentState.NOT_KEPT


def test_volume_met_but_price_floor_unknown_is_not_kept():
    c = Commitment(1, 2023, 2024, volume_kg=D(1000), price_floor_usd_lb=D("4.00"))
    lots = [lot(2023, 1000, fob=None), lot(2024, 1000, fob=None)]
    res = evaluate_commitment(c, lots, current_harvest=2025)
    assert (res.volume_met, res.price_met) == (True, None)
    assert res.state is CommitmentState.NOT_KEPT
    assert evaluate_commitment(c, lots, current_harvest=2024).state is \
        CommitmentState.IN_PROGRESS


def test_relationship_counts_commitments():
    cs = [Commitment(1, 2023, 2023, volume_kg=D(1000)),
          Commitment(1, 2022, 2022, volume_kg=D(1000)),
          Commitment(1, 2025, 2027, volume_kg=D(1000))]
    r = relationship([lot(2023, 1000)], [], cs, 2025)
    assert [x.state for x in r.commitments] == [
        CommitmentState.KEPT, CommitmentState.NOT_KEPT, CommitmentState.IN_PROGRESS]
    assert r.commitments_kept == 1
    assert r.commitments_closed == 2
