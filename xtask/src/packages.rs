//! What a development or CI machine needs, as data. Add rows here; `setup.rs` does the installing.

/// A Debian package and why the project needs it.
#[derive(Debug, Clone, Copy)]
pub struct DebPackage {
    pub name: &'static str,
    pub why: &'static str,
}

/// A tool installed with `cargo install`, found on PATH by its binary name.
#[derive(Debug, Clone, Copy)]
pub struct CargoTool {
    pub binary: &'static str,
    pub krate: &'static str,
    pub why: &'static str,
}

const fn deb(name: &'static str, why: &'static str) -> DebPackage {
    DebPackage { name, why }
}

/// Debian packages, installed with `apt-get install --no-install-recommends`.
#[rustfmt::skip]
pub const DEB_PACKAGES: &[DebPackage] = &[
    // PC/SC stack with virtual readers (vpcd), and independent checkers.
    deb("pcscd",                         "PC/SC daemon the tests and the demo talk to"),
    deb("libpcsclite-dev",               "headers and library for the `pcsc` crate"),
    deb("vsmartcard-vpcd",               "virtual reader driver; software cards plug in over TCP"),
    deb("opensc",                        "independent check that our virtual cards are readable"),
    deb("pcsc-tools",                    "pcsc_scan and friends, for looking at readers by hand"),
    deb("openssl",                       "independent check of certificates and signatures"),
    deb("softhsm2",                      "a real PKCS#11 module for ebid-pkcs11's tests (tokens in a temp store)"),
    // Tauri 2 desktop app.
    deb("libwebkit2gtk-4.1-dev",         "Tauri 2 web view"),
    deb("libgtk-3-dev",                  "Tauri 2 windowing"),
    deb("librsvg2-dev",                  "Tauri 2 icons"),
    deb("libayatana-appindicator3-dev",  "Tauri 2 tray icon (its dbusmenu-gtk serves the tray's menu)"),
    deb("libssl-dev",                    "TLS headers for crates that link OpenSSL"),
    deb("build-essential",               "C toolchain for -sys crates"),
    deb("pkg-config",                    "finds system libraries for -sys crates"),
    // Headless window tests.
    deb("xvfb",                          "virtual X display for window tests"),
    deb("xauth",                         "xvfb-run needs it"),
    deb("webkit2gtk-driver",             "WebKitWebDriver, started by tauri-driver"),
    deb("x11-utils",                     "xwininfo: finding the start-up failure's message box on the display"),
    deb("dbus-daemon",                   "a private session bus per window test (one instance, notifications, tray)"),
    deb("libglib2.0-bin",                "gdbus: an independent D-Bus client for the test notification server"),
    deb("fonts-noto-cjk",                "Japanese glyphs (otherwise every kanji is a box); the face ebid-pdf embeds"),
    deb("poppler-utils",                 "pdftotext: reading back the text of the PDFs ebid-pdf writes"),
    deb("imagemagick",                   "screenshots of the virtual display (`import`)"),
    deb("time",                          "/usr/bin/time: CPU and memory of a whole command, for the benchmarks"),
    deb("sqlite3",                       "an independent hand on the server's database: a test alters a release as an attacker would"),
];

/// Tools installed with `cargo install --locked`.
pub const CARGO_TOOLS: &[CargoTool] = &[CargoTool {
    binary: "tauri-driver",
    krate: "tauri-driver",
    why: "WebDriver server for the desktop app's end-to-end tests",
}];
