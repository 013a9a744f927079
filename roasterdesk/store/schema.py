"""The database schema, built step by step with :class:`sqlite_utils.Migrations`.

Rules for adding a migration: append a new function (never edit a released one), and bump
``SCHEMA_COMPAT`` only when an older RoasterDesk could no longer read or write the file safely.
Each migration runs in one transaction together with its record in ``_sqlite_migrations``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "roasterdesk"
SCHEMA_COMPAT = 1
"""Stored as ``PRAGMA user_version``: a database with a higher number is refused."""

_F = TypeVar("_F", bound=Callable[..., Any])


class _Step(NamedTuple):
    name: str
    fn: Callable[..., Any]
    transactional: bool


class LazyMigrations:
    """The steps of a :class:`sqlite_utils.Migrations` set, registered the same way
    (``@migrations()``), but sqlite-utils is imported only when they are applied: opening an
    up-to-date database (every start of the app) does not pay for importing it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[_Step] = []

    def __call__(self, *, name: str | None = None,
                 transactional: bool = True) -> Callable[[_F], _F]:
        def inner(fn: _F) -> _F:
            step = name or fn.__name__
            if any(m.name == step for m in self._migrations):
                raise ValueError(f"Migration '{step}' is already registered in set '{self.name}'")
            self._migrations.append(_Step(step, fn, transactional))
            return fn

        return inner

    def apply(self, db: Database, *, stop_before: str | Iterable[str] | None = None) -> None:
        from sqlite_utils import Migrations

        real = Migrations(self.name)
        for m in self._migrations:
            real(name=m.name, transactional=m.transactional)(m.fn)
        real.apply(db, stop_before=stop_before)


migrations = LazyMigrations(MIGRATION_SET)

_NO_DELETE = """
CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{what} are never deleted: {how}'); END;
"""


@migrations()
def m001_core(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE producers (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            kind TEXT NOT NULL
                CHECK (kind IN ('farm', 'estate', 'cooperative', 'washing_station')),
            parent_id INTEGER REFERENCES producers(id),
            country TEXT NOT NULL CHECK (length(country) = 2),
            region TEXT NOT NULL DEFAULT '',
            municipality TEXT NOT NULL DEFAULT '',
            altitude_min_m INTEGER,
            altitude_max_m INTEGER,
            total_area_ha TEXT,
            coffee_area_ha TEXT,
            varieties TEXT NOT NULL DEFAULT '[]',
            processes TEXT NOT NULL DEFAULT '[]',
            harvest_months TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX producers_name ON producers(name COLLATE NOCASE);
        CREATE INDEX producers_country ON producers(country, name);
        CREATE INDEX producers_parent ON producers(parent_id);

        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            producer_id INTEGER NOT NULL REFERENCES producers(id),
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            phone TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            consent_given_on TEXT,
            consent_scope TEXT NOT NULL DEFAULT '[]',
            consent_withdrawn_on TEXT,
            consent_note TEXT NOT NULL DEFAULT '',
            quote TEXT NOT NULL DEFAULT '',
            pseudonymised INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX people_producer ON people(producer_id);

        CREATE TABLE plots (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            producer_id INTEGER NOT NULL REFERENCES producers(id),
            name TEXT NOT NULL,
            area_ha TEXT,
            geometry TEXT,
            altitude_m INTEGER,
            varieties TEXT NOT NULL DEFAULT '[]',
            shade_pct INTEGER CHECK (shade_pct BETWEEN 0 AND 100),
            planted_on TEXT,
            forest_after_2020 INTEGER,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX plots_producer ON plots(producer_id);

        CREATE TABLE certifications (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            producer_id INTEGER NOT NULL REFERENCES producers(id),
            scheme TEXT NOT NULL,
            number TEXT NOT NULL DEFAULT '',
            holder TEXT NOT NULL DEFAULT '',
            valid_from TEXT,
            valid_to TEXT
        );
        CREATE INDEX certifications_producer ON certifications(producer_id);
        CREATE INDEX certifications_valid_to ON certifications(valid_to);

        CREATE TABLE commitments (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            producer_id INTEGER NOT NULL REFERENCES producers(id),
            first_harvest INTEGER NOT NULL,
            last_harvest INTEGER NOT NULL CHECK (last_harvest >= first_harvest),
            volume_kg TEXT,
            price_floor_usd_lb TEXT,
            terms TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX commitments_producer ON commitments(producer_id);

        CREATE TABLE visits (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            producer_id INTEGER NOT NULL REFERENCES producers(id),
            date TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('in_person', 'call', 'video', 'message')),
            participants TEXT NOT NULL DEFAULT '[]',
            purposes TEXT NOT NULL DEFAULT '[]',
            observations TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        );
        CREATE INDEX visits_date ON visits(date DESC);
        CREATE INDEX visits_producer ON visits(producer_id, date);

        CREATE TABLE follow_ups (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
            what TEXT NOT NULL,
            who TEXT NOT NULL DEFAULT '',
            due TEXT,
            done INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX follow_ups_open ON follow_ups(done, due);
        CREATE INDEX follow_ups_visit ON follow_ups(visit_id);

        CREATE TABLE photos (
            id INTEGER PRIMARY KEY,
            visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            filename TEXT NOT NULL,
            caption TEXT NOT NULL DEFAULT '',
            person_id INTEGER REFERENCES people(id)
        );
        CREATE INDEX photos_visit ON photos(visit_id);

        CREATE TABLE lots (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            code TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
            name TEXT NOT NULL DEFAULT '',
            producer_id INTEGER NOT NULL REFERENCES producers(id),
            harvest INTEGER NOT NULL,
            weight_kg TEXT,
            bags INTEGER,
            bag_kg TEXT,
            variety TEXT NOT NULL DEFAULT '',
            process TEXT NOT NULL,
            species TEXT NOT NULL DEFAULT 'arabica',
            quality_score TEXT,
            defects_cat1 INTEGER,
            defects_cat2 INTEGER,
            moisture_pct TEXT,
            status TEXT NOT NULL,
            contract_type TEXT NOT NULL CHECK (contract_type IN ('fixed', 'ptbf')),
            contract_date TEXT,
            futures_month TEXT NOT NULL DEFAULT '',
            c_cents_lb TEXT,
            c_estimated INTEGER NOT NULL DEFAULT 0,
            differential_cents_lb TEXT,
            fob_usd_lb TEXT,
            fg_amount TEXT,
            fg_currency TEXT,
            fg_unit_name TEXT,
            fg_unit_kg TEXT,
            fg_basis TEXT,
            fg_kg_per_kg_green TEXT,
            fg_fx_local_per_usd TEXT,
            fg_fx_date TEXT,
            fg_fx_source TEXT,
            exporter TEXT NOT NULL DEFAULT '',
            importer TEXT NOT NULL DEFAULT '',
            organic INTEGER NOT NULL DEFAULT 0,
            certifications_claimed TEXT NOT NULL DEFAULT '[]',
            story TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX lots_producer ON lots(producer_id, harvest);
        CREATE INDEX lots_harvest ON lots(harvest, code);

        CREATE TABLE lot_plots (
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            plot_id INTEGER NOT NULL REFERENCES plots(id),
            PRIMARY KEY (lot_id, plot_id)
        );
        CREATE INDEX lot_plots_plot ON lot_plots(plot_id);

        CREATE TABLE fixations (
            id INTEGER PRIMARY KEY,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            on_date TEXT NOT NULL,
            c_cents_lb TEXT NOT NULL,
            volume_kg TEXT
        );
        CREATE INDEX fixations_lot ON fixations(lot_id);

        CREATE TABLE cost_legs (
            id INTEGER PRIMARY KEY,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            party TEXT NOT NULL CHECK (party IN ('exporter', 'importer')),
            leg TEXT NOT NULL,
            usd_lb TEXT NOT NULL
        );
        CREATE INDEX cost_legs_lot ON cost_legs(lot_id);

        CREATE TABLE premiums (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            type TEXT NOT NULL,
            basis TEXT NOT NULL,
            amount TEXT NOT NULL,
            included_in_fob INTEGER NOT NULL,
            paid_to TEXT NOT NULL DEFAULT '',
            farmers INTEGER,
            voided INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX premiums_lot ON premiums(lot_id);

        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            producer_id INTEGER NOT NULL REFERENCES producers(id),
            lot_id INTEGER REFERENCES lots(id),
            year INTEGER NOT NULL,
            category TEXT NOT NULL,
            amount TEXT NOT NULL,
            currency TEXT NOT NULL DEFAULT 'USD',
            description TEXT NOT NULL DEFAULT '',
            evidence_visit_id INTEGER REFERENCES visits(id)
        );
        CREATE INDEX projects_producer ON projects(producer_id, year);

        CREATE TABLE c_prices (month TEXT PRIMARY KEY, cents_lb TEXT NOT NULL);

        CREATE TABLE fairtrade_terms (
            valid_from TEXT PRIMARY KEY,
            arabica_washed TEXT NOT NULL,
            arabica_natural TEXT NOT NULL,
            robusta_washed TEXT NOT NULL,
            robusta_natural TEXT NOT NULL,
            premium TEXT NOT NULL,
            organic_differential TEXT NOT NULL
        );

        CREATE TABLE living_income_refs (
            id INTEGER PRIMARY KEY,
            country TEXT NOT NULL,
            year INTEGER NOT NULL,
            value TEXT NOT NULL,
            currency TEXT NOT NULL,
            unit_kg TEXT NOT NULL,
            basis TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            species TEXT NOT NULL DEFAULT 'arabica',
            organic INTEGER NOT NULL DEFAULT 0
        );

        -- Derived figures for sorting and filtering the lot list in SQL. REAL on purpose: these
        -- are sort keys recomputed from the exact TEXT decimals above, never the record itself.
        CREATE TABLE lot_metrics (
            lot_id INTEGER PRIMARY KEY REFERENCES lots(id),
            fob_usd_lb REAL,
            c_usd_lb REAL,
            premium_usd_lb REAL,
            premium_pct REAL,
            farm_gate_usd_lb REAL,
            farm_gate_share REAL,
            answered INTEGER NOT NULL,
            applicable INTEGER NOT NULL,
            missing TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX lot_metrics_premium ON lot_metrics(premium_usd_lb);
        CREATE INDEX lot_metrics_share ON lot_metrics(farm_gate_share);
        CREATE INDEX lot_metrics_transparency ON lot_metrics(answered);
        """
    )
    for table, what, how in (
        ("lots", "lots", "cancel the lot instead"),
        ("premiums", "premium payments", "void the payment instead"),
    ):
        db.execute(_NO_DELETE.format(table=table, what=what, how=how))
    tokenize = "unicode61 remove_diacritics 2"
    db.table("visits").enable_fts(
        ["notes", "participants"], create_triggers=True, tokenize=tokenize
    )
    db.table("producers").enable_fts(
        ["name", "region", "municipality"], create_triggers=True, tokenize=tokenize
    )
    db.table("lots").enable_fts(
        ["code", "name", "variety"], create_triggers=True, tokenize=tokenize
    )


@migrations()
def m002_reference_defaults(db: Database) -> None:
    """Seed the editable reference tables with docs/domain.md's figures."""
    from ..domain.model import Species
    from ..domain.reference import FAIRTRADE_2023, LIVING_INCOME_DEFAULTS

    t = FAIRTRADE_2023
    db.table("fairtrade_terms").insert({
        "valid_from": t.valid_from.isoformat(),
        "arabica_washed": str(t.minimums[(Species.ARABICA, "washed")]),
        "arabica_natural": str(t.minimums[(Species.ARABICA, "natural")]),
        "robusta_washed": str(t.minimums[(Species.ROBUSTA, "washed")]),
        "robusta_natural": str(t.minimums[(Species.ROBUSTA, "natural")]),
        "premium": str(t.premium_usd_lb),
        "organic_differential": str(t.organic_differential_usd_lb),
    })
    db.table("living_income_refs").insert_all(
        {
            "country": r.country, "year": r.year, "value": str(r.value),
            "currency": r.currency, "unit_kg": str(r.unit_kg), "basis": r.basis.value,
            "source": r.source, "species": r.species.value, "organic": int(r.organic),
        }
        for r in LIVING_INCOME_DEFAULTS
    )


@migrations()
def m003_lot_sort_indexes(db: Database) -> None:
    """Every lot-table column sorts through an index, so a click on a header reads one page
    instead of every lot (80 ms → under 1 ms on 200,000 lots). The expressions match the lot
    table's ORDER BY terms exactly (``roasterdesk.ui.views.lots.LOT_COLUMNS``).

    The lot_metrics indexes only help when the lot table joins lot_metrics as an inner join,
    which must then never hide a lot: a trigger gives every new lot its lot_metrics row at
    once (the store replaces it with the computed figures in the same transaction), and lots
    without one get one here."""
    db.executescript(
        """
        CREATE INDEX lots_process ON lots(process);
        CREATE INDEX lots_status ON lots(status);
        CREATE INDEX lots_weight
            ON lots(COALESCE(CAST(weight_kg AS REAL), bags * CAST(bag_kg AS REAL)));
        CREATE INDEX lots_score ON lots(CAST(quality_score AS REAL));
        CREATE INDEX lot_metrics_fob ON lot_metrics(fob_usd_lb);
        CREATE INDEX lot_metrics_premium_pct ON lot_metrics(premium_pct);
        CREATE INDEX lot_metrics_answered_share ON lot_metrics(answered * 1.0 / applicable);
        INSERT INTO lot_metrics (lot_id, answered, applicable)
            SELECT id, 0, 0 FROM lots WHERE id NOT IN (SELECT lot_id FROM lot_metrics);
        CREATE TRIGGER lots_have_metrics AFTER INSERT ON lots
        BEGIN
            INSERT OR IGNORE INTO lot_metrics (lot_id, answered, applicable)
            VALUES (new.id, 0, 0);
        END;
        """
    )


@migrations()
def m004_sync_ready(db: Database) -> None:
    """Every user table gets a stable ``uuid``, ``updated_at`` and a tombstone ``deleted_at``
    (existing rows get a uuid now; the reference tables one derived from their key), and the
    change log: one row per changed field, written in the same transaction as the change
    (:mod:`roasterdesk.store.changes`)."""
    import uuid as _uuid

    from .codec import now
    from .kinds import TABLES

    conn = db.conn
    conn.create_function("rd_uuid4", 0, lambda: str(_uuid.uuid4()))
    conn.create_function(
        "rd_uuid5", 2, lambda table, key: str(_uuid.uuid5(_uuid.NAMESPACE_URL,
                                                             f"roasterdesk:{table}:{key}")))
    stamp = now()
    for t in TABLES.values():
        cols = {r[1] for r in conn.execute(f"PRAGMA table_info({t.name})")}
        if not cols or "deleted_at" in cols:  # made by a later step, with the three columns
            continue
        if "uuid" not in cols:
            conn.execute(f"ALTER TABLE {t.name} ADD COLUMN uuid TEXT")
            if t.natural_key:
                key = " || '|' || ".join(t.natural_key)
                conn.execute(f"UPDATE {t.name} SET uuid = rd_uuid5('{t.name}', {key})")
            else:
                conn.execute(f"UPDATE {t.name} SET uuid = rd_uuid4()")
            conn.execute(f"CREATE UNIQUE INDEX {t.name}_uuid ON {t.name}(uuid)")
        if "updated_at" not in cols:
            conn.execute(f"ALTER TABLE {t.name} ADD COLUMN updated_at TEXT")
            conn.execute(f"UPDATE {t.name} SET updated_at = ?", [stamp])
        conn.execute(f"ALTER TABLE {t.name} ADD COLUMN deleted_at TEXT")
    db.executescript(
        """
        -- Lots and payments stay on record: they are retired (cancelled, voided), never
        -- deleted, and so never tombstoned either.
        CREATE TRIGGER lots_never_tombstoned BEFORE UPDATE OF deleted_at ON lots
        WHEN new.deleted_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'lots are never deleted: cancel the lot instead'); END;
        CREATE TRIGGER premiums_never_tombstoned BEFORE UPDATE OF deleted_at ON premiums
        WHEN new.deleted_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'premium payments are never deleted: void the payment instead');
        END;

        -- One user action: its changes share the op_id.
        CREATE TABLE change_ops (
            op_id TEXT PRIMARY KEY,
            label TEXT NOT NULL DEFAULT '',
            device_id TEXT NOT NULL,
            hlc TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
            reverts TEXT
        );
        -- One row per changed field. old_value/new_value have no declared type, so a value
        -- keeps its SQLite type; references are the uuid of the row pointed at. field '*' is a
        -- new row (new_value: its fields as JSON); a deletion is the field deleted_at.
        CREATE TABLE change_log (
            seq INTEGER PRIMARY KEY,
            op_id TEXT NOT NULL REFERENCES change_ops(op_id),
            hlc TEXT NOT NULL,
            device_id TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_uuid TEXT NOT NULL,
            field TEXT NOT NULL,
            old_value,
            new_value,
            origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'remote')),
            pushed_at TEXT
        );
        CREATE INDEX change_log_op ON change_log(op_id);
        CREATE INDEX change_log_unpushed ON change_log(seq) WHERE pushed_at IS NULL;
        CREATE INDEX change_log_field ON change_log(table_name, row_uuid, field, hlc);

        -- The lot table shows the exact figures (text, as the editor and the statement compute
        -- them) and sorts by the REAL keys beside them; refilled when the database is opened
        -- (lot_metrics is a cache: Store.refresh_all_metrics).
        ALTER TABLE lot_metrics ADD COLUMN fob_exact TEXT;
        ALTER TABLE lot_metrics ADD COLUMN c_exact TEXT;
        ALTER TABLE lot_metrics ADD COLUMN premium_exact TEXT;
        ALTER TABLE lot_metrics ADD COLUMN premium_pct_exact TEXT;
        ALTER TABLE lot_metrics ADD COLUMN farm_gate_exact TEXT;
        ALTER TABLE lot_metrics ADD COLUMN share_exact TEXT;
        """
    )


@migrations()
def m008_sync_hub_state(db: Database) -> None:
    """Local state of team sync (:mod:`roasterdesk.services.sync`): the hub URL of this database
    (never its password), the pull cursor and the last sync in ``sync_state``; conflicts found
    on push or pull in ``sync_conflicts``, both values kept as JSON with who and when, until a
    person resolves them."""
    db.executescript(
        """
        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('hub', 'pull', 'refused')),
            op_id TEXT NOT NULL,
            hub_id INTEGER,
            table_name TEXT NOT NULL,
            row_uuid TEXT NOT NULL,
            field TEXT NOT NULL,
            base TEXT,
            mine TEXT,
            theirs TEXT,
            their_author TEXT NOT NULL DEFAULT '',
            their_at TEXT NOT NULL DEFAULT '',
            found_at TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT CHECK (resolution IN ('mine', 'theirs'))
        );
        CREATE INDEX sync_conflicts_open ON sync_conflicts(table_name, row_uuid, field)
            WHERE resolved_at IS NULL;
        """
    )


def known_migrations() -> list[str]:
    return [m.name for m in migrations._migrations]


@migrations()
def m006_eudr_dds(db: Database) -> None:
    """EUDR due diligence per lot (:mod:`roasterdesk.store.eudr_records`).

    ``eudr_dds``: the lot's own due-diligence statement in TRACES (role ``own``: reference
    number, verification number, submission date, status; at most one live per lot) and the
    statements received from upstream operators (role ``upstream``: their reference and
    verification numbers, and who gave them). ``eudr_documents``: legality documents
    (certificates, land titles…) kept as attachments of a lot or of a producer, by content hash
    in the attachments folder. Both carry uuid, updated_at and deleted_at (tombstone)."""
    db.executescript(
        """
        CREATE TABLE eudr_dds (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            role TEXT NOT NULL CHECK (role IN ('own', 'upstream')),
            reference TEXT NOT NULL CHECK (length(trim(reference)) > 0),
            verification TEXT NOT NULL DEFAULT '',
            submitted_on TEXT,
            status TEXT NOT NULL DEFAULT ''
                CHECK (status IN ('', 'draft', 'submitted', 'available', 'rejected',
                                  'withdrawn', 'archived')),
            supplier TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX eudr_dds_lot ON eudr_dds(lot_id);
        CREATE UNIQUE INDEX eudr_dds_one_own ON eudr_dds(lot_id)
            WHERE role = 'own' AND deleted_at IS NULL;
        CREATE TABLE eudr_documents (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            lot_id INTEGER REFERENCES lots(id),
            producer_id INTEGER REFERENCES producers(id),
            kind TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            CHECK ((lot_id IS NULL) != (producer_id IS NULL))
        );
        CREATE INDEX eudr_documents_lot ON eudr_documents(lot_id);
        CREATE INDEX eudr_documents_producer ON eudr_documents(producer_id);
        """
    )


@migrations()
def m007_import_facts(db: Database) -> None:
    """A lot's status and contract type may be "not recorded" (NULL): an imported file that
    does not give them no longer gets an invented "contracted" / "fixed". Only the NOT NULL
    constraints go; the CHECK on the contract type, the columns, indexes and triggers stay.

    SQLite cannot drop a NOT NULL with ALTER TABLE; removing a constraint does not change how
    rows are stored, so the table's definition is rewritten in place (the procedure SQLite
    documents for this case, section 7 of its ALTER TABLE page) rather than copying every lot
    into a new table (which would need foreign keys off, impossible inside the migration's
    transaction). The schema version is bumped so every connection reads the new definition."""
    conn = db.conn
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'lots'").fetchone()
    new = sql
    for old, relaxed in (("status TEXT NOT NULL", "status TEXT"),
                         ("contract_type TEXT NOT NULL", "contract_type TEXT")):
        if new.count(old) != 1:
            raise RuntimeError(f"m007_import_facts: the lots table does not read as expected "
                               f"({old!r} found {new.count(old)} times)")
        new = new.replace(old, relaxed)
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'lots'",
                     [new])
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
