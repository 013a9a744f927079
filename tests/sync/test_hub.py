"""The hub's SQL on a real PostgreSQL: install/upgrade, roles, at-most-once ops, compare-and-set
conflicts and the refusal of a viewer's writes (grants and row-level security)."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest
from psycopg.types.json import Jsonb

from roasterdesk.cli import main
from roasterdesk.services import sync
from roasterdesk.services.hub_schema import HUB_SCHEMA_VERSION


def _as(url: str, role: str) -> str:
    return url.replace("postgresql://postgres@", f"postgresql://{role}@")


def _op(op_id, *changes):
    return {"op_id": op_id, "changes": [
        {"hlc": f"{i:015d}-000000-dev", "table": t, "row": r, "field": f, "old": o, "new": n}
        for i, (t, r, f, o, n) in enumerate(changes)]}


def _push(url, device, ops):
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT roasterdesk.push(%s, %s)", [device, Jsonb(ops)]).fetchone()[0]


@pytest.fixture
def hub(hub_url, capsys):
    assert main(["server", "init", "--url", hub_url]) == 0
    assert "installed" in capsys.readouterr().out
    return hub_url


def test_init_installs_then_upgrades_in_place(hub, capsys):
    assert main(["server", "init", "--url", hub]) == 0
    assert "up to date" in capsys.readouterr().out
    with psycopg.connect(hub) as conn:
        assert sync.hub_version(conn) == HUB_SCHEMA_VERSION


def test_an_older_hub_is_refused_by_a_client_until_its_owner_upgrades_it(hub, tmp_path,
                                                                          capsys):
    """Every laptop of a team syncs one shape of records: a hub not upgraded since this build's
    records changed (a role that may be not recorded, which an older RoasterDesk refuses to
    store) is refused with what to do; ``server init`` upgrades it in place."""
    from roasterdesk.store import Store

    with psycopg.connect(hub) as conn:
        conn.execute("UPDATE roasterdesk.hub_meta SET value = %s WHERE key = 'schema_version'",
                     [str(HUB_SCHEMA_VERSION - 1)])
    db = tmp_path / "a.sqlite"
    Store.open(db).close()
    assert main(["sync", "--db", str(db), "--hub", _as(hub, "postgres")]) == 2
    err = capsys.readouterr().err
    assert "set up by an older RoasterDesk" in err and "server init" in err
    assert main(["server", "init", "--url", hub]) == 0
    assert (f"upgraded from {HUB_SCHEMA_VERSION - 1} to {HUB_SCHEMA_VERSION}"
            in capsys.readouterr().out)
    assert main(["sync", "--db", str(db)]) == 0


def test_the_hub_version_is_decided_for_every_local_schema_step():
    """A new local schema step may change what a synced row holds; the hub's version says
    which records it carries (raise it when they change, then name the step here)."""
    from roasterdesk.services.hub_schema import RECORDS_OF_STEP
    from roasterdesk.store.schema import known_migrations

    assert RECORDS_OF_STEP == known_migrations()[-1], (
        "a new schema step: if it changes what a synced row may hold, raise "
        "HUB_SCHEMA_VERSION; then set RECORDS_OF_STEP to it")


def test_a_newer_hub_is_refused_by_client_and_init(hub, capsys):
    with psycopg.connect(hub) as conn:
        conn.execute("UPDATE roasterdesk.hub_meta SET value = %s WHERE key = 'schema_version'",
                     [str(HUB_SCHEMA_VERSION + 1)])
    with psycopg.connect(hub) as conn, pytest.raises(sync.HubError, match="newer RoasterDesk"):
        sync.check_hub(conn)
    assert main(["server", "init", "--url", hub]) == 2
    assert "newer RoasterDesk" in capsys.readouterr().err


def test_no_hub_is_a_clear_message(hub_url):
    with psycopg.connect(hub_url) as conn, pytest.raises(sync.HubError, match="server init"):
        sync.check_hub(conn)


def test_add_user_makes_a_login_role_in_its_group(hub, capsys):
    assert main(["server", "add-user", "ana", "--role", "buyer", "--url", hub]) == 0
    out = capsys.readouterr().out
    assert "ana is now a buyer" in out and "password" in out
    with psycopg.connect(hub) as conn:
        assert conn.execute("SELECT pg_has_role('ana', 'roasterdesk_buyer', 'MEMBER'), "
                            "pg_has_role('ana', 'roasterdesk_admin', 'MEMBER')").fetchone() == (
            True, False)
    # a role change moves the person between groups
    assert main(["server", "add-user", "ana", "--role", "viewer", "--url", hub]) == 0
    with psycopg.connect(hub) as conn:
        assert conn.execute("SELECT pg_has_role('ana', 'roasterdesk_buyer', 'MEMBER'), "
                            "pg_has_role('ana', 'roasterdesk_viewer', 'MEMBER')").fetchone() == (
            False, True)


def test_an_op_applies_at_most_once(hub):
    sync.add_user(hub, "bea", "buyer", "pw")
    url = _as(hub, "bea")
    op = _op("op-1", ("producers", "p1", "*", None, {"name": "Finca A", "region": "Huila"}))
    first = _push(url, "dev1", [op])
    again = _push(url, "dev1", [op])
    assert (first["applied"], first["skipped"]) == (1, 0)
    assert (again["applied"], again["skipped"], again["changes"]) == (0, 1, 0)
    with psycopg.connect(hub) as conn:
        assert conn.execute("SELECT count(*) FROM roasterdesk.changes").fetchone()[0] == 1
        assert conn.execute("SELECT author FROM roasterdesk.ops").fetchone()[0] == "bea"


def test_a_stale_base_makes_a_conflict_with_both_values(hub):
    sync.add_user(hub, "bea", "buyer", "pw")
    sync.add_user(hub, "cai", "buyer", "pw")
    _push(_as(hub, "bea"), "d1", [_op("o1", ("producers", "p1", "*", None, {"region": "Huila"}))])
    ok = _push(_as(hub, "bea"), "d1", [_op("o2", ("producers", "p1", "region", "Huila", "Cauca"))])
    assert ok["conflicts"] == [] and ok["changes"] == 1
    clash = _push(_as(hub, "cai"), "d2",
                  [_op("o3", ("producers", "p1", "region", "Huila", "Nariño"))])
    [c] = clash["conflicts"]
    assert (c["hub_value"], c["client_value"], c["base"]) == ("Cauca", "Nariño", "Huila")
    assert (c["hub_author"], c["author"]) == ("bea", "cai")
    # the re-push of the same op brings back the same conflict and changes nothing
    again = _push(_as(hub, "cai"), "d2",
                  [_op("o3", ("producers", "p1", "region", "Huila", "Nariño"))])
    assert [x["id"] for x in again["conflicts"]] == [c["id"]]
    with psycopg.connect(hub) as conn:
        assert conn.execute("SELECT value FROM roasterdesk.fields WHERE field = 'region'"
                            ).fetchone()[0] == "Cauca"
        assert conn.execute("SELECT count(*) FROM roasterdesk.conflicts").fetchone()[0] == 1


def test_a_viewer_changes_nothing(hub):
    sync.add_user(hub, "vic", "viewer", "pw")
    url = _as(hub, "vic")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _push(url, "d3", [_op("o9", ("lots", "l1", "price_usd_lb", "3.10", "0.10"))])
    for table in ("fields", "changes", "photos"):
        with psycopg.connect(url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"DELETE FROM roasterdesk.{table}")
    with psycopg.connect(url) as conn:  # but reads everything
        assert conn.execute("SELECT count(*) FROM roasterdesk.changes").fetchone()[0] == 0


def test_writers_are_serialised_so_seq_follows_commit_order(hub):
    """A first writer holds its transaction open; a second one waits for the advisory lock, so
    it cannot commit a lower seq after a reader has moved past a higher one."""
    sync.add_user(hub, "bea", "buyer", "pw")
    url = _as(hub, "bea")
    slow = psycopg.connect(url)
    slow.execute("SELECT roasterdesk.push('d1', %s)",
                 [Jsonb([_op("a", ("producers", "p1", "*", None, {"name": "A"}))])])
    code = ("import psycopg,sys;from psycopg.types.json import Jsonb;"
            "c=psycopg.connect(sys.argv[1]);c.execute('SET lock_timeout = 500');"
            "c.execute('SELECT roasterdesk.push(%s,%s)',['d2',Jsonb([{'op_id':'b','changes':"
            "[{'hlc':'1','table':'producers','row':'p2','field':'*','old':None,'new':{}}]}])])"
            ";c.commit()")
    blocked = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True)
    assert "lock timeout" in blocked.stderr
    slow.commit()
    slow.close()


def _feed(url):
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT hlc, device_id, table_name, row_uuid, field, old_value, new_value "
            "FROM roasterdesk.changes ORDER BY seq").fetchall()


def _hub_state(url):
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT table_name, row_uuid, snapshot FROM roasterdesk.rows "
                            "ORDER BY table_name, row_uuid").fetchall()
        fields = conn.execute("SELECT table_name, row_uuid, field, value, hlc "
                              "FROM roasterdesk.fields ORDER BY 1, 2, 3").fetchall()
        conflicts = conn.execute("SELECT table_name, row_uuid, field, base, hub_value, "
                                 "client_value FROM roasterdesk.conflicts ORDER BY id").fetchall()
    return rows, fields, conflicts


def test_a_run_of_new_rows_goes_set_wise_with_the_same_result_as_change_by_change(
        hub, pg_cluster):
    """One op holding runs of new rows (applied set-wise) and another hub given the same changes
    one op each (change by change) end with the same feed, rows, fields and conflicts: a field
    change after its run, a run holding a row the hub has (merged field by field), a row twice
    in a run, and compare-and-set against a row's snapshot afterwards."""
    from roasterdesk.services.hub_schema import SET_WISE_RUN

    other = pg_cluster.create_database("hub_one_by_one")
    sync.init_hub(other)
    first = [("producers", "old", "*", None, {"name": "Old", "region": "Huila"})]
    n = SET_WISE_RUN + 4
    changes = [("producers", f"p{i:02d}", "*", None, {"name": f"Farm {i}", "region": "Huila",
                                                       "altitude": 1500 + i}) for i in range(n)]
    changes.append(("producers", "p03", "region", "Huila", "Cauca"))
    changes += [("lots", f"l{i:02d}", "*", None, {"code": f"L{i}", "producer_id": f"p{i:02d}",
                                                  "price": "3.10"}) for i in range(n)]
    # a run with a row the hub already has: field by field (only its empty fields are filled)
    changes += [("producers", "old", "*", None, {"name": "Old", "region": "Cauca",
                                                 "altitude": 1700})]
    changes += [("visits", f"v{i:02d}", "*", None, {"notes": f"visit {i}"}) for i in range(n)]
    changes.append(("visits", "v00", "*", None, {"notes": "again", "date": "2025-01-02"}))
    for url, ops in ((hub, [_op("first", *first), _op("all", *changes)]),
                     (other, [_op("first", *first)] + [
                         {"op_id": f"c{k}", "changes": [c]}
                         for k, c in enumerate(_op("all", *changes)["changes"])])):
        for op in ops:
            _push(url, "dev1", [op])
    assert _feed(hub) == _feed(other)
    assert len(_feed(hub)) > 3 * n
    assert _hub_state(hub) == _hub_state(other)
    # later changes compare against the snapshot: the right base applies, a stale one conflicts
    later = [_op("later", ("lots", "l05", "price", "3.10", "3.40"),
                 ("lots", "l06", "price", "2.00", "3.50"),
                 ("producers", "p03", "region", "Huila", "Nariño"))]
    outs = [_push(url, "dev2", later) for url in (hub, other)]
    assert [o["changes"] for o in outs] == [1, 1]
    assert [[(c["hub_value"], c["client_value"]) for c in o["conflicts"]] for o in outs] == [
        [("3.10", "3.50"), ("Cauca", "Nariño")]] * 2
    assert _hub_state(hub) == _hub_state(other)
    assert _feed(hub) == _feed(other)


def test_a_row_kept_field_by_field_by_schema_1_still_compares(hub):
    """A hub upgraded from schema 1 keeps its rows' fields in ``fields`` (no snapshot)."""
    with psycopg.connect(hub) as conn:
        conn.execute("INSERT INTO roasterdesk.rows (table_name, row_uuid) VALUES ('lots', 'l1')")
        conn.execute("INSERT INTO roasterdesk.fields (table_name, row_uuid, field, value, hlc) "
                     "VALUES ('lots', 'l1', 'price', '\"3.10\"', '1')")
    out = _push(hub, "d1", [_op("a", ("lots", "l1", "price", "2.00", "3.50"))])
    assert [(c["hub_value"], c["base"]) for c in out["conflicts"]] == [("3.10", "2.00")]
    out = _push(hub, "d1", [_op("b", ("lots", "l1", "price", "3.10", "3.30"))])
    assert (out["changes"], out["conflicts"]) == (1, [])
