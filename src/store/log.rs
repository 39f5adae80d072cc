//! `db log` and `db delete`: who changed what, when; and soft deletes.

use super::{Store, sql_error};
use crate::error::{Error, Result};

/// One change, as the `changes` table logs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its number in the log.
    pub seq: i64,
    /// When (UTC), `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    /// Who: the database role.
    pub by: String,
    /// The incident.
    pub id: String,
    /// The incident's revision after the change.
    pub revision: i32,
    /// `insert`, `update`, `delete` or `restore`.
    pub action: String,
    /// The properties that changed (and `geometry` when the point moved).
    pub fields: Vec<String>,
}

/// What `db delete` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteReport {
    /// Ids now deleted.
    pub deleted: Vec<String>,
    /// Ids that were deleted already.
    pub already: Vec<String>,
    /// Ids the store does not have.
    pub unknown: Vec<String>,
}

impl Store {
    /// The log, oldest first: every change since `since` (a date `YYYY-MM-DD` or a time
    /// such as `2024-05-01T09:30:00Z`; UTC unless it says otherwise), of incident `id` when
    /// given.
    ///
    /// # Examples
    /// ```no_run
    /// let mut store = bordermap::store::Store::open("postgresql://alice@localhost/desk").unwrap();
    /// for c in store.log(Some("2024-05-01"), None).unwrap() {
    ///     println!("{} {} {} {}", c.at, c.by, c.action, c.id);
    /// }
    /// ```
    pub fn log(&mut self, since: Option<&str>, id: Option<&str>) -> Result<Vec<Change>> {
        let t = self.target.clone();
        let rows = self
            .client
            .query(
                "SELECT seq, to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                        changed_by, incident_id, revision, action, fields
                 FROM changes
                 WHERE ($1::text IS NULL OR changed_at >= $1::text::timestamptz)
                   AND ($2::text IS NULL OR incident_id = $2::text)
                 ORDER BY seq",
                &[&since, &id],
            )
            .map_err(|e| {
                let bad_time = e.code().is_some_and(|c| {
                    c.code().starts_with("22007") || c.code().starts_with("22008")
                });
                if bad_time {
                    Error::Usage(format!(
                        "--since {:?}: not a date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
                        since.unwrap_or_default()
                    ))
                } else {
                    sql_error(&t, "reading the log", &e)
                }
            })?;
        Ok(rows
            .iter()
            .map(|r| Change {
                seq: r.get(0),
                at: r.get(1),
                by: r.get(2),
                id: r.get(3),
                revision: r.get(4),
                action: r.get(5),
                fields: r.get(6),
            })
            .collect())
    }

    /// Soft-deletes the incidents `ids`: they leave pulls, queries and the QGIS layer, and
    /// stay in the table with who deleted them and when (their history too).
    ///
    /// # Examples
    /// ```no_run
    /// let mut store = bordermap::store::Store::open("postgresql://alice@localhost/desk").unwrap();
    /// let r = store.delete(&["kgtj-2022-06-03-vorukh".to_string()]).unwrap();
    /// assert!(r.unknown.is_empty());
    /// ```
    pub fn delete(&mut self, ids: &[String]) -> Result<DeleteReport> {
        let t = self.target.clone();
        let mut tx = self
            .client
            .transaction()
            .map_err(|e| sql_error(&t, "starting the delete", &e))?;
        let deleted: Vec<String> = tx
            .query(
                "UPDATE incidents SET deleted_at = now(), deleted_by = current_user
                 WHERE id = ANY($1) AND deleted_at IS NULL RETURNING id",
                &[&ids],
            )
            .map_err(|e| sql_error(&t, "deleting", &e))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let known: Vec<String> = tx
            .query("SELECT id FROM incidents WHERE id = ANY($1)", &[&ids])
            .map_err(|e| sql_error(&t, "deleting", &e))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        tx.commit()
            .map_err(|e| sql_error(&t, "committing the delete", &e))?;
        let mut report = DeleteReport::default();
        for id in ids {
            if deleted.contains(id) {
                report.deleted.push(id.clone());
            } else if known.contains(id) {
                report.already.push(id.clone());
            } else {
                report.unknown.push(id.clone());
            }
        }
        Ok(report)
    }
}
