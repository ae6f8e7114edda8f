//! `ebid-server release`: the administrator's commands for the desktop app's updates. `keygen` makes the
//! update signing key once; `publish` checks, signs and stores a release's artifacts in the server's data
//! folder and records the release; `list`, `pause`, `resume`, `rollout` and `rollback` steer what the feed
//! offers. Like `ebid-server admin`, they work on the server's files while it runs (SQLite in WAL mode; the
//! files of a release appear whole, by a rename, before the release is recorded).

mod files;
mod keygen;
mod manage;
mod publish;

pub use publish::PublishArgs;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use ebid_protocol::updates::Platform;

pub(crate) use files::{RELEASES_DIR, artifact_file};

use crate::db::Database;
use crate::run::DATABASE_FILE;

/// The environment variable holding the update key's password (else it is asked on the terminal).
pub const PASSWORD_ENV: &str = "EBID_RELEASE_KEY_PASSWORD";

/// The arguments of `ebid-server release`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReleaseArgs {
    #[command(subcommand)]
    pub command: ReleaseCommand,
}

/// What the administrator asks.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ReleaseCommand {
    /// Make the update signing key pair (once): ebid-release.key (encrypted with a password from
    /// EBID_RELEASE_KEY_PASSWORD, else asked twice) and ebid-release.pub (for the app's tauri.conf.json).
    Keygen {
        /// The folder to write the two files into; existing files are never overwritten.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Publish a release: check the artifacts' OS code signatures, sign them, store them in the server's data
    /// folder and offer the release. Code-sign the installers first, then publish.
    Publish(PublishArgs),
    /// List the releases: version, channel, state, rollout, minimum version, published at, platforms.
    List {
        /// The server's data folder (its --data).
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
    /// Stop offering a release (its downloads stay available); `resume` offers it again.
    Pause {
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        version: semver::Version,
    },
    /// Offer a paused release again.
    Resume {
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        version: semver::Version,
    },
    /// Widen or narrow a release's share of installs; those it had stay in a widened one.
    Rollout {
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        version: semver::Version,
        #[arg(value_parser = clap::value_parser!(u8).range(0..=100))]
        percent: u8,
    },
    /// Withdraw a release for good: never offered or downloaded again; the feed falls back to the newest
    /// remaining release. Installs already on it keep it until a newer release (apps refuse downgrades).
    Rollback {
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        version: semver::Version,
    },
}

/// Why a release command did not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error(
        "no server database in {0}: give the server's --data folder (the server creates its database when it first starts)"
    )]
    NoDatabase(PathBuf),
    #[error(
        "{0} exists already: keygen never overwrites a key; move it away first if you really mean to replace it"
    )]
    KeyExists(PathBuf),
    #[error("the two passwords differ")]
    PasswordsDiffer,
    #[error(transparent)]
    Key(#[from] ebid_release::KeyError),
    #[error(
        "version {0} was published already (a version is published once; publish a higher one)"
    )]
    AlreadyPublished(String),
    #[error("the minimum version {min} is above the release's version {version}")]
    MinAboveVersion { min: String, version: String },
    #[error("the platform {0} is given twice")]
    DuplicatePlatform(String),
    #[error("the release notes in {0} are empty")]
    EmptyNotes(PathBuf),
    #[error(
        "{platform}: {reason}. Code-sign the installer first (Authenticode on Windows, codesign and notarization on macOS), build its update artifact from the signed file, then publish"
    )]
    NotCodeSigned { platform: String, reason: String },
    #[error(
        "{platform}: {file} is not a kind of artifact whose OS signature can be checked (Windows: .exe or .msi; macOS: .app.tar.gz)"
    )]
    UnknownArtifactKind { platform: String, file: String },
    #[error("signing {file}: {source}")]
    Sign {
        file: String,
        source: ebid_release::SignatureError,
    },
    #[error("no release {0}: `ebid-server release list` lists them")]
    UnknownRelease(String),
    #[error("release {0} was rolled back: it stays withdrawn; publish a higher version instead")]
    RolledBack(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Runs the command; what it prints on standard output.
pub async fn release(args: ReleaseArgs) -> Result<String, ReleaseError> {
    let data = match &args.command {
        ReleaseCommand::Keygen { out } => return keygen::keygen(out),
        ReleaseCommand::Publish(PublishArgs { data, .. })
        | ReleaseCommand::List { data }
        | ReleaseCommand::Pause { data, .. }
        | ReleaseCommand::Resume { data, .. }
        | ReleaseCommand::Rollout { data, .. }
        | ReleaseCommand::Rollback { data, .. } => data.clone(),
    };
    let path = data.join(DATABASE_FILE);
    if !path.is_file() {
        return Err(ReleaseError::NoDatabase(data));
    }
    let db = Database::open(&path)
        .await
        .with_context(|| format!("opening {}", path.display()))?;
    let done = on_database(&db, &data, args.command).await;
    db.close().await;
    done
}

async fn on_database(
    db: &Database,
    data: &Path,
    command: ReleaseCommand,
) -> Result<String, ReleaseError> {
    match command {
        ReleaseCommand::Keygen { out } => keygen::keygen(&out),
        ReleaseCommand::Publish(request) => publish::publish(db, data, request).await,
        ReleaseCommand::List { .. } => manage::list(db).await,
        ReleaseCommand::Pause { version, .. } => manage::pause(db, &version).await,
        ReleaseCommand::Resume { version, .. } => manage::resume(db, &version).await,
        ReleaseCommand::Rollout {
            version, percent, ..
        } => manage::rollout(db, &version, percent).await,
        ReleaseCommand::Rollback { version, .. } => manage::rollback(db, &version).await,
    }
}

pub(super) fn parse_artifact(text: &str) -> Result<(Platform, PathBuf), String> {
    let (platform, path) = text.split_once('=').ok_or_else(|| {
        format!("{text:?}: PLATFORM=PATH, e.g. windows-x86_64-nsis=ebid-setup.exe")
    })?;
    let platform = platform.parse::<Platform>().map_err(|e| e.to_string())?;
    if path.is_empty() {
        return Err(format!("{text:?}: no file after '='"));
    }
    Ok((platform, PathBuf::from(path)))
}

/// The update key's password: the environment's, else asked on the terminal (twice when `confirm`).
fn password(prompt: &str, confirm: bool) -> Result<String, ReleaseError> {
    if let Ok(password) = std::env::var(PASSWORD_ENV) {
        return Ok(password);
    }
    let password = rpassword::prompt_password(prompt).context("reading the password")?;
    if confirm {
        let again = rpassword::prompt_password("The same password again: ")
            .context("reading the password")?;
        if again != password {
            return Err(ReleaseError::PasswordsDiffer);
        }
    }
    Ok(password)
}
