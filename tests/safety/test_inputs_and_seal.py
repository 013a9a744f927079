"""Holes 7, 8 (search) and 11 (LIKE): a flipped byte after command-line work is caught by the
seal; a search of thousands of words is bounded; '%' and '_' in a filter match themselves."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from roasterdesk.domain.model import Producer, ProducerKind
from roasterdesk.store.seal import seal_path

ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def cli(db, *argv):
    return subprocess.run([sys.executable, "-m", "roasterdesk", "--db", str(db), *map(str, argv)],
                          capture_output=True, text=True, env=ENV, timeout=120)


def test_a_flipped_byte_after_command_line_work_is_seen(filled, tmp_path):
    db, _ = filled
    csv = tmp_path / "p.csv"
    csv.write_text("Producer,Country\nFinca Sellada,CO\n")
    assert cli(db, "import", csv, "--kind", "producers").returncode == 0
    assert seal_path(db).exists()  # sealed after the command line wrote, as the app does
    data = bytearray(db.read_bytes())
    at = data.find(b"Finca Sellada")
    assert at > 0
    st = db.stat()
    data[at] ^= 0x01
    db.write_bytes(bytes(data))
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns))  # damage at rest keeps the time
    done = cli(db, "info")
    assert done.returncode == 2 and "is damaged" in done.stderr, done.stderr


def test_a_search_of_thousands_of_words_is_bounded(store):
    store.save_producer(Producer("Finca Uno", ProducerKind.FARM, "CO"))
    started = time.monotonic()
    store.search(" ".join(f"w{i}" for i in range(3000)))
    assert time.monotonic() - started < 2


def test_like_wildcards_typed_by_the_user_match_themselves(store):
    store.save_producer(Producer("Finca Uno", ProducerKind.FARM, "CO"))
    store.save_producer(Producer("100% Arabica", ProducerKind.FARM, "CO"))
    assert [r[1] for r in store.producers_named_like("%")] == ["100% Arabica"]
    assert store.producers_named_like("_") == []
