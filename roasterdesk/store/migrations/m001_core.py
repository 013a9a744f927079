"""Schema step ``m001_core`` (released: never edited; the order is in
:mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._shared import NO_DELETE

if TYPE_CHECKING:
    from sqlite_utils import Database


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
        db.execute(NO_DELETE.format(table=table, what=what, how=how))
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
