//! The TypeScript the front end imports, generated from the view types so that nothing crossing into the
//! webview is written twice. `cargo xtask bindings` writes it; a test fails while the file is stale.

use ts_rs::{Config, TS};

use crate::error::{AppError, ErrorCode};
use crate::views::{
    CardProfile, CardView, CategoryView, CertificateRow, CertificateStatusView, Choice, ClockView,
    ColumnView, CompanyView, ConfirmationView, FieldKey, InfoView, MenuView, NextStepKind,
    NextStepView, OrganizationView, Organizations, Overview, ReaderSlot, ResultView, RuleView,
    SwapProgress, SwapProgressKind, UserRow,
};

/// Where the file lives, from the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/lib/bindings.ts";

const HEADER: &str = "// Generated from Rust (crates/ebid-app) by `cargo xtask bindings`. Do not edit: a test fails when stale.\n";

/// The whole file: every type the commands take or give, in a fixed order.
pub fn typescript() -> String {
    let cfg = Config::new();
    let declarations = [
        declaration::<CardView>(&cfg),
        declaration::<CardProfile>(&cfg),
        declaration::<ReaderSlot>(&cfg),
        declaration::<Overview>(&cfg),
        declaration::<CategoryView>(&cfg),
        declaration::<OrganizationView>(&cfg),
        declaration::<Choice>(&cfg),
        declaration::<Organizations>(&cfg),
        declaration::<ClockView>(&cfg),
        declaration::<MenuView>(&cfg),
        declaration::<FieldKey>(&cfg),
        declaration::<ColumnView>(&cfg),
        declaration::<NextStepKind>(&cfg),
        declaration::<NextStepView>(&cfg),
        declaration::<RuleView>(&cfg),
        declaration::<ConfirmationView>(&cfg),
        declaration::<ResultView>(&cfg),
        declaration::<CertificateStatusView>(&cfg),
        declaration::<CertificateRow>(&cfg),
        declaration::<UserRow>(&cfg),
        declaration::<CompanyView>(&cfg),
        declaration::<InfoView>(&cfg),
        declaration::<SwapProgress>(&cfg),
        declaration::<SwapProgressKind>(&cfg),
        declaration::<ErrorCode>(&cfg),
        declaration::<AppError>(&cfg),
    ];
    let mut out = String::from(HEADER);
    for declaration in declarations {
        out.push('\n');
        out.push_str(&declaration);
        out.push('\n');
    }
    out
}

fn declaration<T: TS>(cfg: &Config) -> String {
    let docs = T::docs().unwrap_or_default();
    format!("{docs}export {}", T::decl(cfg))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// CI fails here when a view type changed and `cargo xtask bindings` was not run.
    #[test]
    fn the_committed_bindings_are_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(BINDINGS_PATH);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == typescript(),
            "{} is stale: run `cargo xtask bindings` and commit the file",
            path.display()
        );
    }
}
