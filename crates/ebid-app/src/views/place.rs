//! Where the renewal happens (調達機関 and category), the header's server time, and 利用者登録メニュー.

use ebid_protocol::{Menu, Organization};
use ebid_workflow::messages::clock_skew;
use ebid_workflow::{ServerClock, jst_minutes};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An organization and category, by their server ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub organization: String,
    pub category: String,
}

/// Screen 1: the organizations the server lists, and the last choice made on this PC.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Organizations {
    pub organizations: Vec<Organization>,
    pub last: Option<Choice>,
}

/// The header's 『年月日時分』.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClockView {
    /// "2011年04月22日 14時33分", the server's time in JST.
    pub server_time: String,
    /// Set when the PC's clock differs from the server's by more than a few minutes.
    pub skew_warning: Option<String>,
}

/// 利用者登録メニュー after the current card logged in.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MenuView {
    pub organization_name: String,
    pub category_name: String,
    pub company_name: String,
    pub holder: String,
}

pub fn clock_view(clock: &ServerClock) -> ClockView {
    ClockView {
        server_time: jst_minutes(clock.now()),
        skew_warning: clock_skew(clock),
    }
}

/// The menu, with the organization and category named as the server names them.
pub fn menu_view(menu: &Menu, organization_name: &str, category_name: &str) -> MenuView {
    MenuView {
        organization_name: organization_name.to_owned(),
        category_name: category_name.to_owned(),
        company_name: menu.company.name.clone(),
        holder: menu.user.holder.clone(),
    }
}
