//! The organization's registration server the app talks to. The administrator's file, the user's, and the
//! command line decide it (`ebid-config`); the 接続先設定 screen changes it, in the user's file. Without a
//! server anywhere there is no connection, and the screens ask for one: the app has no default server.

use ebid_client::Client;
use ebid_config::{Loaded, Places, ReminderSettings, Settings};
use ebid_reminders::Thresholds;

use crate::error::{AppError, ErrorCode};
use crate::reminder_loop::ReminderPolicy;
use crate::updates::{UpdateRequest, feed_endpoint};
use crate::views::{Choice, ConnectionView};

/// A server to talk to: its URL and a client set up as the settings say (their CA, their proxy).
#[derive(Clone)]
pub struct Connection {
    pub url: String,
    pub client: Client,
}

/// The settings in force, and where they came from.
pub struct Configuration {
    places: Places,
    loaded: Loaded,
    /// The administrator's file alone: the defaults the user's choices are measured against.
    machine_settings: Settings,
    /// `--server` (or `EBID_SERVER`): over every file, for this run only.
    server_override: Option<String>,
}

impl Configuration {
    /// Reads the files. A malformed one is an error naming it: a setting silently dropped could send the
    /// contractor's card to the wrong server.
    pub fn load(places: Places, server_override: Option<String>) -> Result<Self, AppError> {
        let mut configuration = Self {
            places,
            loaded: Loaded::default(),
            machine_settings: Settings::default(),
            server_override,
        };
        configuration.reload()?;
        Ok(configuration)
    }

    /// The server the settings name, if any.
    pub fn connection(&self) -> Result<Option<Connection>, AppError> {
        self.settings()
            .server
            .url
            .map(|url| self.connection_to(&url))
            .transpose()
    }

    /// A connection to `url`, with the rest of the settings (CA, proxy) as they are.
    pub fn connection_to(&self, url: &str) -> Result<Connection, AppError> {
        let options = self.settings().client_options()?;
        Ok(Connection {
            url: url.to_owned(),
            client: Client::new(url, &options)?,
        })
    }

    /// Where and how to ask for the app's updates: the feed on the server in force, with its CA and proxy and
    /// the channel the files name; none without a server.
    pub fn update_request(&self, install_id: &str) -> Result<Option<UpdateRequest>, AppError> {
        let settings = self.settings();
        let Some(server) = settings.server.url.clone() else {
            return Ok(None);
        };
        let endpoint =
            feed_endpoint(&server, settings.updates.channel(), install_id).map_err(|e| {
                AppError::new(
                    ErrorCode::Configuration,
                    format!("接続先のアドレスが正しくありません（{server}）: {e}"),
                )
            })?;
        Ok(Some(UpdateRequest {
            endpoint,
            reach: settings.client_options()?.server_reach()?,
        }))
    }

    /// Saves `url` as the user's server, so that the next start finds it. It is also the server from now on,
    /// even where `--server` chose another for this run: the user has just chosen again.
    pub fn save_user_server(&mut self, url: &str) -> Result<(), AppError> {
        ebid_config::save_user_server(&self.places, url)?;
        self.reload()?;
        self.server_override = None;
        Ok(())
    }

    /// The 調達機関 and category the administrator preset, when the file names both.
    pub fn preset(&self) -> Option<Choice> {
        let organization = self.settings().organization;
        Some(Choice {
            organization: organization.id?,
            category: organization.category?,
        })
    }

    /// What the 接続先設定 screen shows.
    pub fn view(&self) -> ConnectionView {
        ConnectionView {
            server_url: self.settings().server.url,
            from_command_line: self.server_override.is_some(),
            user_file: self.user_file(),
        }
    }

    /// The reminders as the files say: the user's days and switch over the administrator's, over the
    /// built-in schedule.
    pub fn reminder_policy(&self) -> ReminderPolicy {
        let reminders = self.settings().reminders;
        ReminderPolicy {
            thresholds: reminders.thresholds(),
            notify: reminders.notifies(),
        }
    }

    /// The days the administrator set (else the built-in ones): what 【初期値に戻す】 restores.
    pub fn default_thresholds(&self) -> Thresholds {
        self.machine_settings.reminders.thresholds()
    }

    /// Saves the user's reminder settings, keeping whatever else their file says.
    pub fn save_user_reminders(&mut self, policy: &ReminderPolicy) -> Result<(), AppError> {
        let reminders = ReminderSettings {
            days: Some(policy.thresholds.clone()),
            notify: Some(policy.notify),
        };
        ebid_config::save_user_reminders(&self.places, &reminders)?;
        self.reload()
    }

    /// The user's file, where the screens save.
    pub fn user_file(&self) -> Option<String> {
        self.places.user.as_ref().map(|p| p.display().to_string())
    }

    fn reload(&mut self) -> Result<(), AppError> {
        self.loaded = ebid_config::load(&self.places)?;
        let machine_only = Places {
            machine: self.places.machine.clone(),
            user: None,
        };
        self.machine_settings = ebid_config::load(&machine_only)?.settings;
        Ok(())
    }

    fn settings(&self) -> Settings {
        let command_line = Settings {
            server: ebid_config::ServerSettings {
                url: self.server_override.clone(),
                ..Default::default()
            },
            ..Default::default()
        };
        self.loaded.settings.clone().overlay(command_line)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn places(dir: &std::path::Path) -> Places {
        Places {
            machine: Some(dir.join("machine.toml")),
            user: Some(dir.join("user.toml")),
        }
    }

    #[test]
    fn no_file_and_no_flag_is_no_connection() {
        let dir = tempfile::tempdir().unwrap();
        let configuration = Configuration::load(places(dir.path()), None).unwrap();
        assert!(configuration.connection().unwrap().is_none());
        assert_eq!(configuration.view().server_url, None);
    }

    #[test]
    fn the_flag_wins_over_the_files_and_the_files_give_the_preset() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("machine.toml"),
            "[server]\nurl = \"https://machine.example/\"\n\
             [organization]\nid = \"sasebo-city\"\ncategory = \"goods\"\n",
        )
        .unwrap();
        let from_file = Configuration::load(places(dir.path()), None).unwrap();
        assert_eq!(
            from_file.connection().unwrap().map(|c| c.url).as_deref(),
            Some("https://machine.example/")
        );
        assert_eq!(
            from_file.preset(),
            Some(Choice {
                organization: "sasebo-city".into(),
                category: "goods".into()
            })
        );
        let mut flagged =
            Configuration::load(places(dir.path()), Some("http://127.0.0.1:9/".into())).unwrap();
        let view = flagged.view();
        assert_eq!(view.server_url.as_deref(), Some("http://127.0.0.1:9/"));
        assert!(view.from_command_line);
        // Saved on 接続先設定: the saved server wins from now on, over this run's flag.
        flagged.save_user_server("https://user.example/").unwrap();
        let view = flagged.view();
        assert_eq!(view.server_url.as_deref(), Some("https://user.example/"));
        assert!(!view.from_command_line);
    }

    #[test]
    fn a_saved_server_is_read_back_and_the_machine_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let machine = "[server]\nurl = \"https://machine.example/\"\n";
        fs::write(dir.path().join("machine.toml"), machine).unwrap();
        let mut configuration = Configuration::load(places(dir.path()), None).unwrap();
        configuration
            .save_user_server("https://user.example/")
            .unwrap();
        assert_eq!(
            configuration.view().server_url.as_deref(),
            Some("https://user.example/")
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("machine.toml")).unwrap(),
            machine
        );
        let again = Configuration::load(places(dir.path()), None).unwrap();
        assert_eq!(
            again.view().server_url.as_deref(),
            Some("https://user.example/")
        );
    }

    #[test]
    fn a_malformed_file_stops_the_start_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("user.toml"), "[server]\nurl = 1\n").unwrap();
        let Err(error) = Configuration::load(places(dir.path()), None) else {
            panic!("a malformed file was accepted");
        };
        assert_eq!(error.code, crate::ErrorCode::Configuration);
        assert!(error.message.contains("user.toml"), "{}", error.message);
    }
}
