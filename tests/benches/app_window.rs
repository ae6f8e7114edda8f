//! `cargo bench -p ebid-tests --bench app_window`, run by `cargo xtask bench` (which provides the display,
//! pcscd and the binaries): how long the app window takes from the WebDriver session request (which starts
//! the app) to its first screen, and how much memory all of the app's processes hold at idle there.
//! Printed for the README, never asserted.

use std::fs;

use ebid_tests::app_window::AppWindow;
use ebid_tests::server_process::{ServerProcess, server_from_env};
use ebid_tests::{demo_set, needs};

/// Starts measured; the first is also reported alone (nothing of the app cached by WebKit yet).
const RUNS: usize = 5;

fn main() {
    if !needs::app_window() {
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(measure());
}

async fn measure() {
    let folders = tempfile::tempdir().expect("a temporary folder");
    let server = ServerProcess::start(
        &server_from_env(),
        &folders.path().join("server"),
        demo_set(),
    );
    let mut starts = Vec::new();
    let mut memory = Vec::new();
    for run in 0..RUNS {
        let data = folders.path().join(format!("app-{run}"));
        let window = AppWindow::launch(server.url(), &data).await;
        // Idle: the first screen shown and its reading of the readers done, no call in flight.
        window
            .wait_text("main[aria-busy='false'] h1", |_| true)
            .await;
        starts.push(window.started_in);
        memory.push(app_memory());
        window.close().await;
    }
    let first = starts[0];
    starts.sort();
    memory.sort_by_key(|m| m.pss_kib);
    let median = &memory[memory.len() / 2];
    println!(
        "app window: first start {} ms, median start {} ms over {RUNS} (session request → first screen)",
        first.as_millis(),
        starts[starts.len() / 2].as_millis()
    );
    println!(
        "app memory at idle (median of {RUNS}): {} processes, PSS {:.1} MiB, RSS {:.1} MiB",
        median.processes,
        kib_to_mib(median.pss_kib),
        kib_to_mib(median.rss_kib)
    );
}

#[derive(Debug, Clone, Copy)]
struct Memory {
    processes: usize,
    pss_kib: u64,
    rss_kib: u64,
}

/// The app (`ebid-desktop`) and every process under it (WebKit's web and network processes), from /proc.
/// PSS counts shared pages once across them, so the sum is what the app costs the machine.
fn app_memory() -> Memory {
    let processes: Vec<(u32, u32, String)> = fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (open, close) = (stat.find('(')?, stat.rfind(')')?);
            let comm = stat[open + 1..close].to_owned();
            let ppid = stat[close + 1..].split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid, comm))
        })
        .collect();
    let mut ours: Vec<u32> = processes
        .iter()
        .filter(|(_, _, comm)| comm == "ebid-desktop")
        .map(|(pid, _, _)| *pid)
        .collect();
    // Children of what is ours are ours, until no new one appears.
    loop {
        let before = ours.len();
        for (pid, ppid, _) in &processes {
            if ours.contains(ppid) && !ours.contains(pid) {
                ours.push(*pid);
            }
        }
        if ours.len() == before {
            break;
        }
    }
    let mut memory = Memory {
        processes: ours.len(),
        pss_kib: 0,
        rss_kib: 0,
    };
    for pid in ours {
        let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        memory.pss_kib += field_kib(&rollup, "Pss:");
        memory.rss_kib += field_kib(&rollup, "Rss:");
    }
    memory
}

fn field_kib(rollup: &str, name: &str) -> u64 {
    rollup
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// For display: a few hundred thousand KiB convert to f64 exactly.
fn kib_to_mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
