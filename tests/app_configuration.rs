//! Where the app finds its server, in the real window: the administrator's machine-wide file (no flag, as a
//! menu starts the app), none at all (接続先設定 asks and keeps the answer), a malformed one (a dialog says
//! why), and a second launch handing over to the first window. Each window gets its own folder,
//! configuration files and session bus.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ebid_tests::app_launch::Launch;
use ebid_tests::app_window::{AppWindow, app_binary, own_the_display};
use ebid_tests::needs;
use ebid_tests::server_process::{ServerProcess, server_from_env};

/// Not the first organization the server lists, so that a preselection shows it came from the file.
const PRESET_ORGANIZATION: &str = "sasebo-city";

struct World {
    server: ServerProcess,
    folders: tempfile::TempDir,
}

impl World {
    fn start(name: &str) -> Option<Self> {
        if !needs::app_window() {
            return None;
        }
        let folders = tempfile::Builder::new()
            .prefix(&format!("ebid-e2e-{name}-"))
            .tempdir()
            .expect("a temporary folder");
        let server = ServerProcess::start(
            &server_from_env(),
            &folders.path().join("server"),
            ebid_tests::demo_set(),
        );
        Some(Self { server, folders })
    }

    fn app_folder(&self) -> std::path::PathBuf {
        self.folders.path().join("app")
    }
}

#[tokio::test]
async fn the_administrators_file_gives_the_server_and_the_preset_organization() {
    let Some(world) = World::start("machine-config") else {
        return;
    };
    let launch = Launch::from_files(&world.app_folder());
    fs::create_dir_all(&launch.folder).expect("the app folder");
    fs::write(
        launch.machine_config(),
        format!(
            "[server]\nurl = \"{}\"\n\n[organization]\nid = \"{PRESET_ORGANIZATION}\"\ncategory = \"construction\"\n",
            world.server.url()
        ),
    )
    .expect("the machine file");

    let window = AppWindow::launch_with(launch).await;
    window.wait_screen("home").await;
    assert_eq!(
        window.text_of("[data-testid=server-url]").await,
        world.server.url()
    );
    // The server answers: its time is in the header.
    window
        .wait_text("[data-testid=server-time]", |t| !t.is_empty())
        .await;

    window.click_button("電子入札 ログイン").await;
    window.wait_screen("organizations").await;
    let checked = window
        .wait_text("label.org.checked", |t| !t.is_empty())
        .await;
    assert_eq!(
        checked, "佐世保市",
        "the administrator's 調達機関 is preselected"
    );
    assert!(
        !window.started_as().user_config().exists(),
        "nothing was written to the user's file"
    );
    window.close().await;
}

#[tokio::test]
async fn without_a_configured_server_the_app_asks_for_one_and_keeps_it() {
    let Some(world) = World::start("no-config") else {
        return;
    };
    let window = AppWindow::launch_with(Launch::from_files(&world.app_folder())).await;
    window.wait_screen("connection").await;
    window.screenshot("00-connection-settings").await;

    // An address where nothing answers is refused, and nothing is saved.
    window.fill("server-url", "http://127.0.0.1:9/").await;
    window.click_button("保存").await;
    let (code, _, message) = window.alert().await;
    assert_eq!(code.as_deref(), Some("server_unreachable"), "{message}");
    assert!(!window.started_as().user_config().exists());

    window.fill("server-url", world.server.url()).await;
    window.click_button("保存").await;
    window.wait_screen("home").await;
    assert_eq!(
        window.text_of("[data-testid=server-url]").await,
        world.server.url()
    );
    let saved = fs::read_to_string(window.started_as().user_config()).expect("the user's file");
    assert!(
        saved.contains(&format!("url = \"{}\"", world.server.url())),
        "{saved}"
    );
    window.click_button("電子入札 ログイン").await;
    window
        .wait_text("main", |text| text.contains("長崎県"))
        .await;
    window.close().await;
}

#[tokio::test]
async fn a_second_launch_brings_the_first_window_forward_and_exits() {
    let Some(world) = World::start("single-instance") else {
        return;
    };
    let window =
        AppWindow::launch_with(Launch::with_server(world.server.url(), &world.app_folder())).await;
    window.wait_screen("home").await;

    let (status, printed) = window.launch_again();
    assert!(
        status.success(),
        "the second launch exited with {status}: {printed}"
    );
    window
        .wait_logged("another launch: bringing the window forward")
        .await;
    let windows = window.client().windows().await.expect("the window handles");
    assert_eq!(windows.len(), 1, "still one window");
    window.wait_screen("home").await;
    window.close().await;
}

/// Starting the app and its dialog showing take a few seconds here.
const DIALOG_LIMIT: Duration = Duration::from_secs(60);

#[tokio::test]
async fn a_malformed_configuration_file_stops_the_start_with_a_dialog_naming_it() {
    // No server: the app must stop before it would look for one.
    if !needs::app_window() {
        return;
    }
    let _display = own_the_display().await;
    let folder = tempfile::Builder::new()
        .prefix("ebid-e2e-malformed-config-")
        .tempdir()
        .expect("a temporary folder");
    let launch = Launch::from_files(&folder.path().join("app"));
    fs::create_dir_all(&launch.folder).expect("the app folder");
    fs::write(launch.machine_config(), "[server]\nurl = 1\n").expect("the machine file");

    let mut app = launch
        .command(&app_binary())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the app starts");
    // The message box, by its title, among the display's windows (`xwininfo` lists their names).
    let dialog = "\"電子入札 ICカード更新\": (\"ebid-desktop\"";
    let started = Instant::now();
    let windows = loop {
        let listed = Command::new("xwininfo")
            .args(["-root", "-tree"])
            .output()
            .expect("xwininfo runs (cargo xtask setup installs x11-utils)");
        let windows = String::from_utf8_lossy(&listed.stdout).into_owned();
        if windows.contains(dialog) || started.elapsed() >= DIALOG_LIMIT {
            break windows;
        }
        if let Some(status) = app.try_wait().expect("the app's status") {
            panic!("the app ended ({status}) without showing why");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let still_waiting = app.try_wait().expect("the app's status").is_none();
    let _ = app.kill();
    let _ = app.wait();
    assert!(
        windows.contains(dialog),
        "no dialog among the windows:\n{windows}"
    );
    assert!(
        still_waiting,
        "the app must wait for the user to read the message"
    );
    let log = launch.log_text();
    let file = launch.machine_config().display().to_string();
    assert!(
        log.contains("start-up failed") && log.contains(&file),
        "the log names the file:\n{log}"
    );
}
