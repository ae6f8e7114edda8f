//! A tray on a test's private session bus: it owns `org.kde.StatusNotifierWatcher` as a desktop's panel
//! does (with a host registered, so that libayatana-appindicator uses it rather than an X tray icon), records
//! the items that register, reads an item's menu over `com.canonical.dbusmenu` and clicks its entries, as
//! the panel does when the user picks one.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;
use zbus::fdo::DBusProxy;
use zbus::message::Header;
use zbus::names::BusName;
use zbus::object_server::SignalEmitter;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};
use zbus::{Connection, Proxy, connection, interface};

use crate::app_window::WAIT;

const NAME: &str = "org.kde.StatusNotifierWatcher";
const PATH: &str = "/StatusNotifierWatcher";
const ITEM_INTERFACE: &str = "org.kde.StatusNotifierItem";
const MENU_INTERFACE: &str = "com.canonical.dbusmenu";
/// Where an item lives when it registers by bus name only (the specification's default).
const DEFAULT_ITEM_PATH: &str = "/StatusNotifierItem";
const POLL: Duration = Duration::from_millis(100);

/// An item that registered: who (the connection's unique name) and where (its object path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayItem {
    pub bus_name: String,
    pub path: String,
}

impl TrayItem {
    /// As the watcher lists it in `RegisteredStatusNotifierItems`.
    fn listed(&self) -> String {
        format!("{}{}", self.bus_name, self.path)
    }
}

/// One entry of an item's menu, as dbusmenu's `GetLayout` gives it.
#[derive(Debug, Clone)]
pub struct MenuEntry {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
    pub visible: bool,
    pub children: Vec<MenuEntry>,
}

impl MenuEntry {
    /// The labels of the entries under this one, in order.
    pub fn labels(&self) -> Vec<String> {
        self.children.iter().map(|c| c.label.clone()).collect()
    }

    /// The entry labelled `label`, at any depth.
    pub fn find(&self, label: &str) -> Option<&MenuEntry> {
        self.children
            .iter()
            .find_map(|c| (c.label == label).then_some(c).or_else(|| c.find(label)))
    }
}

/// The watcher, running until it is dropped.
pub struct StatusNotifierWatcher {
    connection: Connection,
    items: Arc<watch::Sender<Vec<TrayItem>>>,
}

impl StatusNotifierWatcher {
    /// Owns `org.kde.StatusNotifierWatcher` on the bus at `address` (a [`crate::session_bus::SessionBus`]'s).
    pub async fn start(address: &str) -> Self {
        let items = Arc::new(watch::Sender::new(Vec::new()));
        let interface = Watcher {
            items: items.clone(),
        };
        let connection = connection::Builder::address(address)
            .and_then(|builder| builder.name(NAME))
            .and_then(|builder| builder.serve_at(PATH, interface))
            .unwrap_or_else(|e| panic!("the tray watcher's connection to {address}: {e}"))
            .build()
            .await
            .unwrap_or_else(|e| panic!("the tray watcher on {address}: {e}"));
        Self { connection, items }
    }

    /// Every item that registered so far (alive or gone).
    pub fn items(&self) -> Vec<TrayItem> {
        self.items.borrow().clone()
    }

    /// Waits (at most [`WAIT`]) for the first item to register.
    pub async fn wait_for_item(&self) -> TrayItem {
        let mut items = self.items.subscribe();
        match tokio::time::timeout(WAIT, items.wait_for(|all| !all.is_empty())).await {
            Ok(Ok(all)) => all[0].clone(),
            Ok(Err(_)) => panic!("the tray watcher stopped"),
            Err(_) => panic!("no tray item registered within {} s", WAIT.as_secs()),
        }
    }

    /// Whether the item's connection is still on the bus.
    pub async fn is_alive(&self, item: &TrayItem) -> bool {
        let bus = DBusProxy::new(&self.connection)
            .await
            .expect("the bus's own interface");
        let name = BusName::try_from(item.bus_name.as_str()).expect("a unique bus name");
        bus.name_has_owner(name)
            .await
            .expect("NameHasOwner answers")
    }

    /// The item's menu (its root entry), once it holds entries: the app builds it just after registering.
    pub async fn menu(&self, item: &TrayItem) -> MenuEntry {
        let deadline = Instant::now() + WAIT;
        loop {
            let root = self.layout(item).await;
            match root {
                Ok(root) if !root.children.is_empty() => return root,
                _ if Instant::now() >= deadline => {
                    panic!(
                        "no menu on the tray item {item:?} within {} s: {root:?}",
                        WAIT.as_secs()
                    )
                }
                _ => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// The user picks the entry labelled `label` in the item's menu: dbusmenu's `Event(id, "clicked", …)`.
    pub async fn click(&self, item: &TrayItem, label: &str) {
        let root = self.menu(item).await;
        let entry = root.find(label).unwrap_or_else(|| {
            panic!("no entry 「{label}」 in the tray menu: {:?}", root.labels())
        });
        let menu = self.menu_proxy(item).await;
        // The time of the click, as a panel passes the X server's; only its presence matters here.
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |t| t.as_secs() as u32);
        menu.call::<_, _, ()>(
            "Event",
            &(entry.id, "clicked", Value::from(0i32), timestamp),
        )
        .await
        .unwrap_or_else(|e| panic!("clicking 「{label}」 in the tray menu: {e}"));
    }

    async fn layout(&self, item: &TrayItem) -> zbus::Result<MenuEntry> {
        let menu = self.menu_proxy(item).await;
        let no_properties: &[&str] = &[];
        let (_revision, root): (u32, Layout) = menu
            .call("GetLayout", &(0i32, -1i32, no_properties))
            .await?;
        entry(root)
    }

    /// dbusmenu at the path the item's `Menu` property names.
    async fn menu_proxy(&self, item: &TrayItem) -> Proxy<'static> {
        let properties = Proxy::new(
            &self.connection,
            item.bus_name.clone(),
            item.path.clone(),
            ITEM_INTERFACE,
        )
        .await
        .expect("a proxy of the tray item");
        let path: OwnedObjectPath = properties
            .get_property("Menu")
            .await
            .unwrap_or_else(|e| panic!("the tray item's Menu property: {e}"));
        Proxy::new(
            &self.connection,
            item.bus_name.clone(),
            path,
            MENU_INTERFACE,
        )
        .await
        .expect("a proxy of the tray item's menu")
    }
}

/// dbusmenu's `(ia{sv}av)`: id, properties, children (each a variant of the same).
type Layout = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

fn entry((id, properties, children): Layout) -> zbus::Result<MenuEntry> {
    let text = |name: &str| {
        properties
            .get(name)
            .and_then(|v| String::try_from(v.try_clone().ok()?).ok())
    };
    let flag = |name: &str| {
        properties
            .get(name)
            .and_then(|v| bool::try_from(v).ok())
            .unwrap_or(true)
    };
    let children = children
        .into_iter()
        .map(|child| {
            let layout = Layout::try_from(child).map_err(zbus::Error::Variant)?;
            entry(layout)
        })
        .collect::<zbus::Result<Vec<_>>>()?;
    Ok(MenuEntry {
        id,
        label: text("label").unwrap_or_default(),
        enabled: flag("enabled"),
        visible: flag("visible"),
        children,
    })
}

struct Watcher {
    items: Arc<watch::Sender<Vec<TrayItem>>>,
}

#[interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    /// `service` is a bus name or, as libayatana-appindicator sends, the item's object path on the
    /// caller's connection.
    async fn register_status_notifier_item(
        &self,
        service: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        let sender = header
            .sender()
            .map(|s| s.to_string())
            .ok_or_else(|| zbus::fdo::Error::InvalidArgs("no sender".to_owned()))?;
        let item = if service.starts_with('/') {
            TrayItem {
                bus_name: sender,
                path: service,
            }
        } else {
            TrayItem {
                bus_name: service,
                path: DEFAULT_ITEM_PATH.to_owned(),
            }
        };
        let listed = item.listed();
        self.items.send_modify(|all| all.push(item));
        Self::status_notifier_item_registered(&emitter, &listed)
            .await
            .map_err(|e| zbus::fdo::Error::Failed(e.to_string()))
    }

    async fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    async fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.borrow().iter().map(TrayItem::listed).collect()
    }

    /// A panel is there to show the items: without one, the library falls back to an X tray icon.
    #[zbus(property)]
    async fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    async fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;
}
