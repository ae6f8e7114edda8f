//! What the screens show, where it adds to the protocol's types: text ready to display (dates in JST as the
//! manual writes them, a next step's words, a PIN's name), what only the app knows (which reader, the last
//! choice), camelCase for TypeScript. A protocol type shown as it is (`CardColumn`, `Organization`,
//! `Company`…) is not copied here: it derives its TypeScript itself (ebid-protocol's `ts` feature). Every
//! type is generated into `ui/src/lib/bindings.ts` (see [`crate::bindings`]).

mod card;
mod confirmation;
mod connection;
mod history;
mod pass;
mod place;
mod registering;
mod registration;
mod reminder_settings;
mod standing;
mod swap;
mod update;

pub use card::{CardProfile, CardView, Overview, ReaderSlot, card_view};
pub use confirmation::{ConfirmationView, FieldKey, NextStepView, RuleView, confirmation_view};
pub use connection::ConnectionView;
/// 登録's and 変更's forms, as the screens fill them in.
pub use ebid_protocol::{Contact, RegistrationChange, RegistrationDetails};
pub use history::{
    AttemptView, HistoryQuery, HistoryView, OutcomeChoice, OutcomeKind, StepView, attempt_view,
    outcome_choices,
};
pub use pass::{PassPlaceState, PassPlaceView, PassView, pass_place_view};
pub use place::{Choice, ClockView, MenuView, Organizations, clock_view, menu_view};
pub use registering::{ReceiptView, receipt_view};
pub use registration::{CertificateRow, InfoView, ResultView, UserRow, info_view, result_view};
pub use reminder_settings::{ReminderSettingsInput, ReminderSettingsView};
pub use standing::{
    CardStandingView, DashboardView, OpenCard, RegistrationView, Urgency, standing_view,
};
pub use swap::{SwapProgress, SwapProgressKind};
pub(crate) use update::update_state_view;
pub use update::{OfferView, UpdateStateView, UpdateView};
