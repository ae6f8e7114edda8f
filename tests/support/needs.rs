//! What a test needs beyond a Rust toolchain: pcscd with vpcd's readers, or the app window's display and
//! binaries. Where it is missing the test is skipped, and says so, so that `cargo test -p <crate>` passes on
//! any machine; `cargo xtask test` (and so CI) provides everything and sets `EBID_REQUIRE_ALL=1`, and there a
//! missing need fails the test instead of skipping it.

use std::env;
use std::io::Write as _;

/// Set by `cargo xtask test`: every test must run, none may be skipped.
pub const REQUIRE_ALL: &str = "EBID_REQUIRE_ALL";

/// Whether pcscd answers with vsmartcard-vpcd's readers. (It asks pcscd, never vpcd's port: a connection
/// there would be a card inserted and pulled.)
pub fn pcscd() -> bool {
    let listed = ebid_card::Pcsc::establish().and_then(|pcsc| pcsc.readers());
    let has_vpcd =
        listed.is_ok_and(|readers| readers.iter().any(|r| r.name.starts_with("Virtual PCD")));
    met(
        has_vpcd,
        "pcscd with vsmartcard-vpcd's readers, which is not running",
    )
}

/// Whether the app window's end-to-end tests can run: a display, and the app and `ebid` binaries that
/// `cargo xtask test` builds and names in `EBID_APP` and `EBID_CLI`.
pub fn app_window() -> bool {
    let missing: Vec<&str> = ["DISPLAY", "EBID_APP", "EBID_CLI"]
        .into_iter()
        .filter(|name| env::var_os(name).is_none_or(|v| v.is_empty()))
        .collect();
    met(
        missing.is_empty(),
        &format!(
            "the app window's display and binaries ({} not set)",
            missing.join(", ")
        ),
    )
}

/// Whether a private session bus can be started and spoken to by an independent client: `dbus-daemon` and
/// GLib's `gdbus` (what the tray library and WebKit speak D-Bus with).
pub fn session_bus() -> bool {
    let missing: Vec<&str> = ["dbus-daemon", "gdbus"]
        .into_iter()
        .filter(|program| !on_path(program))
        .collect();
    met(
        missing.is_empty(),
        &format!("{} on PATH", missing.join(" and ")),
    )
}

fn on_path(program: &str) -> bool {
    env::var_os("PATH")
        .is_some_and(|path| env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// `true` when the need is there. Otherwise the test fails here under `EBID_REQUIRE_ALL`, or is skipped: a
/// line says so (written to the terminal directly, past the test harness's capture of `println!`) and
/// `false` tells the test to return.
fn met(there: bool, need: &str) -> bool {
    if there {
        return true;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_owned();
    assert!(
        env::var_os(REQUIRE_ALL).is_none_or(|v| v.is_empty()),
        "{test} needs {need}; {REQUIRE_ALL} is set, so it must run (see `cargo xtask test`)"
    );
    // Best effort: a skip line that cannot be written changes nothing else.
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test}: needs {need}; `cargo xtask test` runs it"
    );
    false
}
