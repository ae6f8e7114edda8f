//! `ebid history`: what the local history holds, read only: the renewal attempts, the newest first, each
//! with its steps and how it ended (an attempt never finished reads as 中断, never as done), and the cards
//! seen with their days left at the server's time as last measured.

use std::path::Path;

use ebid_history::{Attempt, AttemptFilter, CardRecord, History, Outcome, Registration};
use ebid_reminders::{Clock, Thresholds, assess, jst_date_string};
use ebid_workflow::messages::attempt_outcome;
use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::connect_args::runtime;
use crate::{history_file, history_view, jst_input};

pub struct HistoryArgs<'a> {
    pub file: Option<&'a Path>,
    pub json: bool,
    pub organization: Option<String>,
    pub since: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Shown {
    pub attempts: Vec<ShownAttempt>,
    pub cards: Vec<ShownCard>,
}

#[derive(Serialize)]
pub struct ShownAttempt {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    pub organization: String,
    pub category: String,
    /// 担当者: as typed on the current card's PIN dialog, else the current card's holder.
    pub holder: Option<String>,
    pub old_fingerprint: String,
    pub old_serial: String,
    pub new_fingerprint: Option<String>,
    pub new_serial: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    /// committed, refused, cancelled, interrupted or in_progress.
    pub outcome: &'static str,
    /// The refusal's code, when refused.
    pub outcome_code: Option<String>,
    /// 更新完了 / 拒否（code） / 取消 / 中断.
    pub outcome_ja: String,
    pub steps: Vec<ShownStep>,
}

#[derive(Serialize)]
pub struct ShownStep {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub step: String,
    pub outcome: String,
}

#[derive(Serialize)]
pub struct ShownCard {
    pub fingerprint: String,
    pub serial: String,
    pub issuer: String,
    pub holder: Option<String>,
    pub company: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// 証明書有効期限 in Japan, YYYY/MM/DD.
    pub expiry_date: String,
    /// JST calendar days left at the server's time: 0 on the day of expiry, negative once expired.
    pub days_left: i64,
    pub expired: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub first_seen: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen: OffsetDateTime,
    /// The new card's fingerprint once a renewal replaced this one (更新済み).
    pub replaced_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub replaced_at: Option<OffsetDateTime>,
    pub registrations: Vec<ShownRegistration>,
}

#[derive(Serialize)]
pub struct ShownRegistration {
    pub organization: String,
    pub category: String,
    pub registered: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub answered_at: OffsetDateTime,
}

pub fn run(args: &HistoryArgs<'_>) -> anyhow::Result<()> {
    let since = args.since.map(jst_input::day).transpose()?;
    let filter = AttemptFilter {
        organization: args.organization.clone(),
        since,
        ..AttemptFilter::default()
    };
    let shown = runtime()?.block_on(async {
        match history_file::to_read(args.file).await? {
            Some(history) => read(&history, &filter).await,
            None => Ok(Shown {
                attempts: Vec::new(),
                cards: Vec::new(),
            }),
        }
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&shown)?);
    } else {
        history_view::print(&shown);
    }
    Ok(())
}

async fn read(history: &History, filter: &AttemptFilter) -> anyhow::Result<Shown> {
    let failed = |error: ebid_history::HistoryError| anyhow::anyhow!(error.to_string());
    let attempts = history.attempts(filter).await.map_err(failed)?;
    let offset = history
        .clock_offset()
        .await
        .map_err(failed)?
        .unwrap_or(Duration::ZERO);
    let clock = Clock::new(OffsetDateTime::now_utc(), offset);
    let mut cards = Vec::new();
    for card in history.cards().await.map_err(failed)? {
        let registrations = history
            .registrations(&card.facts.fingerprint)
            .await
            .map_err(failed)?;
        cards.push(shown_card(card, &registrations, clock));
    }
    Ok(Shown {
        attempts: attempts.into_iter().map(shown_attempt).collect(),
        cards,
    })
}

fn shown_attempt(attempt: Attempt) -> ShownAttempt {
    let (outcome, outcome_code) = match &attempt.outcome {
        Outcome::Committed => ("committed", None),
        Outcome::Refused { code } => ("refused", Some(code.clone())),
        Outcome::Cancelled => ("cancelled", None),
        Outcome::InProgress => ("in_progress", None),
        Outcome::Interrupted => ("interrupted", None),
    };
    ShownAttempt {
        id: attempt.id.get(),
        started_at: attempt.started_at,
        organization: attempt.start.organization,
        category: attempt.start.category,
        holder: attempt.start.holder,
        old_fingerprint: attempt.start.old_fingerprint,
        old_serial: attempt.start.old_serial,
        new_fingerprint: attempt.new_fingerprint,
        new_serial: attempt.new_serial,
        finished_at: attempt.finished_at,
        outcome,
        outcome_ja: attempt_outcome(&attempt.outcome),
        outcome_code,
        steps: attempt
            .steps
            .into_iter()
            .map(|step| ShownStep {
                at: step.at,
                step: step.step,
                outcome: step.outcome_code,
            })
            .collect(),
    }
}

fn shown_card(card: CardRecord, registrations: &[Registration], clock: Clock) -> ShownCard {
    // Only the days matter here: the thresholds do not change them.
    let assessment = assess(card.facts.not_after, clock, &Thresholds::default(), &[]);
    ShownCard {
        fingerprint: card.facts.fingerprint,
        serial: card.facts.serial,
        issuer: card.facts.issuer,
        holder: card.facts.holder,
        company: card.facts.company,
        not_after: card.facts.not_after,
        expiry_date: jst_date_string(assessment.expiry_date),
        days_left: assessment.days_left,
        expired: assessment.expired,
        first_seen: card.first_seen,
        last_seen: card.last_seen,
        replaced_by: card.replaced.as_ref().map(|replaced| replaced.by.clone()),
        replaced_at: card.replaced.map(|replaced| replaced.at),
        registrations: registrations
            .iter()
            .map(|registration| ShownRegistration {
                organization: registration.organization.clone(),
                category: registration.category.clone(),
                registered: registration.registered,
                answered_at: registration.answered_at,
            })
            .collect(),
    }
}
