//! 電子証明書更新確認 as the manual shows it: the two columns, 現在使用しているICカード and 新規に使用する
//! ICカード, the same rows in the same order, every new value that differs from the registration marked,
//! the manual's text, and the rules that block 【更新】.

use ebid_protocol::{CardColumn, RenewalConfirmation};
use ebid_workflow::{ChangedFields, changed_fields};

const MARK: &str = " *";

pub fn print(confirmation: &RenewalConfirmation) {
    let changed = changed_fields(confirmation);
    println!("電子証明書更新確認");
    println!();
    println!("現在使用しているICカード");
    print_column(&confirmation.current, ChangedFields::default());
    println!();
    println!("新規に使用するICカード");
    print_column(&confirmation.new, changed);
    if changed.any() {
        println!("  * 登録内容と異なる項目");
    }
    println!();
    println!("新規に使用するICカードの企業名称とICカード企業名称が");
    println!("御社の企業名称であることを確認してください。");
    println!();
    if confirmation.violations.is_empty() {
        println!("この内容でよろしければ更新ボタンを押してください");
    } else {
        println!("次の理由により、このICカードでは更新できません:");
        for violation in &confirmation.violations {
            println!("  ・{}", violation.message);
        }
    }
    println!();
}

fn print_column(column: &CardColumn, changed: ChangedFields) {
    let or_dash = |value: &Option<String>| value.as_deref().unwrap_or("—").to_owned();
    let mark = |differs: bool| if differs { MARK } else { "" };
    println!("  企業名称              : {}", column.company_name);
    println!("  企業住所              : {}", column.company_address);
    println!(
        "  ICカード企業名称      : {}{}",
        or_dash(&column.card_company),
        mark(changed.card_company)
    );
    println!(
        "  ICカード取得者氏名    : {}{}",
        or_dash(&column.card_holder),
        mark(changed.card_holder)
    );
    println!(
        "  ICカード取得者住所    : {}{}",
        or_dash(&column.card_address),
        mark(changed.card_address)
    );
    println!("  証明書シリアル番号    : {}", column.serial);
    println!(
        "  証明書発行者          : {}{}",
        column.issuer,
        mark(changed.issuer)
    );
    println!("  証明書有効期限        : {}", column.not_after_jst);
}
