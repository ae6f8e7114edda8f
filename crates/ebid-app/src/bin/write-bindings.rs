//! `cargo xtask bindings`: writes the front end's TypeScript (types and command wrappers) and the window's
//! capability from Rust.

use std::path::Path;
use std::process::ExitCode;

use ebid_app::bindings::generated_files;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for (relative, text) in generated_files() {
        let path = root.join(relative);
        if let Err(error) = std::fs::write(&path, text) {
            eprintln!("could not write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {relative}");
    }
    ExitCode::SUCCESS
}
