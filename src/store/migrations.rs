//! The store's schema, as numbered migrations applied in order by `db init`, and the
//! version check every other command makes first.
//!
//! Version 1 makes: `incidents` (one row per incident: the exact properties as `json`, a
//! `geometry(Point, 4326)` with GiST indexes on it and on its `geography`, the typed
//! columns of [`super::columns`], a revision number, who and when), `incidents_history`
//! (every earlier version, kept by a trigger on any update), `changes` (the log: who, when,
//! what), `sources`, `incident_sources` and `claims` (kept in step with each incident's
//! `claims_json` and `source_ids` by triggers, with foreign keys), and the view
//! `incidents_layer` that QGIS shows as one layer with the GeoJSON's columns. A `DELETE` is
//! turned into a soft delete (who and when) by a trigger, whoever issues it.

use super::columns::COLUMNS_V1;
use crate::error::Result;
use postgres::GenericClient;
use std::fmt::Write as _;

/// The key of the advisory lock that serialises `db init` and `db push`.
pub const LOCK_KEY: i64 = 0x626f_7264_6d61_7001;

/// The schema version this bordermap writes.
pub const LATEST: i32 = 1;

/// The SQL of migration `version` (1-based).
fn migration(version: i32) -> Option<String> {
    match version {
        1 => Some(v1()),
        _ => None,
    }
}

const V1_FUNCTIONS: &str = r#"
CREATE FUNCTION bordermap_try_json(t text) RETURNS json
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN t::json;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$;

CREATE FUNCTION bordermap_int(t text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN t ~ '^-?[0-9]{1,9}$' THEN t::integer END
$$;

CREATE FUNCTION bordermap_bool(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE t WHEN 'true' THEN true WHEN 'false' THEN false END
$$;

CREATE FUNCTION bordermap_changed_fields(a json, b json, ga geometry, gb geometry)
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce((
        SELECT array_agg(k ORDER BY o) FROM (
            SELECT coalesce(y.key, x.key) AS k, coalesce(y.n, 1000000 + x.n) AS o
            FROM json_each(a) WITH ORDINALITY AS x(key, value, n)
            FULL JOIN json_each(b) WITH ORDINALITY AS y(key, value, n) ON x.key = y.key
            WHERE x.value::text IS DISTINCT FROM y.value::text
        ) d
    ), '{}'::text[])
    || CASE WHEN ga IS DISTINCT FROM gb THEN ARRAY['geometry'] ELSE '{}'::text[] END
$$;

CREATE FUNCTION bordermap_refresh_claims(ids text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM claims c USING unnest(ids) AS t(id) WHERE c.incident_id = t.id;
    DELETE FROM incident_sources s USING unnest(ids) AS t(id) WHERE s.incident_id = t.id;
    CREATE TEMP TABLE IF NOT EXISTS bordermap_claims_in (
        incident_id text, ord integer, claim json
    ) ON COMMIT DROP;
    TRUNCATE bordermap_claims_in;
    INSERT INTO bordermap_claims_in
        SELECT i.id, e.n::integer, e.c
        FROM incidents i
        JOIN unnest(ids) AS t(id) ON i.id = t.id
        CROSS JOIN LATERAL (SELECT bordermap_try_json(i.claims_json) AS j) p
        CROSS JOIN LATERAL json_array_elements(
            CASE WHEN json_typeof(p.j) = 'array' THEN p.j ELSE '[]'::json END
        ) WITH ORDINALITY AS e(c, n)
        WHERE json_typeof(e.c) = 'object' AND coalesce(e.c->>'source', '') <> '';
    INSERT INTO sources (id, citation)
        SELECT DISTINCT ON (sid) sid, citation FROM (
            SELECT btrim(u.sid) AS sid,
                   CASE WHEN cardinality(a.cits) = cardinality(a.sids)
                        THEN btrim(a.cits[u.n]) END AS citation
            FROM incidents i
            JOIN unnest(ids) AS t(id) ON i.id = t.id
            CROSS JOIN LATERAL (SELECT string_to_array(i.source_ids, ';') AS sids,
                                       string_to_array(i.sources, ' | ') AS cits) a
            CROSS JOIN LATERAL unnest(a.sids) WITH ORDINALITY AS u(sid, n)
            WHERE btrim(u.sid) <> ''
            UNION ALL
            SELECT claim->>'source', NULL FROM bordermap_claims_in
        ) s
        ORDER BY sid, citation NULLS LAST
    ON CONFLICT (id) DO UPDATE SET citation = coalesce(EXCLUDED.citation, sources.citation);
    INSERT INTO incident_sources (incident_id, ord, source_id)
        SELECT i.id, u.n::integer, btrim(u.sid)
        FROM incidents i
        JOIN unnest(ids) AS t(id) ON i.id = t.id
        CROSS JOIN LATERAL unnest(string_to_array(i.source_ids, ';')) WITH ORDINALITY AS u(sid, n)
        WHERE btrim(u.sid) <> '';
    INSERT INTO claims (incident_id, ord, claimant, claimant_side, victims, killed, killed_min,
                        injured, injured_min, civilians_killed, source_id, claim_date, note)
        SELECT incident_id, ord, claim->>'claimant', claim->>'claimant_side', claim->>'victims',
               bordermap_int(claim->>'killed'), coalesce(bordermap_bool(claim->>'killed_min'), false),
               bordermap_int(claim->>'injured'), coalesce(bordermap_bool(claim->>'injured_min'), false),
               bordermap_int(claim->>'civilians_killed'), claim->>'source',
               claim->>'date', claim->>'note'
        FROM bordermap_claims_in;
END $$;

CREATE FUNCTION bordermap_before_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION 'incident ids never change (% to %)', OLD.id, NEW.id;
    END IF;
    NEW.fid := OLD.fid;
    NEW.ord := OLD.ord;
    NEW.created_at := OLD.created_at;
    NEW.created_by := OLD.created_by;
    NEW.revision := OLD.revision + 1;
    NEW.changed_at := now();
    NEW.changed_by := current_user;
    RETURN NEW;
END $$;

CREATE FUNCTION bordermap_soft_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE incidents SET deleted_at = now(), deleted_by = current_user
    WHERE fid = OLD.fid AND deleted_at IS NULL;
    RETURN NULL;
END $$;

CREATE FUNCTION bordermap_after_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changes (incident_id, revision, action)
        SELECT id, revision, 'insert' FROM new_rows ORDER BY ord;
    PERFORM bordermap_refresh_claims(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION bordermap_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO incidents_history (id, revision, properties, geom, changed_at, changed_by,
                                   deleted_at, deleted_by)
        SELECT id, revision, properties, geom, changed_at, changed_by, deleted_at, deleted_by
        FROM old_rows;
    INSERT INTO changes (incident_id, revision, action, fields)
        SELECT n.id, n.revision,
               CASE WHEN n.deleted_at IS NOT NULL AND o.deleted_at IS NULL THEN 'delete'
                    WHEN n.deleted_at IS NULL AND o.deleted_at IS NOT NULL THEN 'restore'
                    ELSE 'update' END,
               bordermap_changed_fields(o.properties, n.properties, o.geom, n.geom)
        FROM old_rows o JOIN new_rows n ON n.fid = o.fid
        ORDER BY n.ord;
    PERFORM bordermap_refresh_claims(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;
"#;

const V1_TABLES_HEAD: &str = r#"
CREATE TABLE bordermap_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE sources (
    id text PRIMARY KEY,
    citation text
);
CREATE TABLE incidents (
    fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    ord bigint NOT NULL,
    revision integer NOT NULL DEFAULT 1,
    properties json NOT NULL,
    geom geometry(Point, 4326),
"#;

const V1_TABLES_TAIL: &str = r#"
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT current_user,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL DEFAULT current_user,
    deleted_at timestamptz,
    deleted_by text
);
CREATE INDEX incidents_geom_idx ON incidents USING gist (geom);
CREATE INDEX incidents_geog_idx ON incidents USING gist ((geom::geography));
CREATE INDEX incidents_ord_idx ON incidents (ord);
CREATE TABLE incidents_history (
    hid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL REFERENCES incidents (id),
    revision integer NOT NULL,
    properties json NOT NULL,
    geom geometry(Point, 4326),
    changed_at timestamptz NOT NULL,
    changed_by text NOT NULL,
    deleted_at timestamptz,
    deleted_by text,
    superseded_at timestamptz NOT NULL DEFAULT now(),
    superseded_by text NOT NULL DEFAULT current_user,
    UNIQUE (id, revision)
);
CREATE TABLE changes (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL DEFAULT current_user,
    incident_id text NOT NULL REFERENCES incidents (id),
    revision integer NOT NULL,
    action text NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore')),
    fields text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX changes_incident_idx ON changes (incident_id);
CREATE INDEX changes_at_idx ON changes (changed_at);
CREATE TABLE incident_sources (
    isid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id text NOT NULL REFERENCES incidents (id),
    ord integer NOT NULL,
    source_id text NOT NULL REFERENCES sources (id),
    UNIQUE (incident_id, ord)
);
CREATE TABLE claims (
    cid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id text NOT NULL REFERENCES incidents (id),
    ord integer NOT NULL,
    claimant text,
    claimant_side text,
    victims text,
    killed integer,
    killed_min boolean NOT NULL DEFAULT false,
    injured integer,
    injured_min boolean NOT NULL DEFAULT false,
    civilians_killed integer,
    source_id text NOT NULL REFERENCES sources (id),
    claim_date text,
    note text,
    UNIQUE (incident_id, ord)
);
CREATE INDEX claims_source_idx ON claims (source_id);
"#;

const V1_TRIGGERS: &str = r#"
CREATE TRIGGER incidents_revision BEFORE UPDATE ON incidents
    FOR EACH ROW EXECUTE FUNCTION bordermap_before_update();
CREATE TRIGGER incidents_soft_delete BEFORE DELETE ON incidents
    FOR EACH ROW EXECUTE FUNCTION bordermap_soft_delete();
CREATE TRIGGER incidents_inserted AFTER INSERT ON incidents
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bordermap_after_insert();
CREATE TRIGGER incidents_updated AFTER UPDATE ON incidents
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bordermap_after_update();
"#;

fn v1() -> String {
    let mut sql = String::from(V1_TABLES_HEAD);
    for (name, kind) in COLUMNS_V1 {
        let _ = writeln!(sql, "    {name} {},", kind.sql());
    }
    sql.push_str(V1_TABLES_TAIL);
    sql.push_str(V1_FUNCTIONS);
    sql.push_str(V1_TRIGGERS);
    let columns: Vec<&str> = COLUMNS_V1.iter().map(|(c, _)| *c).collect();
    let _ = write!(
        sql,
        "CREATE VIEW incidents_layer AS\n    SELECT fid, id, {}, geom\n    FROM incidents WHERE deleted_at IS NULL;\n",
        columns.join(", ")
    );
    sql.push_str(
        "COMMENT ON VIEW incidents_layer IS 'bordermap incidents (live, not deleted): one row per incident, the columns of incidents GeoJSON';\n",
    );
    sql
}

/// The schema version recorded in the database (0 when bordermap never ran `init` there).
pub fn version(client: &mut impl GenericClient) -> std::result::Result<i32, postgres::Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('bordermap_meta') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = client.query_opt(
        "SELECT value FROM bordermap_meta WHERE key = 'schema_version'",
        &[],
    )?;
    Ok(row
        .and_then(|r| r.get::<_, String>(0).parse().ok())
        .unwrap_or(0))
}

/// What `db init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    /// The version before.
    pub from: i32,
    /// The version after.
    pub to: i32,
    /// The PostGIS version on the server.
    pub postgis: String,
}

/// Creates PostGIS (when missing and allowed) and applies every migration newer than the
/// database's version, in one transaction.
pub(super) fn init(store: &mut super::Store) -> Result<InitReport> {
    let postgis = store.ensure_postgis()?;
    let target = store.target.clone();
    let mut tx = store
        .client
        .transaction()
        .map_err(|e| super::sql_error(&target, "starting the migration", &e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
        .map_err(|e| super::sql_error(&target, "waiting for another bordermap", &e))?;
    let from =
        version(&mut tx).map_err(|e| super::sql_error(&target, "reading the version", &e))?;
    if from > LATEST {
        return Err(super::newer_schema(&target, from));
    }
    for v in from + 1..=LATEST {
        let sql = migration(v).unwrap_or_default();
        tx.batch_execute(&sql)
            .map_err(|e| super::sql_error(&target, &format!("migration {v}"), &e))?;
        tx.execute(
            "INSERT INTO bordermap_meta (key, value) VALUES ('schema_version', $1::text)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&v.to_string()],
        )
        .map_err(|e| super::sql_error(&target, &format!("migration {v}"), &e))?;
        tx.execute(
            "INSERT INTO bordermap_meta (key, value)
             VALUES ('store_id', md5(random()::text || clock_timestamp()::text))
             ON CONFLICT (key) DO NOTHING",
            &[],
        )
        .map_err(|e| super::sql_error(&target, &format!("migration {v}"), &e))?;
    }
    tx.commit()
        .map_err(|e| super::sql_error(&target, "committing the migration", &e))?;
    Ok(InitReport {
        from,
        to: LATEST.max(from),
        postgis,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_up_to_the_latest_has_a_migration() {
        for v in 1..=LATEST {
            assert!(migration(v).is_some(), "migration {v}");
        }
        assert!(migration(LATEST + 1).is_none());
    }

    #[test]
    fn the_view_lists_the_geojson_columns_in_order() {
        let sql = v1();
        let view = sql.split("CREATE VIEW incidents_layer AS").nth(1).unwrap();
        assert!(view.contains("SELECT fid, id, title, date_start, date_end,"));
        assert!(view.contains("merge_original_id, geom"));
    }
}
