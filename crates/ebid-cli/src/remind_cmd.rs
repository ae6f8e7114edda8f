//! `ebid remind --check`: which reminder is due now for each card the history knows, for a scheduled task.
//! Read only: nothing is marked delivered (the desktop app delivers and marks), so running it changes no
//! later answer. The thresholds are the configuration files' (`[reminders] days`), else the default.

use std::path::Path;

use ebid_reminders::Milestone;
use ebid_workflow::reminders::{CardStanding, standings};
use serde::Serialize;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::config_files::ConfigFiles;
use crate::connect_args::runtime;
use crate::{history_file, jst_input};

pub struct RemindArgs<'a> {
    pub file: Option<&'a Path>,
    /// `--at`: the time in Japan to check at instead of now.
    pub at: Option<&'a str>,
    pub json: bool,
}

#[derive(Serialize)]
struct Checked {
    /// The PC's time checked at (before the server's clock offset is applied).
    #[serde(with = "time::serde::rfc3339")]
    at: OffsetDateTime,
    thresholds: Vec<u32>,
    /// Every card seen and not replaced, soonest expiry first.
    cards: Vec<CheckedCard>,
}

#[derive(Serialize)]
struct CheckedCard {
    fingerprint: String,
    serial: String,
    holder: Option<String>,
    company: Option<String>,
    /// 証明書有効期限 in Japan, YYYY/MM/DD.
    expiry_date: String,
    days_left: i64,
    expired: bool,
    /// The notice due now; null when none.
    due: Option<DueNotice>,
    /// The next milestone if nothing is delivered before it.
    next: Option<NextMilestone>,
    /// What the app shows for the card now.
    status: Text,
}

#[derive(Serialize)]
struct DueNotice {
    /// Days before expiry, or 0 for the expiry itself.
    milestone: u32,
    /// The milestones delivering it settles (this one and those slept through).
    settles: Vec<u32>,
    title: String,
    body: String,
}

#[derive(Serialize)]
struct NextMilestone {
    milestone: u32,
    date: String,
}

#[derive(Serialize)]
struct Text {
    title: String,
    body: String,
}

pub fn check(args: &RemindArgs<'_>) -> anyhow::Result<()> {
    let at = match args.at {
        Some(text) => jst_input::day_or_minute(text)?,
        None => OffsetDateTime::now_utc(),
    };
    let thresholds = ConfigFiles::read()?.loaded.settings.reminders.thresholds();
    let standings = runtime()?.block_on(async {
        match history_file::to_read(args.file).await? {
            Some(history) => standings(&history, at, &thresholds)
                .await
                .map_err(|error| anyhow::anyhow!(error.to_string())),
            None => Ok(Vec::new()),
        }
    })?;
    if args.json {
        let checked = Checked {
            at: at.to_offset(UtcOffset::UTC),
            thresholds: thresholds.days().to_vec(),
            cards: standings.iter().map(checked_card).collect(),
        };
        println!("{}", serde_json::to_string_pretty(&checked)?);
        return Ok(());
    }
    // Nothing due, nothing said: a scheduled task shows only what needs the user.
    for notice in standings.iter().filter_map(CardStanding::notice) {
        println!("{}", notice.title);
        println!("  {}", notice.body);
    }
    Ok(())
}

fn checked_card(standing: &CardStanding) -> CheckedCard {
    let facts = &standing.card.facts;
    let assessment = &standing.assessment;
    let status = standing.status();
    CheckedCard {
        fingerprint: facts.fingerprint.clone(),
        serial: facts.serial.clone(),
        holder: facts.holder.clone(),
        company: facts.company.clone(),
        expiry_date: date(assessment.expiry_date),
        days_left: assessment.days_left,
        expired: assessment.expired,
        due: assessment
            .due
            .as_ref()
            .zip(standing.notice())
            .map(|(due, notice)| DueNotice {
                milestone: due.milestone.to_stored(),
                settles: due
                    .settles
                    .iter()
                    .map(|m| Milestone::to_stored(*m))
                    .collect(),
                title: notice.title,
                body: notice.body,
            }),
        next: assessment.next.map(|next| NextMilestone {
            milestone: next.milestone.to_stored(),
            date: date(next.date),
        }),
        status: Text {
            title: status.title,
            body: status.body,
        },
    }
}

fn date(date: Date) -> String {
    ebid_reminders::jst_date_string(date)
}
