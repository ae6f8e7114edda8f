//! The local history as `ebid` opens it: the file `--history` names, else `EBID_HISTORY`'s, else the OS's
//! app-data folder's (the desktop app's, so that both show the same history).

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use ebid_history::History;

/// The history's file: the flag's, else `ebid_history::default_path`.
pub fn path(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(ebid_history::default_path)
}

/// The history a renewal records into. One that cannot be opened (damaged, locked, of a newer ebid) is
/// said once on standard error, in its own words, and the renewal goes on without it.
pub async fn for_renewal(flag: Option<&Path>) -> Option<History> {
    let Some(path) = path(flag) else {
        eprintln!("履歴ファイルの場所がわからないため、今回の更新は履歴に記録しません。");
        return None;
    };
    match History::open(&path).await {
        Ok(history) => Some(history),
        Err(error) => {
            eprintln!("{error}");
            eprintln!("今回の更新は履歴に記録しません。更新はこのまま続けます。");
            None
        }
    }
}

/// The history to read: `None` when there is no file yet (nothing was recorded; reading creates nothing).
pub async fn to_read(flag: Option<&Path>) -> anyhow::Result<Option<History>> {
    let path = path(flag).ok_or_else(|| {
        anyhow!("履歴ファイルの場所がわかりません。--history で指定してください。")
    })?;
    if !path.exists() {
        return Ok(None);
    }
    History::open(&path)
        .await
        .map(Some)
        .map_err(|error| anyhow!(error.to_string()))
}
