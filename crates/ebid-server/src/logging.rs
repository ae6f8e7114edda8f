//! The server's log: `tracing` events to standard error (standard output carries only the `listening on`
//! line that scripts wait for), as text for a terminal or as one JSON object a line for a log collector.
//! `RUST_LOG` chooses what is written (default: `info`, which includes the access log).

use tracing_subscriber::EnvFilter;

/// How the log is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Installs the process's subscriber; a process that already has one keeps it.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    // Err only when a subscriber is already installed (a test harness, an embedding program).
    drop(installed);
}
