//! `cargo xtask bindings`: regenerates `ui/src/lib/bindings.ts` from the Rust view types (`ebid-app`), after a
//! change to them; the test `bindings::tests::the_committed_bindings_are_current` fails until it is run.

use anyhow::Result;

use crate::process::run;
use crate::{cargo, step};

pub fn write() -> Result<()> {
    step("write ui/src/lib/bindings.ts");
    run(
        cargo::command(
            &[
                "run",
                "--quiet",
                "--package",
                "ebid-app",
                "--bin",
                "write-bindings",
            ],
            true,
        )?,
        "cargo run --bin write-bindings",
    )
}
