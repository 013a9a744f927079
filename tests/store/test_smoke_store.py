from decimal import Decimal

from roasterdesk.domain.model import Lot, Producer, ProducerKind


def test_a_lot_round_trips_through_the_store(store):
    p = store.save_producer(Producer("Finca El Mirador", ProducerKind.FARM, "CO"))
    lot = store.save_lot(Lot("CO-25-001", p.id, 2025, bags=20, bag_kg=Decimal(70)))
    assert store.lot(lot.id) == lot
    assert store.lot(lot.id).weight == Decimal(1400)
