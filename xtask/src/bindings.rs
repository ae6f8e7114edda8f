//! `cargo xtask bindings`: regenerates `ui/src/lib/bindings.ts` (the types), `ui/src/lib/api.ts` (the command
//! wrappers) and `src-tauri/capabilities/default.json` from Rust (`ebid-app`: its views and command list),
//! after a change to them; the test `bindings::tests::the_committed_bindings_are_current` fails until it is
//! run.

use anyhow::Result;

use crate::process::run;
use crate::{cargo, step};

pub fn write() -> Result<()> {
    step("write ui/src/lib/bindings.ts, ui/src/lib/api.ts, src-tauri/capabilities/default.json");
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
