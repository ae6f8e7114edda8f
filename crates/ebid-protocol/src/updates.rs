//! The update feed the organization's server offers the desktop app, in the shape tauri-plugin-updater reads.
//!
//! The app asks `GET /updates/{target}/{arch}/{current_version}?channel=…&install=…` (the plugin fills the
//! path from [`ENDPOINT_TEMPLATE`]); the server answers `204 No Content` when nothing newer is meant for that
//! install, else one [`FeedRelease`]: the plugin's "static" manifest (every artifact of the release for that
//! OS and architecture, keyed by [`Platform`], the plugin picking the one of its own installer) with the
//! app's own fields beside it ([`FeedRelease::mandatory`], [`FeedRelease::min_version`]), which the plugin
//! keeps in its `raw_json`. Outside [`crate::API_PREFIX`]: the plugin's URL is its own contract, not the
//! renewal protocol's, and an update must reach an app whose API version is old.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The feed's route on the server (axum's path syntax).
pub const FEED_ROUTE: &str = "/updates/{target}/{arch}/{current_version}";

/// The feed's path as the plugin's endpoint template: the plugin replaces `{{target}}` (`linux`, `windows`,
/// `darwin`), `{{arch}}` and `{{current_version}}` itself.
pub const ENDPOINT_TEMPLATE: &str = "/updates/{{target}}/{{arch}}/{{current_version}}";

/// Where an artifact of a published release is downloaded from (axum's path syntax): its release's version
/// and its [`Platform`] key.
pub const ARTIFACT_ROUTE: &str = "/updates/artifacts/{version}/{platform}";

/// The path of one artifact, as [`ARTIFACT_ROUTE`] serves it.
pub fn artifact_path(version: &str, platform: &Platform) -> String {
    format!("/updates/artifacts/{version}/{platform}")
}

/// The query the app adds to the feed's URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedQuery {
    /// The channel the install follows; stable when absent.
    #[serde(default)]
    pub channel: Channel,
    /// The install's stable id ([`InstallId`]): a staged rollout includes or leaves out an install by it, the
    /// same answer at every check. Without one, an install gets only releases rolled out to everybody.
    #[serde(default)]
    pub install: Option<String>,
}

/// A release channel. Beta installs see beta and stable releases; stable installs only stable ones.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    #[default]
    Stable,
    Beta,
}

impl Channel {
    /// Every channel, in order.
    pub const ALL: [Channel; 2] = [Channel::Stable, Channel::Beta];

    /// The channel's name, as on the wire and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Stable => "stable",
            Channel::Beta => "beta",
        }
    }

    /// Whether an install following `self` is offered a release published on `release`.
    pub fn sees(self, release: Channel) -> bool {
        release == Channel::Stable || self == release
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = PlatformError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| PlatformError(format!("unknown channel {s:?} (stable or beta)")))
    }
}

/// The longest install id the server takes (a UUID's text is 36).
pub const INSTALL_ID_MAX: usize = 64;

/// Whether `id` is an install id the server takes: 8 to [`INSTALL_ID_MAX`] ASCII letters, digits or '-'.
pub fn is_install_id(id: &str) -> bool {
    (8..=INSTALL_ID_MAX).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// One release as the feed offers it: the plugin's static manifest plus the app's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedRelease {
    /// The release's version (semver).
    pub version: String,
    /// The administrator's release notes, in Japanese.
    pub notes: String,
    /// When it was published.
    #[serde(with = "time::serde::rfc3339")]
    pub pub_date: OffsetDateTime,
    /// The release's artifacts for the asking OS and architecture, keyed by [`Platform`]'s text.
    pub platforms: BTreeMap<String, FeedArtifact>,
    /// The running version is below the lowest version the organization still supports: the app installs
    /// this release at once (never in the middle of a renewal), not when the user chooses.
    pub mandatory: bool,
    /// The lowest version still supported, when the release names one.
    #[serde(default)]
    pub min_version: Option<String>,
}

/// One artifact: where to download it and its minisign signature (the `.sig` file's text, base64).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedArtifact {
    pub url: String,
    pub signature: String,
}

/// What an artifact installs on: the plugin's key `{os}-{arch}` or `{os}-{arch}-{installer}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Platform {
    pub os: Os,
    pub arch: Arch,
    /// The installer the running app came from; `None` for an artifact any install of the OS takes (the
    /// plugin's fallback key, e.g. a bare Linux executable replaced in place).
    pub installer: Option<Installer>,
}

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name the plugin uses.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// The OS as the plugin names it in `{{target}}`.
    Os { Linux = "linux", Windows = "windows", Darwin = "darwin" }
);
named_enum!(
    /// The CPU architecture as the plugin names it in `{{arch}}`.
    Arch { X86_64 = "x86_64", Aarch64 = "aarch64", I686 = "i686", Armv7 = "armv7" }
);
named_enum!(
    /// The installer kinds the plugin installs.
    Installer { AppImage = "appimage", Deb = "deb", Rpm = "rpm", App = "app", Msi = "msi", Nsis = "nsis" }
);

impl Installer {
    /// The OS the installer belongs to.
    pub fn os(self) -> Os {
        match self {
            Installer::AppImage | Installer::Deb | Installer::Rpm => Os::Linux,
            Installer::App => Os::Darwin,
            Installer::Msi | Installer::Nsis => Os::Windows,
        }
    }
}

impl Os {
    /// The OS named in a feed request's path.
    pub fn from_target(target: &str) -> Option<Os> {
        Os::parse(target)
    }
}

impl Arch {
    /// The architecture named in a feed request's path.
    pub fn from_name(arch: &str) -> Option<Arch> {
        Arch::parse(arch)
    }
}

/// A platform key, OS, architecture or channel that is not one the plugin knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlatformError(String);

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.os, self.arch)?;
        if let Some(installer) = self.installer {
            write!(f, "-{installer}")?;
        }
        Ok(())
    }
}

impl FromStr for Platform {
    type Err = PlatformError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            PlatformError(format!(
                "unknown platform {s:?}: OS-ARCH or OS-ARCH-INSTALLER, e.g. windows-x86_64-msi, \
                 darwin-aarch64-app, linux-x86_64-deb, linux-x86_64"
            ))
        };
        let mut parts = s.splitn(2, '-');
        let os = parts.next().and_then(Os::parse).ok_or_else(bad)?;
        let rest = parts.next().ok_or_else(bad)?;
        // The architecture holds '_' but never '-', so the installer is what follows the last '-'.
        let (arch, installer) = match rest.rsplit_once('-') {
            Some((arch, installer)) => (arch, Some(Installer::parse(installer).ok_or_else(bad)?)),
            None => (rest, None),
        };
        let arch = Arch::parse(arch).ok_or_else(bad)?;
        if installer.is_some_and(|i| i.os() != os) {
            return Err(bad());
        }
        Ok(Platform {
            os,
            arch,
            installer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_keys_read_back_as_the_plugin_writes_them() {
        for key in [
            "windows-x86_64-msi",
            "windows-x86_64-nsis",
            "darwin-aarch64-app",
            "linux-x86_64-deb",
            "linux-x86_64",
        ] {
            assert_eq!(key.parse::<Platform>().unwrap().to_string(), key);
        }
    }

    #[test]
    fn platform_keys_with_a_foreign_installer_or_unknown_parts_are_refused() {
        for key in [
            "linux-x86_64-msi",
            "beos-x86_64",
            "linux-sparc",
            "linux",
            "linux-x86_64-",
        ] {
            assert!(key.parse::<Platform>().is_err(), "{key}");
        }
    }

    #[test]
    fn a_stable_install_sees_only_stable_releases() {
        assert!(Channel::Stable.sees(Channel::Stable));
        assert!(!Channel::Stable.sees(Channel::Beta));
        assert!(Channel::Beta.sees(Channel::Stable));
        assert!(Channel::Beta.sees(Channel::Beta));
    }

    #[test]
    fn install_ids_are_short_plain_text() {
        assert!(is_install_id("6f1c2a4e-3b0d-4c55-9a43-0c7e5d2b8f10"));
        assert!(!is_install_id("short"));
        assert!(!is_install_id("has space in it"));
        assert!(!is_install_id(&"a".repeat(INSTALL_ID_MAX + 1)));
    }
}
