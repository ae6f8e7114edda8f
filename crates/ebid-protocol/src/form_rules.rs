//! What a detail typed for 登録 or 変更 must be, checked the same way by the server (which refuses with
//! `form_incomplete`) and by the app and the CLI before anything is sent (which name each field).
//!
//! Kept loose where people differ: any script in names and addresses, full-width digits and hyphens in
//! telephone numbers (as Japanese keyboards type them); strict where a mistake loses a message: a telephone
//! number has 10 or 11 digits, an e-mail address one `@` and a dotted domain.

use serde::{Deserialize, Serialize};

use crate::registering::{Contact, RegistrationChange, RegistrationDetails};

/// The longest name (氏名, 商号, 部署, 担当者) or 業者番号, in characters.
pub const MAX_TEXT_CHARS: usize = 100;
/// The longest address, in characters.
pub const MAX_ADDRESS_CHARS: usize = 200;
/// The longest e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// A detail the user types.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormField {
    VendorNumber,
    CompanyName,
    CompanyAddress,
    Representative,
    Phone,
    ContactDepartment,
    ContactName,
    ContactAddress,
    ContactPhone,
    ContactEmail,
    Operator,
}

impl FormField {
    /// Every field, in the forms' order (the app's labels are generated from it).
    pub const ALL: [FormField; 11] = [
        Self::VendorNumber,
        Self::CompanyName,
        Self::CompanyAddress,
        Self::Representative,
        Self::Phone,
        Self::ContactDepartment,
        Self::ContactName,
        Self::ContactAddress,
        Self::ContactPhone,
        Self::ContactEmail,
        Self::Operator,
    ];

    /// Whether the field must be typed: only 連絡先名称 and 担当者 may be left empty.
    pub fn required(self) -> bool {
        !matches!(self, Self::ContactDepartment | Self::Operator)
    }

    /// The most characters the field takes.
    pub fn max_chars(self) -> usize {
        match self {
            Self::CompanyAddress | Self::ContactAddress => MAX_ADDRESS_CHARS,
            Self::ContactEmail => MAX_EMAIL_CHARS,
            _ => MAX_TEXT_CHARS,
        }
    }

    /// The field's name on the screens.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::VendorNumber => "業者番号",
            Self::CompanyName => "商号又は名称",
            Self::CompanyAddress => "企業住所",
            Self::Representative => "代表者氏名",
            Self::Phone => "電話番号",
            Self::ContactDepartment => "連絡先名称（部署名等）",
            Self::ContactName => "連絡先氏名",
            Self::ContactAddress => "連絡先住所",
            Self::ContactPhone => "連絡先電話番号",
            Self::ContactEmail => "連絡先E-mail",
            Self::Operator => "担当者",
        }
    }
}

/// One field's problem, in words the user reads beside it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: FormField,
    pub message: String,
}

impl RegistrationDetails {
    /// Every problem of the details typed for 新規登録 (none: the server takes them).
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut found = Problems::default();
        found.text(FormField::VendorNumber, &self.vendor_number);
        if !self.vendor_number.trim().is_empty()
            && !self
                .vendor_number
                .trim()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            found.add(
                FormField::VendorNumber,
                "業者番号は半角の英数字とハイフンで入力してください。",
            );
        }
        found.text(FormField::CompanyName, &self.company_name);
        found.contact(&self.contact);
        found.text(FormField::Operator, &self.operator);
        found.0
    }
}

/// 担当者 alone (【更新】's): may be empty, bounded, one line.
pub fn operator_problems(operator: &str) -> Vec<FieldProblem> {
    let mut found = Problems::default();
    found.optional(FormField::Operator, operator);
    found.0
}

impl RegistrationChange {
    /// Every problem of the details typed for 変更 (none: the server takes them).
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut found = Problems::default();
        found.text(FormField::CompanyAddress, &self.company_address);
        found.text(FormField::Representative, &self.representative);
        found.phone(FormField::Phone, &self.phone);
        found.contact(&self.contact);
        found.text(FormField::Operator, &self.operator);
        found.0
    }
}

#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn add(&mut self, field: FormField, message: impl Into<String>) {
        self.0.push(FieldProblem {
            field,
            message: message.into(),
        });
    }

    fn contact(&mut self, contact: &Contact) {
        self.text(FormField::ContactDepartment, &contact.department);
        self.text(FormField::ContactName, &contact.name);
        self.text(FormField::ContactAddress, &contact.address);
        self.phone(FormField::ContactPhone, &contact.phone);
        self.email(FormField::ContactEmail, &contact.email);
    }

    /// Typed where the field is [`FormField::required`]; never too long.
    fn text(&mut self, field: FormField, value: &str) {
        if field.required() {
            self.required(field, value);
        } else {
            self.optional(field, value);
        }
    }

    /// Typed, and not too long.
    fn required(&mut self, field: FormField, value: &str) {
        if value.trim().is_empty() {
            self.add(field, format!("{}を入力してください。", field.label_ja()));
        } else {
            self.optional(field, value);
        }
    }

    /// May be empty; not too long, one line of printable characters.
    fn optional(&mut self, field: FormField, value: &str) {
        let max = field.max_chars();
        if value.trim().chars().count() > max {
            self.add(
                field,
                format!("{}は{max}文字以内で入力してください。", field.label_ja()),
            );
        } else if value.chars().any(char::is_control) {
            self.add(
                field,
                format!("{}に改行などの制御文字は使えません。", field.label_ja()),
            );
        }
    }

    /// 10 or 11 digits (half- or full-width), with hyphens or parentheses between them if the user likes.
    fn phone(&mut self, field: FormField, value: &str) {
        let value = value.trim();
        if value.is_empty() || value.chars().any(char::is_control) {
            self.required(field, value);
            return;
        }
        let allowed = |c: char| {
            c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || matches!(c, '-' | '－' | '‐' | '(' | ')' | '（' | '）')
        };
        let digits = value
            .chars()
            .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
            .count();
        if !value.chars().all(allowed) || !(10..=11).contains(&digits) {
            self.add(
                field,
                format!(
                    "{}は市外局番からの10桁または11桁の数字で入力してください（例: 095-000-0123）。",
                    field.label_ja()
                ),
            );
        }
    }

    /// One `@`, something before it, a dotted domain after it, no spaces.
    fn email(&mut self, field: FormField, value: &str) {
        let value = value.trim();
        if value.is_empty() || value.chars().count() > field.max_chars() {
            self.required(field, value);
            return;
        }
        let well_formed = value.is_ascii()
            && !value.contains(char::is_whitespace)
            && value.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.split('.').count() >= 2
                    && domain.split('.').all(|label| !label.is_empty())
            });
        if !well_formed {
            self.add(
                field,
                format!(
                    "{}の形式が正しくありません（例: info@example.co.jp）。",
                    field.label_ja()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change() -> RegistrationChange {
        RegistrationChange {
            company_address: "長崎県長崎市尾上町3番1号".into(),
            representative: "長崎 太郎".into(),
            phone: "095-000-0123".into(),
            contact: Contact {
                department: "工務部".into(),
                name: "長崎 花子".into(),
                address: "長崎県長崎市尾上町3番1号".into(),
                phone: "０９５（０００）０１２４".into(),
                email: "hanako@doboku.example.jp".into(),
            },
            operator: "長崎 花子".into(),
        }
    }

    fn fields(problems: &[FieldProblem]) -> Vec<FormField> {
        problems.iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_complete_change_has_no_problem() {
        assert_eq!(change().problems(), []);
    }

    #[test]
    fn each_field_is_named_with_what_is_wrong() {
        let mut change = change();
        change.representative = "  ".into();
        change.phone = "095-000".into();
        change.contact.email = "hanako@localhost".into();
        change.contact.phone = "095-000-0123 内線5".into();
        let problems = change.problems();
        assert_eq!(
            fields(&problems),
            [
                FormField::Representative,
                FormField::Phone,
                FormField::ContactPhone,
                FormField::ContactEmail
            ]
        );
        assert_eq!(problems[0].message, "代表者氏名を入力してください。");
        assert!(problems[3].message.starts_with("連絡先E-mailの形式"));
    }

    #[test]
    fn texts_are_bounded_and_a_department_may_be_left_out() {
        let mut change = change();
        change.contact.department = String::new();
        change.company_address = "あ".repeat(MAX_ADDRESS_CHARS + 1);
        change.contact.name = "長崎\n花子".into();
        assert_eq!(
            fields(&change.problems()),
            [FormField::CompanyAddress, FormField::ContactName]
        );
        assert_eq!(operator_problems(" 山田 "), []);
        assert_eq!(
            operator_problems(&"山".repeat(MAX_TEXT_CHARS + 1))[0].field,
            FormField::Operator
        );
    }

    #[test]
    fn addresses_are_plain_addresses() {
        for good in ["a@b.jp", "info@doboku.example.co.jp"] {
            let mut change = change();
            change.contact.email = good.into();
            assert_eq!(change.problems(), [], "{good}");
        }
        for bad in [
            "@b.jp",
            "a@b",
            "a@b..jp",
            "a@@b.jp",
            "a b@c.jp",
            "花子@b.jp",
        ] {
            let mut change = change();
            change.contact.email = bad.into();
            assert_eq!(
                fields(&change.problems()),
                [FormField::ContactEmail],
                "{bad}"
            );
        }
    }
}
