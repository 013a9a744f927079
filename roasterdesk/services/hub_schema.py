"""The team hub's schema: tables, the push function, roles and row-level security, all in SQL
that RoasterDesk installs into an existing PostgreSQL database (no server process of its own).

Everything lives in the schema ``roasterdesk``:

- ``hub_meta``: ``schema_version`` (a client refuses a hub of another version than it knows);
- ``ops``: every applied operation (one user action on a laptop), keyed by its op id; a re-push
  of the same op hits ``ON CONFLICT DO NOTHING`` and changes nothing;
- ``changes``: the feed laptops pull, one row per field; ``seq`` follows commit order because
  every writer takes one transaction-scoped advisory lock before its first insert;
- ``rows``: which rows exist (a new row arrives exactly once), each with the fields it was
  made with (``snapshot``, schema 2); ``fields``: the hub's value of every field changed since
  (schema 1 kept every field of every row here). A field's current value is its ``fields`` row,
  else its value in the row's snapshot: the base of the compare-and-set (a change applies only
  if the hub still holds the value the client started from);
- ``conflicts``: both values, with who and when, when the compare-and-set fails;
- ``photos``: photo bytes by content hash, uploaded before the rows naming them.

Roles: ``roasterdesk_viewer`` reads, ``roasterdesk_buyer`` (a viewer too) writes,
``roasterdesk_admin`` (a buyer too) may also resolve conflicts on the hub. The write policies name
the price and payment tables explicitly so a narrower writing role can be added later.
"""

from __future__ import annotations

HUB_SCHEMA_VERSION = 3
"""The hub schema this build installs and understands. A client refuses a higher one (an older
RoasterDesk, a newer hub) and a lower one (a hub its owner has not upgraded since): every laptop
of a team syncs the same shape of records.
2: a new row's fields are kept in ``rows.snapshot``, not one ``fields`` row each.
3: records of local schema ``m013_figures_again``: a role, an organic status, a lot's status and
   other facts may be not recorded (NULL), which an older RoasterDesk refuses to store; an
   edit of a record someone deleted, and a deletion of a record someone changed since the
   deleting laptop last pulled (``seen``: read through the changes past it, by seq), are
   conflicts."""

RECORDS_OF_STEP = "m013_figures_again"
"""The last local schema step whose records the hub's feed carries. A new step that changes
what a synced row may hold (a column, a constraint) needs ``HUB_SCHEMA_VERSION`` raised, so a
laptop that cannot store the new rows refuses the hub instead of refusing its rows one by one;
a test holds this name to the last step, so each new step is decided."""

ADVISORY_LOCK = 7316016
"""The key of the transaction-scoped lock every writer of ``changes`` takes first."""

ADVISORY_LOCK_INIT = 7316017
"""Taken by ``server init`` so two installs do not race."""

SET_WISE_RUN = 16
"""Runs of at least this many new rows in a row are applied by the hub set-wise."""

ROLES = ("viewer", "buyer", "admin")

PRICE_TABLES = ("lots", "fixations", "cost_legs", "premiums", "c_prices", "london_prices",
                "fairtrade_terms", "living_income_refs")

_TABLES = ("hub_meta", "ops", "changes", "fields", "rows", "conflicts", "photos")

SCHEMA_V1 = r"""
CREATE SCHEMA IF NOT EXISTS roasterdesk;

CREATE TABLE IF NOT EXISTS roasterdesk.hub_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE IF NOT EXISTS roasterdesk.ops (
    op_id text PRIMARY KEY,
    device_id text NOT NULL,
    author text NOT NULL DEFAULT current_user,
    applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS roasterdesk.changes (
    seq bigserial PRIMARY KEY,
    op_id text NOT NULL,
    hlc text NOT NULL,
    device_id text NOT NULL,
    table_name text NOT NULL,
    row_uuid text NOT NULL,
    field text NOT NULL,
    old_value jsonb,
    new_value jsonb,
    author text NOT NULL DEFAULT current_user,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS changes_op ON roasterdesk.changes(op_id);

CREATE TABLE IF NOT EXISTS roasterdesk.rows (
    table_name text NOT NULL,
    row_uuid text NOT NULL,
    author text NOT NULL DEFAULT current_user,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, row_uuid)
);
ALTER TABLE roasterdesk.rows ADD COLUMN IF NOT EXISTS snapshot jsonb;

CREATE TABLE IF NOT EXISTS roasterdesk.fields (
    table_name text NOT NULL,
    row_uuid text NOT NULL,
    field text NOT NULL,
    value jsonb,
    hlc text NOT NULL,
    author text NOT NULL DEFAULT current_user,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, row_uuid, field)
);

CREATE TABLE IF NOT EXISTS roasterdesk.conflicts (
    id bigserial PRIMARY KEY,
    op_id text NOT NULL,
    table_name text NOT NULL,
    row_uuid text NOT NULL,
    field text NOT NULL,
    base jsonb,
    hub_value jsonb,
    client_value jsonb,
    hub_author text,
    hub_at timestamptz,
    author text NOT NULL DEFAULT current_user,
    device_id text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS conflicts_op ON roasterdesk.conflicts(op_id);

CREATE TABLE IF NOT EXISTS roasterdesk.photos (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    data bytea NOT NULL,
    author text NOT NULL DEFAULT current_user,
    at timestamptz NOT NULL DEFAULT now()
);

-- One batch of operations from one device, in the caller's transaction (invoker's rights: the
-- caller's grants and row-level security apply). p_ops: [{"op_id", "changes": [{"hlc", "table",
-- "row", "field", "old", "new"}]}]. Returns {"applied", "skipped", "changes", "conflicts": [...]}
-- where a skipped op (already applied) brings back the conflicts it made the first time.
-- Changes apply in order. A run of at least __RUN__ new rows in a row (an import, a first push)
-- whose rows the hub does not have yet goes in two set-wise INSERTs (rows with their snapshot,
-- changes, in the run's order): the same rows as change by change, since a new row needs no
-- compare-and-set. A field's hub value: its ``fields`` row, else the row's snapshot.
CREATE OR REPLACE FUNCTION roasterdesk.push(p_device text, p_ops jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
DECLARE
    op jsonb;
    chs jsonb;
    n int;
    i int;
    j int;
    kk int;
    run_fresh boolean;
    ch jsonb;
    k text;
    v jsonb;
    cur_value jsonb;
    cur_author text;
    cur_at timestamptz;
    n_applied int := 0;
    n_skipped int := 0;
    n_changes int := 0;
    out_conflicts jsonb := '[]'::jsonb;
    got text;
    old_v jsonb;
    new_v jsonb;
    wrote boolean;
    seen bigint;
    op_blocked boolean;
    del_value jsonb;
    del_author text;
    del_at timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(__LOCK__);
    FOR op IN SELECT * FROM jsonb_array_elements(p_ops) LOOP
        INSERT INTO roasterdesk.ops (op_id, device_id) VALUES (op->>'op_id', p_device)
            ON CONFLICT (op_id) DO NOTHING RETURNING op_id INTO got;
        IF got IS NULL THEN
            n_skipped := n_skipped + 1;
            SELECT out_conflicts || coalesce(jsonb_agg(to_jsonb(c)), '[]'::jsonb)
              INTO out_conflicts FROM roasterdesk.conflicts c WHERE c.op_id = op->>'op_id';
            CONTINUE;
        END IF;
        n_applied := n_applied + 1;
        seen := (op->>'seen')::bigint;  -- the last hub change the device had pulled
        chs := op->'changes';
        -- an op's deletions go as one (a visit and its photos and follow-ups): none applies
        -- when someone else changed one of its records since the device last pulled
        -- (a new record made under one of them, a follow-up on the visit, counts too)
        op_blocked := seen IS NOT NULL AND EXISTS (
            SELECT 1 FROM jsonb_array_elements(chs) e(c)
              JOIN roasterdesk.changes x ON (x.table_name = e.c->>'table'
                                             AND x.row_uuid = e.c->>'row'
                                             AND x.field <> 'deleted_at')
                                         OR (x.field = '*' AND x.new_value @? format(
                                             '$.* ? (@ == "%s")', e.c->>'row')::jsonpath)
             WHERE e.c->>'field' = 'deleted_at' AND coalesce(e.c->'new', 'null'::jsonb)
                   <> 'null'::jsonb AND x.seq > seen AND x.device_id <> p_device);
        n := jsonb_array_length(chs);
        i := 0;
        WHILE i < n LOOP
        j := i;
        WHILE j < n AND chs->j->>'field' = '*' LOOP
            j := j + 1;
        END LOOP;
        IF j - i >= __RUN__ THEN
            SELECT count(DISTINCT (e.c->>'table', e.c->>'row')) = j - i
                   AND NOT EXISTS (
                       SELECT 1 FROM jsonb_array_elements(chs) WITH ORDINALITY e2(c, k)
                         JOIN roasterdesk.rows r ON r.table_name = e2.c->>'table'
                                                AND r.row_uuid = e2.c->>'row'
                        WHERE e2.k > i AND e2.k <= j)
              INTO run_fresh
              FROM jsonb_array_elements(chs) WITH ORDINALITY e(c, k) WHERE e.k > i AND e.k <= j;
            IF run_fresh THEN
                INSERT INTO roasterdesk.rows (table_name, row_uuid, snapshot)
                    SELECT e.c->>'table', e.c->>'row', e.c->'new'
                      FROM jsonb_array_elements(chs) WITH ORDINALITY e(c, k)
                     WHERE e.k > i AND e.k <= j ORDER BY e.k;
                INSERT INTO roasterdesk.changes (op_id, hlc, device_id, table_name, row_uuid,
                    field, old_value, new_value)
                    SELECT op->>'op_id', e.c->>'hlc', p_device, e.c->>'table', e.c->>'row', '*',
                           e.c->'old', e.c->'new'
                      FROM jsonb_array_elements(chs) WITH ORDINALITY e(c, k)
                     WHERE e.k > i AND e.k <= j ORDER BY e.k;
                n_changes := n_changes + (j - i);
                i := j;
                CONTINUE;
            END IF;
        END IF;
        FOR kk IN i .. greatest(j, i + 1) - 1 LOOP
            ch := chs->kk;
            wrote := false;
            IF ch->>'field' = '*' THEN
                INSERT INTO roasterdesk.rows (table_name, row_uuid, snapshot)
                    VALUES (ch->>'table', ch->>'row', ch->'new')
                    ON CONFLICT DO NOTHING RETURNING row_uuid INTO got;
                IF got IS NOT NULL THEN
                    wrote := true;
                ELSE
                    -- the same row made on two devices (a reference month): field by field
                    FOR k, v IN SELECT * FROM jsonb_each(ch->'new') LOOP
                        cur_value := NULL;
                        SELECT f.value, f.author, f.at INTO cur_value, cur_author, cur_at
                          FROM roasterdesk.fields f
                         WHERE f.table_name = ch->>'table' AND f.row_uuid = ch->>'row'
                           AND f.field = k;
                        IF NOT FOUND THEN
                            SELECT r.snapshot->k, r.author, r.at
                              INTO cur_value, cur_author, cur_at FROM roasterdesk.rows r
                             WHERE r.table_name = ch->>'table' AND r.row_uuid = ch->>'row'
                               AND r.snapshot ? k;
                        END IF;
                        IF cur_value IS NULL OR cur_value = 'null'::jsonb THEN
                            INSERT INTO roasterdesk.fields AS f (table_name, row_uuid, field,
                                                                value, hlc)
                                VALUES (ch->>'table', ch->>'row', k, v, ch->>'hlc')
                                ON CONFLICT (table_name, row_uuid, field) DO UPDATE
                                SET value = excluded.value, hlc = excluded.hlc,
                                    author = current_user, at = now();
                            INSERT INTO roasterdesk.changes (op_id, hlc, device_id, table_name,
                                row_uuid, field, old_value, new_value)
                                VALUES (op->>'op_id', ch->>'hlc', p_device, ch->>'table',
                                        ch->>'row', k, 'null'::jsonb, v);
                            n_changes := n_changes + 1;
                        ELSIF cur_value <> v THEN
                            INSERT INTO roasterdesk.conflicts (op_id, table_name, row_uuid, field,
                                base, hub_value, client_value, hub_author, hub_at, device_id)
                                VALUES (op->>'op_id', ch->>'table', ch->>'row', k, 'null'::jsonb,
                                        cur_value, v, cur_author, cur_at, p_device);
                            SELECT out_conflicts || jsonb_agg(to_jsonb(c)) INTO out_conflicts
                              FROM roasterdesk.conflicts c WHERE c.id = currval(
                                  pg_get_serial_sequence('roasterdesk.conflicts', 'id'));
                        END IF;
                    END LOOP;
                END IF;
            ELSE
                old_v := coalesce(ch->'old', 'null'::jsonb);
                new_v := coalesce(ch->'new', 'null'::jsonb);
                cur_value := NULL;
                cur_author := NULL;
                cur_at := NULL;
                SELECT f.value, f.author, f.at INTO cur_value, cur_author, cur_at
                  FROM roasterdesk.fields f
                 WHERE f.table_name = ch->>'table' AND f.row_uuid = ch->>'row'
                   AND f.field = ch->>'field';
                IF NOT FOUND THEN
                    SELECT r.snapshot->(ch->>'field'), r.author, r.at
                      INTO cur_value, cur_author, cur_at FROM roasterdesk.rows r
                     WHERE r.table_name = ch->>'table' AND r.row_uuid = ch->>'row'
                       AND r.snapshot ? (ch->>'field');
                END IF;
                cur_value := coalesce(cur_value, 'null'::jsonb);
                del_value := NULL;
                IF cur_value = old_v AND ch->>'field' = 'deleted_at' AND new_v <> 'null'::jsonb
                   AND op_blocked THEN
                    -- a deletion of a record changed by someone else since the device last
                    -- pulled: the record stays, and the deletion is a conflict (their change
                    -- is never lost in a deleted record); the op's other deletions stay out
                    -- with it, without a conflict of their own (resolving it decides them)
                    SELECT 'null'::jsonb, c.author, c.at INTO del_value, del_author, del_at
                      FROM roasterdesk.changes c
                     WHERE ((c.table_name = ch->>'table' AND c.row_uuid = ch->>'row'
                             AND c.field <> 'deleted_at')
                            OR (c.field = '*' AND c.new_value @? format(
                                '$.* ? (@ == "%s")', ch->>'row')::jsonpath))
                       AND c.seq > seen AND c.device_id <> p_device
                     ORDER BY c.seq DESC LIMIT 1;
                    IF del_value IS NULL THEN
                        CONTINUE;
                    END IF;
                END IF;
                IF del_value IS NOT NULL THEN
                    INSERT INTO roasterdesk.conflicts (op_id, table_name, row_uuid, field, base,
                        hub_value, client_value, hub_author, hub_at, device_id)
                        VALUES (op->>'op_id', ch->>'table', ch->>'row', 'deleted_at', old_v,
                                'null'::jsonb, new_v, del_author, del_at, p_device);
                    SELECT out_conflicts || jsonb_agg(to_jsonb(c)) INTO out_conflicts
                      FROM roasterdesk.conflicts c WHERE c.id = currval(
                          pg_get_serial_sequence('roasterdesk.conflicts', 'id'));
                ELSIF cur_value = new_v THEN
                    NULL;  -- the hub holds this value already
                ELSIF cur_value = old_v THEN
                    IF ch->>'field' <> 'deleted_at' THEN
                        -- a change to a record someone deleted: kept in it, and the deletion
                        -- is a conflict (keep mine brings the record back, with the change)
                        SELECT f.value, f.author, f.at INTO del_value, del_author, del_at
                          FROM roasterdesk.fields f
                         WHERE f.table_name = ch->>'table' AND f.row_uuid = ch->>'row'
                           AND f.field = 'deleted_at';
                        IF coalesce(del_value, 'null'::jsonb) <> 'null'::jsonb
                           AND NOT EXISTS (SELECT 1 FROM roasterdesk.conflicts c
                                            WHERE c.op_id = op->>'op_id'
                                              AND c.table_name = ch->>'table'
                                              AND c.row_uuid = ch->>'row'
                                              AND c.field = 'deleted_at') THEN
                            INSERT INTO roasterdesk.conflicts (op_id, table_name, row_uuid,
                                field, base, hub_value, client_value, hub_author, hub_at,
                                device_id)
                                VALUES (op->>'op_id', ch->>'table', ch->>'row', 'deleted_at',
                                        'null'::jsonb, del_value, 'null'::jsonb, del_author,
                                        del_at, p_device);
                            SELECT out_conflicts || jsonb_agg(to_jsonb(c)) INTO out_conflicts
                              FROM roasterdesk.conflicts c WHERE c.id = currval(
                                  pg_get_serial_sequence('roasterdesk.conflicts', 'id'));
                        END IF;
                    END IF;
                    INSERT INTO roasterdesk.fields AS f (table_name, row_uuid, field, value, hlc)
                        VALUES (ch->>'table', ch->>'row', ch->>'field', new_v, ch->>'hlc')
                        ON CONFLICT (table_name, row_uuid, field) DO UPDATE
                        SET value = excluded.value, hlc = excluded.hlc, author = current_user,
                            at = now();
                    wrote := true;
                ELSE
                    INSERT INTO roasterdesk.conflicts (op_id, table_name, row_uuid, field, base,
                        hub_value, client_value, hub_author, hub_at, device_id)
                        VALUES (op->>'op_id', ch->>'table', ch->>'row', ch->>'field', old_v,
                                cur_value, new_v, cur_author, cur_at, p_device);
                    SELECT out_conflicts || jsonb_agg(to_jsonb(c)) INTO out_conflicts
                      FROM roasterdesk.conflicts c WHERE c.id = currval(
                          pg_get_serial_sequence('roasterdesk.conflicts', 'id'));
                END IF;
            END IF;
            IF wrote THEN
                INSERT INTO roasterdesk.changes (op_id, hlc, device_id, table_name, row_uuid,
                    field, old_value, new_value)
                    VALUES (op->>'op_id', ch->>'hlc', p_device, ch->>'table', ch->>'row',
                            ch->>'field', ch->'old', ch->'new');
                n_changes := n_changes + 1;
            END IF;
        END LOOP;
        i := greatest(j, i + 1);
        END LOOP;
    END LOOP;
    RETURN jsonb_build_object('applied', n_applied, 'skipped', n_skipped,
                              'changes', n_changes, 'conflicts', out_conflicts);
END
$fn$;
""".replace("__LOCK__", str(ADVISORY_LOCK)).replace("__RUN__", str(SET_WISE_RUN))


def roles_sql(schema_owner_note: str = "") -> str:
    """Group roles, grants and row-level security (idempotent)."""
    price = ", ".join(f"'{t}'" for t in PRICE_TABLES)
    parts = ["""
DO $r$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roasterdesk_viewer') THEN
        CREATE ROLE roasterdesk_viewer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roasterdesk_buyer') THEN
        CREATE ROLE roasterdesk_buyer NOLOGIN IN ROLE roasterdesk_viewer;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roasterdesk_admin') THEN
        CREATE ROLE roasterdesk_admin NOLOGIN IN ROLE roasterdesk_buyer;
    END IF;
END $r$;
GRANT USAGE ON SCHEMA roasterdesk TO roasterdesk_viewer;
GRANT SELECT ON ALL TABLES IN SCHEMA roasterdesk TO roasterdesk_viewer;
REVOKE ALL ON FUNCTION roasterdesk.push(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION roasterdesk.push(text, jsonb) TO roasterdesk_viewer;
GRANT INSERT ON roasterdesk.ops, roasterdesk.changes, roasterdesk.rows, roasterdesk.fields,
    roasterdesk.conflicts, roasterdesk.photos TO roasterdesk_buyer;
GRANT UPDATE ON roasterdesk.fields TO roasterdesk_buyer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA roasterdesk TO roasterdesk_buyer;
"""]
    for t in _TABLES:
        parts.append(f"ALTER TABLE roasterdesk.{t} ENABLE ROW LEVEL SECURITY;")
        parts.append(f"DROP POLICY IF EXISTS read_all ON roasterdesk.{t};")
        parts.append(f"CREATE POLICY read_all ON roasterdesk.{t} FOR SELECT "
                     "TO roasterdesk_viewer USING (true);")
    member = "pg_has_role(current_user, 'roasterdesk_buyer', 'MEMBER')"
    for t in ("ops", "rows", "conflicts", "photos"):
        parts.append(f"DROP POLICY IF EXISTS write_buyer ON roasterdesk.{t};")
        parts.append(f"CREATE POLICY write_buyer ON roasterdesk.{t} FOR INSERT "
                     f"TO roasterdesk_buyer WITH CHECK ({member});")
    # prices and payments: only buyers and admins (the same today; named so a narrower writing
    # role can be added without touching these rules)
    check = f"(table_name NOT IN ({price}) OR {member}) AND {member}"
    for t in ("changes", "fields"):
        parts.append(f"DROP POLICY IF EXISTS write_buyer ON roasterdesk.{t};")
        parts.append(f"CREATE POLICY write_buyer ON roasterdesk.{t} FOR INSERT "
                     f"TO roasterdesk_buyer WITH CHECK ({check});")
    parts.append("DROP POLICY IF EXISTS update_buyer ON roasterdesk.fields;")
    parts.append(f"CREATE POLICY update_buyer ON roasterdesk.fields FOR UPDATE "
                 f"TO roasterdesk_buyer USING ({member}) WITH CHECK ({check});")
    return "\n".join(parts)
