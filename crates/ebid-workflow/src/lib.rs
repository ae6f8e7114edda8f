//! ICカード更新, once, below any screen: the CLI and the desktop app drive the same [`Renewal`].
//!
//! ```text
//! Renewal::new ─ fetch_server_time ─▶ TimeKnown ─ login_current(card, PIN) ─▶ LoggedIn
//!   ─ prove_new_card(card, PIN) ─▶ Confirming ─ commit ─▶ Committed ─ registration_info(new card, PIN)
//!                     ▲   back  │            (Interrupted/Unreachable: still Confirming, commit again)
//!                     └─────────┘
//! ```
//!
//! The server decides; the workflow explains first. Before any PIN is asked it reads what the card shows
//! without one ([`read_card`]: tries left, and the certificate where the card gives it freely), so that an
//! expired current card is steered to 新規登録 at the SERVER's time ([`check_current_card`]), the same card
//! twice is refused, and the new card put in at the current-card step is named as such. It sends a VERIFY
//! only with the PIN it was handed, once, and never retries one.
//!
//! A card signs only a challenge the workflow has checked first ([`check_challenge`]): from the server the
//! client is talking to (its origin), for the organization, category and purpose asked. Each card step asks
//! for its challenge before it touches the card, so a server that hands out another one gets no command
//! sent to the card at all.
//!
//! Each step is logged (`tracing`: info for the steps and their outcomes, debug for the card's and the
//! server's parts), naming cards by serial and fingerprint only: never a PIN, a session token, a challenge's
//! nonce, a signature or a whole certificate.
//!
//! # The local history
//!
//! Given one ([`Renewal::with_history`]), a renewal records itself as it happens: each card whose
//! certificate it reads (facts and fingerprint only), each server's answer about where a card is
//! registered (a login accepted or refused as not registered; after 更新 the new card registered, the old
//! one not, and replaced), the attempt from the current card's login on with a row for each step
//! (`login`, `new_card_proof`, `back`, `commit` for every send, `registration_info`: `ok` or the refusal's
//! or failure's code), and the server's clock offset. [`Renewal::end`] finishes the attempt: committed at
//! 更新完了, refused with the last refusal's code, else cancelled; left unfinished (interrupted) when
//! 【更新】's answer was lost, and when the renewal is dropped or its process killed. The history never fails
//! the renewal: a write that fails is logged and [`Renewal::history_problem`] keeps the first failure for a
//! screen to show once. Before any PIN, a card the history says a server refused here within
//! [`NOT_REGISTERED_TRUST`], or a renewal replaced here, is refused as a card the server would refuse.
//! [`reminders`] reads the cards' standing back for the reminders.
//!
//! # Several 調達機関 in one pass
//!
//! [`pass::RenewalPass`] renews the same card at several places of one server with one PIN entry for each
//! card where the card allows it (JPKI), each place an ordinary [`Renewal`]; one place's refusal is that
//! place's outcome, never the others'.
//!
//! Card operations are synchronous and borrow the card, so the futures that take a card are not `Send`: a
//! caller drives them on the thread that holds the card (a current-thread runtime, or `block_on` in a
//! blocking task).

mod card_step;
mod challenge;
mod checks;
mod clock;
mod commit;
mod differences;
mod error;
mod logged;
pub mod messages;
pub mod pass;
mod place;
pub mod readers;
mod record;
pub mod registering;
pub mod reminders;
mod renewal;
mod session;
pub mod sheets;
pub mod swap_glance;

pub use card_step::{CardReading, read_card};
pub use challenge::{
    ChallengeProblem, MAX_CHALLENGE_LIFETIME, MAX_ID_CHARS, NONCE_BYTES, check_challenge,
};
pub use checks::check_current_card;
pub use clock::{CLOCK_SKEW_WARNING, ServerClock, fetch_server_clock, jst_minutes};
pub use commit::{CommitPolicy, CommitResend};
pub use differences::{ChangedFields, changed_fields};
pub use error::{RenewalError, next_step_ja};
pub use place::{Place, PlaceError, fetch_place, find_place};
pub use record::NOT_REGISTERED_TRUST;
pub use renewal::{Renewal, Stage};
pub use session::registration_info;
