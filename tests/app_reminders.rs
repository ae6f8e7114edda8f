//! Expiry reminders from the real app: the demo's current card (20 days left) read on the home screen
//! becomes a desktop notification on the test's own session bus, where a notification server owns
//! `org.freedesktop.Notifications` (a real D-Bus call, not a mocked one); a click opens the app on that card;
//! the notice comes once per card, also across a restart. And a damaged history file is named while the
//! app goes on without it.

use std::fs;
use std::path::Path;

use ebid_tests::Bench;
use ebid_tests::app_launch::Launch;
use ebid_tests::app_window::AppWindow;
use ebid_tests::needs;
use ebid_tests::notification_server::NotificationServer;
use ebid_tests::server_process::{ServerProcess, server_from_env};

/// `ebid-reminders`' title for a card not yet expired.
const SOON: &str = "ICカードの有効期限が近づいています";

struct World {
    bench: Bench,
    server: ServerProcess,
    folders: tempfile::TempDir,
}

impl World {
    fn start(name: &str, cards: &[(u8, &str)]) -> Option<Self> {
        if !needs::app_window() {
            return None;
        }
        let mut bench = Bench::new()?;
        for (reader, card) in cards {
            bench.insert(*reader, card);
        }
        let folders = tempfile::Builder::new()
            .prefix(&format!("ebid-e2e-{name}-"))
            .tempdir()
            .expect("a temporary folder");
        let server = ServerProcess::start(
            &server_from_env(),
            &folders.path().join("server"),
            bench.set_dir(),
        );
        Some(Self {
            bench,
            server,
            folders,
        })
    }

    fn launch(&self) -> Launch {
        Launch::with_server(self.server.url(), &self.folders.path().join("app"))
    }

    /// The app on a bus where a notification server runs.
    async fn open(&self) -> (AppWindow, NotificationServer) {
        AppWindow::launch_with_services(self.launch(), async |bus| {
            NotificationServer::start(&bus.address()).await
        })
        .await
    }
}

#[tokio::test]
async fn a_card_read_is_reminded_once_on_the_desktop_and_a_click_opens_the_app_on_it() {
    let Some(mut world) = World::start("reminders", &[(0, "current")]) else {
        return;
    };
    let (window, notifications) = world.open().await;
    window.wait_screen("home").await;

    let shown = notifications.wait_for(|n| n.summary == SOON).await;
    assert!(
        shown.body.contains("長崎 太郎") && shown.body.contains("有効期限まであと"),
        "{shown:#?}"
    );
    assert!(
        shown.clickable(),
        "a click is reported to the app: {shown:#?}"
    );
    // Inside the app too: the home screen says it above the cards.
    window
        .wait_text("[data-testid=reminders]", |t| {
            t.contains("有効期限まであと")
        })
        .await;

    notifications.click(shown.id).await;
    window.wait_screen("cards").await;
    let focused = window
        .wait_text(
            "[data-testid=card-standing][aria-current=true] [data-testid=card-status]",
            |t| t.contains("有効期限まであと"),
        )
        .await;
    assert!(focused.contains("長崎 太郎"), "{focused}");
    let next = window
        .text_of("[aria-current=true] [data-testid=next-reminder]")
        .await;
    assert!(
        next.contains("有効期限の14日前"),
        "the next reminder is the next threshold: {next}"
    );
    window.screenshot("12-cards").await;

    // Read again: checked again, nothing new to show.
    window.click_button("戻る").await;
    window.wait_screen("home").await;
    window.click_button("再読み込み").await;
    window
        .wait_logged_times("reminders checked cards=1 shown=0", 1)
        .await;
    assert_eq!(
        notifications.notifications().len(),
        1,
        "one notice per threshold"
    );

    world
        .bench
        .readers
        .remove_all()
        .expect("every card comes out of the readers");
    window.close().await;
    drop(notifications);

    // A restart with the same history: the first check finds the card, and shows nothing again.
    let (window, notifications) = world.open().await;
    window.wait_screen("home").await;
    window
        .wait_logged_times("reminders checked cards=1 shown=0", 2)
        .await;
    assert_eq!(notifications.notifications(), Vec::new());
    window.close().await;
}

#[tokio::test]
async fn a_damaged_history_is_named_and_left_as_it_was_and_the_app_goes_on() {
    let Some(world) = World::start("damaged-history", &[]) else {
        return;
    };
    let launch = world.launch();
    let history = launch.history();
    fs::create_dir_all(history.parent().expect("the app folder")).expect("the app folder");
    let garbage = b"this is not a database, but the user's file all the same".repeat(100);
    fs::write(&history, &garbage).expect("a damaged history");

    let window = AppWindow::launch_with(launch).await;
    window.wait_screen("home").await;
    window.click_button("ICカードの有効期限").await;
    window.wait_screen("cards").await;
    let problem = window.wait_text("[role=alert]", |t| !t.is_empty()).await;
    assert!(problem.contains("壊れているか"), "{problem}");
    assert!(
        problem.contains(&display(&history)),
        "the file is named: {problem}"
    );
    window.screenshot("13-damaged-history").await;

    // The renewal's screens are all still there.
    window.click_button("戻る").await;
    window.wait_screen("home").await;
    window.click_button("電子入札 ログイン").await;
    window.wait_screen("organizations").await;
    window.close().await;
    assert_eq!(
        fs::read(&history).expect("the history file"),
        garbage,
        "left untouched"
    );
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
