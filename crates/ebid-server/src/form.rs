//! What a user types (登録's and 変更's fields, 担当者) checked before anything is read or written: required
//! fields filled in, a telephone number of digits and hyphens, an e-mail address with `@` and a dotted domain,
//! every field of a bounded length and free of control characters. Anything else is `form_incomplete`.
//! Values are kept trimmed of surrounding spaces (full-width ones too), as the screens show them.

use ebid_protocol::{Contact, RefusalCode, RegistrationChange};

/// 連絡先名称, 氏名, 代表者氏名, 担当者, 商号又は名称.
const MAX_NAME: usize = 100;
/// 住所.
const MAX_ADDRESS: usize = 200;
/// A telephone number with its hyphens (15 digits is E.164's most).
const MAX_PHONE: usize = 20;
/// RFC 5321's limit on a forward path.
const MAX_EMAIL: usize = 254;
/// 業者番号.
const MAX_VENDOR_NUMBER: usize = 32;

/// The application's typed fields, checked.
#[derive(Debug, Clone)]
pub(crate) struct ApplicationForm {
    pub vendor_number: String,
    pub company_name: String,
    pub contact: Contact,
    pub operator: String,
}

impl ApplicationForm {
    pub fn check(
        vendor_number: &str,
        company_name: &str,
        contact: &Contact,
        operator: &str,
    ) -> Result<Self, RefusalCode> {
        Ok(Self {
            vendor_number: required(vendor_number, MAX_VENDOR_NUMBER)?,
            company_name: required(company_name, MAX_NAME)?,
            contact: checked_contact(contact)?,
            operator: self::operator(operator)?,
        })
    }
}

/// 変更's fields, checked.
pub(crate) fn checked_change(
    change: &RegistrationChange,
) -> Result<RegistrationChange, RefusalCode> {
    Ok(RegistrationChange {
        company_address: required(&change.company_address, MAX_ADDRESS)?,
        representative: required(&change.representative, MAX_NAME)?,
        phone: phone(&change.phone)?,
        contact: checked_contact(&change.contact)?,
        operator: operator(&change.operator)?,
    })
}

/// 担当者: optional (empty is fine), bounded.
pub(crate) fn operator(text: &str) -> Result<String, RefusalCode> {
    let text = trimmed(text);
    if text.chars().count() > MAX_NAME || has_control(text) {
        return Err(RefusalCode::FormIncomplete);
    }
    Ok(text.to_owned())
}

/// Every field of 連絡先 is required.
fn checked_contact(contact: &Contact) -> Result<Contact, RefusalCode> {
    Ok(Contact {
        department: required(&contact.department, MAX_NAME)?,
        name: required(&contact.name, MAX_NAME)?,
        address: required(&contact.address, MAX_ADDRESS)?,
        phone: phone(&contact.phone)?,
        email: email(&contact.email)?,
    })
}

fn required(text: &str, max: usize) -> Result<String, RefusalCode> {
    let text = trimmed(text);
    if text.is_empty() || text.chars().count() > max || has_control(text) {
        return Err(RefusalCode::FormIncomplete);
    }
    Ok(text.to_owned())
}

/// Digits and hyphens, at least one digit (095-000-0123).
fn phone(text: &str) -> Result<String, RefusalCode> {
    let text = required(text, MAX_PHONE)?;
    let well_formed = text.chars().all(|c| c.is_ascii_digit() || c == '-')
        && text.chars().any(|c| c.is_ascii_digit());
    if !well_formed {
        return Err(RefusalCode::FormIncomplete);
    }
    Ok(text)
}

/// `local@domain.tld`: one `@`, something before it, a domain of dot-separated non-empty labels (at least
/// two), no spaces. Whether the mailbox exists is the organization's to learn.
fn email(text: &str) -> Result<String, RefusalCode> {
    let text = required(text, MAX_EMAIL)?;
    let well_formed = match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && domain.split('.').all(|label| !label.is_empty())
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if !well_formed {
        return Err(RefusalCode::FormIncomplete);
    }
    Ok(text)
}

fn trimmed(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace())
}

fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is wrong, and how it is typed wrong.
    type Spoiler = (&'static str, fn(&mut Contact));

    fn contact() -> Contact {
        Contact {
            department: "工事部".into(),
            name: "長崎 次郎".into(),
            address: "長崎県長崎市尾上町3番1号".into(),
            phone: "095-000-0124".into(),
            email: "jiro@doboku.example.jp".into(),
        }
    }

    #[test]
    fn a_complete_contact_is_kept_trimmed() {
        let mut typed = contact();
        typed.name = "\u{3000}長崎 次郎 ".into();
        assert_eq!(checked_contact(&typed), Ok(contact()));
    }

    #[test]
    fn an_empty_or_malformed_field_is_incomplete() {
        let cases: [Spoiler; 9] = [
            ("empty department", |c| c.department = " ".into()),
            ("empty name", |c| c.name.clear()),
            ("letters in the phone", |c| c.phone = "095-000-O124".into()),
            ("hyphens alone", |c| c.phone = "---".into()),
            ("no @", |c| c.email = "jiro.doboku.example.jp".into()),
            ("no dotted domain", |c| c.email = "jiro@localhost".into()),
            ("an empty label", |c| c.email = "jiro@doboku..jp".into()),
            ("a space in the address", |c| {
                c.email = "ji ro@doboku.jp".into()
            }),
            ("a control character", |c| c.address = "長崎\n県".into()),
        ];
        for (what, spoil) in cases {
            let mut typed = contact();
            spoil(&mut typed);
            assert_eq!(
                checked_contact(&typed),
                Err(RefusalCode::FormIncomplete),
                "{what}"
            );
        }
        let mut long = contact();
        long.address = "長".repeat(MAX_ADDRESS + 1);
        assert_eq!(checked_contact(&long), Err(RefusalCode::FormIncomplete));
    }

    #[test]
    fn the_operator_may_be_empty_but_not_long() {
        assert_eq!(operator("  "), Ok(String::new()));
        assert_eq!(operator(" 山田 "), Ok("山田".to_owned()));
        assert_eq!(
            operator(&"山".repeat(MAX_NAME + 1)),
            Err(RefusalCode::FormIncomplete)
        );
    }
}
