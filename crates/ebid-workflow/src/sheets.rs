//! 電子証明書更新確認 and 更新完了 as papers: some organizations ask for them printed. A [`Sheet`] is the
//! paper's words only (the manual's labels and sentences, the values as the screens show them), built here
//! so that every Japanese sentence about the renewal stays written once; the app lays it out as a PDF.
//!
//! A paper is dated by the server's clock (the only one that counts, as the manual's 『年月日時分』), which
//! the caller passes in: building a sheet reads no clock and does no I/O.

use ebid_protocol::{RenewalConfirmation, RenewalResult};
use time::OffsetDateTime;

use crate::{Place, changed_fields, jst_minutes, next_step_ja};

/// 電子証明書更新確認, the manual's screen name.
pub const CONFIRMATION_TITLE: &str = "電子証明書更新確認";
/// 更新完了.
pub const COMPLETION_TITLE: &str = "更新完了";
/// The confirmation's columns, as the manual heads them.
pub const CARD_COLUMNS: [&str; 2] = ["現在使用しているICカード", "新規に使用するICカード"];
/// The confirmation's rows, as the manual labels them, in its order: the registration's 企業名称 and
/// 企業住所, then the certificate's fields.
pub const CONFIRMATION_LABELS: [&str; 8] = [
    "企業名称",
    "企業住所",
    "ICカード企業名称",
    "ICカード取得者氏名",
    "ICカード取得者住所",
    "証明書シリアル番号",
    "証明書発行者",
    "証明書有効期限",
];
/// The manual's sentences under the confirmation's table.
pub const CONFIRMATION_SENTENCES: [&str; 2] = [
    "新規に使用するICカードの企業名称とICカード企業名称が御社の企業名称であることを確認してください。",
    "この内容でよろしければ更新ボタンを押してください",
];
/// What a column shows for a value its certificate does not state (a JPKI card names no company).
pub const NOT_STATED: &str = "—";
/// After a new card's value that differs from the registration (the screen highlights it).
pub const DIFFERS: &str = "（登録内容と異なります）";

/// One paper: its title, the lines saying where and when, and its sections in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub title: String,
    /// 調達機関 and 区分, 担当者 when given, and when the paper was made (server time, JST).
    pub heading: Vec<String>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Section {
    /// Rows of a label and one value per column. `columns` heads the value columns; empty for plain
    /// label → value rows.
    Table {
        columns: Vec<String>,
        rows: Vec<SheetRow>,
    },
    /// Sentences, each a paragraph of its own.
    Sentences(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub label: String,
    pub values: Vec<String>,
}

/// What a paper says besides the protocol's answer: where the renewal happens as the server names it,
/// who does it (the 担当者 typed with the PIN, if any), and the server's time as the paper is made.
#[derive(Debug, Clone, Copy)]
pub struct SheetContext<'a> {
    pub place: &'a Place,
    pub operator: Option<&'a str>,
    pub printed_at: OffsetDateTime,
}

/// 電子証明書更新確認: both cards side by side, the new card's differences from the registration marked,
/// the rules 【更新】 would break if any, and the manual's sentences.
pub fn confirmation_sheet(confirmation: &RenewalConfirmation, context: &SheetContext<'_>) -> Sheet {
    let changed = changed_fields(confirmation);
    let new_value = |value: String, differs: bool| {
        if differs {
            format!("{value}{DIFFERS}")
        } else {
            value
        }
    };
    let (current, new) = (&confirmation.current, &confirmation.new);
    // Each row's two values and whether the new one differs, in [`CONFIRMATION_LABELS`]' order.
    let rows = [
        (
            current.company_name.clone(),
            new.company_name.clone(),
            false,
        ),
        (
            current.company_address.clone(),
            new.company_address.clone(),
            false,
        ),
        (
            stated(&current.card_company),
            stated(&new.card_company),
            changed.card_company,
        ),
        (
            stated(&current.card_holder),
            stated(&new.card_holder),
            changed.card_holder,
        ),
        (
            stated(&current.card_address),
            stated(&new.card_address),
            changed.card_address,
        ),
        (current.serial.clone(), new.serial.clone(), false),
        (current.issuer.clone(), new.issuer.clone(), changed.issuer),
        (
            current.not_after_jst.clone(),
            new.not_after_jst.clone(),
            false,
        ),
    ]
    .into_iter()
    .zip(CONFIRMATION_LABELS)
    .map(|((current, new, differs), label)| SheetRow {
        label: label.to_owned(),
        values: vec![current, new_value(new, differs)],
    })
    .collect();
    let mut sections = vec![
        Section::Table {
            columns: CARD_COLUMNS.map(str::to_owned).to_vec(),
            rows,
        },
        Section::Sentences(CONFIRMATION_SENTENCES.map(str::to_owned).to_vec()),
    ];
    if !confirmation.violations.is_empty() {
        let reasons = confirmation.violations.iter().map(|violation| {
            match violation.next_step.map(next_step_ja) {
                Some(step) => format!("・{} {step}", violation.message),
                None => format!("・{}", violation.message),
            }
        });
        sections.push(Section::Sentences(
            std::iter::once("次の理由により、更新できません。".to_owned())
                .chain(reasons)
                .collect(),
        ));
    }
    Sheet {
        title: CONFIRMATION_TITLE.to_owned(),
        heading: heading(context),
        sections,
    }
}

/// 更新完了: the old and new certificates and when the server committed the renewal (JST).
pub fn completion_sheet(result: &RenewalResult, context: &SheetContext<'_>) -> Sheet {
    let row = |label: &str, value: String| SheetRow {
        label: label.to_owned(),
        values: vec![value],
    };
    Sheet {
        title: COMPLETION_TITLE.to_owned(),
        heading: heading(context),
        sections: vec![
            Section::Sentences(vec!["ICカードの更新が完了しました。".to_owned()]),
            Section::Table {
                columns: Vec::new(),
                rows: vec![
                    row("更新前の証明書シリアル番号", result.old_serial.clone()),
                    row("更新後の証明書シリアル番号", result.new_serial.clone()),
                    row("更新日時", jst_minutes(result.committed_at)),
                ],
            },
        ],
    }
}

fn heading(context: &SheetContext<'_>) -> Vec<String> {
    let mut lines = vec![format!(
        "調達機関：{}　区分：{}",
        context.place.organization, context.place.category
    )];
    if let Some(operator) = context.operator.map(str::trim).filter(|o| !o.is_empty()) {
        lines.push(format!("担当者：{operator}"));
    }
    lines.push(format!(
        "印刷日時：{}（サーバの時刻）",
        jst_minutes(context.printed_at)
    ));
    lines
}

fn stated(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| NOT_STATED.to_owned())
}

#[cfg(test)]
mod tests {
    use ebid_protocol::{CardColumn, Refusal, RefusalCode};
    use time::macros::datetime;

    use super::*;

    fn column(serial: &str, issuer: &str, expiry: &str) -> CardColumn {
        CardColumn {
            company_name: "株式会社長崎土木".into(),
            company_address: "長崎県長崎市尾上町3番1号".into(),
            card_company: Some("株式会社長崎土木".into()),
            card_holder: Some("長崎 太郎".into()),
            card_address: Some("長崎県長崎市尾上町3番1号".into()),
            serial: serial.into(),
            issuer: issuer.into(),
            not_after: datetime!(2026-12-31 14:59:59 UTC),
            not_after_jst: expiry.into(),
        }
    }

    fn confirmation() -> RenewalConfirmation {
        RenewalConfirmation {
            renewal_id: "r1".into(),
            current: column("0A1B", "Demo CA", "2026/12/31"),
            new: column("7F3C", "Demo CA", "2031/12/31"),
            violations: Vec::new(),
        }
    }

    fn place() -> Place {
        Place {
            organization: "長崎県".into(),
            category: "工事・業務".into(),
        }
    }

    fn context<'a>(place: &'a Place, operator: Option<&'a str>) -> SheetContext<'a> {
        SheetContext {
            place,
            operator,
            printed_at: datetime!(2026-12-02 05:04:30 UTC),
        }
    }

    fn table(section: &Section) -> (&[String], &[SheetRow]) {
        match section {
            Section::Table { columns, rows } => (columns, rows),
            other => panic!("a table expected, got {other:?}"),
        }
    }

    #[test]
    fn the_confirmation_shows_both_cards_under_the_manuals_labels() {
        let place = place();
        let sheet = confirmation_sheet(&confirmation(), &context(&place, Some("山田 花子")));
        assert_eq!(sheet.title, "電子証明書更新確認");
        assert_eq!(
            sheet.heading,
            [
                "調達機関：長崎県　区分：工事・業務",
                "担当者：山田 花子",
                "印刷日時：2026年12月02日 14時04分（サーバの時刻）"
            ]
        );
        let (columns, rows) = table(&sheet.sections[0]);
        assert_eq!(
            columns,
            ["現在使用しているICカード", "新規に使用するICカード"]
        );
        let labels: Vec<&str> = rows.iter().map(|row| row.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "企業名称",
                "企業住所",
                "ICカード企業名称",
                "ICカード取得者氏名",
                "ICカード取得者住所",
                "証明書シリアル番号",
                "証明書発行者",
                "証明書有効期限"
            ]
        );
        assert_eq!(rows[5].values, ["0A1B", "7F3C"]);
        assert_eq!(rows[7].values, ["2026/12/31", "2031/12/31"]);
        assert_eq!(rows[0].values, ["株式会社長崎土木", "株式会社長崎土木"]);
        assert_eq!(
            sheet.sections[1],
            Section::Sentences(vec![
                "新規に使用するICカードの企業名称とICカード企業名称が御社の企業名称であることを確認してください。".into(),
                "この内容でよろしければ更新ボタンを押してください".into(),
            ])
        );
        assert_eq!(sheet.sections.len(), 2, "no rule is broken");
    }

    #[test]
    fn what_a_certificate_does_not_state_and_what_differs_are_said() {
        let mut asked = confirmation();
        // A マイナンバーカード names no company; its issuer is another CA.
        asked.new.card_company = None;
        asked.new.issuer = "JPKI".into();
        let place = place();
        let sheet = confirmation_sheet(&asked, &context(&place, None));
        let (_, rows) = table(&sheet.sections[0]);
        assert_eq!(
            rows[2].values,
            ["株式会社長崎土木", "—（登録内容と異なります）"]
        );
        assert_eq!(rows[6].values, ["Demo CA", "JPKI（登録内容と異なります）"]);
        // Serial numbers and expiry always differ on a new card and are not marked.
        assert_eq!(rows[5].values[1], "7F3C");
        assert!(!sheet.heading.iter().any(|line| line.starts_with("担当者")));
    }

    #[test]
    fn broken_rules_are_listed_with_their_next_step() {
        let mut asked = confirmation();
        let mut refusal = Refusal::from(RefusalCode::CurrentCardExpired);
        refusal.message = "現在使用しているICカードは有効期限が切れています。".into();
        asked.violations.push(refusal.clone());
        let place = place();
        let sheet = confirmation_sheet(&asked, &context(&place, Some("  ")));
        let Section::Sentences(reasons) = &sheet.sections[2] else {
            panic!("the reasons come last")
        };
        assert_eq!(reasons[0], "次の理由により、更新できません。");
        let step = next_step_ja(refusal.next_step.expect("an expired card has a next step"));
        assert_eq!(
            reasons[1],
            format!("・現在使用しているICカードは有効期限が切れています。 {step}")
        );
        // A blank 担当者 is no 担当者.
        assert!(!sheet.heading.iter().any(|line| line.starts_with("担当者")));
    }

    #[test]
    fn the_completion_names_both_serials_and_the_commit_in_japan_time() {
        let result = RenewalResult {
            renewal_id: "r1".into(),
            organization: "nagasaki-pref".into(),
            old_serial: "0A1B".into(),
            new_serial: "7F3C".into(),
            committed_at: datetime!(2026-12-01 15:30:00 UTC),
        };
        let place = place();
        let sheet = completion_sheet(&result, &context(&place, Some("山田 花子")));
        assert_eq!(sheet.title, "更新完了");
        assert_eq!(sheet.heading[0], "調達機関：長崎県　区分：工事・業務");
        assert_eq!(sheet.heading[1], "担当者：山田 花子");
        assert_eq!(
            sheet.sections[0],
            Section::Sentences(vec!["ICカードの更新が完了しました。".into()])
        );
        let (columns, rows) = table(&sheet.sections[1]);
        assert!(columns.is_empty());
        let pairs: Vec<(&str, &str)> = rows
            .iter()
            .map(|row| (row.label.as_str(), row.values[0].as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("更新前の証明書シリアル番号", "0A1B"),
                ("更新後の証明書シリアル番号", "7F3C"),
                ("更新日時", "2026年12月02日 00時30分"),
            ]
        );
    }
}
