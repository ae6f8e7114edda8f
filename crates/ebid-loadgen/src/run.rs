//! A load run: the fixture, the server process, every level of both scenarios, the table.

use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;

use crate::card::LoadUser;
use crate::drive::Bounds;
use crate::fixture::Fixture;
use crate::report::{Row, table};
use crate::server_process::{Limits, ServerProcess};
use crate::{commit, login, mixed};

/// The unauthenticated requests whose trace on disk is measured.
const FLOOD_REQUESTS: usize = 10_000;

/// How many distinct failure messages are printed; the table counts them all.
const FAILURES_SHOWN: usize = 5;

/// The load of a run.
#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// Concurrent clients of each level, in order.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 16, 64])]
    pub clients: Vec<usize>,
    /// At most this many logins a level.
    #[arg(long, default_value_t = 3000)]
    pub logins: usize,
    /// At most this many commits a level, each by a load user of its own (enough that the level at 64 clients
    /// lasts about a second: one stall of this shared machine moves a shorter one's figures).
    #[arg(long, default_value_t = 3000)]
    pub commits: usize,
    /// At most this many seconds a level (for commits, each of preparing and committing).
    #[arg(long, default_value_t = 60)]
    pub max_seconds: u64,
    /// Real users of the mixed scenario, each renewing once a second from an address of its own.
    #[arg(long, default_value_t = 16)]
    pub mixed_clients: usize,
    /// Renewals of the mixed scenario in each of its phases (alone, during the flood); 0 skips it.
    #[arg(long, default_value_t = 160)]
    pub mixed_renewals: usize,
}

/// Runs `login` then `commit` at each level against a server process of its own, prints the table on
/// standard output, and fails if any operation failed (after printing).
pub async fn run(args: &LoadArgs) -> anyhow::Result<()> {
    let max_time = Duration::from_secs(args.max_seconds);
    // Every commit renews a user of its own; logins only need someone registered.
    let mixed_first = args.commits * args.clients.len();
    let user_count = (mixed_first + 2 * args.mixed_renewals).max(1);
    eprintln!("ebid-loadgen: issuing and registering {user_count} load users");
    let mut fixture = Fixture::prepare(user_count).await?;
    let server = ServerProcess::start(&fixture.data(), &fixture.demo_set(), Limits::Off).await?;
    eprintln!("ebid-loadgen: server process at {}", server.url());
    let users: Arc<[LoadUser]> = std::mem::take(&mut fixture.users).into();

    let mut rows = Vec::new();
    for &clients in &args.clients {
        eprintln!("ebid-loadgen: login, {clients} clients");
        let bounds = Bounds {
            clients,
            max_ops: args.logins,
            max_time,
        };
        rows.push(login::measure(server.url(), Arc::clone(&users), bounds).await?);
    }
    for (level, &clients) in args.clients.iter().enumerate() {
        eprintln!("ebid-loadgen: commit, {clients} clients");
        let bounds = Bounds {
            clients,
            max_ops: args.commits,
            max_time,
        };
        let first = level * args.commits;
        rows.push(commit::measure(server.url(), Arc::clone(&users), first, bounds).await?);
    }
    // What strangers leave on disk: the database file and its log before a flood of exactly
    // [`FLOOD_REQUESTS`] unauthenticated requests, and after the server has stopped (swept, checkpointed).
    let before = fixture.database_bytes();
    let flood = mixed::flood_only(server.url(), FLOOD_REQUESTS).await?;
    server.stop().await?;
    let growth = fixture.database_bytes().saturating_sub(before);
    let mut notes = vec![format!(
        "database growth for {} unauthenticated requests ({} served, none rate limited): {growth} bytes",
        flood.sent, flood.served
    )];

    // The real users and the flood each need a loopback address of their own: Linux answers on all of
    // 127.0.0.0/8, macOS and Windows only on 127.0.0.1 unless configured.
    if args.mixed_renewals > 0 && !cfg!(target_os = "linux") {
        notes.push("mixed scenario skipped: it needs loopback addresses beyond 127.0.0.1".into());
    } else if args.mixed_renewals > 0 {
        // The same data, now served as an organization runs it: with the default rate limits.
        let server =
            ServerProcess::start(&fixture.data(), &fixture.demo_set(), Limits::Defaults).await?;
        eprintln!("ebid-loadgen: mixed, {} real users", args.mixed_clients);
        let (quiet, flooded, flood) = mixed::measure(
            server.url(),
            Arc::clone(&users),
            mixed_first,
            args.mixed_clients,
            args.mixed_renewals,
        )
        .await?;
        server.stop().await?;
        rows.extend([quiet, flooded]);
        notes.push(format!(
            "flood during the second phase: {} requests from one address, {} answered 429, {} served",
            flood.sent, flood.limited, flood.served
        ));
    }

    println!("{}", table(&rows));
    for note in notes {
        println!("\n{note}");
    }
    report_failures(&rows)
}

/// Prints the first few distinct failures; an error if there was any.
fn report_failures(rows: &[Row]) -> anyhow::Result<()> {
    let mut messages: Vec<String> = rows
        .iter()
        .flat_map(|row| &row.failures)
        .map(|error| format!("{error:#}"))
        .collect();
    let failed = messages.len();
    if failed == 0 {
        return Ok(());
    }
    messages.sort();
    messages.dedup();
    for message in messages.iter().take(FAILURES_SHOWN) {
        eprintln!("ebid-loadgen: failed: {message}");
    }
    bail!("{failed} operations failed")
}
