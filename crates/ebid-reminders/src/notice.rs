//! The reminders' Japanese sentences, all in one place (the renewal's own words live in `ebid-workflow`).

use time::Date;

use crate::jst::jst_date_string;
use crate::schedule::Milestone;

/// The standing state of an expired card, as the app labels it.
pub const EXPIRED_STATE: &str = "新規登録が必要です";

/// Days left above which the notice says how long a new card takes to arrive.
const CARD_DELIVERY_WARNING_DAYS: i64 = 14;

/// A notice: a desktop notification's title and body, or a line in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// When a reminder falls, as the dashboard names it: 「有効期限の30日前」, or 「有効期限切れ」.
pub fn milestone_label(milestone: Milestone) -> String {
    match milestone {
        Milestone::DaysBefore(days) => format!("有効期限の{days}日前"),
        Milestone::Expired => "有効期限切れ".to_owned(),
    }
}

/// 「ICカード」, or 「ICカード（山田 太郎）」 when the holder is known, so that a PC with several cards says which.
fn card(holder: Option<&str>) -> String {
    match holder.map(str::trim).filter(|holder| !holder.is_empty()) {
        Some(holder) => format!("ICカード（{holder}）"),
        None => "ICカード".to_owned(),
    }
}

/// Before expiry, `days_left` ≥ 0.
pub(crate) fn before_expiry(days_left: i64, expiry: Date, holder: Option<&str>) -> Notice {
    let card = card(holder);
    let date = jst_date_string(expiry);
    let body = match days_left {
        0 => format!(
            "{card}の有効期限は本日（{date}）までです。明日からはこのカードで更新できなくなります。今日のうちに更新の手続きをしてください。"
        ),
        days if days > CARD_DELIVERY_WARNING_DAYS => format!(
            "{card}の有効期限まであと{days}日です（{date}）。新しいICカードが届くまで2〜4週間かかりますので、早めに更新の手続きをしてください。"
        ),
        days => {
            format!("{card}の有効期限まであと{days}日です（{date}）。更新の手続きをしてください。")
        }
    };
    Notice {
        title: "ICカードの有効期限が近づいています".to_owned(),
        body,
    }
}

/// After expiry: renewal is no longer possible, only 新規登録 with a new card.
pub(crate) fn expired(expiry: Date, holder: Option<&str>) -> Notice {
    let card = card(holder);
    let date = jst_date_string(expiry);
    Notice {
        title: "ICカードの有効期限が切れています".to_owned(),
        body: format!(
            "{card}の有効期限が切れました（{date}）。このカードでは更新できません。新しいICカードで{EXPIRED_STATE}。"
        ),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_sentences_name_the_days_and_the_date() {
        let expiry = date!(2027 - 03 - 31);
        assert_eq!(
            before_expiry(30, expiry, None).body,
            "ICカードの有効期限まであと30日です（2027/03/31）。新しいICカードが届くまで2〜4週間かかりますので、早めに更新の手続きをしてください。"
        );
        assert_eq!(
            before_expiry(7, expiry, Some("山田 太郎")).body,
            "ICカード（山田 太郎）の有効期限まであと7日です（2027/03/31）。更新の手続きをしてください。"
        );
        assert!(
            before_expiry(0, expiry, None)
                .body
                .contains("本日（2027/03/31）まで")
        );
        assert_eq!(
            expired(expiry, Some(" ")).body,
            "ICカードの有効期限が切れました（2027/03/31）。このカードでは更新できません。新しいICカードで新規登録が必要です。"
        );
    }
}
