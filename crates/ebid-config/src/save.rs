//! Writing the user's file: the 接続先設定 screen saves the server the user typed.

use std::io::Write as _;
use std::path::PathBuf;

use crate::load::{check_url, read};
use crate::{ConfigError, Places};

/// Saves `url` as the user's server, keeping whatever else their file says; the file it wrote. The machine's
/// file is the administrator's and is never written. The file is replaced whole (a temporary file renamed
/// over it), so a crash leaves the old file or the new one, never half of one.
pub fn save_user_server(places: &Places, url: &str) -> Result<PathBuf, ConfigError> {
    let path = places.user.clone().ok_or(ConfigError::NoUserFolder)?;
    check_url(&path, url)?;
    // An unreadable or malformed file is reported, not overwritten: it may hold what the user needs.
    let mut settings = read(&path)?.unwrap_or_default();
    settings.server.url = Some(url.to_owned());
    let text = toml::to_string_pretty(&settings).map_err(|error| ConfigError::Invalid {
        path: path.clone(),
        detail: error.to_string(),
    })?;
    let write_error = |source| ConfigError::Write {
        path: path.clone(),
        source,
    };
    let folder = path.parent().ok_or(ConfigError::NoUserFolder)?;
    std::fs::create_dir_all(folder).map_err(write_error)?;
    let mut file = tempfile::NamedTempFile::new_in(folder).map_err(write_error)?;
    file.write_all(text.as_bytes()).map_err(write_error)?;
    file.as_file().sync_all().map_err(write_error)?;
    file.persist(&path)
        .map_err(|error| write_error(error.error))?;
    tracing::info!(file = %path.display(), "server saved in the user's configuration");
    Ok(path)
}
