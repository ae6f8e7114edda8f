//! One end-to-end test's world: the vpcd readers with the bench's cards, `ebid-server` on 127.0.0.1 seeded
//! from the same demo set, and the real app window pointed at it; plus the steps every flow test walks
//! through, by the labels the user reads.

use std::path::Path;
use std::process::Command;

use ebid_vcard::vpcd::Behaviour;

use crate::app_window::AppWindow;
use crate::server_process::{ServerProcess, ebid_from_env, server_from_env};
use crate::{Bench, needs};

/// The demo cards' PINs (`ebid-democa`).
pub const CURRENT_PIN: &str = "123456";
pub const REPLACEMENT_PIN: &str = "654321";

pub struct AppWorld {
    pub bench: Bench,
    pub window: AppWindow,
    /// None while a test has the server down.
    server: Option<ServerProcess>,
    folders: tempfile::TempDir,
}

impl AppWorld {
    /// Puts `cards` (reader, card name) in, starts the server and opens the app on its first screen. The
    /// readers are taken before the window, as every test of the binary does. `None` where the display or
    /// pcscd is missing and the test is skipped (`needs`).
    pub async fn start(cards: &[(u8, &str)]) -> Option<Self> {
        if !needs::app_window() {
            return None;
        }
        let mut bench = Bench::new()?;
        for (reader, card) in cards {
            bench.insert(*reader, card);
        }
        let folders = tempfile::Builder::new()
            .prefix("ebid-e2e-")
            .tempdir()
            .expect("a temporary folder");
        let server = ServerProcess::start(
            &server_from_env(),
            &folders.path().join("server"),
            bench.set_dir(),
        );
        let window = AppWindow::launch(server.url(), &folders.path().join("app")).await;
        window.wait_screen("home").await;
        Some(Self {
            bench,
            window,
            server: Some(server),
            folders,
        })
    }

    /// Ends the test: the cards come out first (checked), then the window closes. Killed in the middle of
    /// a card transaction, the app would leave vpcd's reader to pcscd's reset of the card, which vpcd cannot
    /// do; pcscd then notices the next card late. A card taken out first never gets there.
    pub async fn finish(mut self) {
        self.bench
            .readers
            .remove_all()
            .expect("every card comes out of the readers");
        self.window.close().await;
    }

    fn server(&self) -> &ServerProcess {
        self.server.as_ref().expect("the server is running")
    }

    /// Kills the server (SIGKILL) and returns its address, to start it there again.
    pub fn kill_server(&mut self) -> String {
        let server = self.server.take().expect("the server is running");
        let address = server.address().to_owned();
        server.kill();
        address
    }

    /// Starts the server again on `address` and the same data.
    pub fn restart_server(&mut self, address: &str) {
        self.server = Some(ServerProcess::start_on(
            &server_from_env(),
            address,
            &self.folders.path().join("server"),
            self.bench.set_dir(),
        ));
    }

    /// Screens 0 → 2: 【電子入札 ログイン】, 「長崎県」 with 【◎工事・業務】.
    pub async fn to_system_select(&self) {
        self.window.click_button("電子入札 ログイン").await;
        self.window.wait_screen("organizations").await;
        self.window.click_button("◎工事・業務").await;
        self.window.wait_screen("system-select").await;
    }

    /// Screens 0 → 4 at `organization` (as screen 1 names it) in 工事・業務.
    pub async fn to_menu_at(&self, organization: &str) {
        self.window.click_button("電子入札 ログイン").await;
        self.window.wait_screen("organizations").await;
        self.window.click_label(organization).await;
        self.window.click_button("◎工事・業務").await;
        self.window.wait_screen("system-select").await;
        self.window.click_button("利用者登録").await;
        self.window.wait_screen("registration").await;
        self.window.click_button("利用者登録処理").await;
        self.window.wait_screen("menu").await;
    }

    /// Screens 2 → 4: 【利用者登録】, then 【利用者登録処理】 once the server's time is shown.
    pub async fn to_menu(&self) {
        self.to_system_select().await;
        self.window.click_button("利用者登録").await;
        self.window.wait_screen("registration").await;
        self.window.click_button("利用者登録処理").await;
        self.window.wait_screen("menu").await;
    }

    /// Screens 4 → 6: 【ICカード更新】, the confirm dialog's 【OK】, and the PIN dialog for the current card.
    pub async fn to_current_pin(&self) {
        self.to_menu().await;
        self.window.click_button("ICカード更新").await;
        self.window.wait_screen("confirm-current").await;
        self.window.click_button("OK").await;
        self.window.wait_screen("login-current").await;
    }

    /// Types `pin` into the open PIN dialog and presses 【OK】.
    pub async fn enter_pin(&self, pin: &str) {
        self.window.fill("pin", pin).await;
        self.window.click_button("OK").await;
    }

    /// Puts `card` into `reader`, pulling the card out of the reader first if one is in.
    pub fn put_in(&mut self, reader: u8, card: &str) {
        self.put_in_behaving(reader, card, Behaviour::default());
    }

    pub fn put_in_behaving(&mut self, reader: u8, card: &str, behaviour: Behaviour) {
        if self
            .bench
            .readers
            .status()
            .iter()
            .any(|r| r.reader == reader && r.card.is_some())
        {
            self.bench
                .readers
                .remove(reader)
                .unwrap_or_else(|e| panic!("card out of reader {reader}: {e}"));
        }
        self.bench
            .readers
            .insert(reader, card, behaviour)
            .unwrap_or_else(|e| panic!("card {card} into reader {reader}: {e}"));
    }

    pub fn take_out(&mut self, reader: u8) {
        self.bench
            .readers
            .remove(reader)
            .unwrap_or_else(|e| panic!("card out of reader {reader}: {e}"));
    }

    /// `ebid <subcommand>` against the running server (`--server` given), `stdin` written to it: its
    /// standard output, once it succeeded.
    pub fn ebid(&self, subcommand: &str, args: &[&str], stdin: &str) -> String {
        ebid_at(self.server().url(), subcommand, args, stdin)
    }

    /// `ebid-server admin <args…>` on the running server's database, as its administrator runs it; its
    /// standard output.
    pub fn server_admin(&self, args: &[&str]) -> String {
        let database = self
            .folders
            .path()
            .join("server")
            .join("ebid-server.sqlite3");
        let output = Command::new(server_from_env())
            .arg("admin")
            .arg(args[0])
            .arg("--database")
            .arg(&database)
            .args(&args[1..])
            .output()
            .expect("ebid-server admin runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "ebid-server admin {args:?} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }

    /// The certificate serial number of a demo card, as the screens and the server write it.
    pub fn serial(&self, card: &str) -> String {
        self.bench.serial(card)
    }

    /// What the server says of the registration, asked by `ebid info` (a process of its own) with the card
    /// in `reader` and its PIN: the check after a flow, independent of the window.
    pub fn server_registration(&self, reader: u8, pin: &str) -> String {
        registration_via_cli(self.server().url(), reader, pin)
    }
}

impl AppWorld {
    /// `ebid history --json`, run as its own process on the app's history file.
    pub fn history_via_cli(&self) -> serde_json::Value {
        let history = self.window.started_as().history();
        let output = Command::new(ebid_from_env())
            .arg("--history")
            .arg(&history)
            .args(["history", "--json"])
            .output()
            .expect("ebid history runs");
        assert!(
            output.status.success(),
            "ebid history failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("ebid history's JSON")
    }
}

fn registration_via_cli(server: &str, reader: u8, pin: &str) -> String {
    let reader = reader.to_string();
    ebid_at(
        server,
        "info",
        &[
            "--organization",
            "nagasaki-pref",
            "--category",
            "construction",
            "--pin-stdin",
            "--reader",
            &reader,
        ],
        &format!("{pin}\n"),
    )
}

/// `ebid <subcommand> --server <server> <args…>` with `stdin` written to it (PINs, one a line): its standard
/// output, once it succeeded.
fn ebid_at(server: &str, subcommand: &str, args: &[&str], stdin: &str) -> String {
    use std::io::Write as _;
    let mut child = Command::new(ebid_from_env())
        .args([subcommand, "--server", server])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("ebid starts");
    child
        .stdin
        .take()
        .expect("its stdin")
        .write_all(stdin.as_bytes())
        .expect("its input is written");
    let output = child.wait_with_output().expect("ebid ends");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "ebid {subcommand} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Whether `path` is a PNG the window really painted (not a blank frame).
pub fn is_png(path: &Path) -> bool {
    std::fs::read(path)
        .is_ok_and(|bytes| bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 4096)
}
