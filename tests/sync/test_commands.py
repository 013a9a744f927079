"""The commands: sync (counts, --json, exit 2 with one line), conflicts, --join."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from roasterdesk.cli import main
from roasterdesk.domain.model import Producer, ProducerKind
from roasterdesk.services import sync
from roasterdesk.store import Store

from .laptops import as_role, make_hub


def test_sync_join_and_conflicts_from_the_command_line(hub_url, tmp_path, capsys):
    make_hub(hub_url)
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    with Store.open(a) as s:
        farm = s.save_producer(Producer("Finca Alta", ProducerKind.FARM, "CO", region="Huila"))
    url_a, url_b = as_role(hub_url, "ana"), as_role(hub_url, "ben")
    assert main(["sync", "--db", str(a), "--hub", url_a, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pushed"] >= 1 and out["conflicts"] == 0 and out["waiting"] == 0
    assert main(["sync", "--join", url_b, "--db", str(b)]) == 0
    assert "pulled 1" in capsys.readouterr().out
    assert main(["sync", "--join", url_b, "--db", str(b)]) == 2  # holds records already
    assert "holds records already" in capsys.readouterr().err
    # the URL is remembered per database; the password never lands in the file
    with Store.open(a) as s:
        s.save_producer(replace(s.producer(farm.id), region="Cauca"))
    with Store.open(b) as s:
        pid = s.log.id_of("producers", farm.uuid or s.log.uuid_of("producers", 1))
        s.save_producer(replace(s.producer(pid), region="Nariño"))
    assert main(["sync", "--db", str(a)]) == 0
    capsys.readouterr()
    assert main(["sync", "--db", str(b)]) == 0
    assert "new conflicts 1" in capsys.readouterr().out
    assert main(["conflicts", "--db", str(b), "--json"]) == 0
    [c] = json.loads(capsys.readouterr().out)
    assert (c["mine"], c["theirs"], c["their_author"]) == ("Nariño", "Cauca", "ana")
    assert main(["conflicts", "--db", str(b)]) == 0
    assert "mine Nariño  |  theirs Cauca (ana" in capsys.readouterr().out
    assert main(["conflicts", "--db", str(b), "resolve", str(c["id"]), "--keep", "theirs"]) == 0
    capsys.readouterr()
    assert main(["conflicts", "--db", str(b)]) == 0
    assert "no open conflicts" in capsys.readouterr().out


def test_sync_failure_is_one_line_and_exit_2(tmp_path, capsys):
    db = tmp_path / "x.sqlite"
    Store.open(db).close()
    assert main(["sync", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "give --hub URL once" in err and err.count("\n") == 1
    bad = f"postgresql://nobody@/none?host={tmp_path}&port=1"
    assert main(["sync", "--db", str(db), "--hub", bad]) == 2
    err = capsys.readouterr().err
    assert "cannot be reached" in err and err.count("\n") == 1


def test_the_password_goes_to_the_keyring_never_the_file(hub_url, tmp_path, monkeypatch):
    from roasterdesk.services import hub, sync

    kept = {}
    monkeypatch.setattr(hub, "remember_password", lambda url, pw: kept.update({url: pw}))
    db = tmp_path / "k.sqlite"
    with Store.open(db) as s:
        bare = sync.remember_hub(s, "postgresql://ana:s3cret@db.example.org:5432/team"
                                    "?sslmode=verify-full")
        assert sync.hub_url_of(s) == bare
    assert bare == "postgresql://ana@db.example.org:5432/team?sslmode=verify-full"
    assert kept == {bare: "s3cret"}
    assert b"s3cret" not in db.read_bytes()


def test_an_encrypted_laptop_joins_the_team_and_keeps_syncing(hub_url, tmp_path, capsys,
                                                               monkeypatch):
    """An empty database made by 'init' and 'encrypt' joins with --join; what it pulls is
    stored encrypted, and later syncs push from it."""
    pytest.importorskip("sqlcipher3")
    from roasterdesk.store import cipher

    make_hub(hub_url)
    a, enc = tmp_path / "a.sqlite", tmp_path / "enc.sqlite"
    with Store.open(a) as s:
        s.save_producer(Producer("Finca Cifrada", ProducerKind.FARM, "ET", region="Sidama"))
    assert main(["sync", "--db", str(a), "--hub", as_role(hub_url, "ana")]) == 0
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "long enough passphrase")
    try:
        assert main(["init", "--db", str(enc)]) == 0
        assert main(["encrypt", "--db", str(enc), "--passphrase"]) == 0
        cipher._KEYS.clear()  # a later command: it asks for the passphrase again
        with monkeypatch.context() as m:  # a full first page: indexes set aside, then built
            m.setattr(sync, "PULL_PAGE", 1)
            assert main(["sync", "--join", as_role(hub_url, "ben"), "--db", str(enc)]) == 0
        assert "pulled 1" in capsys.readouterr().out
        assert enc.read_bytes()[:16] != b"SQLite format 3\x00"
        assert b"Sidama" not in enc.read_bytes()
        with Store.open(enc) as s:  # the key is known in this process now
            (p,) = s.producers()
            assert (p.name, p.region) == ("Finca Cifrada", "Sidama")
            assert [h.title for h in s.search("Cifrada")] == ["Finca Cifrada"]
            assert s.db.execute("SELECT count(*) FROM sqlite_master WHERE name IN "
                                "('producers_ai', 'change_log_field')").fetchone()[0] == 2
            s.save_producer(replace(p, region="Guji"))
        assert main(["sync", "--db", str(enc)]) == 0
        assert "pushed 1" in capsys.readouterr().out
    finally:
        cipher._KEYS.clear()
    assert main(["sync", "--db", str(a)]) == 0
    with Store.open(a) as s:
        assert s.producers()[0].region == "Guji"


def test_a_mistyped_or_refused_hub_url_changes_nothing(hub_url, tmp_path, capsys):
    """A wrong user or a URL that is not PostgreSQL's was remembered before it was tried (the
    next plain sync failed too), and a URL of another scheme crashed with a traceback. Now the
    URL is kept only once the hub answered as a hub; a failed --join leaves no file."""
    make_hub(hub_url)
    db = tmp_path / "a.sqlite"
    with Store.open(db) as s:
        s.save_producer(Producer("Finca Uno", ProducerKind.FARM, "CO"))
    assert main(["sync", "--db", str(db), "--hub", as_role(hub_url, "ana")]) == 0
    capsys.readouterr()
    for bad, said in ((as_role(hub_url, "nobody"), 'the hub refused the connection (role '
                       '"nobody" does not exist)'),
                      ("http://example.com/team", "not a hub URL: 'http://example.com/team'"),
                      ("not a url", "not a hub URL: 'not a url'")):
        assert main(["sync", "--db", str(db), "--hub", bad]) == 2
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1, err
        with Store.open(db) as s:
            assert sync.hub_url_of(s) == as_role(hub_url, "ana")
    assert main(["sync", "--db", str(db), "--json"]) == 0  # the remembered hub still works
    capsys.readouterr()
    # --json on failure: one JSON object on stdout, the line on stderr
    assert main(["sync", "--db", str(db), "--json", "--hub", as_role(hub_url, "nobody")]) == 2
    got = capsys.readouterr()
    assert json.loads(got.out) == {"error": got.err.strip().removeprefix("roasterdesk: "),
                                   "offline": False}
    new = tmp_path / "new.sqlite"
    assert main(["sync", "--join", as_role(hub_url, "nobody"), "--db", str(new)]) == 2
    assert not new.exists() and not list(tmp_path.glob("new.sqlite-*"))


def test_without_a_keyring_the_password_is_not_kept_and_sync_goes_on(hub_url, tmp_path,
                                                                      capsys, monkeypatch):
    """On a machine without a keyring backend, storing the password raised a 29-line
    traceback and nothing was synced; now the sync goes on and says the password was not kept."""
    import keyring.errors

    def no_keyring(*_a):
        raise keyring.errors.NoKeyringError("No recommended backend was available")

    monkeypatch.setattr("keyring.set_password", no_keyring)
    make_hub(hub_url)
    db = tmp_path / "k.sqlite"
    with Store.open(db) as s:
        s.save_producer(Producer("Finca Dos", ProducerKind.FARM, "PE"))
    url = as_role(hub_url, "ana").replace("ana@", "ana:pw@")
    assert main(["sync", "--db", str(db), "--hub", url]) == 0
    got = capsys.readouterr()
    assert "pushed" in got.out
    assert got.err.startswith("warning: the password was not kept (No recommended backend")
    assert b":pw@" not in db.read_bytes()


def test_a_busy_or_lost_hub_is_offline_and_a_hub_error_is_said():
    """A hub starting up or full was reported as a refused login ("check the user name…"); a
    full disk or a statement timeout mid-sync as "offline". Only the connection's own failures
    are offline now."""
    import psycopg

    from roasterdesk.services import hub

    for busy in ('connection failed: FATAL:  the database system is starting up',
                 'connection failed: FATAL:  sorry, too many clients already'):
        assert hub._server_said(psycopg.OperationalError(busy)) == ""
    assert hub._server_said(psycopg.OperationalError(
        'connection failed: FATAL:  password authentication failed for user "ana"')
    ) == 'password authentication failed for user "ana"'

    from types import SimpleNamespace as Failed

    assert hub.lost_connection(Failed(sqlstate=None))
    assert hub.lost_connection(Failed(sqlstate="08006"))
    assert hub.lost_connection(Failed(sqlstate="57P01"))
    assert not hub.lost_connection(Failed(sqlstate="53100"))  # disk full
    assert not hub.lost_connection(Failed(sqlstate="57014"))  # statement timeout
