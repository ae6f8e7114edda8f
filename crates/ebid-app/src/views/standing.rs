//! The card dashboard: every card this PC has seen and not replaced, its days left at the server's time,
//! where it is registered, and the next reminder. The schedule is `ebid-reminders`'; this only displays it.

use ebid_history::Registration;
use ebid_reminders::{Thresholds, jst_date_string, milestone_label};
use ebid_workflow::jst_minutes;
use ebid_workflow::messages::registration_answer;
use ebid_workflow::reminders::CardStanding;
use serde::Serialize;
use ts_rs::TS;

/// How urgent a card is, for the card's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// No threshold crossed yet.
    Ok,
    /// A reminder threshold is crossed: renew now.
    Soon,
    /// Expired at the server's time: 新規登録が必要です.
    Expired,
}

/// One card on the dashboard.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardStandingView {
    /// SHA-256 of its certificate: the card's identity (a notification opens the app on it).
    pub fingerprint: String,
    /// 証明書シリアル番号.
    pub serial: String,
    /// ICカード取得者氏名.
    pub holder: Option<String>,
    /// ICカード企業名称.
    pub company: Option<String>,
    /// 証明書発行者.
    pub issuer: String,
    /// 証明書有効期限, YYYY/MM/DD in JST.
    pub expiry_date: String,
    /// JST calendar days left at the server's time; negative once expired.
    pub days_left: i32,
    pub urgency: Urgency,
    /// The card's state in one sentence (days left, or 新規登録が必要です).
    pub status: String,
    /// Where a server said it is (or is not) registered.
    pub registrations: Vec<RegistrationView>,
    /// When the next reminder falls, e.g. "2027/03/01（有効期限の30日前）"; none once nothing is left to remind.
    pub next_reminder: Option<String>,
    /// The last time this PC read the card, in JST.
    pub last_seen: String,
}

/// One server's answer about one card.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationView {
    /// The 調達機関's id (named by the screen from the server's list when it has it).
    pub organization: String,
    pub category: String,
    pub registered: bool,
    /// 登録あり / 登録なし.
    pub answer: String,
    /// When the server said so, in JST.
    pub answered_at: String,
}

/// The dashboard.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    /// The soonest to expire first.
    pub cards: Vec<CardStandingView>,
    /// Why the history cannot be read or written, once (the app goes on without it).
    pub history_problem: Option<String>,
}

/// The card as the dashboard shows it; `thresholds` say from when it is urgent (the farthest reminder).
pub fn standing_view(standing: &CardStanding, thresholds: &Thresholds) -> CardStandingView {
    let facts = &standing.card.facts;
    let assessment = &standing.assessment;
    let within_reminders = thresholds
        .days()
        .first()
        .is_some_and(|&farthest| assessment.days_left <= i64::from(farthest));
    let urgency = if assessment.expired {
        Urgency::Expired
    } else if within_reminders {
        Urgency::Soon
    } else {
        Urgency::Ok
    };
    CardStandingView {
        fingerprint: facts.fingerprint.clone(),
        serial: facts.serial.clone(),
        holder: facts.holder.clone(),
        company: facts.company.clone(),
        issuer: facts.issuer.clone(),
        expiry_date: jst_date_string(assessment.expiry_date),
        days_left: i32::try_from(assessment.days_left).unwrap_or(if assessment.days_left < 0 {
            i32::MIN
        } else {
            i32::MAX
        }),
        urgency,
        status: standing.status().body,
        registrations: standing
            .registrations
            .iter()
            .map(registration_view)
            .collect(),
        next_reminder: assessment.next.map(|next| {
            format!(
                "{}（{}）",
                jst_date_string(next.date),
                milestone_label(next.milestone)
            )
        }),
        last_seen: jst_minutes(standing.card.last_seen),
    }
}

fn registration_view(registration: &Registration) -> RegistrationView {
    RegistrationView {
        organization: registration.organization.clone(),
        category: registration.category.clone(),
        registered: registration.registered,
        answer: registration_answer(registration.registered).to_owned(),
        answered_at: jst_minutes(registration.answered_at),
    }
}

/// A notification about a card was clicked: the dashboard opens on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenCard {
    pub fingerprint: String,
}
