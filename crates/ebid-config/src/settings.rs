//! What a configuration file says: the organization's server, the 調達機関 to preset, and the expiry
//! reminders.

use std::path::PathBuf;

use ebid_protocol::updates::Channel;
use ebid_reminders::Thresholds;
use serde::{Deserialize, Serialize};

/// One file's settings, or the merge of several. Every value is optional: a file says only what it decides.
///
/// ```toml
/// [server]
/// url = "https://ebid.example.lg.jp/"   # the organization's registration server
/// ca_file = "org-ca.pem"                # its HTTPS certificate's CA, if the OS does not trust it
/// proxy = "http://proxy.example.lg.jp:8080"
///
/// [organization]
/// id = "nagasaki-pref"                  # 調達機関, preset on the login screen
/// category = "construction"
///
/// [reminders]
/// days = [90, 60, 30, 14, 7, 3, 1]      # days before expiry (checked: 1–366, none twice)
/// notify = true                         # desktop notifications (false: only inside the app)
///
/// [updates]
/// channel = "beta"                      # the app's updates: "stable" (default) or "beta"
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default, skip_serializing_if = "ServerSettings::is_empty")]
    pub server: ServerSettings,
    #[serde(default, skip_serializing_if = "OrganizationSettings::is_empty")]
    pub organization: OrganizationSettings,
    #[serde(default, skip_serializing_if = "ReminderSettings::is_empty")]
    pub reminders: ReminderSettings,
    #[serde(default, skip_serializing_if = "UpdateSettings::is_empty")]
    pub updates: UpdateSettings,
}

/// The app's own updates, from the organization's server's feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateSettings {
    /// The release channel this PC follows: stable unless a file says beta (a misspelt one names its file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
}

impl UpdateSettings {
    /// The channel in effect: as configured, else stable.
    pub fn channel(&self) -> Channel {
        self.channel.unwrap_or_default()
    }

    fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// The registration server's URL: https://, or http:// to this PC only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// PEM file of a CA to trust for the server's HTTPS besides the OS's; a relative path is read from the
    /// folder of the file that names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// HTTP proxy for every request to the server (without it, the OS's proxy settings apply).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationSettings {
    /// 調達機関's ID as the server names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its category's ID (e.g. 工事・業務).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// The expiry reminders: the administrator's file sets the organization's default, the user's overrides it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    /// Days before expiry at which a reminder is due; checked as read (a wrong list names its file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<Thresholds>,
    /// Whether reminders are also desktop notifications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify: Option<bool>,
}

impl ReminderSettings {
    /// The thresholds in effect: as configured, else `ebid_reminders`' default (90 … 1 days).
    pub fn thresholds(&self) -> Thresholds {
        self.days.clone().unwrap_or_default()
    }

    /// Whether to notify on the desktop: yes unless a file says no.
    pub fn notifies(&self) -> bool {
        self.notify.unwrap_or(true)
    }

    fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

impl Settings {
    /// `other`'s values replace these where it has them: a user's file over the machine's, the command line
    /// over both.
    pub fn overlay(mut self, other: Settings) -> Settings {
        let server = other.server;
        replace(&mut self.server.url, server.url);
        replace(&mut self.server.ca_file, server.ca_file);
        replace(&mut self.server.proxy, server.proxy);
        let organization = other.organization;
        replace(&mut self.organization.id, organization.id);
        replace(&mut self.organization.category, organization.category);
        let reminders = other.reminders;
        replace(&mut self.reminders.days, reminders.days);
        replace(&mut self.reminders.notify, reminders.notify);
        replace(&mut self.updates.channel, other.updates.channel);
        self
    }
}

impl ServerSettings {
    fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

impl OrganizationSettings {
    fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

fn replace<T>(value: &mut Option<T>, other: Option<T>) {
    if other.is_some() {
        *value = other;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_update_channel_is_stable_unless_a_file_says_beta() {
        let none: Settings = toml::from_str("").unwrap();
        assert_eq!(none.updates.channel(), Channel::Stable);
        let beta: Settings = toml::from_str("[updates]\nchannel = \"beta\"\n").unwrap();
        assert_eq!(beta.updates.channel(), Channel::Beta);
        // A misspelt channel is refused as the file is read, not taken as stable.
        assert!(toml::from_str::<Settings>("[updates]\nchannel = \"nightly\"\n").is_err());
    }

    #[test]
    fn the_later_layer_wins_only_where_it_says_something() {
        let machine: Settings = toml::from_str(
            "[server]\nurl = \"https://machine.example/\"\nproxy = \"http://proxy:8080\"\n\
             [organization]\nid = \"nagasaki-pref\"\n",
        )
        .expect("machine");
        let user: Settings =
            toml::from_str("[server]\nurl = \"https://user.example/\"\n").expect("user");
        let merged = machine.overlay(user);
        assert_eq!(merged.server.url.as_deref(), Some("https://user.example/"));
        assert_eq!(merged.server.proxy.as_deref(), Some("http://proxy:8080"));
        assert_eq!(merged.organization.id.as_deref(), Some("nagasaki-pref"));
        assert_eq!(merged.organization.category, None);
    }

    #[test]
    fn the_users_reminders_override_the_administrators_value_by_value() {
        let machine: Settings =
            toml::from_str("[reminders]\ndays = [30, 60]\nnotify = false\n").expect("machine");
        assert_eq!(machine.reminders.thresholds().days(), [60, 30]);
        assert!(!machine.reminders.notifies());
        let user: Settings = toml::from_str("[reminders]\nnotify = true\n").expect("user");
        let merged = machine.overlay(user);
        assert_eq!(merged.reminders.thresholds().days(), [60, 30]);
        assert!(merged.reminders.notifies());
        let none = Settings::default();
        assert_eq!(none.reminders.thresholds(), Thresholds::default());
        assert!(none.reminders.notifies());
    }

    #[test]
    fn reminder_days_are_checked_as_read() {
        let error = toml::from_str::<Settings>("[reminders]\ndays = [7, 0]\n").expect_err("zero");
        assert!(error.to_string().contains("0 は指定できません"), "{error}");
        let error = toml::from_str::<Settings>("[reminders]\nday = [7]\n").expect_err("typo");
        assert!(error.to_string().contains("day"), "{error}");
    }

    #[test]
    fn a_misspelt_key_is_an_error_not_silence() {
        let error = toml::from_str::<Settings>("[server]\nulr = \"https://x.example/\"\n")
            .expect_err("unknown key");
        assert!(error.to_string().contains("ulr"), "{error}");
    }
}
