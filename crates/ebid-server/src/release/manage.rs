//! `ebid-server release list / pause / resume / rollout / rollback`: what the feed offers, steered. Each
//! change is one transaction with its audit entry.

use std::fmt::Write as _;

use anyhow::Context as _;

use super::ReleaseError;
use crate::admin::jst_minute;
use crate::clock::{Clock as _, SystemClock};
use crate::db::Database;
use crate::db::audit::{self, Action, Subject};
use crate::db::releases::{self, Release, ReleaseState};

/// One line a release, newest version first, tab-separated under a header.
pub(super) async fn list(db: &Database) -> Result<String, ReleaseError> {
    let mut conn = db.pool().acquire().await.context("reading the database")?;
    let all = releases::all(&mut conn).await?;
    let mut out =
        String::from("version\tchannel\tstate\trollout\tmin version\tpublished (JST)\tplatforms\n");
    for release in &all {
        let platforms: Vec<String> = release
            .artifacts
            .iter()
            .map(|a| a.platform.to_string())
            .collect();
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}%\t{}\t{}\t{}",
            release.version,
            release.channel,
            release.state.as_str(),
            release.rollout_percent,
            release
                .min_version
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string),
            jst_minute(release.published_at),
            platforms.join(" "),
        );
    }
    if all.is_empty() {
        out.push_str("(no release published)\n");
    }
    Ok(out)
}

pub(super) async fn pause(
    db: &Database,
    version: &semver::Version,
) -> Result<String, ReleaseError> {
    change(db, version, Action::ReleasePause, |release| {
        Ok(match release.state {
            ReleaseState::Paused => Change::Nothing(format!("{version} is paused already: nothing changed\n")),
            _ => Change::State(
                ReleaseState::Paused,
                format!(
                    "paused {version}: no longer offered (its downloads stay available to apps that already \
                     saw it); `release resume {version}` offers it again\n"
                ),
            ),
        })
    })
    .await
}

pub(super) async fn resume(
    db: &Database,
    version: &semver::Version,
) -> Result<String, ReleaseError> {
    change(db, version, Action::ReleaseResume, |release| {
        Ok(match release.state {
            ReleaseState::Active => {
                Change::Nothing(format!("{version} is offered already: nothing changed\n"))
            }
            _ => Change::State(
                ReleaseState::Active,
                format!(
                    "resumed {version}: offered again to {}% of its installs\n",
                    release.rollout_percent
                ),
            ),
        })
    })
    .await
}

pub(super) async fn rollout(
    db: &Database,
    version: &semver::Version,
    percent: u8,
) -> Result<String, ReleaseError> {
    change(db, version, Action::ReleaseRollout, |release| {
        let was = release.rollout_percent;
        Ok(if was == percent {
            Change::Nothing(format!("{version} is at {percent}% already: nothing changed\n"))
        } else {
            let how = if percent > was {
                "every install it was offered to keeps it"
            } else {
                "installs that updated already keep it; the others outside the share are no longer offered it"
            };
            Change::Rollout(
                percent,
                format!("{version}: rollout {was}% → {percent}% ({how})\n"),
            )
        })
    })
    .await
}

pub(super) async fn rollback(
    db: &Database,
    version: &semver::Version,
) -> Result<String, ReleaseError> {
    change(db, version, Action::ReleaseRollback, |_| {
        Ok(Change::State(
            ReleaseState::RolledBack,
            format!(
                "rolled back {version}: never offered or downloadable again; the feed offers the newest remaining \
                 release instead. Installs already on {version} keep it until a newer release reaches them (the \
                 app refuses downgrades): publish the fix as a higher version.\n"
            ),
        ))
    })
    .await
}

/// What a command does to a release.
enum Change {
    /// Nothing (asked again): said so, not audited.
    Nothing(String),
    State(ReleaseState, String),
    Rollout(u8, String),
}

/// Reads the release in a write transaction, lets `decide` say what changes, writes it with its audit entry.
/// A rolled-back release stays so.
async fn change(
    db: &Database,
    version: &semver::Version,
    action: Action,
    decide: impl FnOnce(&Release) -> Result<Change, ReleaseError>,
) -> Result<String, ReleaseError> {
    let text = version.to_string();
    let now = SystemClock.now();
    let mut tx = db
        .begin_write()
        .await
        .context("beginning the transaction")?;
    let release = releases::find(&mut tx, &text)
        .await?
        .ok_or_else(|| ReleaseError::UnknownRelease(text.clone()))?;
    if release.state == ReleaseState::RolledBack {
        return Err(ReleaseError::RolledBack(text));
    }
    let (said, detail) = match decide(&release)? {
        Change::Nothing(said) => return Ok(said),
        Change::State(state, said) => {
            releases::set_state(&mut tx, &text, state, now).await?;
            (
                said,
                format!("{} → {}", release.state.as_str(), state.as_str()),
            )
        }
        Change::Rollout(percent, said) => {
            releases::set_rollout(&mut tx, &text, percent, now).await?;
            (said, format!("{}% → {percent}%", release.rollout_percent))
        }
    };
    let subject = Subject {
        release_version: Some(text.clone()),
        detail: Some(detail),
        ..Subject::default()
    };
    audit::record(&mut tx, now, action, &subject, None)
        .await
        .context("auditing the change")?;
    tx.commit().await.context("committing the change")?;
    tracing::info!(version = %text, action = ?action, "release changed");
    Ok(said)
}
