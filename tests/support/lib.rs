//! The harness of the tests that run over the real PC/SC stack: one demo set a test binary, the two vpcd
//! readers shared one test at a time, and the virtual cards put in and taken out through `Readers`, which
//! returns only once pcscd has seen the change (no sleeps). The app window's end-to-end tests drive the real
//! app over WebDriver through `app_window`, with the desktop's notification server and tray on the app's
//! private session bus (`notification_server`, `status_notifier`). A test whose pcscd or display is missing
//! is skipped (`needs`).

pub mod app_flow;
pub mod app_launch;
pub mod app_window;
pub mod needs;
pub mod notification_server;
pub mod server_process;
pub mod session_bus;
pub mod status_notifier;
mod tauri_driver;
pub mod x11_window;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use ebid_vcard::readers::Readers;
use ebid_vcard::vpcd;

/// The demo set every test of this binary uses, generated once. Its folder is kept (not deleted when the
/// first test ends) because every later test copies from it; it lives under the system's temporary folder.
pub fn demo_set() -> &'static Path {
    static SET: OnceLock<PathBuf> = OnceLock::new();
    SET.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("ebid-demo-set-")
            .tempdir()
            .expect("a temporary folder");
        ebid_democa::generate(dir.path(), time::OffsetDateTime::now_utc())
            .expect("the demo CA generates its set");
        dir.keep()
    })
}

/// Exclusive use of vpcd's two readers for one test, with cards from a fresh copy of the demo set (so that
/// PIN counters spent by one test never leak into another). Every card is pulled out when it is dropped.
pub struct Bench {
    pub readers: Readers,
    pub set: tempfile::TempDir,
    _lock: MutexGuard<'static, ()>,
}

impl Bench {
    /// The readers, once pcscd with vpcd is confirmed; `None` where it is not running and the test is
    /// skipped (`needs::pcscd`): `let Some(mut bench) = Bench::new() else { return };`.
    pub fn new() -> Option<Self> {
        static LOCK: Mutex<()> = Mutex::new(());
        // A test that failed while holding the lock poisons it; the readers are still usable.
        let lock = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !needs::pcscd() {
            return None;
        }
        let set = tempfile::Builder::new()
            .prefix("ebid-bench-")
            .tempdir()
            .expect("a temporary folder");
        copy_dir(demo_set(), set.path());
        Some(Self {
            readers: Readers::new(set.path()),
            set,
            _lock: lock,
        })
    }

    /// Puts a card of the set into a reader, behaving as a card does; returns once pcscd sees it.
    pub fn insert(&mut self, reader: u8, card: &str) {
        self.readers
            .insert(reader, card, ebid_vcard::vpcd::Behaviour::default())
            .unwrap_or_else(|e| panic!("card {card} into reader {reader}: {e}"));
    }

    pub fn set_dir(&self) -> &Path {
        self.set.path()
    }

    /// The certificate serial number of demo card `card`, as the screens and the server write it.
    pub fn serial(&self, card: &str) -> String {
        ebid_democa::DemoSet::load(self.set_dir())
            .expect("the bench's demo set")
            .card(card)
            .expect("a demo card")
            .signing_serial
            .to_string()
    }
}

/// The line of `ebid info`'s 登録利用者一覧 that lists `serial`, if any.
pub fn listed<'a>(info: &'a str, serial: &str) -> Option<&'a str> {
    info.lines()
        .find(|line| line.contains(&format!("証明書シリアル番号 {serial}")))
}

impl Drop for Bench {
    fn drop(&mut self) {
        // Best effort while unwinding from a failed test; the next Bench starts from empty readers anyway.
        let _ = self.readers.remove_all();
    }
}

/// The PC/SC name of vpcd reader `n`, as the service lists it.
pub fn pcsc_reader_name(n: u8) -> String {
    let wanted = vpcd::reader_name(n);
    let readers = ebid_card::Pcsc::establish()
        .expect("pcscd answers")
        .readers()
        .expect("readers listed");
    readers
        .into_iter()
        .map(|r| r.name)
        .find(|name| name.starts_with(&wanted))
        .expect("vpcd's reader is listed")
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("the demo set is readable") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            std::fs::create_dir_all(&target).expect("a folder");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

/// The file of card `name` in the demo set `set`, as the emulator loads it.
pub fn card_spec(set: &Path, name: &str) -> ebid_vcard::spec::CardSpec {
    let text =
        std::fs::read(set.join("cards").join(format!("{name}.json"))).expect("the card file");
    serde_json::from_slice(&text).expect("a card file in the spec format")
}

/// The signing PIN and signing certificate a card file holds.
pub fn signing_pin_and_certificate(spec: &ebid_vcard::spec::CardSpec) -> (String, Vec<u8>) {
    use ebid_vcard::spec::CardSpec;
    match spec {
        CardSpec::Jpki(jpki) => (jpki.sign_pin.value.clone(), jpki.sign.certificate.clone()),
        CardSpec::Piv(piv) => (piv.pin.value.clone(), piv.slot_9c.certificate.clone()),
    }
}

/// Writes a card file into the bench's set, e.g. a demo card with quirks switched on.
pub fn write_card(set: &Path, name: &str, spec: &ebid_vcard::spec::CardSpec) {
    let text = serde_json::to_vec_pretty(spec).expect("a card file");
    std::fs::write(set.join("cards").join(format!("{name}.json")), text)
        .expect("the card file is written");
}
