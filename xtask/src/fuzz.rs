//! `cargo xtask fuzz`: the hostile-input property tests, with many more cases than the bounded run that
//! `cargo xtask test` makes of them (they are ordinary tests of the workspace, at proptest's default of 256
//! cases a property). Each crate that reads what a stranger or a card sends has them in
//! `tests/hostile_input.rs`; the case count reaches them through proptest's `PROPTEST_CASES`.
//!
//! A failure leaves its seed in that crate's `tests/hostile_input.proptest-regressions`, which proptest
//! replays first on every later run: keep the file, fix the parser, and add the input as a regression test.

use std::time::Instant;

use anyhow::{Result, bail};

use crate::process::run;
use crate::{cargo, step};

/// The cases of a property in the bounded run (proptest's default).
const BOUNDED_CASES: u32 = 256;
/// A long run: a hundred bounded runs.
pub const DEFAULT_CASES: u32 = 100 * BOUNDED_CASES;

/// Each crate with hostile-input tests, and what they feed it.
const TARGETS: &[(&str, &str)] = &[
    (
        "ebid-protocol",
        "JSON a server or a client receives: bytes, any JSON, mutated and truncated messages",
    ),
    (
        "ebid-cert",
        "certificates: bytes, mutated real certificates in DER and PEM, every string type, JST dates, names",
    ),
    (
        "ebid-card",
        "a card's answers: response APDUs, status words, 61xx/6Cxx, JPKI and PIV with their TLV",
    ),
    (
        "ebid-vcard",
        "what pcscd sends a virtual card, and the virtual card's answers mangled on the way back",
    ),
];

pub fn fuzz(cases: u32) -> Result<()> {
    let mut report = Vec::new();
    let mut failed = Vec::new();
    for (package, what) in TARGETS {
        step(&format!("{package}: {cases} cases a property — {what}"));
        // Built alone, with the package's own features (a build of all four would unify them and build
        // again), and before the clock starts.
        let test = ["test", "-p", package, "--test", "hostile_input"];
        run(
            cargo::command(&[&test[..], &["--no-run"]].concat(), true)?,
            "cargo test --no-run",
        )?;
        let start = Instant::now();
        let mut cmd = cargo::command(&test, true)?;
        cmd.env("PROPTEST_CASES", cases.to_string());
        let outcome = run(cmd, &format!("{package}'s hostile-input tests"));
        let seconds = start.elapsed().as_secs_f64();
        report.push(format!(
            "{package:<14} {:<6} {seconds:>7.1} s",
            if outcome.is_ok() { "passed" } else { "FAILED" }
        ));
        if let Err(e) = outcome {
            eprintln!("{e:#}");
            failed.push(*package);
        }
    }

    println!("\nhostile input, {cases} cases a property:");
    for line in &report {
        println!("  {line}");
    }
    if !failed.is_empty() {
        bail!(
            "{} failed; proptest saved each failing case in the crate's \
             tests/hostile_input.proptest-regressions: keep it, fix the parser, add the input as a test",
            failed.join(", ")
        );
    }
    Ok(())
}
