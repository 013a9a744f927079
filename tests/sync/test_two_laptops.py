"""Two laptops against a real PostgreSQL hub: offline edits, conflicts, roles, tombstones."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.domain.model import (
    Fixation,
    FollowUp,
    Lot,
    Producer,
    ProducerKind,
    Visit,
    VisitMode,
)
from roasterdesk.errors import UserError
from roasterdesk.services import sync

from .laptops import Laptop, as_role, hub_count, make_hub


@pytest.fixture
def hub(hub_url):
    make_hub(hub_url)
    return hub_url


@pytest.fixture
def a(hub, tmp_path):
    return Laptop(tmp_path / "a.sqlite", as_role(hub, "ana"))


@pytest.fixture
def b(hub, tmp_path):
    return Laptop(tmp_path / "b.sqlite", as_role(hub, "ben"))


def _farm(laptop, **kw):
    with laptop.open() as s:
        return s.save_producer(Producer("Finca El Mirador", ProducerKind.FARM, "CO",
                                        region="Nariño", **kw))


def _edit(laptop, uuid, **changes):
    with laptop.open() as s:
        p = _by_uuid(s, uuid)
        return s.save_producer(replace(p, **changes))


def _by_uuid(s, uuid):
    pid = s.log.id_of("producers", uuid)
    return s.producer(pid)


def _uuid(laptop, pid):
    with laptop.open() as s:
        return s.log.uuid_of("producers", pid)


def _shared_farm(a, b):
    farm = _farm(a)
    a.sync()
    got = b.sync()
    assert got.pulled == 1
    return _uuid(a, farm.id)


def test_same_field_offline_is_one_conflict_and_nothing_is_overwritten(a, b, hub):
    uid = _shared_farm(a, b)
    _edit(a, uid, region="Cauca")
    _edit(b, uid, region="Huila")
    assert a.sync().conflicts == 0
    got = b.sync()
    assert (got.conflicts, got.open_conflicts) == (1, 1)
    a.sync()
    with a.open() as s:
        assert _by_uuid(s, uid).region == "Cauca"
    with b.open() as s:
        assert _by_uuid(s, uid).region == "Huila"  # not overwritten by the pull either
        [c] = sync.conflicts(s)
        assert (c.field, c.mine, c.theirs, c.their_author) == ("region", "Huila", "Cauca", "ana")
        assert sync.conflicted_records(s) == {("producers", uid)}
    assert hub_count(hub, "SELECT count(*) FROM roasterdesk.conflicts") == 1
    # a second sync adds no second conflict
    assert b.sync().open_conflicts == 1
    # keep theirs: B takes Cauca; the hub is unchanged and A sees nothing new
    with b.open() as s:
        sync.resolve(s, c.id, "theirs")
        assert _by_uuid(s, uid).region == "Cauca"
        assert sync.conflicts(s) == []
    b.sync()
    assert a.sync().pulled == 0
    assert hub_count(hub, "SELECT count(*) FROM roasterdesk.conflicts") == 1


def test_keep_mine_is_sent_on_the_next_sync(a, b):
    uid = _shared_farm(a, b)
    _edit(a, uid, region="Cauca")
    _edit(b, uid, region="Huila")
    a.sync()
    b.sync()
    with b.open() as s:
        [c] = sync.conflicts(s)
        sync.resolve(s, c.id, "mine")
    assert b.sync().conflicts == 0
    a.sync()
    for laptop in (a, b):
        with laptop.open() as s:
            assert _by_uuid(s, uid).region == "Huila"


def test_different_fields_are_both_kept(a, b):
    uid = _shared_farm(a, b)
    _edit(a, uid, region="Cauca")
    _edit(b, uid, notes="new drying beds")
    a.sync()
    assert b.sync().conflicts == 0
    a.sync()
    for laptop in (a, b):
        with laptop.open() as s:
            p = _by_uuid(s, uid)
            assert (p.region, p.notes) == ("Cauca", "new drying beds")
            assert sync.conflicts(s) == []


def test_lots_and_visits_added_offline_arrive_once(a, b, hub):
    uid = _shared_farm(a, b)
    with a.open() as s:
        pid = s.log.id_of("producers", uid)
        for i in range(7):
            s.save_lot(Lot(f"CO-25-{i:03d}", pid, 2025, differential_cents_lb=Decimal(40 + i)))
        for i in range(4):
            s.save_visit(Visit(pid, date(2025, 1, 1 + i), VisitMode.IN_PERSON, ("Ana",),
                               follow_ups=(FollowUp(f"call {i}", "Ana"),)))
    a.sync()
    a.sync()  # a second push sends nothing twice
    b.sync()
    b.sync()
    with a.open() as sa, b.open() as sb:
        pa, pb = sa.log.id_of("producers", uid), sb.log.id_of("producers", uid)
        assert len(sb.lots(pb)) == len(sa.lots(pa)) == 7
        assert len(sb.visits(pb)) == len(sa.visits(pa)) == 4
        assert sb.counts() == sa.counts()
        assert sorted(lot.differential_cents_lb for lot in sb.lots(pb)) == [
            Decimal(40 + i) for i in range(7)]
    assert hub_count(hub, "SELECT count(*) FROM roasterdesk.rows WHERE table_name = 'lots'") == 7
    assert hub_count(hub, "SELECT count(*) FROM roasterdesk.changes WHERE field = '*' AND "
                          "table_name IN ('lots', 'visits')") == 11


def test_a_viewers_price_change_is_refused_and_shown(a, b, hub, tmp_path):
    uid = _shared_farm(a, b)
    with a.open() as s:
        lot = s.save_lot(Lot("CO-25-100", s.log.id_of("producers", uid), 2025,
                             differential_cents_lb=Decimal(40)))
    a.sync()
    v = Laptop(tmp_path / "v.sqlite", as_role(hub, "vic"))
    assert v.sync().pulled > 0  # a viewer reads everything
    with v.open() as s:
        mine = s.lot_by_code("CO-25-100")
        s.save_lot(replace(mine, differential_cents_lb=Decimal(5)))
    got = v.sync()
    assert got.refused == 1 and got.open_conflicts == 1
    with v.open() as s:
        [c] = sync.conflicts(s)
        assert (c.kind, c.field, c.mine, c.theirs) == ("refused", "differential_cents_lb",
                                                       "5", "40")
        with pytest.raises(UserError, match="refuses"):
            sync.resolve(s, c.id, "mine")
        # a second refused edit: the conflict shows the laptop's value now (it kept "5")
        s.save_lot(replace(s.lot_by_code("CO-25-100"), differential_cents_lb=Decimal(7)))
    assert v.sync().refused == 1
    with v.open() as s:
        [c] = sync.conflicts(s)
        assert (c.mine, c.theirs) == ("7", "40")
        # keep theirs: the hub's value, never sent back (it was refused again, a new
        # conflict each sync, and could never be cleared)
        sync.resolve(s, c.id, "theirs")
        assert s.lot_by_code("CO-25-100").differential_cents_lb == Decimal(40)
    got = v.sync()
    assert (got.pushed, got.refused, got.open_conflicts) == (0, 0, 0)
    a.sync()
    with a.open() as s:
        assert s.lot(lot.id).differential_cents_lb == Decimal(40)
    assert hub_count(hub, "SELECT count(*) FROM roasterdesk.ops WHERE author = 'vic'") == 0


def test_a_deleted_producer_disappears_on_the_other_laptop_and_its_lots_stay(a, b):
    uid = _shared_farm(a, b)
    with b.open() as s:  # B buys a lot from it while offline
        s.save_lot(Lot("CO-25-200", s.log.id_of("producers", uid), 2025))
    with a.open() as s:  # A, which has no lot of it, deletes the producer
        s.delete_producer(s.log.id_of("producers", uid))
        assert s.producers() == []
    a.sync()
    b.sync()
    a.sync()
    for laptop in (a, b):
        with laptop.open() as s:
            assert s.producers() == []
            lot = s.lot_by_code("CO-25-200")
            assert s.log.uuid_of("producers", lot.producer_id) == uid


def test_a_change_that_cannot_apply_here_is_a_conflict_and_blocks_nothing(a, b):
    """Both laptops give the same lot code to different lots offline: each keeps its own, the
    other's lot is a conflict naming the reason, and later changes still arrive."""
    uid = _shared_farm(a, b)
    for laptop in (a, b):
        with laptop.open() as s:
            s.save_lot(Lot("CO-25-300", s.log.id_of("producers", uid), 2025))
    a.sync()
    got = b.sync()
    assert got.conflicts == 1
    _edit(a, uid, region="Cauca")
    a.sync()
    assert b.sync().pulled == 1  # not blocked
    with b.open() as s:
        assert _by_uuid(s, uid).region == "Cauca"
        [c] = sync.conflicts(s)
        assert (c.record, c.field, c.mine) == ("lot CO-25-300", "*", None)
        assert "CO-25-300" in json.dumps(c.theirs)
        assert c.base == "another lot here already has this code"
        with pytest.raises(UserError, match="could not be added here"):
            sync.resolve(s, c.id, "theirs")
        sync.resolve(s, c.id, "mine")
        assert sync.conflicts(s) == []


def test_a_refused_lot_does_not_take_the_rest_of_its_page_with_it(a, b):
    """A page holds a new farm, its visit, a lot whose code this laptop gave to another lot,
    and a second lot with a fixation: only the lot with the taken code (and what hangs on it)
    becomes a conflict; the farm, the visit and the other lot arrive (rows inserted before the
    page was retried one by one are not remembered by id: no 'FOREIGN KEY' refusals)."""
    with b.open() as s:
        mine = s.save_producer(Producer("Finca de Ben", ProducerKind.FARM, "CO"))
        s.save_lot(Lot("CO-25-777", mine.id, 2025))
    b.sync()
    with a.open() as s:
        farm = s.save_producer(Producer("Finca Nueva", ProducerKind.FARM, "PE", region="Cusco"))
        s.save_visit(Visit(farm.id, date(2025, 5, 2), notes="drying beds"))
        s.save_lot(Lot("CO-25-777", farm.id, 2025))
        s.save_lot(Lot("PE-25-001", farm.id, 2025, fixations=(
            Fixation(date(2025, 3, 1), Decimal("280.00")),)))
    a.sync()
    got = b.sync()
    with b.open() as s:
        cs = sync.conflicts(s)
        assert [(c.record, c.base) for c in cs] == [
            ("lot CO-25-777", "another lot here already has this code")], cs
        (new,) = s.producers("name = 'Finca Nueva'")
        assert len(s.visits(new.id)) == 1
        (other,) = [x for x in s.lots(new.id) if x.code == "PE-25-001"]
        assert len(other.fixations) == 1
    assert got.conflicts == 1


@pytest.mark.parametrize("at_once", [sync.HELD_AT_ONCE, 0])
def test_a_pull_holds_fields_with_unpushed_changes_read_once_or_one_by_one(a, b, monkeypatch,
                                                                          at_once):
    """A page looks the held fields up once (or, past HELD_AT_ONCE of them, change by change):
    the same conflicts either way, and the fields nobody touched here arrive."""
    monkeypatch.setattr(sync, "HELD_AT_ONCE", at_once)
    uid = _shared_farm(a, b)
    _edit(a, uid, region="Cauca")
    _edit(a, uid, region="Tolima", municipality="Pasto")
    a.sync()
    _edit(b, uid, region="Huila")  # not pushed: only pulled below
    with b.open() as s, sync.connect(b.url) as conn:
        result = sync.SyncResult()
        sync.pull(s, conn, result)
        assert (result.pulled, result.conflicts) == (1, 1)
        p = _by_uuid(s, uid)
        assert (p.region, p.municipality) == ("Huila", "Pasto")
        [c] = sync.conflicts(s)
        assert (c.field, c.mine, c.theirs) == ("region", "Huila", "Tolima")
        assert sync.waiting(s) == 1


def test_a_laptop_does_not_read_its_own_changes_back(a, b, hub):
    """The pull skips this device's changes on the hub and its cursor ends past them."""
    _farm(a)
    for i in range(3):
        with a.open() as s:
            s.save_producer(Producer(f"Farm {i}", ProducerKind.FARM, "PE", region="Cusco"))
    assert a.sync().pulled == 0
    last = hub_count(hub, "SELECT max(seq) FROM roasterdesk.changes")
    with a.open() as s:
        assert int(sync._state(s, "pull_cursor")) == last
    assert b.sync().pulled == 4
    _farm(b)
    assert b.sync().pulled == 0
    assert a.sync().pulled == 1
    with a.open() as s:
        assert int(sync._state(s, "pull_cursor")) == hub_count(
            hub, "SELECT max(seq) FROM roasterdesk.changes")


def test_a_visits_photos_reach_the_other_laptop_as_files(a, b, tmp_path):
    """Photo files went up to the hub but never came down: the other laptop's visit named
    photos its folder lacked, and its statements left them out without a word. The pull now
    fetches them, checked against their hash; one whose file no laptop sent is counted."""
    from roasterdesk.services.attachments import add_photo, photo_path
    from roasterdesk.services.backup import attachments_dir_for
    from roasterdesk.services.sync_photos import missing_files

    farm = _farm(a)
    shot = tmp_path / "drying beds.jpg"
    shot.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 40)
    with a.open() as s:
        photo = add_photo(shot, attachments_dir_for(a.path), caption="Raised beds")
        gone = add_photo(_write(tmp_path / "lost.png", b"\x89PNG" + b"x" * 500),
                         attachments_dir_for(a.path))
        s.save_visit(Visit(farm.id, date(2025, 3, 10), VisitMode.IN_PERSON,
                           photos=(photo, gone)))
    photo_path(attachments_dir_for(a.path), gone).unlink()  # its file lost before the push
    a.sync()
    got = b.sync()
    assert (got.photos, got.photos_not_on_hub) == (1, 1)
    mine = photo_path(attachments_dir_for(b.path), photo)
    assert mine.read_bytes() == shot.read_bytes()
    with b.open() as s:
        assert missing_files(s) == [(gone.sha256, gone.filename)]
        assert s.db.execute("SELECT count(*) FROM sync_state WHERE key = 'photos_wanted'"
                            ).fetchone()[0] == 0
    assert b.sync().photos == 0  # nothing asked again until photo rows come in
    # a laptop that joined before files came down (no check on record) gets them once
    mine.unlink()
    with b.open() as s, s.db.atomic():
        s.db.execute("DELETE FROM sync_state WHERE key = 'photos_checked'")
    assert b.sync().photos == 1 and mine.read_bytes() == shot.read_bytes()
    # files are asked in parts of at most FETCH_BYTES (one file at least): never all at once
    import roasterdesk.services.sync_photos as SP

    mine.unlink()
    with b.open() as s, s.db.atomic():
        s.db.execute("DELETE FROM sync_state WHERE key = 'photos_checked'")
    old = SP.FETCH_BYTES
    SP.FETCH_BYTES = 10
    try:
        assert b.sync().photos == 1
    finally:
        SP.FETCH_BYTES = old


def _write(path, data):
    path.write_bytes(data)
    return path


def _shared_visit(a, b):
    farm = _farm(a)
    with a.open() as s:
        v = s.save_visit(Visit(farm.id, date(2025, 3, 10), VisitMode.IN_PERSON, notes="first"))
    a.sync()
    b.sync()
    return v.uuid


def _visit(laptop, uuid):
    with laptop.open() as s:
        row = s.db.execute("SELECT id, notes, deleted_at FROM visits WHERE uuid = ?",
                           [uuid]).fetchone()
    return row


def _set_notes(laptop, uuid, notes):
    with laptop.open() as s:
        v = s.visit(s.log.id_of("visits", uuid))
        s.save_visit(replace(v, notes=notes))


def _delete(laptop, uuid):
    with laptop.open() as s:
        s.delete_visit(s.visit(s.log.id_of("visits", uuid)))


def test_an_edit_of_a_record_deleted_meanwhile_is_a_conflict_not_lost(a, b, capsys):
    """A deletes a visit; B, offline, writes its notes. B's notes went into the hidden, deleted
    record with no conflict. Now the record stays on B, B's notes are on the hub, the deletion
    is B's conflict; keeping mine brings the record back on A with B's notes."""
    uid = _shared_visit(a, b)
    _delete(a, uid)
    _set_notes(b, uid, "B: the new drying beds, and what was agreed")
    a.sync()
    got = b.sync()
    assert got.conflicts == 1
    with b.open() as s:
        (c,) = sync.conflicts(s)
        assert (c.table, c.row_uuid, c.field, c.mine) == ("visits", uid, "deleted_at", None)
        assert c.theirs is not None and c.their_author == "ana"
        cid = c.id
    from roasterdesk.cli import main

    assert main(["conflicts", "--db", str(b.path)]) == 0  # in words, not a bare timestamp
    listed = capsys.readouterr().out
    assert "deleted_at  mine kept  |  theirs deleted 20" in listed and "(ana, " in listed
    assert _visit(b, uid)[1:] == ("B: the new drying beds, and what was agreed", None)
    with b.open() as s:
        sync.resolve(s, cid, "mine")
    b.sync()
    a.sync()
    assert _visit(a, uid)[1:] == ("B: the new drying beds, and what was agreed", None)


def test_a_deletion_of_a_record_changed_meanwhile_is_a_conflict(a, b):
    """B writes a visit's notes and syncs; A, which had not pulled them, deletes the visit.
    The deletion made B's notes vanish with the record; now the record stays on the hub, A has
    a conflict naming B, and keeping theirs brings the record back on A with B's notes."""
    uid = _shared_visit(a, b)
    _set_notes(b, uid, "B: pickers' housing repaired")
    b.sync()
    _delete(a, uid)
    got = a.sync()
    assert got.conflicts == 1
    with a.open() as s:
        (c,) = sync.conflicts(s)
        assert (c.field, c.theirs, c.their_author) == ("deleted_at", None, "ben")
        assert c.mine is not None
        cid = c.id
        sync.resolve(s, cid, "theirs")
    a.sync()
    b.sync()
    assert _visit(a, uid)[1:] == ("B: pickers' housing repaired", None)
    assert _visit(b, uid)[1:] == ("B: pickers' housing repaired", None)
    # a deletion of a record no one changed since is no conflict
    _delete(a, uid)
    assert a.sync().conflicts == 0
    b.sync()
    assert _visit(b, uid)[2] is not None


def test_after_keep_theirs_a_teammates_later_change_is_applied(a, b, hub, tmp_path):
    """Keep theirs was logged with this laptop's clock at the time of resolving, and the refused
    edit stayed in the log: a teammate's change made before that moment but pushed after it
    was skipped here (last writer wins by clock) while the hub and everyone else held it."""
    c = Laptop(tmp_path / "c.sqlite", as_role(hub, "ben"))
    uid = _shared_farm(a, b)
    c.sync()
    _edit(b, uid, region="Cauca")
    b.sync()
    _edit(a, uid, region="Huila")
    assert a.sync().conflicts == 1
    c.sync()
    _edit(c, uid, region="Tolima")  # made before A resolves, pushed after
    with a.open() as s:
        (conflict,) = sync.conflicts(s)
        sync.resolve(s, conflict.id, "theirs")
        assert _by_uuid(s, uid).region == "Cauca"
    c.sync()
    a.sync()
    for laptop in (a, b, c):
        laptop.sync()
        with laptop.open() as s:
            assert _by_uuid(s, uid).region == "Tolima", laptop.path.name


def test_an_op_made_before_a_pull_is_sent_as_having_seen_only_what_it_saw(a, b):
    """A deletes a visit while a round of hers is pulling a teammate's notes on it (the window
    syncs in the background): the deletion was sent with the cursor after that pull, as if A
    had seen the notes, and they vanished with the visit. It is sent with the cursor A had
    when she deleted it, and is a conflict."""
    uid = _shared_visit(a, b)
    _delete(a, uid)  # the op is made; the round's pull has not brought B's notes yet
    _set_notes(b, uid, "B: new raised beds")
    b.sync()
    with a.open() as s, sync.connect(a.url) as conn:  # the round's pull, after its push
        sync.pull(s, conn, sync.SyncResult())
    got = a.sync()
    assert got.conflicts == 1
    with a.open() as s:
        (c,) = sync.conflicts(s)
        assert (c.field, c.theirs, c.their_author) == ("deleted_at", None, "ben")
    b.sync()
    assert _visit(b, uid)[1:] == ("B: new raised beds", None)  # kept on the hub and on B


def _follow_ups(laptop, uid):
    with laptop.open() as s:
        return s.db.execute("SELECT f.what, f.deleted_at IS NULL FROM follow_ups f JOIN visits v "
                            "ON v.id = f.visit_id WHERE v.uuid = ? ORDER BY f.id",
                            [uid]).fetchall()


@pytest.mark.parametrize("keep", ["theirs", "mine"])
def test_a_deletion_goes_as_one_with_the_records_it_takes(a, b, keep):
    """Deleting a visit deletes its follow-ups in the same op. With the visit's deletion a
    conflict, its follow-ups' deletions were applied: the visit lived on without them on every
    laptop, and keeping it did not bring them back. The op's deletions now go as one."""
    farm = _farm(a)
    with a.open() as s:
        v = s.save_visit(Visit(farm.id, date(2025, 3, 10), VisitMode.IN_PERSON, notes="first",
                               follow_ups=(FollowUp("send the moisture meter"),)))
    a.sync()
    b.sync()
    _set_notes(b, v.uuid, "B: the meter arrived")
    b.sync()
    _delete(a, v.uuid)
    assert a.sync().conflicts == 1
    b.sync()
    assert _follow_ups(b, v.uuid) == [("send the moisture meter", 1)]  # not deleted on the hub
    with a.open() as s:
        (c,) = sync.conflicts(s)
        sync.resolve(s, c.id, keep)
    a.sync()
    b.sync()
    alive = 1 if keep == "theirs" else 0
    for laptop in (a, b):
        assert (_visit(laptop, v.uuid)[2] is None) == bool(alive), (keep, laptop.path.name)
        assert _follow_ups(laptop, v.uuid) == [("send the moisture meter", alive)]


def test_a_deletion_of_a_record_a_teammate_added_to_is_a_conflict(a, b):
    """B adds a follow-up to a visit; A, which had not pulled it, deletes the visit: the new
    follow-up was left under a deleted visit on every laptop, out of sight. The deletion is a
    conflict naming B, and keeping theirs keeps the visit with B's follow-up."""
    uid = _shared_visit(a, b)
    with b.open() as s:
        v = s.visit(s.log.id_of("visits", uid))
        s.save_visit(replace(v, follow_ups=(FollowUp("B: send the drying-bed plans"),)))
    b.sync()
    _delete(a, uid)
    assert a.sync().conflicts == 1
    with a.open() as s:
        (c,) = sync.conflicts(s)
        assert (c.field, c.their_author) == ("deleted_at", "ben")
        sync.resolve(s, c.id, "theirs")
    a.sync()
    for laptop in (a, b):
        assert _visit(laptop, uid)[2] is None
        assert _follow_ups(laptop, uid) == [("B: send the drying-bed plans", 1)]


def test_a_file_many_photos_share_comes_down_once(a, b, tmp_path):
    """Photos of many visits that share one file (one hash, one extension) wrote and synced it
    to disk once per photo: a join of the large demo took half a minute more for 12 files."""
    from roasterdesk.services.attachments import add_photo, photo_path
    from roasterdesk.services.backup import attachments_dir_for
    from roasterdesk.services.sync_photos import missing_files

    farm = _farm(a)
    shot = tmp_path / "beds.jpg"
    shot.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 8)
    with a.open() as s:
        one = add_photo(shot, attachments_dir_for(a.path))
        for i in range(5):
            s.save_visit(Visit(farm.id, date(2025, 3, 1 + i), VisitMode.IN_PERSON,
                               photos=(replace(one, filename=f"visit-{i}.jpg"),)))
    a.sync()
    got = b.sync()
    assert (got.photos, got.photos_not_on_hub) == (1, 0)
    assert photo_path(attachments_dir_for(b.path), one).read_bytes() == shot.read_bytes()
    with b.open() as s:
        assert missing_files(s) == []
