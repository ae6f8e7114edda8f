//! Reading the files: the machine's, then the user's over it.

use std::path::{Path, PathBuf};

use ebid_client::ClientOptions;

use crate::{ConfigError, Places, Settings};

/// The settings of every file found, merged, with the files that were read (for the log and for messages).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub settings: Settings,
    pub files: Vec<PathBuf>,
}

/// Reads the machine's file, then the user's over it. A missing file is no error (most PCs have only one,
/// or none yet); an unreadable or malformed one is, naming the file and the line: a setting silently ignored
/// would send the contractor to the wrong server, or to none.
pub fn load(places: &Places) -> Result<Loaded, ConfigError> {
    let mut loaded = Loaded::default();
    for path in [&places.machine, &places.user].into_iter().flatten() {
        if let Some(settings) = read(path)? {
            tracing::info!(file = %path.display(), "configuration read");
            loaded.settings = loaded.settings.overlay(settings);
            loaded.files.push(path.clone());
        }
    }
    Ok(loaded)
}

/// One file's settings, checked, with its CA file's path made absolute; `None` when there is no such file.
pub(crate) fn read(path: &Path) -> Result<Option<Settings>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    let mut settings: Settings = toml::from_str(&text).map_err(|error| ConfigError::Invalid {
        path: path.to_owned(),
        detail: error.to_string(),
    })?;
    if let Some(url) = &settings.server.url {
        check_url(path, url)?;
    }
    if let Some(ca_file) = &mut settings.server.ca_file
        && ca_file.is_relative()
        && let Some(folder) = path.parent()
    {
        *ca_file = folder.join(&*ca_file);
    }
    Ok(Some(settings))
}

pub(crate) fn check_url(path: &Path, url: &str) -> Result<(), ConfigError> {
    ebid_client::check_server_url(url).map_err(|error| ConfigError::BadValue {
        path: path.to_owned(),
        key: "server.url",
        reason: error.to_string(),
    })
}

impl Settings {
    /// How to connect as these settings say: the CA file read, the proxy passed on.
    pub fn client_options(&self) -> Result<ClientOptions, ConfigError> {
        let extra_ca_pem = self
            .server
            .ca_file
            .as_ref()
            .map(|path| {
                std::fs::read(path).map_err(|source| ConfigError::CaFile {
                    path: path.clone(),
                    source,
                })
            })
            .transpose()?;
        Ok(ClientOptions {
            extra_ca_pem,
            proxy: self.server.proxy.clone(),
            ..ClientOptions::default()
        })
    }
}
