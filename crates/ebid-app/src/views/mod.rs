//! What the screens show, shaped for them: text ready to display (dates in JST as the manual writes them),
//! camelCase for TypeScript, and every type generated into `ui/src/lib/bindings.ts` (see [`crate::bindings`]).

mod card;
mod confirmation;
mod place;
mod registration;
mod swap;

pub use card::{CardProfile, CardView, Overview, ReaderSlot, card_view};
pub use confirmation::{
    ColumnView, ConfirmationView, FieldKey, NextStepKind, NextStepView, RuleView, confirmation_view,
};
pub use place::{
    CategoryView, Choice, ClockView, MenuView, OrganizationView, Organizations, clock_view,
    menu_view, organization_view,
};
pub use registration::{
    CertificateRow, CertificateStatusView, CompanyView, InfoView, ResultView, UserRow, info_view,
    result_view,
};
pub use swap::{SwapProgress, SwapProgressKind};
