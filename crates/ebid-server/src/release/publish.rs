//! `ebid-server release publish`: a release's artifacts checked, signed, stored and recorded.
//!
//! In this order, so that nothing half-done is ever offered: everything is checked and signed first (no
//! file written); the files are written into a partial folder and renamed to the release's folder; then the
//! release is recorded, with its audit entry, in one transaction. A failure before the commit removes the
//! folder again; the feed reads only recorded releases.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use ebid_protocol::updates::{Channel, Os, Platform};
use ebid_release::{OsSignature, SigningKey, check_os_signature};
use sha2::{Digest as _, Sha256};

use super::files::{RELEASES_DIR, partial_release_dir, release_dir};
use super::{ReleaseError, parse_artifact, password};
use crate::clock::{Clock as _, SystemClock};
use crate::db::Database;
use crate::db::audit::{self, Action, Subject};
use crate::db::releases::{self, Artifact, Release, ReleaseState};

/// What `publish` is asked: `ebid-server release publish`'s arguments, as they are.
#[derive(Debug, Clone, clap::Args)]
pub struct PublishArgs {
    /// The server's data folder (its --data).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The update signing key (ebid-release.key); its password from EBID_RELEASE_KEY_PASSWORD, else asked.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// The release's version (semver), the one the installers were built with.
    #[arg(long, value_name = "VERSION")]
    pub version: semver::Version,
    /// Who is offered it: stable (everybody) or beta (beta installs only).
    #[arg(long, value_name = "CHANNEL", value_parser = clap::value_parser!(Channel))]
    pub channel: Channel,
    /// The release notes the app shows (UTF-8 text, in Japanese).
    #[arg(long, value_name = "FILE")]
    pub notes_file: PathBuf,
    /// Installs below this version must update (at once, never in the middle of a renewal).
    #[arg(long, value_name = "VERSION")]
    pub min_version: Option<semver::Version>,
    /// The share of installs offered it, by install id; widen it later with `rollout`.
    #[arg(long, value_name = "PERCENT", default_value_t = 100,
          value_parser = clap::value_parser!(u8).range(0..=100))]
    pub rollout: u8,
    /// PLATFORM=PATH, e.g. windows-x86_64-nsis=ebid_1.2.0_x64-setup.exe; repeatable, at least one.
    #[arg(long = "artifact", value_name = "PLATFORM=PATH", required = true,
          value_parser = parse_artifact)]
    pub artifacts: Vec<(Platform, PathBuf)>,
    /// Skip the check that Windows and macOS artifacts are code-signed (for test builds only: an update
    /// signed before its OS signature is refused by every client).
    #[arg(long)]
    pub no_os_signature: bool,
}

/// One artifact read and signed, not yet stored.
struct Signed {
    artifact: Artifact,
    bytes: Vec<u8>,
}

pub(super) async fn publish(
    db: &Database,
    data: &Path,
    request: PublishArgs,
) -> Result<String, ReleaseError> {
    let version = request.version.to_string();
    if let Some(min) = &request.min_version
        && min > &request.version
    {
        return Err(ReleaseError::MinAboveVersion {
            min: min.to_string(),
            version,
        });
    }
    for (i, (platform, _)) in request.artifacts.iter().enumerate() {
        if request.artifacts[..i].iter().any(|(p, _)| p == platform) {
            return Err(ReleaseError::DuplicatePlatform(platform.to_string()));
        }
    }
    let notes = std::fs::read_to_string(&request.notes_file)
        .with_context(|| {
            format!(
                "reading the notes {} (UTF-8 text)",
                request.notes_file.display()
            )
        })?
        .trim()
        .to_owned();
    if notes.is_empty() {
        return Err(ReleaseError::EmptyNotes(request.notes_file));
    }
    {
        let mut conn = db.pool().acquire().await.context("reading the database")?;
        if releases::find(&mut conn, &version).await?.is_some() {
            return Err(ReleaseError::AlreadyPublished(version));
        }
    }

    let mut read = Vec::with_capacity(request.artifacts.len());
    for (platform, path) in &request.artifacts {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let file_name = file_name(path)?;
        if !request.no_os_signature {
            check_code_signed(platform, &file_name, &bytes)?;
        }
        read.push((*platform, file_name, bytes));
    }

    // Asked only once everything else is known to be right.
    let key = SigningKey::read(
        &request.key,
        &password("Password of the update signing key: ", false)?,
    )?;
    let mut signed = Vec::with_capacity(read.len());
    for (platform, file_name, bytes) in read {
        let signature =
            key.sign(&bytes, &file_name, &version)
                .map_err(|source| ReleaseError::Sign {
                    file: file_name.clone(),
                    source,
                })?;
        signed.push(Signed {
            artifact: Artifact {
                platform,
                size: bytes.len() as u64,
                sha256: hex(&Sha256::digest(&bytes)),
                file_name,
                signature,
            },
            bytes,
        });
    }

    let releases_dir = data.join(RELEASES_DIR);
    store(&releases_dir, &version, &signed)?;
    let now = SystemClock.now();
    let release = Release {
        version: request.version.clone(),
        channel: request.channel,
        notes,
        min_version: request.min_version.clone(),
        rollout_percent: request.rollout,
        state: ReleaseState::Active,
        published_at: now,
        artifacts: signed.into_iter().map(|s| s.artifact).collect(),
    };
    match record(db, &release).await {
        Ok(()) => {}
        // Another publish of this version was recorded meanwhile: its folder is not ours to remove.
        Err(error @ ReleaseError::AlreadyPublished(_)) => return Err(error),
        Err(error) => {
            // Not recorded: the files would only be in the way of publishing this version again.
            let _ = std::fs::remove_dir_all(release_dir(&releases_dir, &version));
            return Err(error);
        }
    }
    tracing::info!(%version, channel = %release.channel, rollout = release.rollout_percent, "published");

    let mut said = format!(
        "published {version} on {} to {}% of its installs",
        release.channel, release.rollout_percent
    );
    if let Some(min) = &release.min_version {
        let _ = write!(said, "; installs below {min} must update");
    }
    said.push('\n');
    for artifact in &release.artifacts {
        let _ = writeln!(
            said,
            "  {}\t{}\t{} bytes\tsha256 {}",
            artifact.platform, artifact.file_name, artifact.size, artifact.sha256
        );
    }
    let _ = writeln!(
        said,
        "watch it with `ebid-server release list`; widen it with `release rollout {version} PERCENT`, stop it with \
         `release pause {version}`"
    );
    Ok(said)
}

/// Refuses a Windows or macOS artifact without its OS code signature.
fn check_code_signed(
    platform: &Platform,
    file_name: &str,
    bytes: &[u8],
) -> Result<(), ReleaseError> {
    if platform.os == Os::Linux {
        return Ok(());
    }
    match check_os_signature(file_name, bytes) {
        Ok(OsSignature::NotApplicable) => Err(ReleaseError::UnknownArtifactKind {
            platform: platform.to_string(),
            file: file_name.to_owned(),
        }),
        Ok(_) => Ok(()),
        Err(error) => Err(ReleaseError::NotCodeSigned {
            platform: platform.to_string(),
            reason: error.to_string(),
        }),
    }
}

/// Writes the release's files into its partial folder, then renames it to the release's folder. A folder
/// of this version left by a publish that was never recorded is replaced.
fn store(releases_dir: &Path, version: &str, signed: &[Signed]) -> Result<(), ReleaseError> {
    let partial = partial_release_dir(releases_dir, version);
    let done = release_dir(releases_dir, version);
    let write = || -> std::io::Result<()> {
        if partial.exists() {
            std::fs::remove_dir_all(&partial)?;
        }
        for artifact in signed {
            let dir = partial.join(artifact.artifact.platform.to_string());
            std::fs::create_dir_all(&dir)?;
            write_synced(&dir.join(&artifact.artifact.file_name), &artifact.bytes)?;
            write_synced(
                &dir.join(format!("{}.sig", artifact.artifact.file_name)),
                artifact.artifact.signature.as_bytes(),
            )?;
        }
        if done.exists() {
            std::fs::remove_dir_all(&done)?;
        }
        std::fs::rename(&partial, &done)
    };
    write().with_context(|| format!("storing the release's files in {}", done.display()))?;
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.sync_all()
}

/// The release and its artifacts, and the audit entry, in one transaction.
async fn record(db: &Database, release: &Release) -> Result<(), ReleaseError> {
    let version = release.version.to_string();
    let mut tx = db
        .begin_write()
        .await
        .context("beginning the transaction")?;
    // Checked again inside the transaction: another publish of this version may have won meanwhile.
    if releases::find(&mut tx, &version).await?.is_some() {
        return Err(ReleaseError::AlreadyPublished(version));
    }
    releases::insert(&mut tx, release).await?;
    let platforms: Vec<String> = release
        .artifacts
        .iter()
        .map(|a| a.platform.to_string())
        .collect();
    let subject = Subject {
        release_version: Some(version),
        detail: Some(format!(
            "{} {}% min {} [{}]",
            release.channel,
            release.rollout_percent,
            release
                .min_version
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string),
            platforms.join(" ")
        )),
        ..Subject::default()
    };
    audit::record(
        &mut tx,
        release.published_at,
        Action::ReleasePublish,
        &subject,
        None,
    )
    .await
    .context("auditing the release")?;
    tx.commit().await.context("committing the release")?;
    Ok(())
}

fn file_name(path: &Path) -> Result<String, ReleaseError> {
    path.file_name()
        .and_then(|name| name.to_str())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("{} names no file", path.display()).into())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}
