//! The certificate facts with the labels of the manual's 電子証明書更新確認 screen.

use ebid_cert::Facts;

use crate::narration::Narration;

pub fn print(facts: &Facts, to: Narration) {
    let or_dash = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".to_owned());
    to.line(format_args!(
        "ICカード企業名称      : {}",
        or_dash(&facts.company)
    ));
    to.line(format_args!(
        "ICカード取得者氏名    : {}",
        or_dash(&facts.holder)
    ));
    to.line(format_args!(
        "ICカード取得者住所    : {}",
        or_dash(&facts.address)
    ));
    to.line(format_args!("証明書シリアル番号    : {}", facts.serial));
    to.line(format_args!("証明書発行者          : {}", facts.issuer));
    to.line(format_args!(
        "証明書有効期限        : {}",
        facts.not_after_jst()
    ));
}

/// "あと20日" / "本日まで" / "12日前に期限切れ（新規登録が必要です）".
pub fn days_phrase(days: i64) -> String {
    match days {
        0 => "本日まで".to_owned(),
        d if d > 0 => format!("あと{d}日"),
        d => format!("{}日前に期限切れ（新規登録が必要です）", -d),
    }
}
