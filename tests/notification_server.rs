//! The test notification server itself, spoken to by GLib's `gdbus` (not by zbus, the server's own
//! library): it answers the Desktop Notifications Specification's calls, records what it is sent, and its
//! clicks and closes reach a listener as the specification's signals, which is what the app listens to.

use std::process::Command;

use ebid_tests::needs;
use ebid_tests::notification_server::{CloseReason, NotificationServer};
use ebid_tests::session_bus::SessionBus;
use futures_util::StreamExt as _;
use zbus::{MatchRule, MessageStream};

const DESTINATION: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// `gdbus call` on `address`, returning what it printed (GVariant text).
fn gdbus_call(address: &str, method: &str, args: &[&str]) -> String {
    let output = Command::new("gdbus")
        .args(["call", "--address", address, "--dest", DESTINATION])
        .args(["--object-path", PATH, "--method"])
        .arg(format!("{DESTINATION}.{method}"))
        // The arguments follow, as GVariant text (a `-1` is not an option).
        .arg("--")
        .args(args)
        .output()
        .expect("gdbus runs");
    assert!(
        output.status.success(),
        "gdbus {method}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A second client on the bus that hears the server's signals, as the app's notification plugin does.
async fn listener(address: &str) -> MessageStream {
    let connection = zbus::connection::Builder::address(address)
        .expect("the bus address")
        .build()
        .await
        .expect("a listener on the bus");
    let rule = MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(DESTINATION)
        .expect("the interface name")
        .build();
    MessageStream::for_match_rule(rule, &connection, None)
        .await
        .expect("the signals subscribed")
}

/// The next signal the server sends.
async fn next_signal(signals: &mut MessageStream) -> zbus::Message {
    tokio::time::timeout(ebid_tests::app_window::WAIT, signals.next())
        .await
        .expect("a signal in time")
        .expect("the stream goes on")
        .expect("a readable signal")
}

fn name(signal: &zbus::Message) -> String {
    signal
        .header()
        .member()
        .expect("a signal's name")
        .to_string()
}

#[tokio::test]
async fn notifications_sent_over_the_bus_are_recorded_and_clicks_and_closes_are_signalled() {
    if !needs::session_bus() {
        return;
    }
    let folder = tempfile::Builder::new()
        .prefix("ebid-notification-server-")
        .tempdir()
        .expect("a temporary folder");
    let bus = SessionBus::in_folder(folder.path());
    let _daemon = bus.start_daemon();
    let address = bus.address();
    let server = NotificationServer::start(&address).await;
    let mut signals = listener(&address).await;

    let capabilities = gdbus_call(&address, "GetCapabilities", &[]);
    assert!(capabilities.contains("'actions'"), "{capabilities}");
    let information = gdbus_call(&address, "GetServerInformation", &[]);
    assert!(information.contains("'ebid-tests'"), "{information}");

    let answer = gdbus_call(
        &address,
        "Notify",
        &[
            "ebid-desktop",
            "0",
            "",
            "ICカードの有効期限",
            "あと30日で有効期限が切れます。",
            "['default', '']",
            "{'urgency': <byte 1>}",
            "-1",
        ],
    );
    let shown = server.wait_for(|n| n.summary == "ICカードの有効期限").await;
    assert_eq!(answer, format!("(uint32 {},)", shown.id));
    assert_eq!(shown.app_name, "ebid-desktop");
    assert_eq!(shown.body, "あと30日で有効期限が切れます。");
    assert!(shown.clickable(), "{shown:?}");
    assert_eq!(
        shown.hints.get("urgency").map(String::as_str),
        Some("byte 0x01")
    );
    assert_eq!(shown.expire_timeout, -1);

    server.click(shown.id).await;
    let signal = next_signal(&mut signals).await;
    let (id, action): (u32, String) = signal
        .body()
        .deserialize()
        .expect("ActionInvoked's arguments");
    assert_eq!(
        (name(&signal).as_str(), id, action.as_str()),
        ("ActionInvoked", shown.id, "default")
    );

    gdbus_call(&address, "CloseNotification", &[&shown.id.to_string()]);
    let signal = next_signal(&mut signals).await;
    let closed: (u32, u32) = signal
        .body()
        .deserialize()
        .expect("NotificationClosed's arguments");
    assert_eq!(name(&signal), "NotificationClosed");
    assert_eq!(closed, (shown.id, CloseReason::ClosedByCall as u32));
    assert!(server.notifications()[0].closed);

    // A second notification gets its own id; the user dismissing it is signalled too.
    gdbus_call(
        &address,
        "Notify",
        &["ebid-desktop", "0", "", "二通目", "", "[]", "{}", "5000"],
    );
    let second = server.wait_for(|n| n.summary == "二通目").await;
    assert_ne!(second.id, shown.id);
    assert!(!second.clickable());
    server.close(second.id, CloseReason::DismissedByUser).await;
    let signal = next_signal(&mut signals).await;
    let closed: (u32, u32) = signal
        .body()
        .deserialize()
        .expect("NotificationClosed's arguments");
    assert_eq!(name(&signal), "NotificationClosed");
    assert_eq!(closed, (second.id, CloseReason::DismissedByUser as u32));
}
