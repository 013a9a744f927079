"""Child process of test_crash.py: user-level writes through the Store, each acknowledged.

``python crash_child.py DB START TOTAL``: for write ``i`` from START to TOTAL-1 it saves a
producer (first 20), then visits with a follow-up and lots with a premium, and prints ``i`` on
stdout after the commit returned. A write found already committed (killed before its
acknowledgement) is acknowledged without writing again.
"""

from __future__ import annotations

import sys
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from roasterdesk.domain.model import (
    FollowUp,
    Lot,
    Premium,
    PremiumBasis,
    PremiumType,
    Producer,
    ProducerKind,
    Visit,
)
from roasterdesk.services.lock import WriterLock
from roasterdesk.store import Store

PRODUCERS = 20


def uid(i: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"roasterdesk-crash-{i}"))


def table_of(i: int) -> str:
    return "producers" if i < PRODUCERS else ("lots" if i % 3 == 0 else "visits")


def main() -> None:
    db, start, total = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    lock = WriterLock(db, "crash test").acquire()
    store = Store.open(db)
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    pids = {}
    for i in range(start, total):
        u = uid(i)
        table = table_of(i)
        if not store.db.execute(f"SELECT 1 FROM {table} WHERE uuid = ?", [u]).fetchone():
            if table == "producers":
                store.save_producer(Producer(f"Crash farm {i}", ProducerKind.FARM, "CO", uuid=u))
            else:
                if not pids:
                    pids = {n: store.producer_by_uuid(uid(n)).id for n in range(PRODUCERS)}
                pid = pids[i % PRODUCERS]
                if table == "lots":
                    store.save_lot(Lot(
                        f"CR-{i:05d}", pid, 2025, bags=10, bag_kg=Decimal(69),
                        fob_usd_lb=Decimal("3.10"), c_cents_lb=Decimal("250.5"), uuid=u,
                        premiums=(Premium(PremiumType.QUALITY, PremiumBasis.PER_KG,
                                          Decimal("0.55"), uuid=uid(-i)),),
                    ))
                else:
                    store.save_visit(Visit(pid, date(2025, 1 + i % 12, 1 + i % 28),
                                           notes=f"write {i} " * 10, uuid=u,
                                           follow_ups=(FollowUp(f"samples for {i}",
                                                                uuid=uid(-i)),)))
        out.write(f"{i}\n")
        out.flush()
    store.close()
    lock.release()


if __name__ == "__main__":
    main()
