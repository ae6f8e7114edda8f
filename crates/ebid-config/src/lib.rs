//! Where the contractor's app and the `ebid` command find their organization's registration server.
//!
//! An administrator deploys one machine-wide file ([`Places::for_this_os`]: `%ProgramData%\ebid`,
//! `/Library/Application Support/ebid`, `/etc/ebid`); a user may have their own beside it, which the app's
//! 接続先設定 screen writes. Both are TOML ([`Settings`]); the user's values win over the machine's, and the
//! command line and environment win over both ([`Settings::overlay`]). Nothing here has a default server:
//! without one configured, the app asks for it and `ebid` says how to give it.

mod error;
mod load;
mod places;
mod save;
mod settings;

pub use error::ConfigError;
pub use load::{Loaded, load};
pub use places::Places;
pub use save::{save_user_reminders, save_user_server};
pub use settings::{
    OrganizationSettings, ReminderSettings, ServerSettings, Settings, UpdateSettings,
};
