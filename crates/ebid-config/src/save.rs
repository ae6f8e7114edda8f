//! Writing the user's file: the 接続先設定 screen saves the server the user typed, the reminder settings
//! the user's choice.

use std::io::Write as _;
use std::path::PathBuf;

use crate::load::{check_url, read};
use crate::{ConfigError, Places, ReminderSettings, Settings};

/// Saves `url` as the user's server, keeping whatever else their file says; the file it wrote. The machine's
/// file is the administrator's and is never written. The file is replaced whole (a temporary file renamed
/// over it), so a crash leaves the old file or the new one, never half of one.
pub fn save_user_server(places: &Places, url: &str) -> Result<PathBuf, ConfigError> {
    let path = places.user.clone().ok_or(ConfigError::NoUserFolder)?;
    check_url(&path, url)?;
    let written = update_user_file(places, |settings| {
        settings.server.url = Some(url.to_owned());
    })?;
    tracing::info!(file = %written.display(), "server saved in the user's configuration");
    Ok(written)
}

/// Saves `reminders` as the user's `[reminders]` (a value left `None` falls back to the administrator's
/// file, else the default), keeping whatever else their file says; the file it wrote. Written as
/// [`save_user_server`] writes: whole, never the machine's.
pub fn save_user_reminders(
    places: &Places,
    reminders: &ReminderSettings,
) -> Result<PathBuf, ConfigError> {
    let written = update_user_file(places, |settings| {
        settings.reminders = reminders.clone();
    })?;
    tracing::info!(file = %written.display(), "reminder settings saved in the user's configuration");
    Ok(written)
}

/// Reads the user's file, lets `change` edit it, and replaces the file whole (a temporary file renamed over
/// it), so a crash leaves the old file or the new one, never half of one.
fn update_user_file(
    places: &Places,
    change: impl FnOnce(&mut Settings),
) -> Result<PathBuf, ConfigError> {
    let path = places.user.clone().ok_or(ConfigError::NoUserFolder)?;
    // An unreadable or malformed file is reported, not overwritten: it may hold what the user needs.
    let mut settings = read(&path)?.unwrap_or_default();
    change(&mut settings);
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
    Ok(path)
}
