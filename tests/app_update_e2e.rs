//! The whole update, as a contractor meets it: version N of the app, started under tauri-driver on the
//! virtual display against `ebid-server` on 127.0.0.1, is offered N+1 (published with `ebid-server release
//! publish` and the TEST-ONLY key), the user presses 【今すぐ更新】, the plugin downloads and verifies it,
//! replaces the program and restarts it, and N+1 is what runs. Slow (two builds of the app): `cargo xtask
//! e2e-update` builds both versions and runs this; the default run skips it.

use std::path::{Path, PathBuf};
use std::process::Command;

use ebid_tests::app_window::AppWindow;
use ebid_tests::demo_set;
use ebid_tests::server_process::{ServerProcess, binary_from_env, server_from_env};

#[tokio::test]
#[ignore = "cargo xtask e2e-update builds versions N and N+1 of the app and runs it"]
async fn version_n_is_offered_n_plus_1_installs_it_and_restarts_as_n_plus_1() {
    // `EBID_APP` is version N, in a folder of its own (the update replaces it there).
    let app = binary_from_env("EBID_APP", "ebid-desktop, version N");
    let next = binary_from_env("EBID_E2E_NEXT_APP", "ebid-desktop, version N+1");
    let next_version = std::env::var("EBID_E2E_NEXT_VERSION").expect("EBID_E2E_NEXT_VERSION");
    let folders = tempfile::Builder::new()
        .prefix("ebid-e2e-update-")
        .tempdir()
        .expect("a temporary folder");
    let data = folders.path().join("server");
    let server = ServerProcess::start(&server_from_env(), &data, demo_set());
    publish(&data, &next, &next_version);

    let window = AppWindow::launch(server.url(), &folders.path().join("app")).await;
    // Checked at start: the offer, with its notes, above the first screen.
    let offer = window
        .wait_text("[data-update=available]", |text| {
            text.contains(&next_version)
        })
        .await;
    assert!(offer.contains("証明書の確認を改善しました"), "{offer}");
    window.screenshot("update-offered").await;
    window.click_button("今すぐ更新（再起動します）").await;

    // The program was replaced by N+1 and started again: N+1 logs its start in the same folder.
    window
        .wait_logged(&format!("ebid-desktop {next_version} starting"))
        .await;
    assert!(
        std::fs::read(&app).unwrap() == std::fs::read(&next).unwrap(),
        "{} now holds version N+1",
        app.display()
    );
    stop_every_process_of(&app);
}

/// `ebid-server release publish` of `program` as the Linux update of `version`.
fn publish(data: &Path, program: &Path, version: &str) {
    let key = ebid_release::test_key::paths();
    let notes = data.join("notes.txt");
    std::fs::write(&notes, "証明書の確認を改善しました。").unwrap();
    let out = Command::new(server_from_env())
        .args(["release", "publish", "--data"])
        .arg(data)
        .arg("--key")
        .arg(&key.secret_key)
        .args(["--version", version, "--channel", "stable", "--notes-file"])
        .arg(&notes)
        .arg("--artifact")
        .arg(format!("linux-x86_64={}", program.display()))
        .env(
            "EBID_RELEASE_KEY_PASSWORD",
            std::fs::read_to_string(&key.password).expect("the TEST-ONLY key's password"),
        )
        .output()
        .expect("ebid-server release publish runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The restarted app is no child of WebDriver's: it is found by its program and stopped.
fn stop_every_process_of(program: &Path) {
    let program: PathBuf = program.canonicalize().unwrap();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = entry.file_name();
        let Some(pid) = pid
            .to_str()
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if std::fs::read_link(entry.path().join("exe")).is_ok_and(|exe| exe == program) {
            let _ = Command::new("kill").arg(pid).status();
        }
    }
}
