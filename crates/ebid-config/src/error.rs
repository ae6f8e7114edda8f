//! What can go wrong reading or writing a configuration file, said so that the person at the PC knows which
//! file to fix (the administrator's or their own) and where.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("設定ファイル {path} を読み取れません: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not TOML, an unknown key (a typo an administrator would otherwise never learn of), or a value of the
    /// wrong kind; `detail` names the line.
    #[error("設定ファイル {path} の書き方に誤りがあります: {detail}")]
    Invalid { path: PathBuf, detail: String },
    #[error("設定ファイル {path} の {key} が正しくありません: {reason}")]
    BadValue {
        path: PathBuf,
        key: &'static str,
        reason: String,
    },
    #[error("サーバのCA証明書 {path} を読み取れません: {source}")]
    CaFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("利用者の設定フォルダがわかりません")]
    NoUserFolder,
    #[error("設定ファイル {path} に書き込めません: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}
