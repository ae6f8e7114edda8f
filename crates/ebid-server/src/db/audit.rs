//! The audit log: who did what, where, with which card, and how it ended.

use ebid_protocol::RefusalCode;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::time::to_db;
use crate::error::Result;
use crate::random;

/// What was attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Login,
    Logout,
    RenewalProof,
    RenewalCommit,
    /// 新規登録, as applied for.
    Registration,
    /// The administrator's approval of a pending registration.
    RegistrationApproval,
    /// The administrator's rejection of a pending registration.
    RegistrationRejection,
    /// 変更.
    RegistrationChange,
    /// `ebid-server release publish`.
    ReleasePublish,
    /// `ebid-server release pause`.
    ReleasePause,
    /// `ebid-server release resume`.
    ReleaseResume,
    /// `ebid-server release rollout`.
    ReleaseRollout,
    /// `ebid-server release rollback`.
    ReleaseRollback,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Logout => "logout",
            Self::RenewalProof => "renewal_proof",
            Self::RenewalCommit => "renewal_commit",
            Self::Registration => "registration",
            Self::RegistrationApproval => "registration_approval",
            Self::RegistrationRejection => "registration_rejection",
            Self::RegistrationChange => "registration_change",
            Self::ReleasePublish => "release_publish",
            Self::ReleasePause => "release_pause",
            Self::ReleaseResume => "release_resume",
            Self::ReleaseRollout => "release_rollout",
            Self::ReleaseRollback => "release_rollback",
        }
    }
}

/// What an entry says besides the action and outcome; filled in as a request learns it.
#[derive(Debug, Default)]
pub(crate) struct Subject {
    pub organization: Option<String>,
    /// The serial of the card presented (the new card's, for a renewal).
    pub serial: Option<String>,
    pub session_id: Option<String>,
    pub renewal_id: Option<String>,
    pub detail: Option<String>,
    /// 担当者, as typed.
    pub operator: Option<String>,
    /// The registration application the entry is about.
    pub application_id: Option<String>,
    /// The app's release an administrator's release command acted on.
    pub release_version: Option<String>,
}

pub(crate) async fn record(
    conn: &mut SqliteConnection,
    at: OffsetDateTime,
    action: Action,
    subject: &Subject,
    outcome: Option<RefusalCode>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, organization_id, serial, action, outcome, session_id,
                                renewal_id, detail, operator, application_id, release_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(random::row_id()?)
    .bind(to_db(at))
    .bind(&subject.organization)
    .bind(&subject.serial)
    .bind(action.as_str())
    .bind(outcome.map_or_else(|| "ok".to_owned(), code_name))
    .bind(&subject.session_id)
    .bind(&subject.renewal_id)
    .bind(&subject.detail)
    .bind(&subject.operator)
    .bind(&subject.application_id)
    .bind(&subject.release_version)
    .execute(conn)
    .await?;
    Ok(())
}

/// A refusal code as the wire spells it (`current_card_expired`).
pub(crate) fn code_name(code: RefusalCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{code:?}"))
}
