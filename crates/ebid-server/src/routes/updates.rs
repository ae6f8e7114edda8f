//! The desktop app's update feed (tauri-plugin-updater's endpoint) and its artifacts' downloads. Public,
//! behind the same rate limits as every route. What to offer is [`crate::feed`]'s decision; this module
//! reads the releases and answers in the plugin's shape.

use std::str::FromStr as _;

use anyhow::Context as _;
use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ebid_protocol::RefusalCode;
use ebid_protocol::updates::{
    Arch, FeedArtifact, FeedQuery, FeedRelease, Os, Platform, artifact_path, is_install_id,
};
use tokio_util::io::ReaderStream;

use crate::db::releases::{self, ReleaseState};
use crate::error::ApiError;
use crate::feed::{self, Asker};
use crate::release::artifact_file;
use crate::state::SharedState;

/// `GET /updates/{target}/{arch}/{current_version}`: 204 when nothing newer is meant for this install (or
/// for an OS or architecture the server knows no artifact kind of), else the release as the plugin reads it.
pub(super) async fn feed(
    State(state): State<SharedState>,
    Path((target, arch, current)): Path<(String, String, String)>,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|_| RefusalCode::BadRequest)?;
    let current = semver::Version::parse(current.trim_start_matches('v'))
        .map_err(|_| RefusalCode::BadRequest)?;
    let (Some(os), Some(arch)) = (Os::from_target(&target), Arch::from_name(&arch)) else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let install = query.install.as_deref().filter(|id| is_install_id(id));
    let asker = Asker {
        os,
        arch,
        current: &current,
        channel: query.channel,
        install,
    };
    let mut conn = state.db.pool().acquire().await?;
    let offerable = releases::offerable(&mut conn).await?;
    drop(conn);
    let Some(offer) = feed::decide(&offerable, &asker) else {
        tracing::debug!(%os, %arch, %current, channel = %query.channel, "no update for this install");
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let release = offer.release;
    let version = release.version.to_string();
    tracing::info!(
        offered = %version,
        %current,
        %os,
        %arch,
        channel = %query.channel,
        mandatory = offer.mandatory,
        bucket = install.map(|id| feed::bucket(&release.version, id)),
        "update offered"
    );
    let platforms = release
        .artifacts
        .iter()
        .filter(|a| a.platform.os == os && a.platform.arch == arch)
        .map(|a| {
            let url = format!(
                "{}{}",
                state.origin.as_str(),
                artifact_path(&version, &a.platform)
            );
            (
                a.platform.to_string(),
                FeedArtifact {
                    url,
                    signature: a.signature.clone(),
                },
            )
        })
        .collect();
    Ok(Json(FeedRelease {
        version,
        notes: release.notes.clone(),
        pub_date: release.published_at,
        platforms,
        mandatory: offer.mandatory,
        min_version: offer.min_version.map(ToString::to_string),
    })
    .into_response())
}

/// `GET /updates/artifacts/{version}/{platform}`: the artifact's bytes, streamed from its file with their
/// Content-Length (the plugin's progress). 404 for a release or platform that is not published, and for a
/// rolled-back release. The request timeout ends when the answer's head is ready, not with the download.
pub(super) async fn artifact(
    State(state): State<SharedState>,
    Path((version, platform)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::from(RefusalCode::UnknownRoute);
    let platform = Platform::from_str(&platform).map_err(|_| not_found())?;
    let mut conn = state.db.pool().acquire().await?;
    let release = releases::find(&mut conn, &version).await?;
    drop(conn);
    let release = release
        .filter(|r| r.state != ReleaseState::RolledBack)
        .ok_or_else(not_found)?;
    let artifact = release
        .artifacts
        .iter()
        .find(|a| a.platform == platform)
        .ok_or_else(not_found)?;
    let path = artifact_file(&state.releases, &version, &platform, &artifact.file_name);
    let file = tokio::fs::File::open(&path)
        .await
        .with_context(|| format!("opening the published artifact {}", path.display()))?;
    let length = file
        .metadata()
        .await
        .with_context(|| format!("reading {}", path.display()))?
        .len();
    if length != artifact.size {
        return Err(anyhow::anyhow!(
            "{} holds {length} bytes, {} were published: not served",
            path.display(),
            artifact.size
        )
        .into());
    }
    let mut response = Body::from_stream(ReaderStream::new(file)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if let Ok(disposition) =
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", artifact.file_name))
    {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}
