//! `cargo xtask idle-memory`: the app's memory at idle beside an empty Tauri 2 window's, measured the same
//! way in the same run. An empty window is WebKitGTK's floor (its web and network processes, GTK, the
//! webview's own page): what the app holds above it is what the app's code and screens cost, and the only
//! part of the figure the app can change. Both are release builds of the same package (the empty window is
//! its example `empty-window`), started in turn on one display, each measured once its window is up and its
//! memory has stopped moving: PSS and RSS summed over the program and every process under it (/proc, so
//! Linux only). Figures are printed, never asserted; the README reports them.

#[cfg(target_os = "linux")]
mod proc_tree;
#[cfg(target_os = "linux")]
mod report;
#[cfg(target_os = "linux")]
mod round;

use anyhow::{Result, bail};

/// Starts of each program; they alternate, so that a change in the machine's load falls on both.
pub const DEFAULT_ROUNDS: usize = 3;

#[cfg(not(target_os = "linux"))]
pub fn idle_memory(_rounds: usize) -> Result<()> {
    bail!("`cargo xtask idle-memory` reads each process's memory from /proc: it runs on Linux only")
}

#[cfg(target_os = "linux")]
pub fn idle_memory(rounds: usize) -> Result<()> {
    use std::env;
    use std::fs;

    use anyhow::Context as _;

    use crate::process::run;
    use crate::xvfb::Xvfb;
    use crate::{cargo, frontend, setup, step};
    use round::{Program, Sample};

    if rounds == 0 {
        bail!("--rounds must be at least 1");
    }
    step("setup");
    setup::setup()?;
    // The app embeds ui/dist when it compiles.
    step("front end: npm run check, npm run build");
    frontend::check_and_build()?;
    step("build ebid-desktop and the empty window (release, both of package ebid-desktop)");
    #[rustfmt::skip]
    let build = ["build", "--release", "-p", "ebid-desktop", "--bin", "ebid-desktop", "--example", "empty-window"];
    run(cargo::command(&build, true)?, "cargo build")?;

    let target = cargo::target_dir()?;
    let work = target.join("xtask/idle-memory");
    fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let data_dir = work.join("app-data");
    let app = Program {
        label: "ebid-desktop",
        path: target.join("release/ebid-desktop"),
        // A data folder of its own, fresh each start; no server runs, so the first screen says so: idle
        // all the same.
        args: vec!["--data-dir".into(), data_dir.clone().into()],
    };
    let empty = Program {
        label: "empty-window",
        path: target.join("release/examples/empty-window"),
        args: Vec::new(),
    };

    // The display given, else a virtual one of our own (as `cargo xtask test` starts it), kept until the end.
    let (display, _xvfb) = match env::var("DISPLAY").ok().filter(|d| !d.is_empty()) {
        Some(given) => (given, None),
        None => {
            step("Xvfb");
            let xvfb = Xvfb::start(&work)?;
            (xvfb.display(), Some(xvfb))
        }
    };

    let mut samples: [Vec<Sample>; 2] = [Vec::new(), Vec::new()];
    for round in 1..=rounds {
        step(&format!("round {round} of {rounds} on {display}"));
        for (program, measured) in [&app, &empty].into_iter().zip(samples.iter_mut()) {
            if data_dir.exists() {
                fs::remove_dir_all(&data_dir)
                    .with_context(|| format!("removing {}", data_dir.display()))?;
            }
            let log = work.join(format!("{}-{round}.log", program.label));
            let sample = round::measure(program, &display, &log)?;
            report::print_sample(program.label, &sample);
            measured.push(sample);
        }
    }
    let [app_samples, empty_samples] = samples;
    report::print_table(&app_samples, &empty_samples);
    Ok(())
    // Xvfb, if we started it, stops here and on every early return.
}
