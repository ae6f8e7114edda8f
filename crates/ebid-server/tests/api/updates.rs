//! The app's updates end to end: releases published through the real `ebid-server release` program (with
//! the TEST-ONLY key) into a running server's data folder, and the feed and downloads over real HTTP, read
//! as tauri-plugin-updater reads them.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

use base64::Engine as _;
use ebid_protocol::updates::{ENDPOINT_TEMPLATE, FeedRelease};
use ebid_server::{Running, ServeArgs, SystemClock, start};

use crate::support::{demo_serve_args, demo_set};

/// A running server with its data folder, and the folder of the artifacts to publish.
struct Updates {
    dir: tempfile::TempDir,
    data: PathBuf,
    running: Running,
    http: reqwest::Client,
}

/// What the feed answered.
enum Answer {
    Nothing,
    Release(Box<FeedRelease>),
}

impl Updates {
    async fn start() -> Self {
        Self::start_with(0).await
    }

    /// A server trusting the demo CAs, without registrations (the feed needs none); `rate_per_client`
    /// requests a second per client (0: no limit).
    async fn start_with(rate_per_client: u32) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let data = dir.path().join("data");
        let args = ServeArgs {
            seed: None,
            rate_per_client,
            ..demo_serve_args(demo_set(), &data)
        };
        let running = start(args, Arc::new(SystemClock)).await.expect("starts");
        Self {
            dir,
            data,
            running,
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client"),
        }
    }

    /// A file to publish, with these bytes.
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("artifact written");
        path
    }

    /// `ebid-server release ARGS…`, the TEST-ONLY key's password in the environment.
    fn release(&self, args: &[&str]) -> Output {
        let key = ebid_release::test_key::paths();
        let password = std::fs::read_to_string(&key.password).expect("the TEST-ONLY password");
        Command::new(env!("CARGO_BIN_EXE_ebid-server"))
            .arg("release")
            .args(args)
            .env(ebid_server::PASSWORD_ENV, password)
            .output()
            .expect("ebid-server runs")
    }

    /// `release publish` of `version` with the Japanese notes and `extra` arguments (artifacts, …).
    fn publish(&self, version: &str, extra: &[&str]) -> Output {
        let notes = self.file(
            &format!("notes-{version}.txt"),
            "不具合を修正しました。".as_bytes(),
        );
        let key = ebid_release::test_key::paths();
        let mut args = vec![
            "publish".to_owned(),
            "--data".to_owned(),
            self.data.display().to_string(),
            "--key".to_owned(),
            key.secret_key.display().to_string(),
            "--version".to_owned(),
            version.to_owned(),
            "--notes-file".to_owned(),
            notes.display().to_string(),
        ];
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.release(&args)
    }

    /// Publishes `version` on `channel` with a fake Windows installer (its bytes name the version) and
    /// `extra` arguments; panics when refused. Returns the installer's bytes.
    fn publish_windows(&self, version: &str, channel: &str, extra: &[&str]) -> Vec<u8> {
        let bytes = format!("MZ fake installer of {version}").into_bytes();
        let exe = self.file(&format!("ebid_{version}_x64-setup.exe"), &bytes);
        let artifact = format!("windows-x86_64-nsis={}", exe.display());
        let mut args = vec![
            "--channel",
            channel,
            "--artifact",
            &artifact,
            "--no-os-signature",
        ];
        args.extend_from_slice(extra);
        succeeded(&self.publish(version, &args));
        bytes
    }

    /// `release VERB VERSION [MORE…] --data DIR`; panics when refused. Its output.
    fn steer(&self, verb: &str, version: &str, more: &[&str]) -> String {
        let data = self.data.display().to_string();
        let mut args = vec![verb, "--data", &data, version];
        args.extend_from_slice(more);
        succeeded(&self.release(&args))
    }

    /// The feed's answer for `target`/`arch` at `current`, with the query `query`.
    async fn ask(&self, target: &str, arch: &str, current: &str, query: &str) -> Answer {
        let status = self.ask_status(target, arch, current, query).await;
        match status {
            (204, _) => Answer::Nothing,
            (200, body) => Answer::Release(Box::new(
                serde_json::from_str(&body).expect("a FeedRelease"),
            )),
            (status, body) => panic!("feed answered {status}: {body}"),
        }
    }

    async fn ask_status(
        &self,
        target: &str,
        arch: &str,
        current: &str,
        query: &str,
    ) -> (u16, String) {
        // The URL as the plugin fills in its endpoint template.
        let path = ENDPOINT_TEMPLATE
            .replace("{{target}}", target)
            .replace("{{arch}}", arch)
            .replace("{{current_version}}", current);
        let response = self
            .http
            .get(format!("{}{path}?{query}", self.running.url()))
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    /// The version a Windows x64 install at `current` is offered, if any.
    async fn offered(&self, current: &str, query: &str) -> Option<String> {
        match self.ask("windows", "x86_64", current, query).await {
            Answer::Nothing => None,
            Answer::Release(release) => Some(release.version),
        }
    }

    /// The audit log's actions and releases, in order.
    async fn audit(&self) -> Vec<(String, Option<String>)> {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(self.data.join(ebid_server::DATABASE_FILE));
        let pool = sqlx::SqlitePool::connect_with(options)
            .await
            .expect("the database");
        let rows =
            sqlx::query_as("SELECT action, release_version FROM audit_log ORDER BY at, rowid")
                .fetch_all(&pool)
                .await
                .expect("audit rows");
        pool.close().await;
        rows
    }

    /// GET of an artifact's URL: status, Content-Length, bytes.
    async fn download(&self, url: &str) -> (u16, Option<u64>, Vec<u8>) {
        let response = self.http.get(url).send().await.expect("the server answers");
        let status = response.status().as_u16();
        let length = response
            .headers()
            .get(reqwest::header::CONTENT_LENGTH)
            .map(|v| v.to_str().unwrap().parse().unwrap());
        (
            status,
            length,
            response.bytes().await.expect("bytes").to_vec(),
        )
    }
}

/// Standard output of a command that must have succeeded.
fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "refused: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Standard error of a command that must have failed.
fn refused(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "accepted: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

fn test_public_key() -> ebid_release::PublicKeyText {
    ebid_release::PublicKeyText::read(&ebid_release::test_key::paths().public_key)
        .expect("TEST-ONLY .pub")
}

/// Checks `signature` over `bytes` as tauri-plugin-updater 2.14 does, with minisign-verify itself: base64
/// of a signature file, prehashed, the trusted comment naming the announced version.
fn plugin_accepts(bytes: &[u8], signature: &str, announced: &str) {
    let b64 = base64::engine::general_purpose::STANDARD;
    let key_file = String::from_utf8(b64.decode(test_public_key().as_str()).unwrap()).unwrap();
    let key = minisign_verify::PublicKey::decode(&key_file).expect("public key");
    let sig_file = String::from_utf8(b64.decode(signature).expect("base64")).expect("text");
    let signature = minisign_verify::Signature::decode(&sig_file).expect("a minisign signature");
    key.verify(bytes, &signature, true)
        .expect("the signature verifies");
    let signed = signature
        .trusted_comment()
        .split('\t')
        .find_map(|field| field.strip_prefix("version:"));
    assert_eq!(signed, Some(announced), "{}", signature.trusted_comment());
}

#[tokio::test]
async fn a_newer_release_is_offered_with_its_platforms_and_a_signature_the_app_accepts() {
    let updates = Updates::start().await;
    let exe_bytes = b"MZ the NSIS installer".to_vec();
    let msi_bytes = b"the MSI".to_vec();
    let exe = updates.file("ebid_1.1.0_x64-setup.exe", &exe_bytes);
    let msi = updates.file("ebid_1.1.0_x64_ja-JP.msi", &msi_bytes);
    let deb = updates.file("ebid_1.1.0_amd64.deb", b"the deb");
    let said = succeeded(&updates.publish(
        "1.1.0",
        &[
            "--channel",
            "stable",
            "--no-os-signature",
            "--artifact",
            &format!("windows-x86_64-nsis={}", exe.display()),
            "--artifact",
            &format!("windows-x86_64-msi={}", msi.display()),
            "--artifact",
            &format!("linux-x86_64-deb={}", deb.display()),
        ],
    ));
    assert!(said.contains("published 1.1.0"), "{said}");

    let Answer::Release(release) = updates
        .ask("windows", "x86_64", "1.0.0", "channel=stable")
        .await
    else {
        panic!("1.1.0 is not offered to 1.0.0");
    };
    assert_eq!(release.version, "1.1.0");
    assert_eq!(release.notes, "不具合を修正しました。");
    assert!(!release.mandatory);
    assert_eq!(
        release
            .platforms
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["windows-x86_64-msi", "windows-x86_64-nsis"]
    );
    for (key, bytes) in [
        ("windows-x86_64-nsis", &exe_bytes),
        ("windows-x86_64-msi", &msi_bytes),
    ] {
        let artifact = &release.platforms[key];
        assert!(
            artifact.url.starts_with(&updates.running.url()),
            "{}",
            artifact.url
        );
        plugin_accepts(bytes, &artifact.signature, &release.version);
        let (status, length, downloaded) = updates.download(&artifact.url).await;
        assert_eq!(status, 200);
        assert_eq!(&downloaded, bytes);
        assert_eq!(length, Some(bytes.len() as u64));
    }

    // Linux is offered its own artifact only.
    let Answer::Release(linux) = updates.ask("linux", "x86_64", "1.0.0", "").await else {
        panic!("1.1.0 is not offered to Linux");
    };
    assert_eq!(
        linux.platforms.keys().collect::<Vec<_>>(),
        ["linux-x86_64-deb"]
    );

    // Nothing newer: 204. An OS or architecture without artifacts: 204. A malformed version: 400.
    assert!(matches!(
        updates.ask("windows", "x86_64", "1.1.0", "").await,
        Answer::Nothing
    ));
    assert!(matches!(
        updates.ask("darwin", "aarch64", "1.0.0", "").await,
        Answer::Nothing
    ));
    assert!(matches!(
        updates.ask("beos", "x86_64", "1.0.0", "").await,
        Answer::Nothing
    ));
    assert!(matches!(
        updates.ask("windows", "sparc", "1.0.0", "").await,
        Answer::Nothing
    ));
    assert_eq!(
        updates
            .ask_status("windows", "x86_64", "one.two", "")
            .await
            .0,
        400
    );

    // The signature and the file are in the data folder, the release in the list.
    let stored = updates
        .data
        .join("releases/1.1.0/windows-x86_64-nsis/ebid_1.1.0_x64-setup.exe");
    assert_eq!(std::fs::read(&stored).unwrap(), exe_bytes);
    let sig =
        std::fs::read_to_string(stored.with_file_name("ebid_1.1.0_x64-setup.exe.sig")).unwrap();
    assert_eq!(sig, release.platforms["windows-x86_64-nsis"].signature);
    let data = updates.data.display().to_string();
    let list = succeeded(&updates.release(&["list", "--data", &data]));
    let line = list
        .lines()
        .find(|l| l.starts_with("1.1.0\tstable\tactive\t100%\t-\t"))
        .unwrap_or_else(|| panic!("{list}"));
    for platform in [
        "windows-x86_64-nsis",
        "windows-x86_64-msi",
        "linux-x86_64-deb",
    ] {
        assert!(line.contains(platform), "{line}");
    }
}

#[tokio::test]
async fn a_paused_release_is_not_offered_until_resumed() {
    let updates = Updates::start().await;
    updates.publish_windows("1.1.0", "stable", &[]);
    updates.publish_windows("1.2.0", "stable", &[]);
    assert_eq!(updates.offered("1.0.0", "").await.as_deref(), Some("1.2.0"));

    let said = updates.steer("pause", "1.2.0", &[]);
    assert!(said.contains("paused 1.2.0"), "{said}");
    assert_eq!(updates.offered("1.0.0", "").await.as_deref(), Some("1.1.0"));
    assert_eq!(updates.offered("1.1.0", "").await, None);

    updates.steer("resume", "1.2.0", &[]);
    assert_eq!(updates.offered("1.0.0", "").await.as_deref(), Some("1.2.0"));
    assert_eq!(updates.offered("1.1.0", "").await.as_deref(), Some("1.2.0"));

    // Each publish and change is audited with its release.
    assert_eq!(
        updates.audit().await,
        [
            ("release_publish".to_owned(), Some("1.1.0".to_owned())),
            ("release_publish".to_owned(), Some("1.2.0".to_owned())),
            ("release_pause".to_owned(), Some("1.2.0".to_owned())),
            ("release_resume".to_owned(), Some("1.2.0".to_owned())),
        ]
    );
}

#[tokio::test]
async fn a_rolled_back_release_gives_way_to_the_older_one_and_no_longer_downloads() {
    let updates = Updates::start().await;
    let older = updates.publish_windows("1.1.0", "stable", &[]);
    updates.publish_windows("1.2.0", "stable", &[]);
    let Answer::Release(bad) = updates.ask("windows", "x86_64", "1.0.0", "").await else {
        panic!("1.2.0 not offered");
    };
    let bad_url = bad.platforms["windows-x86_64-nsis"].url.clone();
    assert_eq!(updates.download(&bad_url).await.0, 200);

    let said = updates.steer("rollback", "1.2.0", &[]);
    assert!(said.contains("refuses downgrades"), "{said}");
    let Answer::Release(fallback) = updates.ask("windows", "x86_64", "1.0.0", "").await else {
        panic!("nothing offered after the rollback");
    };
    assert_eq!(fallback.version, "1.1.0");
    let (status, _, bytes) = updates
        .download(&fallback.platforms["windows-x86_64-nsis"].url)
        .await;
    assert_eq!((status, bytes), (200, older));
    assert_eq!(updates.download(&bad_url).await.0, 404);

    // Withdrawn for good: neither resumed nor published again.
    let data = updates.data.display().to_string();
    refused(&updates.release(&["resume", "--data", &data, "1.2.0"]));
    let again = refused(&updates.publish(
        "1.2.0",
        &[
            "--channel",
            "stable",
            "--no-os-signature",
            "--artifact",
            "linux-x86_64=/dev/null",
        ],
    ));
    assert!(again.contains("published already"), "{again}");
}

#[tokio::test]
async fn beta_releases_reach_beta_installs_only() {
    let updates = Updates::start().await;
    updates.publish_windows("1.1.0", "stable", &[]);
    updates.publish_windows("1.2.0-beta.1", "beta", &[]);
    assert_eq!(
        updates.offered("1.0.0", "channel=stable").await.as_deref(),
        Some("1.1.0")
    );
    assert_eq!(updates.offered("1.0.0", "").await.as_deref(), Some("1.1.0"));
    assert_eq!(
        updates.offered("1.0.0", "channel=beta").await.as_deref(),
        Some("1.2.0-beta.1")
    );
    assert_eq!(updates.offered("1.1.0", "channel=stable").await, None);
}

#[tokio::test]
async fn a_minimum_version_forces_the_update_even_at_rollout_zero() {
    let updates = Updates::start().await;
    updates.publish_windows("1.1.0", "stable", &[]);
    updates.publish_windows(
        "2.0.0",
        "stable",
        &["--min-version", "1.5.0", "--rollout", "0"],
    );
    let Answer::Release(forced) = updates.ask("windows", "x86_64", "1.1.0", "").await else {
        panic!("nothing offered below the minimum");
    };
    assert_eq!(forced.version, "2.0.0");
    assert!(forced.mandatory);
    assert_eq!(forced.min_version.as_deref(), Some("1.5.0"));

    // At or above the minimum, a 0 % release is offered to nobody.
    assert_eq!(
        updates.offered("1.5.0", "install=6f1c2a4e-3b0d-4c55").await,
        None
    );

    // The minimum is checked against the version.
    let above = refused(&updates.publish(
        "2.1.0",
        &[
            "--channel",
            "stable",
            "--min-version",
            "2.2.0",
            "--no-os-signature",
            "--artifact",
            "linux-x86_64=/dev/null",
        ],
    ));
    assert!(above.contains("above the release's version"), "{above}");
}

/// Over HTTP, 300 install ids at 30 %: the share offered is within 30 % ± 10 points (about four standard
/// deviations for 300 draws: the exact ±2 points over 10,000 ids is `feed`'s unit test), every install gets
/// the same answer when it asks again, and the installs a 30 % rollout had are all in it at 60 %.
#[tokio::test]
async fn a_staged_rollout_is_stable_for_an_install_and_widening_keeps_it() {
    let updates = Updates::start().await;
    updates.publish_windows("1.3.0", "stable", &["--rollout", "30"]);
    let ids: Vec<String> = (0..300)
        .map(|i| format!("install-{i:04}-rollout"))
        .collect();
    let offered_to = async |ids: &[String]| -> BTreeSet<String> {
        let mut offered = BTreeSet::new();
        for id in ids {
            if updates
                .offered("1.2.0", &format!("install={id}"))
                .await
                .is_some()
            {
                offered.insert(id.clone());
            }
        }
        offered
    };
    let at_30 = offered_to(&ids).await;
    let share = at_30.len() as f64 / ids.len() as f64 * 100.0;
    assert!((20.0..=40.0).contains(&share), "{share}%");
    assert_eq!(offered_to(&ids).await, at_30, "an install's answer changed");
    // Without an install id, a partial rollout offers nothing.
    assert_eq!(updates.offered("1.2.0", "").await, None);

    let said = updates.steer("rollout", "1.3.0", &["60"]);
    assert!(said.contains("30% → 60%"), "{said}");
    let at_60 = offered_to(&ids).await;
    assert!(
        at_30.is_subset(&at_60),
        "an install left the widened rollout"
    );
    assert!(at_60.len() > at_30.len());
}

#[tokio::test]
async fn publish_refuses_artifacts_not_code_signed_and_takes_a_signed_pe() {
    let updates = Updates::start().await;
    let cases = [
        (
            "windows-x86_64-nsis",
            "ebid_1.1.0_x64-setup.exe",
            ebid_release::fixtures::pe(false),
        ),
        (
            "windows-x86_64-msi",
            "ebid_1.1.0_x64_ja-JP.msi",
            ebid_release::fixtures::msi(false),
        ),
        (
            "darwin-aarch64-app",
            "ebid.app.tar.gz",
            ebid_release::fixtures::app_tar_gz(false),
        ),
    ];
    for (platform, name, bytes) in cases {
        let path = updates.file(name, &bytes);
        let said = refused(&updates.publish(
            "1.1.0",
            &[
                "--channel",
                "stable",
                "--artifact",
                &format!("{platform}={}", path.display()),
            ],
        ));
        assert!(said.contains("Code-sign the installer first"), "{said}");
    }
    // Nothing of the refused publishes was recorded or stored.
    assert!(!updates.data.join("releases/1.1.0").exists());
    assert_eq!(updates.offered("1.0.0", "").await, None);

    let signed = updates.file(
        "ebid_1.1.0_x64-setup.exe",
        &ebid_release::fixtures::pe(true),
    );
    let signed_msi = updates.file(
        "ebid_1.1.0_x64_ja-JP.msi",
        &ebid_release::fixtures::msi(true),
    );
    let signed_app = updates.file("ebid.app.tar.gz", &ebid_release::fixtures::app_tar_gz(true));
    succeeded(&updates.publish(
        "1.1.0",
        &[
            "--channel",
            "stable",
            "--artifact",
            &format!("windows-x86_64-nsis={}", signed.display()),
            "--artifact",
            &format!("windows-x86_64-msi={}", signed_msi.display()),
            "--artifact",
            &format!("darwin-aarch64-app={}", signed_app.display()),
        ],
    ));
    assert_eq!(updates.offered("1.0.0", "").await.as_deref(), Some("1.1.0"));
}

#[tokio::test]
async fn publish_checks_what_it_is_given() {
    let updates = Updates::start().await;
    let deb = updates.file("ebid.deb", b"deb");
    let artifact = format!("linux-x86_64-deb={}", deb.display());
    for (args, expected) in [
        (
            vec!["--channel", "stable", "--version-typo"],
            "unexpected argument",
        ),
        (vec!["--channel", "stable"], "--artifact"),
        (
            vec!["--channel", "nightly", "--artifact", &artifact],
            "unknown channel",
        ),
        (
            vec![
                "--channel",
                "stable",
                "--rollout",
                "101",
                "--artifact",
                &artifact,
            ],
            "101",
        ),
        (
            vec![
                "--channel",
                "stable",
                "--artifact",
                "linux-x86_64-msi=/dev/null",
            ],
            "unknown platform",
        ),
        (
            vec![
                "--channel",
                "stable",
                "--artifact",
                &artifact,
                "--artifact",
                &artifact,
            ],
            "given twice",
        ),
    ] {
        let said = refused(&updates.publish("1.1.0", &args));
        assert!(said.contains(expected), "{args:?}: {said}");
    }
    let bad_version = refused(&updates.release(&[
        "publish",
        "--data",
        "x",
        "--key",
        "k",
        "--version",
        "1.1",
        "--channel",
        "stable",
        "--notes-file",
        "n",
        "--artifact",
        &artifact,
    ]));
    assert!(bad_version.contains("--version"), "{bad_version}");
    let no_server = refused(&updates.release(&[
        "publish",
        "--data",
        &updates.dir.path().join("nowhere").display().to_string(),
        "--key",
        "k",
        "--version",
        "1.1.0",
        "--channel",
        "stable",
        "--notes-file",
        "n",
        "--artifact",
        &artifact,
    ]));
    assert!(no_server.contains("no server database"), "{no_server}");
}

#[tokio::test]
async fn the_feed_is_rate_limited_like_every_route() {
    // One request a second per client, two in a burst: of ten requests in a row (fewer than ten seconds),
    // the first two are answered and at least one later one is refused.
    let updates = Updates::start_with(1).await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(updates.ask_status("windows", "x86_64", "1.0.0", "").await.0);
    }
    assert_eq!(statuses[..2], [204, 204], "{statuses:?}");
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[test]
fn keygen_writes_a_key_pair_once_that_signs_with_its_password() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("keys");
    let keygen = || {
        Command::new(env!("CARGO_BIN_EXE_ebid-server"))
            .args(["release", "keygen", "--out"])
            .arg(&out)
            .env(ebid_server::PASSWORD_ENV, "an organization's password")
            .output()
            .expect("ebid-server runs")
    };
    let said = succeeded(&keygen());
    let public = std::fs::read_to_string(out.join("ebid-release.pub")).expect("the .pub");
    assert!(said.contains(&public), "the public key is printed: {said}");
    assert!(said.contains("plugins.updater.pubkey"), "{said}");
    let key =
        ebid_release::SigningKey::read(&out.join("ebid-release.key"), "an organization's password")
            .expect("the key opens with its password");
    assert_eq!(key.public_key().as_str(), public);
    assert!(ebid_release::SigningKey::read(&out.join("ebid-release.key"), "another").is_err());

    // Never overwritten.
    let again = refused(&keygen());
    assert!(again.contains("exists already"), "{again}");
    assert_eq!(
        std::fs::read_to_string(out.join("ebid-release.pub")).unwrap(),
        public
    );
}
