//! The app's published releases and their artifacts (`ebid-server release …` writes them, the feed reads
//! them). Few rows: the feed reads the offerable ones whole and decides in [`crate::feed`].

use std::str::FromStr as _;

use anyhow::Context as _;
use ebid_protocol::updates::{Channel, Platform};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::time::{from_db, to_db};

/// Where a release stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReleaseState {
    /// Offered (to its rollout's share).
    Active,
    /// Not offered until resumed; its artifacts still download.
    Paused,
    /// Withdrawn for good: never offered, never downloaded.
    RolledBack,
}

impl ReleaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::RolledBack => "rolled_back",
        }
    }

    fn parse(text: &str) -> anyhow::Result<Self> {
        [Self::Active, Self::Paused, Self::RolledBack]
            .into_iter()
            .find(|state| state.as_str() == text)
            .with_context(|| format!("unknown release state {text:?}"))
    }
}

/// A release as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Release {
    pub version: semver::Version,
    pub channel: Channel,
    pub notes: String,
    pub min_version: Option<semver::Version>,
    pub rollout_percent: u8,
    pub state: ReleaseState,
    pub published_at: OffsetDateTime,
    pub artifacts: Vec<Artifact>,
}

/// One artifact as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Artifact {
    pub platform: Platform,
    pub file_name: String,
    pub size: u64,
    pub sha256: String,
    pub signature: String,
}

#[derive(sqlx::FromRow)]
struct ReleaseRow {
    version: String,
    channel: String,
    notes: String,
    min_version: Option<String>,
    rollout_percent: i64,
    state: String,
    published_at: i64,
}

#[derive(sqlx::FromRow)]
struct ArtifactRow {
    version: String,
    platform: String,
    file_name: String,
    size: i64,
    sha256: String,
    signature: String,
}

impl ReleaseRow {
    fn into_release(self, artifacts: &[ArtifactRow]) -> anyhow::Result<Release> {
        let context = || format!("stored release {}", self.version);
        Ok(Release {
            version: semver::Version::parse(&self.version).with_context(context)?,
            channel: Channel::from_str(&self.channel).with_context(context)?,
            min_version: self
                .min_version
                .as_deref()
                .map(semver::Version::parse)
                .transpose()
                .with_context(context)?,
            rollout_percent: u8::try_from(self.rollout_percent).with_context(context)?,
            state: ReleaseState::parse(&self.state)?,
            published_at: from_db(self.published_at)?,
            artifacts: artifacts
                .iter()
                .filter(|a| a.version == self.version)
                .map(ArtifactRow::to_artifact)
                .collect::<anyhow::Result<_>>()
                .with_context(context)?,
            notes: self.notes,
        })
    }
}

impl ArtifactRow {
    fn to_artifact(&self) -> anyhow::Result<Artifact> {
        Ok(Artifact {
            platform: Platform::from_str(&self.platform)?,
            file_name: self.file_name.clone(),
            size: u64::try_from(self.size)?,
            sha256: self.sha256.clone(),
            signature: self.signature.clone(),
        })
    }
}

/// Every release with its artifacts, rolled-back ones included, newest version first.
pub(crate) async fn all(conn: &mut SqliteConnection) -> anyhow::Result<Vec<Release>> {
    load(conn, false).await
}

/// The releases the feed may offer (active ones), newest version first.
pub(crate) async fn offerable(conn: &mut SqliteConnection) -> anyhow::Result<Vec<Release>> {
    load(conn, true).await
}

async fn load(conn: &mut SqliteConnection, active_only: bool) -> anyhow::Result<Vec<Release>> {
    let rows: Vec<ReleaseRow> = sqlx::query_as(
        "SELECT version, channel, notes, min_version, rollout_percent, state, published_at
         FROM releases WHERE state = 'active' OR NOT $1",
    )
    .bind(active_only)
    .fetch_all(&mut *conn)
    .await?;
    let artifacts: Vec<ArtifactRow> = sqlx::query_as(
        "SELECT version, platform, file_name, size, sha256, signature FROM release_artifacts",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut releases = rows
        .into_iter()
        .map(|row| row.into_release(&artifacts))
        .collect::<anyhow::Result<Vec<_>>>()?;
    releases.sort_by(|a, b| b.version.cmp(&a.version));
    Ok(releases)
}

/// One release, any state.
pub(crate) async fn find(
    conn: &mut SqliteConnection,
    version: &str,
) -> anyhow::Result<Option<Release>> {
    let row: Option<ReleaseRow> = sqlx::query_as(
        "SELECT version, channel, notes, min_version, rollout_percent, state, published_at
         FROM releases WHERE version = $1",
    )
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let artifacts: Vec<ArtifactRow> = sqlx::query_as(
        "SELECT version, platform, file_name, size, sha256, signature FROM release_artifacts
         WHERE version = $1",
    )
    .bind(version)
    .fetch_all(&mut *conn)
    .await?;
    row.into_release(&artifacts).map(Some)
}

/// Records a new release and its artifacts (inside the caller's transaction).
pub(crate) async fn insert(conn: &mut SqliteConnection, release: &Release) -> anyhow::Result<()> {
    let version = release.version.to_string();
    sqlx::query(
        "INSERT INTO releases (version, channel, notes, min_version, rollout_percent, state,
                               published_at, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&version)
    .bind(release.channel.as_str())
    .bind(&release.notes)
    .bind(release.min_version.as_ref().map(ToString::to_string))
    .bind(i64::from(release.rollout_percent))
    .bind(release.state.as_str())
    .bind(to_db(release.published_at))
    .execute(&mut *conn)
    .await?;
    for artifact in &release.artifacts {
        sqlx::query(
            "INSERT INTO release_artifacts (version, platform, file_name, size, sha256, signature)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&version)
        .bind(artifact.platform.to_string())
        .bind(&artifact.file_name)
        .bind(i64::try_from(artifact.size)?)
        .bind(&artifact.sha256)
        .bind(&artifact.signature)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Sets a release's state.
pub(crate) async fn set_state(
    conn: &mut SqliteConnection,
    version: &str,
    state: ReleaseState,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE releases SET state = $1, changed_at = $2 WHERE version = $3")
        .bind(state.as_str())
        .bind(to_db(now))
        .bind(version)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets a release's rollout share.
pub(crate) async fn set_rollout(
    conn: &mut SqliteConnection,
    version: &str,
    percent: u8,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE releases SET rollout_percent = $1, changed_at = $2 WHERE version = $3")
        .bind(i64::from(percent))
        .bind(to_db(now))
        .bind(version)
        .execute(conn)
        .await?;
    Ok(())
}
