//! What the update feed offers one install: a pure decision over the offerable releases.
//!
//! Candidates are the active releases on a channel the install sees, with an artifact for its OS and
//! architecture, newer than what it runs. When what it runs is below the highest minimum version among the
//! active releases of its channel, the update is mandatory and the newest candidate is offered whatever its
//! rollout. Otherwise the newest candidate whose staged rollout includes the install is: an install's
//! bucket is a hash of (version, install id) modulo [`BUCKETS`], inside the rollout when below
//! `percent × 100`. The bucket never changes for one release and install, so the answer is the same at every
//! check and a widened rollout keeps every install it had. An install without a valid id gets only releases
//! rolled out to everybody.

use ebid_protocol::updates::{Arch, Channel, Os};
use semver::Version;
use sha2::{Digest as _, Sha256};

use crate::db::releases::{Release, ReleaseState};

/// The rollout's granularity: a bucket is a hundredth of a percent.
pub(crate) const BUCKETS: u64 = 10_000;

/// Who asks.
#[derive(Debug, Clone)]
pub(crate) struct Asker<'a> {
    pub os: Os,
    pub arch: Arch,
    pub current: &'a Version,
    pub channel: Channel,
    /// A valid install id ([`ebid_protocol::updates::is_install_id`]), if the app sent one.
    pub install: Option<&'a str>,
}

/// The feed's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Offer<'a> {
    pub release: &'a Release,
    /// The install runs a version below the minimum still supported.
    pub mandatory: bool,
    /// The highest minimum version among the active releases of the install's channel.
    pub min_version: Option<&'a Version>,
}

/// The release to offer `asker` among `releases` (any order, any state), if any.
pub(crate) fn decide<'a>(releases: &'a [Release], asker: &Asker<'_>) -> Option<Offer<'a>> {
    let active = releases
        .iter()
        .filter(|r| r.state == ReleaseState::Active && asker.channel.sees(r.channel));
    let min_version = active.clone().filter_map(|r| r.min_version.as_ref()).max();
    let mandatory = min_version.is_some_and(|min| asker.current < min);
    let mut candidates: Vec<&Release> = active
        .filter(|r| &r.version > asker.current)
        .filter(|r| {
            r.artifacts
                .iter()
                .any(|a| a.platform.os == asker.os && a.platform.arch == asker.arch)
        })
        .collect();
    candidates.sort_by(|a, b| b.version.cmp(&a.version));
    let release = if mandatory {
        candidates.first().copied()
    } else {
        candidates
            .into_iter()
            .find(|r| in_rollout(&r.version, asker.install, r.rollout_percent))
    }?;
    Some(Offer {
        release,
        mandatory,
        min_version,
    })
}

/// Whether the staged rollout of `version` at `percent` includes the install.
pub(crate) fn in_rollout(version: &Version, install: Option<&str>, percent: u8) -> bool {
    match install {
        _ if percent >= 100 => true,
        Some(install) => bucket(version, install) < u64::from(percent) * (BUCKETS / 100),
        None => false,
    }
}

/// The install's bucket for a release: SHA-256 of the version, a NUL and the install id, its first eight
/// bytes as a number, modulo [`BUCKETS`]. Per release, so that each rollout starts with other installs.
pub(crate) fn bucket(version: &Version, install: &str) -> u64 {
    let digest = Sha256::new()
        .chain_update(version.to_string().as_bytes())
        .chain_update([0])
        .chain_update(install.as_bytes())
        .finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) % BUCKETS
}

#[cfg(test)]
mod tests {
    use std::str::FromStr as _;

    use ebid_protocol::updates::Platform;
    use time::OffsetDateTime;

    use super::*;
    use crate::db::releases::Artifact;

    fn release(version: &str, channel: Channel, rollout: u8, min: Option<&str>) -> Release {
        Release {
            version: Version::parse(version).unwrap(),
            channel,
            notes: "修正".into(),
            min_version: min.map(|m| Version::parse(m).unwrap()),
            rollout_percent: rollout,
            state: ReleaseState::Active,
            published_at: OffsetDateTime::UNIX_EPOCH,
            artifacts: vec![Artifact {
                platform: Platform::from_str("windows-x86_64-nsis").unwrap(),
                file_name: "ebid-setup.exe".into(),
                size: 1,
                sha256: String::new(),
                signature: String::new(),
            }],
        }
    }

    fn asker<'a>(current: &'a Version, install: Option<&'a str>) -> Asker<'a> {
        Asker {
            os: Os::Windows,
            arch: Arch::X86_64,
            current,
            channel: Channel::Stable,
            install,
        }
    }

    fn install_ids(count: usize) -> Vec<String> {
        (0..count).map(|i| format!("install-{i:08}")).collect()
    }

    /// 10,000 install ids at 30 %: the share offered is within ±2 percentage points of 30 % (the hash's
    /// spread over 10,000 draws has a standard deviation of about 0.46 points, so ±2 is over four of them).
    #[test]
    fn a_rollout_reaches_its_share_of_installs() {
        let version = Version::parse("1.3.0").unwrap();
        let ids = install_ids(10_000);
        let included = ids
            .iter()
            .filter(|id| in_rollout(&version, Some(id), 30))
            .count();
        let share = included as f64 / ids.len() as f64 * 100.0;
        println!("{share:.2} % of {} installs in a 30 % rollout", ids.len());
        assert!((28.0..=32.0).contains(&share), "{share}%");
    }

    #[test]
    fn a_widened_rollout_keeps_every_install_it_had() {
        let version = Version::parse("1.3.0").unwrap();
        for id in install_ids(2_000) {
            for (narrow, wide) in [(10, 30), (30, 60), (60, 100), (0, 1)] {
                if in_rollout(&version, Some(&id), narrow) {
                    assert!(
                        in_rollout(&version, Some(&id), wide),
                        "{id} {narrow}→{wide}"
                    );
                }
            }
        }
    }

    #[test]
    fn without_an_install_id_only_full_rollouts_are_offered() {
        let current = Version::parse("1.0.0").unwrap();
        let releases = [
            release("1.2.0", Channel::Stable, 99, None),
            release("1.1.0", Channel::Stable, 100, None),
        ];
        let offer = decide(&releases, &asker(&current, None)).unwrap();
        assert_eq!(offer.release.version.to_string(), "1.1.0");
    }

    #[test]
    fn a_minimum_version_makes_it_mandatory_whatever_the_rollout() {
        let current = Version::parse("1.0.0").unwrap();
        let releases = [
            release("1.2.0", Channel::Stable, 0, Some("1.1.0")),
            release("1.1.0", Channel::Stable, 100, None),
        ];
        let offer = decide(&releases, &asker(&current, None)).unwrap();
        assert_eq!(offer.release.version.to_string(), "1.2.0");
        assert!(offer.mandatory);
        assert_eq!(
            offer.min_version.map(ToString::to_string).as_deref(),
            Some("1.1.0")
        );
        // At the minimum itself nothing is forced, and the 0 % release is not offered.
        let at_min = Version::parse("1.1.0").unwrap();
        assert_eq!(
            decide(&releases, &asker(&at_min, Some("install-00000001"))),
            None
        );
    }

    #[test]
    fn paused_other_platform_beta_and_older_releases_are_not_offered() {
        let current = Version::parse("1.0.0").unwrap();
        let mut paused = release("1.4.0", Channel::Stable, 100, None);
        paused.state = ReleaseState::Paused;
        let mut mac = release("1.3.0", Channel::Stable, 100, None);
        mac.artifacts[0].platform = Platform::from_str("darwin-aarch64-app").unwrap();
        let releases = [
            paused,
            mac,
            release("1.2.0", Channel::Beta, 100, None),
            release("0.9.0", Channel::Stable, 100, None),
        ];
        assert_eq!(decide(&releases, &asker(&current, None)), None);
        let beta = Asker {
            channel: Channel::Beta,
            ..asker(&current, None)
        };
        assert_eq!(
            decide(&releases, &beta).map(|o| o.release.version.to_string()),
            Some("1.2.0".to_owned())
        );
    }
}
