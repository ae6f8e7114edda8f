//! The TypeScript the front end imports, generated from Rust so that nothing crossing into the webview is
//! written twice: the types (the views, `AppError`, and the protocol's types the screens show as they are),
//! the typed command wrappers and the window's capability (from the command list, [`crate::commands`]).
//! `cargo xtask bindings` writes them; a test fails while any is stale.

use ebid_protocol::{
    CardColumn, Category, CertificateStatus, Company, CompanyKind, Contact, FieldProblem,
    FormField, NextStep, Organization, RefusalCode, RegistrationChange, RegistrationDetails,
    RegistrationState,
};
use ebid_workflow::sheets::{
    CARD_COLUMNS, CONFIRMATION_SENTENCES, CONFIRMATION_TITLE, DIFFERS, NOT_STATED,
};
use ts_rs::{Config, TS};

use crate::commands::{API_PATH, CAPABILITY_PATH, capability, typescript_api};
use crate::error::{AppError, ErrorCode};
use crate::paper::{PaperKind, SavedPaper};
use crate::views::{
    AttemptView, CardProfile, CardStandingView, CardView, CertificateRow, Choice, ClockView,
    ConfirmationView, ConnectionView, DashboardView, FieldKey, HistoryQuery, HistoryView, InfoView,
    MenuView, NextStepView, OfferView, OpenCard, Organizations, OutcomeChoice, OutcomeKind,
    Overview, PassPlaceState, PassPlaceView, PassView, ReaderSlot, ReceiptView, RegistrationView,
    ReminderSettingsInput, ReminderSettingsView, ResultView, RuleView, StepView, SwapProgress,
    SwapProgressKind, UpdateStateView, UpdateView, Urgency, UserRow,
};

/// Where the types live, from the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/lib/bindings.ts";

const HEADER: &str = "// Generated from Rust (crates/ebid-app, crates/ebid-protocol) by `cargo xtask bindings`. Do not edit: a test fails when stale.\n";

/// Every generated file: its path from the workspace root, and its text.
pub fn generated_files() -> [(&'static str, String); 3] {
    [
        (BINDINGS_PATH, typescript()),
        (API_PATH, typescript_api()),
        (CAPABILITY_PATH, capability()),
    ]
}

/// The types file: every type the commands take or give, in a fixed order.
pub fn typescript() -> String {
    let cfg = Config::new();
    let declarations = [
        declaration::<ConnectionView>(&cfg),
        declaration::<CardView>(&cfg),
        declaration::<CardProfile>(&cfg),
        declaration::<ReaderSlot>(&cfg),
        declaration::<Overview>(&cfg),
        declaration::<Category>(&cfg),
        declaration::<Organization>(&cfg),
        declaration::<Choice>(&cfg),
        declaration::<Organizations>(&cfg),
        declaration::<ClockView>(&cfg),
        declaration::<MenuView>(&cfg),
        declaration::<FieldKey>(&cfg),
        declaration::<CardColumn>(&cfg),
        declaration::<NextStep>(&cfg),
        declaration::<NextStepView>(&cfg),
        declaration::<RefusalCode>(&cfg),
        declaration::<RuleView>(&cfg),
        declaration::<ConfirmationView>(&cfg),
        declaration::<ResultView>(&cfg),
        declaration::<CertificateStatus>(&cfg),
        declaration::<CertificateRow>(&cfg),
        declaration::<Contact>(&cfg),
        declaration::<UserRow>(&cfg),
        declaration::<CompanyKind>(&cfg),
        declaration::<Company>(&cfg),
        declaration::<InfoView>(&cfg),
        declaration::<PassPlaceState>(&cfg),
        declaration::<PassPlaceView>(&cfg),
        declaration::<PassView>(&cfg),
        declaration::<SwapProgress>(&cfg),
        declaration::<SwapProgressKind>(&cfg),
        declaration::<Urgency>(&cfg),
        declaration::<RegistrationView>(&cfg),
        declaration::<CardStandingView>(&cfg),
        declaration::<DashboardView>(&cfg),
        declaration::<OpenCard>(&cfg),
        declaration::<OutcomeKind>(&cfg),
        declaration::<HistoryQuery>(&cfg),
        declaration::<OutcomeChoice>(&cfg),
        declaration::<StepView>(&cfg),
        declaration::<AttemptView>(&cfg),
        declaration::<HistoryView>(&cfg),
        declaration::<ReminderSettingsView>(&cfg),
        declaration::<ReminderSettingsInput>(&cfg),
        declaration::<PaperKind>(&cfg),
        declaration::<SavedPaper>(&cfg),
        declaration::<RegistrationDetails>(&cfg),
        declaration::<RegistrationChange>(&cfg),
        declaration::<RegistrationState>(&cfg),
        declaration::<ReceiptView>(&cfg),
        declaration::<FormField>(&cfg),
        declaration::<FieldProblem>(&cfg),
        declaration::<OfferView>(&cfg),
        declaration::<UpdateStateView>(&cfg),
        declaration::<UpdateView>(&cfg),
        declaration::<ErrorCode>(&cfg),
        declaration::<AppError>(&cfg),
    ];
    let mut out = String::from(HEADER);
    for declaration in declarations {
        out.push('\n');
        out.push_str(&declaration);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&form_fields());
    out.push('\n');
    out.push_str(&confirmation_words());
    out
}

/// 電子証明書更新確認's words as the paper has them (`ebid_workflow::sheets`): the title, the two columns,
/// each row's label in the manual's order, the sentences under the table, the mark of a value that
/// differs from the registration, and what stands for a value a certificate does not state.
fn confirmation_words() -> String {
    let json = |value: &str| serde_json::to_string(value).unwrap_or_default();
    let rows: Vec<String> = FieldKey::ALL
        .iter()
        .map(|key| {
            format!(
                "    {{ key: {}, label: {} }},\n",
                serde_json::to_string(key).unwrap_or_default(),
                json(key.label_ja())
            )
        })
        .collect();
    let list = |items: &[&str]| {
        items
            .iter()
            .map(|item| json(item))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "/** 電子証明書更新確認's words, as the paper (ebid-workflow's sheets) has them. */\n\
         export const CONFIRMATION_WORDS = {{\n\
         \x20 title: {},\n\
         \x20 columns: [{}],\n\
         \x20 rows: [\n{}  ] as ReadonlyArray<{{ key: FieldKey; label: string }}>,\n\
         \x20 sentences: [{}],\n\
         \x20 differs: {},\n\
         \x20 notStated: {},\n\
         }} as const;\n",
        json(CONFIRMATION_TITLE),
        list(&CARD_COLUMNS),
        rows.concat(),
        list(&CONFIRMATION_SENTENCES),
        json(DIFFERS),
        json(NOT_STATED),
    )
}

/// Each form field's label, length and need as the protocol's rules have them, so that the forms' words and
/// limits are not written a second time in TypeScript.
fn form_fields() -> String {
    let entries: Vec<String> = FormField::ALL
        .iter()
        .map(|field| {
            // A unit variant serializes to its name as a JSON string.
            let key = serde_json::to_string(field).unwrap_or_default();
            let label = serde_json::to_string(field.label_ja()).unwrap_or_default();
            format!(
                "  {key}: {{ label: {label}, maxChars: {}, required: {} }},\n",
                field.max_chars(),
                field.required()
            )
        })
        .collect();
    format!(
        "/** Each form field's label on the screens, the most characters it takes, and whether it must be typed. */\n\
         export const FORM_FIELDS: Record<FormField, {{ label: string; maxChars: number; required: boolean }}> = {{\n{}}};\n",
        entries.concat()
    )
}

fn declaration<T: TS>(cfg: &Config) -> String {
    let docs = T::docs().unwrap_or_default();
    format!("{docs}export {}", T::decl(cfg))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// CI fails here when a type or the command list changed and `cargo xtask bindings` was not run (or a
    /// generated file was edited by hand: the capability and the wrappers must be the list's).
    #[test]
    fn the_committed_bindings_are_current() {
        for (relative, generated) in generated_files() {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(relative);
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == generated,
                "{} is stale: run `cargo xtask bindings` and commit the file",
                path.display()
            );
        }
    }
}
