//! What the store can fail with, in words the user can act on. None of these stops the app: the caller
//! shows the message once and carries on without history (see the crate's documentation).

use std::path::{Path, PathBuf};

use sqlx::migrate::MigrateError;

/// Why the history could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// Garbage, another program's file, or a damaged database. The file is left exactly as it was.
    #[error(
        "履歴ファイル {path} が壊れているか、ebid の履歴ファイルではありません（{source}）。ファイルには手を加えていません。別の場所へ移すと、次回から新しい履歴ファイルで記録を始めます。"
    )]
    Damaged { path: PathBuf, source: sqlx::Error },
    /// Another program (or another ebid) holds the file's lock past the busy timeout.
    #[error(
        "履歴ファイル {path} は他のプログラムが使用中のため、読み書きできませんでした。ebid を二つ同時に開いていないか確かめて、もう一度お試しください。"
    )]
    Locked { path: PathBuf, source: sqlx::Error },
    /// The file was written by a newer ebid, whose schema this build does not know.
    #[error(
        "履歴ファイル {path} は、より新しい版の ebid で記録されています（記録形式 {version}）。ebid を最新の版に更新してください。"
    )]
    NewerSchema { path: PathBuf, version: i64 },
    /// A migration this build knows was applied differently (a development build's file, or tampering).
    #[error(
        "履歴ファイル {path} の記録形式 {version} が、この版の ebid の知るものと異なります。ファイルを別の場所へ移すと、新しい履歴ファイルで記録を始めます。"
    )]
    ChangedSchema { path: PathBuf, version: i64 },
    #[error("履歴ファイルのフォルダー {path} を作れませんでした（{source}）。")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Any other failure of the storage: disk full, read-only, I/O error.
    #[error("履歴ファイル {path} を読み書きできませんでした（{source}）。")]
    Storage { path: PathBuf, source: sqlx::Error },
    #[error("履歴ファイル {path} の記録形式を更新できませんでした（{source}）。")]
    Migration { path: PathBuf, source: MigrateError },
    /// A registration or reminder named a card that was never recorded with `record_card_seen`.
    #[error("カード {0} は履歴に記録されていません。")]
    UnknownCard(String),
    #[error("履歴に記録された試行 {0} が見つかりません。")]
    UnknownAttempt(i64),
    /// A step name or an outcome code that is not a plain code (ASCII letters, digits, `_`, `-`, `.`).
    #[error("履歴に記録できないコードです: {0:?}")]
    InvalidCode(String),
    /// A value read back that this build cannot represent (a timestamp out of range, an unknown outcome).
    #[error("履歴ファイル {path} に読めない値があります: {what}")]
    Unreadable { path: PathBuf, what: String },
}

pub type Result<T, E = HistoryError> = std::result::Result<T, E>;

/// SQLite's primary result codes (an extended code carries its primary one in the low byte).
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_CORRUPT: i32 = 11;
const SQLITE_NOTADB: i32 = 26;

/// The error a failed statement on the file at `path` is for the user.
pub(crate) fn classify(path: &Path, source: sqlx::Error) -> HistoryError {
    let code = match &source {
        sqlx::Error::Database(error) => error.code().and_then(|code| code.parse::<i32>().ok()),
        _ => None,
    };
    let path = path.to_path_buf();
    match code.map(|code| code & 0xff) {
        Some(SQLITE_BUSY | SQLITE_LOCKED) => HistoryError::Locked { path, source },
        Some(SQLITE_CORRUPT | SQLITE_NOTADB) => HistoryError::Damaged { path, source },
        _ => HistoryError::Storage { path, source },
    }
}

/// Migration failures: a version this build does not have is a newer ebid's file; SQL failures are
/// classified as any other statement's.
pub(crate) fn migration(path: &Path, source: MigrateError) -> HistoryError {
    match source {
        MigrateError::VersionMissing(version) => HistoryError::NewerSchema {
            path: path.to_path_buf(),
            version,
        },
        MigrateError::VersionMismatch(version) => HistoryError::ChangedSchema {
            path: path.to_path_buf(),
            version,
        },
        MigrateError::Execute(error) | MigrateError::ExecuteMigration(error, _) => {
            classify(path, error)
        }
        source => HistoryError::Migration {
            path: path.to_path_buf(),
            source,
        },
    }
}

impl HistoryError {
    /// Whether trying again later may succeed (the file was busy), as opposed to a file the user must move
    /// or an ebid to update.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Locked { .. })
    }
}
