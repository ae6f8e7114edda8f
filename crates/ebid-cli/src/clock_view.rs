//! The server's date and time as the manual's top bar shows it, and the warning when the PC's clock is off.

use ebid_workflow::messages::clock_skew;
use ebid_workflow::{ServerClock, jst_minutes};

use crate::narration::Narration;

pub fn print(clock: &ServerClock, to: Narration) {
    to.line(format_args!("サーバの日時: {}", jst_minutes(clock.now())));
    if let Some(warning) = clock_skew(clock) {
        to.line(format_args!("注意: {warning}"));
    }
}
