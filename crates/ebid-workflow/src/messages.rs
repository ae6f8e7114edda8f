//! Every outcome in the Japanese the user reads, with what to do next: one wording for the CLI and the app.

use ebid_card::{CardError, Profile, TransportError};
use ebid_history::Outcome;
use ebid_protocol::{CertificateStatus, RegistrationState};

use crate::pass::{PassError, PassPlace, PlaceStatus};
use crate::readers::{SwapEvent, WaitError};
use crate::swap_glance::SwapLook;
use crate::{CommitPolicy, RenewalError, ServerClock, next_step_ja};

/// The manual's words for the swap (ICカードの挿し替え), and what the app does on its own.
pub const SWAP_STEPS: [&str; 2] = [
    "新しいICカードがICカードリーダーに正しく挿入されていることを確認して「OK」ボタンをクリックしてください。",
    "現在使用しているICカードを抜き、新しく取得したICカードを挿入してください。挿し替えは自動で検出します。",
];

/// A step asked before a renewal was opened (no 調達機関 chosen yet).
pub const NOT_BEGUN: &str = "利用者登録が始まっていません。調達機関を選択してください。";
/// 【PDFで保存】 when the screen's paper is not there (the confirmation left, the renewal not committed).
pub const NO_PAPER: &str = "保存する画面の内容がありません。もう一度操作してください。";
/// 【OK】 on the swap dialog when no wait for the new card runs (it ended meanwhile).
pub const NOT_WAITING: &str = "新しいICカードを待っていません。もう一度【OK】を押してください。";

/// Said before 【更新】 is sent again after its answer was lost.
pub const COMMIT_RESENT: &str =
    "更新の結果を確かめるため、もう一度送信します（更新が二重に行われることはありません）。";

/// A pass at a later 調達機関 met a new card other than the one the first confirmed.
pub const NOT_THE_NEW_CARD: &str =
    "最初の調達機関で確認した新しいICカードと異なります。同じ新しいICカードを挿入してください。";

/// A place of a pass as the user reads it: 「長崎市（工事・業務）」.
pub fn place_name(place: &PassPlace) -> String {
    format!("{}（{}）", place.names.organization, place.names.category)
}

/// The PIN dialog's words when a pass needs the card's PIN again before the next 調達機関.
pub fn pin_again(profile: Profile, next: &PassPlace) -> String {
    let label = pin_label(profile);
    let why = match profile {
        Profile::Piv => format!("このICカードは署名のたびに{label}の入力が必要です。"),
        Profile::Jpki | Profile::Pkcs11 => format!("ICカードの{label}の確認が解除されました。"),
    };
    format!(
        "{why}次の調達機関（{}）の手続きのため、もう一度{label}を入力してください。",
        place_name(next)
    )
}

/// A place of a pass that refused, said as the pass goes on without it.
pub fn place_refused(place: &PassPlace, error: &RenewalError) -> String {
    format!(
        "{}では手続きを進められませんでした。{}",
        place_name(place),
        renewal_error(error)
    )
}

/// One line of a pass's summary: the place and where it stands.
pub fn place_summary(place: &PassPlace, status: &PlaceStatus) -> String {
    let name = place_name(place);
    match status {
        PlaceStatus::Waiting => format!("{name}: 未処理です。"),
        PlaceStatus::LoggedIn => format!("{name}: ログインしました。"),
        PlaceStatus::Confirming(_) => format!("{name}: 更新内容の確認待ちです。"),
        PlaceStatus::Committed(result) => format!(
            "{name}: 更新が完了しました（新しい証明書のシリアル番号: {}）。",
            result.new_serial
        ),
        PlaceStatus::Refused(error) => format!(
            "{name}: 更新できませんでした。{}\nこの調達機関は、原因を解消してから個別にICカード更新を行ってください。",
            renewal_error(error)
        ),
        PlaceStatus::CommitFailed(error) if CommitPolicy::retries(error) => format!(
            "{name}: 更新の結果を確認できませんでした。{}\nもう一度【更新】を押してください（更新が二重に行われることはありません）。",
            renewal_error(error)
        ),
        PlaceStatus::CommitFailed(error) => format!(
            "{name}: 更新に失敗しました。{}\nこの調達機関は、あとで個別にICカード更新を行ってください。",
            renewal_error(error)
        ),
    }
}

/// Why a step of a pass stopped.
pub fn pass_error(error: &PassError) -> String {
    match error {
        PassError::Renewal(error) => renewal_error(error),
        other => other.to_string(),
    }
}

pub fn card_error(error: &CardError) -> String {
    match error {
        CardError::WrongPin { tries_left: 1 } => {
            "PIN番号が違います。残り1回です。次に間違えるとICカードがロックされます。".to_owned()
        }
        CardError::WrongPin { tries_left } => {
            format!("PIN番号が違います。残り{tries_left}回です。")
        }
        CardError::WrongPinTriesUnknown => "PIN番号が違います。".to_owned(),
        CardError::PinBlocked => {
            "PIN番号がロックされています。ICカードの発行元（認証局）にお問い合わせください。"
                .to_owned()
        }
        CardError::PinNotVerified => "PIN番号の確認が済んでいません。".to_owned(),
        CardError::PinFormat(rule) => {
            format!("PIN番号の形式が違います（{rule}）。カードには送っていません。")
        }
        CardError::UnsupportedCard => {
            "このICカードは読み取れません（JPKI・PIV以外のカードです）。".to_owned()
        }
        CardError::Transport(transport) => transport_error(transport),
        other => format!("ICカードの処理に失敗しました: {other}"),
    }
}

pub fn transport_error(error: &TransportError) -> String {
    match error {
        TransportError::CardRemoved => {
            "ICカードが抜かれました。挿し直してもう一度お試しください。".to_owned()
        }
        TransportError::CardReset => {
            "ICカードがリセットされました。もう一度お試しください。".to_owned()
        }
        TransportError::NoCard => "ICカードが挿入されていません。".to_owned(),
        TransportError::ReaderGone => {
            "ICカードリーダーが見つかりません。接続を確認してください。".to_owned()
        }
        TransportError::NoReaders => "ICカードリーダーが接続されていません。".to_owned(),
        TransportError::CardBusy => "ICカードを他のプログラムが使用中です。".to_owned(),
        TransportError::NoService => "スマートカードサービス（pcscd）が動いていません。".to_owned(),
        other => format!("ICカードリーダーとの通信に失敗しました: {other}"),
    }
}

pub fn renewal_error(error: &RenewalError) -> String {
    let text = match error {
        RenewalError::Card(card) => card_error(card),
        other => other.to_string(),
    };
    // A rule's refusal names its next step (新規登録, 変更…); the other messages already say what to do.
    let next = match error {
        RenewalError::Refused(_) | RenewalError::Violations(_) => error.next_step(),
        _ => None,
    };
    match next.map(next_step_ja) {
        Some(step) if !text.contains(step.trim_end_matches('。')) => format!("{text}\n{step}"),
        _ => text,
    }
}

/// What happened while waiting for the new card, as the swap dialog says it.
pub fn swap_event(event: &SwapEvent) -> String {
    match event {
        SwapEvent::CardRemoved => {
            "ICカードが抜かれました。新しく取得したICカードを挿入してください。".to_owned()
        }
        SwapEvent::SameCard => {
            "同じICカードです。新しく取得したICカードを挿入してください。".to_owned()
        }
        SwapEvent::Unreadable(error) => renewal_error(error),
    }
}

/// What 【OK】 found in the readers while waiting for the new card, as the swap dialog says it.
pub fn swap_look(look: &SwapLook) -> String {
    match look {
        SwapLook::NewCardIn => "新しいICカードを確認しています。".to_owned(),
        SwapLook::CurrentCardStillIn => {
            "現在使用しているICカードが挿入されたままです。抜いて、新しく取得したICカードを挿入してください。"
                .to_owned()
        }
        SwapLook::NoCard => {
            "ICカードが挿入されていません。新しく取得したICカードを挿入してください。".to_owned()
        }
        SwapLook::Unreadable(error) => renewal_error(error),
    }
}

/// Why the wait for the new card ended without it.
pub fn wait_error(error: &WaitError) -> String {
    match error {
        WaitError::Transport(transport) => transport_error(transport),
        other => other.to_string(),
    }
}

/// The warning shown when the PC's clock is off: validity is judged at the server's time, so "valid" by the
/// PC's clock would mean nothing (the manual: 表示される時刻は…サーバの時刻).
pub fn clock_skew(clock: &ServerClock) -> Option<String> {
    if !clock.pc_clock_is_off() {
        return None;
    }
    let minutes = clock.skew().whole_minutes();
    let (how, by) = if minutes > 0 {
        ("遅れて", minutes)
    } else {
        ("進んで", -minutes)
    };
    Some(format!(
        "このPCの時計はサーバの時刻より約{by}分{how}います。ICカードの有効期限はサーバの時刻で判定されます。PCの時計を合わせてください。"
    ))
}

/// What the PIN dialog calls the secret: the manual's 「PIN番号」, or the マイナンバーカード's own word.
pub fn pin_label(profile: Profile) -> &'static str {
    match profile {
        Profile::Jpki => "署名用パスワード",
        Profile::Piv | Profile::Pkcs11 => "PIN番号",
    }
}

/// 登録利用者一覧's 状態 of a certificate.
pub fn certificate_status(status: CertificateStatus) -> &'static str {
    match status {
        CertificateStatus::Active => "使用中",
        CertificateStatus::Superseded => "更新済み（使用不可）",
    }
}

/// What became of a 新規登録, in a word (its receipt's heading).
pub fn registration_state(state: RegistrationState) -> &'static str {
    match state {
        RegistrationState::Active => "登録完了",
        RegistrationState::Pending => "仮登録",
    }
}

/// What a 新規登録's state means for the user, and what to do next.
pub fn registration_state_note(state: RegistrationState) -> &'static str {
    match state {
        RegistrationState::Active => {
            "利用者登録が完了しました。このICカードで電子入札システムにログインできます。"
        }
        RegistrationState::Pending => {
            "仮登録を受け付けました。調達機関の承認後に、このICカードでログインできます。承認されるまでお待ちください。"
        }
    }
}

/// How a renewal attempt ended, as 更新履歴 and `ebid history` name it; a refusal with its code.
pub fn attempt_outcome(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Refused { code } if !code.is_empty() => format!("拒否（{code}）"),
        other => attempt_outcome_kind(other).to_owned(),
    }
}

/// The kind of an attempt's outcome in one word (the history's filter).
pub fn attempt_outcome_kind(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Committed => "更新完了",
        Outcome::Refused { .. } => "拒否",
        Outcome::Cancelled => "取消",
        Outcome::InProgress => "実行中",
        Outcome::Interrupted => "中断",
    }
}

/// A server's answer about a card at one 調達機関, as the history shows it.
pub fn registration_answer(registered: bool) -> &'static str {
    if registered {
        "登録あり"
    } else {
        "登録なし"
    }
}

/// A step of a renewal attempt (the workflow's code, as the history keeps it) in the manual's words.
pub fn renewal_step(step: &str) -> &str {
    match step {
        "login" => "ログイン",
        "new_card_proof" => "新しいICカードの確認",
        "back" => "【戻る】",
        "commit" => "【更新】",
        "registration_info" => "登録者情報",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use ebid_protocol::RefusalCode;

    use super::*;

    #[test]
    fn a_refusal_names_its_next_step_once() {
        let expired = RenewalError::Refused(RefusalCode::CurrentCardExpired.into());
        let text = renewal_error(&expired);
        assert_eq!(
            text.matches("新規登録処理を行ってください").count(),
            1,
            "{text}"
        );

        let revoked = RenewalError::Refused(RefusalCode::CertificateRevoked.into());
        assert!(
            renewal_error(&revoked)
                .ends_with("\nICカードの発行元（認証局）にお問い合わせください。")
        );
    }

    #[test]
    fn a_pc_clock_behind_the_server_is_named_with_its_minutes() {
        let now = time::OffsetDateTime::now_utc();
        let behind = ServerClock::measured(
            now + time::Duration::minutes(10),
            now,
            now,
            std::time::Instant::now(),
        );
        assert_eq!(
            clock_skew(&behind).as_deref(),
            Some(
                "このPCの時計はサーバの時刻より約10分遅れています。ICカードの有効期限はサーバの時刻で判定されます。PCの時計を合わせてください。"
            )
        );
        let right = ServerClock::measured(now, now, now, std::time::Instant::now());
        assert_eq!(clock_skew(&right), None);
    }

    #[test]
    fn a_refused_challenge_says_the_card_did_not_sign_and_what_to_check() {
        let relayed = RenewalError::UntrustedChallenge(crate::ChallengeProblem::Origin {
            expected: "https://ebid.pref.nagasaki.example".parse().unwrap(),
            got: "https://ebid.pref.nagasaki.example.phish".parse().unwrap(),
        });
        let text = renewal_error(&relayed);
        assert_eq!(
            text,
            "サーバから受け取った署名用のデータが、要求した内容と異なります（接続先 \
             https://ebid.pref.nagasaki.example ではなく https://ebid.pref.nagasaki.example.phish \
             宛てのものです）。ICカードでは署名していません。接続先のサーバのURLが正しいか確認してください。"
        );
        assert_eq!(relayed.next_step(), None);
    }
}
