//! `-v`: the renewal's steps on standard error, for a person or a script following what happened. By
//! default only warnings; `-v` the steps (info), `-vv` the server's requests and the card's steps (debug),
//! `-vvv` everything ebid's crates say (trace). `RUST_LOG`, when set, decides instead (and may name other
//! crates). What the crates log never holds a PIN, a session token or a whole certificate.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the subscriber for the whole run; standard output stays the command's own.
pub fn install(verbosity: u8) {
    let directives = match std::env::var("RUST_LOG") {
        Ok(set) if !set.trim().is_empty() => set,
        _ => for_verbosity(verbosity).to_owned(),
    };
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::builder().parse_lossy(directives))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

/// A target directive matches every target it begins: `ebid` is this program and every `ebid_*` crate,
/// and nothing else (the HTTP and TLS stacks stay at warnings).
fn for_verbosity(verbosity: u8) -> &'static str {
    match verbosity {
        0 => "warn",
        1 => "warn,ebid=info",
        2 => "warn,ebid=debug",
        _ => "warn,ebid=trace",
    }
}
