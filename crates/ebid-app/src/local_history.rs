//! The contractor's local history (`ebid-history`), opened once at start. The app runs without it: a file
//! that is damaged, locked by another program or in a folder that cannot be written gives its message on
//! the dashboard, the renewal goes on unrecorded, and nothing in the file is touched.

use std::path::Path;

use ebid_history::History;
use tokio::runtime::Handle;

pub struct LocalHistory {
    history: Option<History>,
    /// Why there is no history, in Japanese.
    problem: Option<String>,
}

impl LocalHistory {
    /// Opens the file at `path` (none: the OS names no app-data folder) on `runtime`, which keeps its
    /// connections' housekeeping running for the app's life.
    pub fn open(runtime: &Handle, path: Option<&Path>) -> Self {
        let Some(path) = path else {
            return Self::without("履歴ファイルの置き場所（アプリのデータフォルダ）がわかりません。履歴と有効期限の通知なしで続けます。".to_owned());
        };
        match runtime.block_on(History::open(path)) {
            Ok(history) => {
                tracing::info!(file = %path.display(), "history opened");
                Self {
                    history: Some(history),
                    problem: None,
                }
            }
            Err(error) => {
                tracing::warn!(file = %path.display(), %error, "history unavailable: going on without it");
                Self::without(error.to_string())
            }
        }
    }

    fn without(problem: String) -> Self {
        Self {
            history: None,
            problem: Some(problem),
        }
    }

    pub fn history(&self) -> Option<&History> {
        self.history.as_ref()
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }
}
