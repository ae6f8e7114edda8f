//! What every test needs: the demo set, a running server with a manual clock, the demo cards, and a view of
//! the registration tables.

mod cards;
mod client;
mod demo;
mod issued;
mod running;
mod tables;

pub use cards::card;
pub use client::{Reply, TestServer, refused};
pub use demo::{copy_demo_set, demo_seed, demo_serve_args, demo_set, demo_trust, demo_trust_files};
pub use issued::{IssuedCard, ca, ca_params, crl, demo_root, issue, new_card_params, replace_file};
pub use running::RunningClient;
pub use tables::{Tables, audit, refused_logins};

/// 長崎県, 長崎市, 佐世保市 as the demo seed names them.
pub const PREF: &str = "nagasaki-pref";
pub const CITY: &str = "nagasaki-city";
pub const SASEBO: &str = "sasebo-city";
/// 工事・業務.
pub const CONSTRUCTION: &str = "construction";
