//! `cargo xtask bindings`: writes the front end's TypeScript types from the Rust views.

use std::path::Path;
use std::process::ExitCode;

use ebid_app::bindings::{BINDINGS_PATH, typescript};

fn main() -> ExitCode {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(BINDINGS_PATH);
    match std::fs::write(&path, typescript()) {
        Ok(()) => {
            println!("wrote {BINDINGS_PATH}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("could not write {}: {error}", path.display());
            ExitCode::FAILURE
        }
    }
}
