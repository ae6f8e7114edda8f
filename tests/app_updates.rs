//! The app's updates through the real tauri-plugin-updater and the shell's adapter
//! (`ebid_desktop::updater::PluginUpdater`), in Tauri's mock runtime (no window: the plugin's check, download
//! and signature verification need none), configured from the app's own `tauri.conf.json` (the TEST-ONLY
//! public key, `requireSignedVersion`), against `ebid-server` on 127.0.0.1 with releases published by
//! `ebid-server release publish`. Installing (which replaces the running program and restarts it) is
//! `cargo xtask e2e-update`'s.

use std::path::{Path, PathBuf};
use std::process::Command;

use ebid_app::updates::{UpdateFailure, UpdateOffer, UpdateRequest, Updater, feed_endpoint};
use ebid_desktop::updater::PluginUpdater;
use ebid_protocol::updates::Channel;
use ebid_tests::demo_set;
use ebid_tests::server_process::{ServerProcess, server_from_env};
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};
use tempfile::TempDir;

/// The platform the mock app asks for: a program not installed by a bundle (the plugin's `{os}-{arch}`).
const PLATFORM: &str = "linux-x86_64";

/// The organization's server with a data folder of its own, and the releases it publishes.
struct Feed {
    data: TempDir,
    server: ServerProcess,
}

impl Feed {
    fn start() -> Self {
        Self::start_with(&[])
    }

    fn start_with(args: &[&str]) -> Self {
        let data = tempfile::tempdir().expect("a data folder");
        // The demo's CAs: a server trusts at least one (the feed itself needs no card).
        let mut all = ebid_democa::DemoSet::load(demo_set())
            .expect("the demo set loads")
            .server_args();
        all.extend(args.iter().map(Into::into));
        let server = ServerProcess::start_with(&server_from_env(), "127.0.0.1:0", data.path(), all);
        Self { data, server }
    }

    /// `ebid-server release publish` with the TEST-ONLY key, a made-up program as the artifact.
    fn publish(&self, version: &str, extra: &[&str]) -> PathBuf {
        let key = ebid_release::test_key::paths();
        let password =
            std::fs::read_to_string(&key.password).expect("the TEST-ONLY key's password");
        self.publish_signed_by(version, &key.secret_key, &password, extra)
    }

    fn publish_signed_by(
        &self,
        version: &str,
        key: &Path,
        password: &str,
        extra: &[&str],
    ) -> PathBuf {
        let artifact = self.data.path().join(format!("ebid-desktop-{version}"));
        std::fs::write(
            &artifact,
            format!("\x7fELF the app, version {version}\n").repeat(4000),
        )
        .expect("the artifact is written");
        let notes = self.data.path().join(format!("notes-{version}.txt"));
        std::fs::write(
            &notes,
            format!("バージョン {version}: 証明書の確認を改善しました。"),
        )
        .unwrap();
        let artifact_arg = format!("{PLATFORM}={}", artifact.display());
        let mut args = vec![
            "publish",
            "--data",
            self.data.path().to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
            "--version",
            version,
            "--channel",
            "stable",
            "--notes-file",
            notes.to_str().unwrap(),
            "--artifact",
            &artifact_arg,
        ];
        args.extend_from_slice(extra);
        self.release(&args, Some(password));
        artifact
    }

    /// `ebid-server release ARGS`, which must succeed.
    fn release(&self, args: &[&str], password: Option<&str>) {
        let mut command = Command::new(server_from_env());
        command.arg("release").args(args);
        if let Some(password) = password {
            command.env("EBID_RELEASE_KEY_PASSWORD", password);
        }
        let out = command.output().expect("ebid-server release runs");
        assert!(
            out.status.success(),
            "ebid-server release {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn data(&self) -> &Path {
        self.data.path()
    }

    /// What the app asks, as install `install`.
    fn request(&self, install: &str) -> UpdateRequest {
        self.request_at(feed_endpoint(self.server.url(), Channel::Stable, install).unwrap())
    }

    fn request_at(&self, endpoint: url::Url) -> UpdateRequest {
        UpdateRequest {
            endpoint,
            reach: ebid_client::ClientOptions::default()
                .server_reach()
                .unwrap(),
        }
    }
}

/// The app at `version`, its updater plugin configured as `tauri.conf.json` configures the real one.
fn app_at(version: &str) -> tauri::App<MockRuntime> {
    let mut context = mock_context(noop_assets());
    context
        .config_mut()
        .plugins
        .0
        .insert("updater".into(), the_apps_updater_config());
    context.package_info_mut().version = version.parse().unwrap();
    mock_builder()
        .plugin(ebid_desktop::updater::plugin())
        .build(context)
        .expect("the mock app starts")
}

fn the_apps_updater_config() -> serde_json::Value {
    let config =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tauri.conf.json"))
            .expect("tauri.conf.json");
    let config: serde_json::Value = serde_json::from_str(&config).unwrap();
    let updater = config["plugins"]["updater"].clone();
    assert_eq!(
        updater["requireSignedVersion"], true,
        "the app requires the signed version"
    );
    updater
}

fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// Checks as install `install` of the app at `version`; the offer, or why none.
fn check(
    app: &tauri::App<MockRuntime>,
    request: UpdateRequest,
) -> (
    PluginUpdater<MockRuntime>,
    Result<Option<UpdateOffer>, UpdateFailure>,
) {
    let updater = PluginUpdater::new(app.handle().clone());
    let offered = block_on(updater.check(request));
    (updater, offered)
}

/// Downloads what was offered; the bytes' count the progress reached, or why refused.
fn download(updater: &PluginUpdater<MockRuntime>) -> Result<u64, UpdateFailure> {
    let received = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counted = received.clone();
    block_on(updater.download(Box::new(move |chunk, _| {
        counted.fetch_add(chunk, std::sync::atomic::Ordering::SeqCst);
    })))?;
    Ok(received.load(std::sync::atomic::Ordering::SeqCst))
}

const INSTALL: &str = "0b9d6f1e-5a3c-4e7b-9f20-1c2d3e4f5a6b";

#[test]
fn a_newer_release_is_offered_with_its_notes_and_verifies() {
    let feed = Feed::start();
    let artifact = feed.publish("0.2.0", &[]);
    let app = app_at("0.1.0");
    let (updater, offered) = check(&app, feed.request(INSTALL));
    let offer = offered
        .expect("the check answers")
        .expect("0.2.0 is offered");
    assert_eq!(offer.version, "0.2.0");
    assert!(
        offer.notes.contains("証明書の確認を改善しました"),
        "{}",
        offer.notes
    );
    assert!(!offer.mandatory);
    let received = download(&updater).expect("the download verifies");
    assert_eq!(received, std::fs::metadata(&artifact).unwrap().len());
}

#[test]
fn the_running_version_is_offered_nothing() {
    let feed = Feed::start();
    feed.publish("0.2.0", &[]);
    let (_, offered) = check(&app_at("0.2.0"), feed.request(INSTALL));
    assert_eq!(offered.expect("the check answers"), None);
}

#[test]
fn a_tampered_bundle_is_refused() {
    let feed = Feed::start();
    let artifact = feed.publish("0.2.0", &[]);
    // The copy the server serves, altered where it is stored (a byte changed, the size the same).
    let published = std::fs::read(&artifact).unwrap();
    let stored = stored_copy_of(feed.data(), &published);
    let mut altered = published.clone();
    altered[100] ^= 0x20;
    std::fs::write(&stored, altered).unwrap();
    let (updater, offered) = check(&app_at("0.1.0"), feed.request(INSTALL));
    assert!(offered.unwrap().is_some());
    assert_eq!(download(&updater), Err(UpdateFailure::Tampered));
    // Nothing is left to install.
    assert_eq!(
        updater.install_and_restart(),
        Err(UpdateFailure::NothingToInstall)
    );
}

#[test]
fn a_release_signed_with_another_key_is_refused() {
    let feed = Feed::start();
    let keys = tempfile::tempdir().unwrap();
    let out = Command::new(server_from_env())
        .args(["release", "keygen", "--out"])
        .arg(keys.path())
        .env("EBID_RELEASE_KEY_PASSWORD", "another key's password")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    feed.publish_signed_by(
        "0.2.0",
        &keys.path().join("ebid-release.key"),
        "another key's password",
        &[],
    );
    let (updater, offered) = check(&app_at("0.1.0"), feed.request(INSTALL));
    assert!(offered.unwrap().is_some());
    assert_eq!(download(&updater), Err(UpdateFailure::WrongKey));
}

#[test]
fn a_downgrade_is_refused() {
    let feed = Feed::start();
    feed.publish("0.2.0", &[]);
    // A feed that answers as if the app ran 0.1.0 (a server tampered with, or another app's feed).
    let server: url::Url = feed.server.url().parse().unwrap();
    let mut endpoint = server.join("/updates/linux/x86_64/0.1.0").unwrap();
    endpoint.set_query(Some(&format!("channel=stable&install={INSTALL}")));
    let (_, offered) = check(&app_at("0.3.0"), feed.request_at(endpoint));
    assert_eq!(
        offered,
        Err(UpdateFailure::Downgrade {
            offered: "0.2.0".into(),
            running: "0.3.0".into()
        })
    );
}

#[test]
fn a_signature_for_another_version_is_refused() {
    let feed = Feed::start();
    let older = feed.publish("0.2.0", &[]);
    let newer = feed.publish("0.3.0", &[]);
    // The server's copy of 0.3.0 and its signature in the database replaced by 0.2.0's, both genuine, as
    // someone with a hand on the server could: the feed still announces 0.3.0.
    let old_stored = stored_copy_of(feed.data(), &std::fs::read(&older).unwrap());
    let new_stored = stored_copy_of(feed.data(), &std::fs::read(&newer).unwrap());
    std::fs::copy(&old_stored, &new_stored).unwrap();
    let out = Command::new("sqlite3")
        .arg(feed.data().join("ebid-server.sqlite3"))
        .arg(
            "UPDATE release_artifacts SET signature = \
             (SELECT signature FROM release_artifacts WHERE version = '0.2.0') \
             WHERE version = '0.3.0';",
        )
        .output()
        .expect("sqlite3 runs (cargo xtask setup installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (updater, offered) = check(&app_at("0.1.0"), feed.request(INSTALL));
    assert_eq!(offered.unwrap().unwrap().version, "0.3.0");
    assert_eq!(
        download(&updater),
        Err(UpdateFailure::VersionMismatch {
            signed: "0.2.0".into(),
            announced: "0.3.0".into()
        })
    );
}

#[test]
fn a_paused_release_is_not_offered_until_resumed() {
    let feed = Feed::start();
    feed.publish("0.2.0", &[]);
    let data = feed.data().to_str().unwrap();
    feed.release(&["pause", "--data", data, "0.2.0"], None);
    let app = app_at("0.1.0");
    assert_eq!(check(&app, feed.request(INSTALL)).1, Ok(None));
    feed.release(&["resume", "--data", data, "0.2.0"], None);
    let offered = check(&app, feed.request(INSTALL)).1.unwrap();
    assert_eq!(offered.map(|o| o.version).as_deref(), Some("0.2.0"));
}

/// 200 installs at a 30 % rollout: the share offered is within 10 percentage points of 30 % (more than 3
/// standard deviations of a fair draw, √(0.3·0.7/200) ≈ 3.2 points; the ids are fixed, so the count is too).
/// The server's own test holds 10,000 installs to ±2 points.
#[test]
fn the_rollout_share_is_honoured_over_many_installs() {
    let feed = Feed::start_with(&["--rate-per-client", "0"]);
    feed.publish("0.2.0", &["--rollout", "30"]);
    let app = app_at("0.1.0");
    let installs: Vec<String> = (0..200)
        .map(|i| format!("{i:08x}-5a3c-4e7b-9f20-1c2d3e4f5a6b"))
        .collect();
    let offered: Vec<&String> = installs
        .iter()
        .filter(|install| check(&app, feed.request(install)).1.unwrap().is_some())
        .collect();
    let share = offered.len() as f64 / installs.len() as f64 * 100.0;
    println!(
        "{share:.1} % of {} installs offered at a 30 % rollout",
        installs.len()
    );
    assert!(
        (20.0..=40.0).contains(&share),
        "{share:.1} % offered at a 30 % rollout"
    );
    // Widened, the rollout keeps every install it had.
    let data = feed.data().to_str().unwrap();
    feed.release(&["rollout", "--data", data, "0.2.0", "60"], None);
    for install in offered {
        assert!(
            check(&app, feed.request(install)).1.unwrap().is_some(),
            "{install} kept"
        );
    }
}

#[test]
fn a_version_below_the_minimum_is_updated_whatever_the_rollout() {
    let feed = Feed::start();
    feed.publish("0.3.0", &["--min-version", "0.2.0", "--rollout", "0"]);
    let offered = check(&app_at("0.1.0"), feed.request(INSTALL))
        .1
        .unwrap()
        .expect("offered");
    assert_eq!(offered.version, "0.3.0");
    assert!(
        offered.mandatory,
        "below the minimum: installed without asking"
    );
    // At the minimum, the 0 % rollout offers nothing.
    assert_eq!(check(&app_at("0.2.0"), feed.request(INSTALL)).1, Ok(None));
}

/// The file under the server's data folder with exactly `bytes` (the server's copy of a published artifact).
fn stored_copy_of(data: &Path, bytes: &[u8]) -> PathBuf {
    let releases = data.join("releases");
    walk(&releases)
        .into_iter()
        .find(|path| std::fs::read(path).is_ok_and(|stored| stored == bytes))
        .unwrap_or_else(|| panic!("no stored copy under {}", releases.display()))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
