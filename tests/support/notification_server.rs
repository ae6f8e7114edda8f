//! A notification server on a test's private session bus: it owns `org.freedesktop.Notifications` as a
//! desktop's would (the Desktop Notifications Specification's `Notify`, `GetCapabilities`,
//! `GetServerInformation`, `CloseNotification`), records every notification it is sent, and lets the test
//! act as the user: a click (`ActionInvoked(id, "default")`) or a dismissal (`NotificationClosed`). So a
//! test observes the real D-Bus call the app makes, not a mocked one.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::sync::watch;
use zbus::object_server::SignalEmitter;
use zbus::zvariant::OwnedValue;
use zbus::{Connection, connection, interface};

use crate::app_window::WAIT;

const NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// `NotificationClosed`'s reasons (the specification's numbers).
#[derive(Debug, Clone, Copy)]
pub enum CloseReason {
    Expired = 1,
    DismissedByUser = 2,
    ClosedByCall = 3,
}

/// One notification as the app sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The id the server gave it (`Notify`'s answer).
    pub id: u32,
    pub app_name: String,
    pub replaces_id: u32,
    pub app_icon: String,
    pub summary: String,
    pub body: String,
    /// The actions offered, as (key, label): a click on the notification itself is the key `default`.
    pub actions: Vec<(String, String)>,
    /// The hints, each value in GVariant's text form (e.g. `"ebid"`, `uint32 1`).
    pub hints: BTreeMap<String, String>,
    pub expire_timeout: i32,
    /// Closed since (by the app's `CloseNotification`, or by the test).
    pub closed: bool,
}

impl Notification {
    /// Whether a click on it is reported to the app (it offers the `default` action).
    pub fn clickable(&self) -> bool {
        self.actions.iter().any(|(key, _)| key == "default")
    }
}

/// The server, running until it is dropped (its connection closes and the name goes).
pub struct NotificationServer {
    connection: Connection,
    record: Arc<watch::Sender<Vec<Notification>>>,
}

impl NotificationServer {
    /// Owns `org.freedesktop.Notifications` on the bus at `address` (a [`crate::session_bus::SessionBus`]'s).
    pub async fn start(address: &str) -> Self {
        let record = Arc::new(watch::Sender::new(Vec::new()));
        let interface = Notifications {
            next_id: AtomicU32::new(1),
            record: record.clone(),
        };
        let connection = connection::Builder::address(address)
            .and_then(|builder| builder.name(NAME))
            .and_then(|builder| builder.serve_at(PATH, interface))
            .unwrap_or_else(|e| panic!("the notification server's connection to {address}: {e}"))
            .build()
            .await
            .unwrap_or_else(|e| panic!("the notification server on {address}: {e}"));
        Self { connection, record }
    }

    /// Every notification received so far, in order.
    pub fn notifications(&self) -> Vec<Notification> {
        self.record.borrow().clone()
    }

    /// Waits (at most [`WAIT`]) for a notification that `wanted` accepts, and returns it.
    pub async fn wait_for(&self, wanted: impl Fn(&Notification) -> bool) -> Notification {
        let mut shown = self.record.subscribe();
        let found = tokio::time::timeout(WAIT, shown.wait_for(|all| all.iter().any(&wanted))).await;
        match found {
            Ok(Ok(all)) => all
                .iter()
                .find(|n| wanted(n))
                .cloned()
                .expect("the notification just found"),
            Ok(Err(_)) => panic!("the notification server stopped"),
            Err(_) => panic!(
                "no such notification within {} s; received: {:#?}",
                WAIT.as_secs(),
                self.notifications()
            ),
        }
    }

    /// The user clicks the notification `id` (its body, or its action `key`): `ActionInvoked(id, key)`.
    pub async fn invoke(&self, id: u32, key: &str) {
        Notifications::action_invoked(&self.emitter(), id, key)
            .await
            .expect("ActionInvoked is sent");
    }

    /// The user clicks the notification `id` itself.
    pub async fn click(&self, id: u32) {
        self.invoke(id, "default").await;
    }

    /// The notification `id` goes (the user dismissed it, or it expired): `NotificationClosed(id, reason)`.
    pub async fn close(&self, id: u32, reason: CloseReason) {
        close(&self.emitter(), &self.record, id, reason).await;
    }

    fn emitter(&self) -> SignalEmitter<'static> {
        SignalEmitter::new(&self.connection, PATH).expect("a valid object path")
    }
}

/// Marks `id` closed and says so on the bus, once (a second close is ignored, as a server does).
async fn close(
    emitter: &SignalEmitter<'_>,
    record: &watch::Sender<Vec<Notification>>,
    id: u32,
    reason: CloseReason,
) {
    let mut was_open = false;
    record.send_if_modified(|all| {
        if let Some(n) = all.iter_mut().find(|n| n.id == id && !n.closed) {
            n.closed = true;
            was_open = true;
        }
        was_open
    });
    if was_open {
        Notifications::notification_closed(emitter, id, reason as u32)
            .await
            .expect("NotificationClosed is sent");
    }
}

struct Notifications {
    next_id: AtomicU32,
    record: Arc<watch::Sender<Vec<Notification>>>,
}

#[interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[allow(clippy::too_many_arguments)] // the specification's signature
    async fn notify(
        &self,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedValue>,
        expire_timeout: i32,
    ) -> u32 {
        let id = match replaces_id {
            0 => self.next_id.fetch_add(1, Ordering::Relaxed),
            replaced => replaced,
        };
        let notification = Notification {
            id,
            app_name,
            replaces_id,
            app_icon,
            summary,
            body,
            // A flat list of key, label, key, label…
            actions: actions
                .chunks(2)
                .map(|pair| (pair[0].clone(), pair.get(1).cloned().unwrap_or_default()))
                .collect(),
            hints: hints
                .iter()
                .map(|(name, value)| (name.clone(), value.to_string()))
                .collect(),
            expire_timeout,
            closed: false,
        };
        self.record.send_modify(|all| all.push(notification));
        id
    }

    async fn get_capabilities(&self) -> Vec<String> {
        ["actions", "body"].map(str::to_owned).to_vec()
    }

    #[zbus(out_args("name", "vendor", "version", "spec_version"))]
    async fn get_server_information(&self) -> (String, String, String, String) {
        (
            "ebid-tests".to_owned(),
            "ebid".to_owned(),
            env!("CARGO_PKG_VERSION").to_owned(),
            "1.2".to_owned(),
        )
    }

    async fn close_notification(
        &self,
        id: u32,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) {
        close(&emitter, &self.record, id, CloseReason::ClosedByCall).await;
    }

    #[zbus(signal)]
    async fn action_invoked(
        emitter: &SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn notification_closed(
        emitter: &SignalEmitter<'_>,
        id: u32,
        reason: u32,
    ) -> zbus::Result<()>;
}
