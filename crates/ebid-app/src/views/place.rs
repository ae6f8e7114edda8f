//! Where the renewal happens (調達機関 and category), the header's server time, and 利用者登録メニュー.

use ebid_protocol::{Menu, Organization};
use ebid_workflow::{ServerClock, jst_minutes};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryView {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationView {
    pub id: String,
    pub name: String,
    pub categories: Vec<CategoryView>,
}

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
    pub organizations: Vec<OrganizationView>,
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

pub fn organization_view(organization: &Organization) -> OrganizationView {
    OrganizationView {
        id: organization.id.clone(),
        name: organization.name.clone(),
        categories: organization
            .categories
            .iter()
            .map(|c| CategoryView {
                id: c.id.clone(),
                name: c.name.clone(),
            })
            .collect(),
    }
}

pub fn clock_view(clock: &ServerClock) -> ClockView {
    let skew_minutes = clock.skew().whole_minutes().abs();
    ClockView {
        server_time: jst_minutes(clock.now()),
        // Validity is judged at the server's time: a PC clock that is off makes "valid" on this PC mean
        // nothing, so the user is told which clock counts.
        skew_warning: clock.pc_clock_is_off().then(|| {
            format!(
                "このPCの時計がサーバの時刻と約{skew_minutes}分ずれています。ICカードの有効期限はサーバの時刻で判定されます。PCの時計を合わせてください。"
            )
        }),
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
