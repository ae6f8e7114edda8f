//! Why an update was not offered, downloaded or installed, in words the user can act on. Every refusal of
//! an update that does not verify is logged by the shell and shown here: the running version stays, and
//! nothing half-installed is left.

use crate::error::{AppError, ErrorCode};

/// Why 【今すぐ更新】 waits: shown beside the button and as its refusal.
pub(crate) const RENEWAL_UNDER_WAY: &str =
    "ICカード更新の途中です。更新が終わってから、アプリの更新をインストールしてください。";

/// What went wrong with an update. The shell maps the plugin's errors onto these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateFailure {
    /// The server did not answer, or answered something that is not a feed.
    #[error("the update server could not be reached: {0}")]
    Unreachable(String),
    /// The feed's address is not https:// (only a development build may ask over http://).
    #[error("the update feed must be https://")]
    InsecureEndpoint,
    /// The download does not match its signature: altered on the way or on the server.
    #[error("the update does not match its signature")]
    Tampered,
    /// Signed, but not by the key this app was built to trust.
    #[error("the update is signed with another key than the app trusts")]
    WrongKey,
    /// The signature is for another version than the one the feed announced.
    #[error("the update was signed for version {signed}, the feed announced {announced}")]
    VersionMismatch { signed: String, announced: String },
    /// The signature names no version at all (signed by something else than `ebid-server release`).
    #[error("the update's signature names no version")]
    UnsignedVersion,
    /// The feed offered a version that is not newer than the running one.
    #[error("the feed offered {offered}, not newer than the running {running}")]
    Downgrade { offered: String, running: String },
    /// Nothing downloaded to install, or an offer asked for that was never made.
    #[error("no update has been downloaded")]
    NothingToInstall,
    /// The installer failed; the running version is untouched.
    #[error("the update could not be installed: {0}")]
    Install(String),
}

impl UpdateFailure {
    fn code(&self) -> ErrorCode {
        match self {
            UpdateFailure::Unreachable(_) | UpdateFailure::InsecureEndpoint => {
                ErrorCode::UpdateUnreachable
            }
            UpdateFailure::Tampered => ErrorCode::UpdateTampered,
            UpdateFailure::WrongKey => ErrorCode::UpdateWrongKey,
            UpdateFailure::VersionMismatch { .. } | UpdateFailure::UnsignedVersion => {
                ErrorCode::UpdateVersionMismatch
            }
            UpdateFailure::Downgrade { .. } => ErrorCode::UpdateDowngrade,
            UpdateFailure::NothingToInstall | UpdateFailure::Install(_) => {
                ErrorCode::UpdateInstallFailed
            }
        }
    }

    /// What the user reads: what happened, that the running version stays, and what to do.
    pub fn message_ja(&self) -> String {
        const STAYS: &str = "今のバージョンのまま使えます。";
        const TELL_ADMIN: &str = "管理者に連絡してください。";
        match self {
            UpdateFailure::Unreachable(_) => format!(
                "更新の確認でサーバに接続できませんでした。{STAYS}しばらくしてから【更新を確認】を押してください。"
            ),
            UpdateFailure::InsecureEndpoint => format!(
                "接続先がhttps://ではないため、更新を確認できません。{STAYS}接続先設定を確認してください。"
            ),
            UpdateFailure::Tampered => format!(
                "ダウンロードした更新が署名と一致しないため、インストールしませんでした（途中で改ざんされたか、壊れています）。{STAYS}{TELL_ADMIN}"
            ),
            UpdateFailure::WrongKey => format!(
                "更新が、このアプリの信頼する鍵とは別の鍵で署名されているため、インストールしませんでした。{STAYS}{TELL_ADMIN}"
            ),
            UpdateFailure::VersionMismatch { signed, announced } => format!(
                "サーバが知らせたバージョン（{announced}）と、署名されたバージョン（{signed}）が一致しないため、インストールしませんでした。{STAYS}{TELL_ADMIN}"
            ),
            UpdateFailure::UnsignedVersion => format!(
                "更新の署名にバージョンが含まれていないため、インストールしませんでした。{STAYS}{TELL_ADMIN}"
            ),
            UpdateFailure::Downgrade { offered, running } => format!(
                "サーバが、今のバージョン（{running}）より古いバージョン（{offered}）を知らせたため、インストールしませんでした。{STAYS}{TELL_ADMIN}"
            ),
            UpdateFailure::NothingToInstall => format!(
                "インストールする更新がありません。{STAYS}【更新を確認】からやり直してください。"
            ),
            UpdateFailure::Install(_) => {
                format!("更新をインストールできませんでした。{STAYS}もう一度試すか、{TELL_ADMIN}")
            }
        }
    }
}

impl From<&UpdateFailure> for AppError {
    fn from(failure: &UpdateFailure) -> Self {
        AppError::new(failure.code(), failure.message_ja())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_of_a_bad_update_says_the_running_version_stays_and_whom_to_tell() {
        for failure in [
            UpdateFailure::Tampered,
            UpdateFailure::WrongKey,
            UpdateFailure::VersionMismatch {
                signed: "1.2.0".into(),
                announced: "1.3.0".into(),
            },
            UpdateFailure::Downgrade {
                offered: "0.9.0".into(),
                running: "1.0.0".into(),
            },
        ] {
            let message = failure.message_ja();
            assert!(message.contains("インストールしませんでした"), "{message}");
            assert!(message.contains("今のバージョンのまま"), "{message}");
            assert!(message.contains("管理者に連絡"), "{message}");
        }
    }
}
