from decimal import Decimal as D

from roasterdesk.domain.history import harvest_history
from roasterdesk.domain.model import Lot, LotStatus
from roasterdesk.domain.pricing import economics


def lot(code, harvest, kg=None, fob=None, c=None, score=None, status=LotStatus.ARRIVED):
    return Lot(code, 1, harvest, weight_kg=D(kg) if kg else None, fob_usd_lb=fob and D(fob),
               c_cents_lb=c and D(c), quality_score=score and D(score), status=status)


def test_history_weights_prices_and_quality_by_green_weight():
    lots = [
        lot("A", 2024, "1000", "4.00", "300", "86"),
        lot("B", 2024, "3000", "5.00", "300", "84"),
        lot("C", 2023, "500", "3.00", "200"),
        lot("D", 2024, None, "9.00", "300", "90"),  # no weight: counted as a lot only
        lot("E", 2024, "9000", "1.00", status=LotStatus.CANCELLED),
        lot("F", 2024, "9000", "1.00", status=LotStatus.OFFER),  # offered, not bought
        lot("G", 2025, "2000", "6.00", status=LotStatus.OFFER),  # no harvest of its own
    ]
    points = harvest_history((x, economics(x)) for x in lots)
    assert [p.harvest for p in points] == [2023, 2024]
    old, new = points
    assert (old.lots, old.volume_kg, old.fob_usd_lb, old.quality_score) == (1, D(500), D(3), None)
    assert old.farm_gate_usd_lb is None
    assert new.lots == 3
    assert new.volume_kg == D(4000)
    assert new.fob_usd_lb == D("4.75")  # (1000×4 + 3000×5) / 4000
    assert new.c_usd_lb == D(3)
    assert new.quality_score == D("84.5")


def test_history_of_no_lots_is_empty():
    assert harvest_history([]) == []
