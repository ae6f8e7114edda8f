//! The server process: `ebid-server` on the arguments it is given, for as long as its standard input is open.
//!
//! The load generator holds the other end of that pipe, so the server stops when the run is over, and also
//! when the load generator dies, whatever kills it: the server never outlives its load.

use std::sync::Arc;

use anyhow::Context as _;
use ebid_server::{ServeArgs, SystemClock};

/// Starts the server, prints `listening on http://127.0.0.1:PORT` as `ebid-server` does, serves until
/// standard input reaches its end, then lets requests in progress finish and closes the database.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let running = ebid_server::start(args, Arc::new(SystemClock)).await?;
    println!("listening on {}", running.url());
    tokio::io::copy(&mut tokio::io::stdin(), &mut tokio::io::sink())
        .await
        .context("reading standard input")?;
    running.stop().await
}
