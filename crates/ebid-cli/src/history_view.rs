//! `ebid history` for a person: each attempt with where, who, which cards and how it ended, its steps by
//! time (JST), then the cards with their days left and where each is registered.

use ebid_workflow::jst_minutes;
use ebid_workflow::messages::{registration_answer, renewal_step};

use crate::facts_view::days_phrase;
use crate::history_cmd::{Shown, ShownAttempt, ShownCard};

pub fn print(shown: &Shown) {
    println!("ICカード更新の履歴（新しい順）");
    if shown.attempts.is_empty() {
        println!("  （記録はありません）");
    }
    for attempt in &shown.attempts {
        print_attempt(attempt);
    }
    println!();
    println!("履歴にあるICカード（有効期限の近い順）");
    if shown.cards.is_empty() {
        println!("  （記録はありません）");
    }
    for card in &shown.cards {
        print_card(card);
    }
}

fn print_attempt(attempt: &ShownAttempt) {
    println!();
    println!(
        "{}  {}【{}】  {}",
        jst_minutes(attempt.started_at),
        attempt.organization,
        attempt.category,
        attempt.outcome_ja
    );
    println!(
        "  担当者                : {}",
        attempt.holder.as_deref().unwrap_or("—")
    );
    println!("  更新前の証明書        : {}", attempt.old_serial);
    println!(
        "  更新後の証明書        : {}",
        attempt.new_serial.as_deref().unwrap_or("—")
    );
    if attempt.outcome == "interrupted" {
        println!(
            "  ※ 途中で終了しています。更新が完了したかは `ebid info` の登録利用者一覧で確認してください。"
        );
    }
    for step in &attempt.steps {
        println!(
            "    {}  {:<18} {}",
            jst_minutes(step.at),
            renewal_step(&step.step),
            step.outcome
        );
    }
}

fn print_card(card: &ShownCard) {
    let standing = if card.replaced_by.is_some() {
        "更新済み".to_owned()
    } else {
        days_phrase(card.days_left)
    };
    println!();
    println!(
        "  {}  {}  シリアル {}",
        card.holder.as_deref().unwrap_or("—"),
        card.company.as_deref().unwrap_or("—"),
        card.serial
    );
    println!("    証明書有効期限: {}（{standing}）", card.expiry_date);
    for registration in &card.registrations {
        let registered = registration_answer(registration.registered);
        println!(
            "    {}【{}】: {registered}（{} 確認）",
            registration.organization,
            registration.category,
            jst_minutes(registration.answered_at)
        );
    }
}
