//! Renewal attempts, step by step as they happen, so that one cut short shows as interrupted, never as done.

use std::collections::HashMap;

use sqlx::Row as _;
use sqlx::sqlite::SqliteRow;
use time::OffsetDateTime;

use crate::codes;
use crate::error::{HistoryError, Result};
use crate::store::History;
use crate::timestamps::to_db;

/// One attempt's number in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttemptId(i64);

impl AttemptId {
    pub fn get(self) -> i64 {
        self.0
    }
}

/// What is known when a renewal begins: where, who, and the card being replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptStart {
    pub organization: String,
    pub category: String,
    /// 担当者: as typed on the current card's PIN dialog, else the holder of the current card.
    pub holder: Option<String>,
    pub old_fingerprint: String,
    pub old_serial: String,
}

/// How an attempt ended, as its process saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// 【更新】 committed: the new card is registered.
    Committed,
    /// Refused, with the refusal's code (the server's `RefusalCode`, or the app's error code).
    Refused { code: String },
    /// The user stopped before 【更新】.
    Cancelled,
}

/// An attempt's outcome as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Committed,
    Refused {
        code: String,
    },
    Cancelled,
    /// Started by this handle and not finished yet.
    InProgress,
    /// Never finished: the process was killed, the PC lost power, or the app crashed. Whether the server
    /// committed is unknown until its 登録者情報 is read again.
    Interrupted,
}

/// One step of an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub at: OffsetDateTime,
    /// The workflow's name for the step (`login`, `new_card_proof`, `commit` …).
    pub step: String,
    /// `ok`, or the refusal's code.
    pub outcome_code: String,
}

/// An attempt and its steps, in the order they happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub id: AttemptId,
    pub started_at: OffsetDateTime,
    pub start: AttemptStart,
    pub new_fingerprint: Option<String>,
    pub new_serial: Option<String>,
    pub finished_at: Option<OffsetDateTime>,
    pub outcome: Outcome,
    pub steps: Vec<Step>,
}

/// Which attempts to read; the default is all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttemptFilter {
    pub organization: Option<String>,
    /// Started at or after.
    pub since: Option<OffsetDateTime>,
    /// At most this many, the newest.
    pub limit: Option<u32>,
    pub outcome: Option<OutcomeFilter>,
}

/// Attempts by how they ended. [`Outcome::InProgress`] and [`Outcome::Interrupted`] are both unfinished in
/// the file: which one an attempt is depends on who reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeFilter {
    Committed,
    Refused,
    Cancelled,
    Unfinished,
}

impl OutcomeFilter {
    /// The `outcome` column's value, `unfinished` for none.
    fn stored(self) -> &'static str {
        match self {
            Self::Committed => "committed",
            Self::Refused => "refused",
            Self::Cancelled => "cancelled",
            Self::Unfinished => "unfinished",
        }
    }
}

/// The ids an [`AttemptFilter`] selects (bound as ?1 organization, ?2 since, ?3 limit, ?4 outcome), shared by the
/// attempts' query and their steps'. A macro because sqlx takes only static SQL.
macro_rules! selected_attempts {
    () => {
        "SELECT id FROM renewal_attempts
         WHERE (?1 IS NULL OR organization = ?1) AND (?2 IS NULL OR started_at >= ?2)
           AND (?4 IS NULL OR COALESCE(outcome, 'unfinished') = ?4)
         ORDER BY id DESC LIMIT ?3"
    };
}

impl History {
    /// Records a renewal's beginning, before its first step, and counts it in progress in this handle.
    pub async fn start_attempt(
        &self,
        start: &AttemptStart,
        at: OffsetDateTime,
    ) -> Result<AttemptId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO renewal_attempts (started_at, organization, category, holder, old_fingerprint, old_serial)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        )
        .bind(to_db(at))
        .bind(&start.organization)
        .bind(&start.category)
        .bind(&start.holder)
        .bind(&start.old_fingerprint)
        .bind(&start.old_serial)
        .fetch_one(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        self.running().insert(id);
        Ok(AttemptId(id))
    }

    /// Records one step, committed before this returns.
    pub async fn record_step(
        &self,
        attempt: AttemptId,
        step: &str,
        outcome_code: &str,
        at: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO renewal_steps (attempt_id, position, at, step, outcome_code)
             SELECT ?1, COALESCE(MAX(position) + 1, 0), ?2, ?3, ?4 FROM renewal_steps WHERE attempt_id = ?1",
        )
        .bind(attempt.0)
        .bind(to_db(at))
        .bind(codes::check(step)?)
        .bind(codes::check(outcome_code)?)
        .execute(&self.pool)
        .await
        .map_err(|error| match &error {
            sqlx::Error::Database(database) if database.is_foreign_key_violation() => {
                HistoryError::UnknownAttempt(attempt.0)
            }
            _ => self.fault(error),
        })?;
        Ok(())
    }

    /// Records the new card once its proof was accepted, before 【更新】.
    pub async fn record_new_card(
        &self,
        attempt: AttemptId,
        fingerprint: &str,
        serial: &str,
    ) -> Result<()> {
        let updated = sqlx::query(
            "UPDATE renewal_attempts SET new_fingerprint = ?2, new_serial = ?3 WHERE id = ?1",
        )
        .bind(attempt.0)
        .bind(fingerprint)
        .bind(serial)
        .execute(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        if updated.rows_affected() == 0 {
            return Err(HistoryError::UnknownAttempt(attempt.0));
        }
        Ok(())
    }

    /// Stops counting `attempt` in progress in this handle without an outcome: it reads as interrupted from
    /// now on, as it would after a crash. For a renewal dropped without being ended, or ended while its
    /// 【更新】's outcome was unknown (neither done nor not done can be said).
    pub fn leave_unfinished(&self, attempt: AttemptId) {
        self.running().remove(&attempt.0);
    }

    /// Records how the attempt ended. The first outcome stays: finishing again changes nothing.
    pub async fn finish_attempt(
        &self,
        attempt: AttemptId,
        finish: &Finish,
        at: OffsetDateTime,
    ) -> Result<()> {
        let (outcome, code) = match finish {
            Finish::Committed => ("committed", None),
            Finish::Refused { code } => ("refused", Some(codes::check(code)?)),
            Finish::Cancelled => ("cancelled", None),
        };
        let found: Option<i64> = sqlx::query_scalar(
            "UPDATE renewal_attempts
             SET finished_at = COALESCE(finished_at, ?2),
                 outcome_code = CASE WHEN outcome IS NULL THEN ?4 ELSE outcome_code END,
                 outcome = COALESCE(outcome, ?3)
             WHERE id = ?1 RETURNING id",
        )
        .bind(attempt.0)
        .bind(to_db(at))
        .bind(outcome)
        .bind(code)
        .fetch_optional(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        self.running().remove(&attempt.0);
        found
            .map(|_| ())
            .ok_or(HistoryError::UnknownAttempt(attempt.0))
    }

    /// The attempts `filter` selects, the newest first, each with its steps.
    pub async fn attempts(&self, filter: &AttemptFilter) -> Result<Vec<Attempt>> {
        let limit = filter.limit.map_or(-1, i64::from);
        let since = filter.since.map(to_db);
        let outcome = filter.outcome.map(OutcomeFilter::stored);
        let rows = sqlx::query(concat!(
            "SELECT * FROM renewal_attempts WHERE id IN (",
            selected_attempts!(),
            ") ORDER BY id DESC"
        ))
        .bind(&filter.organization)
        .bind(since)
        .bind(limit)
        .bind(outcome)
        .fetch_all(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        let step_rows = sqlx::query(concat!(
            "SELECT attempt_id, at, step, outcome_code FROM renewal_steps WHERE attempt_id IN (",
            selected_attempts!(),
            ") ORDER BY attempt_id, position"
        ))
        .bind(&filter.organization)
        .bind(since)
        .bind(limit)
        .bind(outcome)
        .fetch_all(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        let mut steps: HashMap<i64, Vec<Step>> = HashMap::new();
        for row in step_rows {
            steps.entry(row.get("attempt_id")).or_default().push(Step {
                at: self.time_read(row.get("at"))?,
                step: row.get("step"),
                outcome_code: row.get("outcome_code"),
            });
        }
        rows.iter()
            .map(|row| {
                let id: i64 = row.get("id");
                self.attempt(row, steps.remove(&id).unwrap_or_default())
            })
            .collect()
    }

    fn attempt(&self, row: &SqliteRow, steps: Vec<Step>) -> Result<Attempt> {
        let id: i64 = row.get("id");
        let outcome = match row.get::<Option<String>, _>("outcome").as_deref() {
            Some("committed") => Outcome::Committed,
            Some("refused") => Outcome::Refused {
                code: row
                    .get::<Option<String>, _>("outcome_code")
                    .unwrap_or_default(),
            },
            Some("cancelled") => Outcome::Cancelled,
            Some(other) => {
                return Err(HistoryError::Unreadable {
                    path: self.path.clone(),
                    what: format!("outcome {other:?} of attempt {id}"),
                });
            }
            None if self.running().contains(&id) => Outcome::InProgress,
            None => Outcome::Interrupted,
        };
        Ok(Attempt {
            id: AttemptId(id),
            started_at: self.time_read(row.get("started_at"))?,
            start: AttemptStart {
                organization: row.get("organization"),
                category: row.get("category"),
                holder: row.get("holder"),
                old_fingerprint: row.get("old_fingerprint"),
                old_serial: row.get("old_serial"),
            },
            new_fingerprint: row.get("new_fingerprint"),
            new_serial: row.get("new_serial"),
            finished_at: row
                .get::<Option<i64>, _>("finished_at")
                .map(|seconds| self.time_read(seconds))
                .transpose()?,
            outcome,
            steps,
        })
    }
}
