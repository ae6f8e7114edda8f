//! What a user types (登録's and 変更's fields, 担当者) as the server keeps it: taken only when the protocol's
//! rules find no problem (`ebid_protocol::form_rules`, the same rules the app and the CLI apply field by
//! field before sending), else `form_incomplete`; kept trimmed of surrounding spaces (full-width ones too),
//! as the screens show them.

use ebid_protocol::form_rules::operator_problems;
use ebid_protocol::{Contact, FieldProblem, RefusalCode, RegistrationChange, RegistrationDetails};

/// The application's typed fields, checked and trimmed.
#[derive(Debug, Clone)]
pub(crate) struct ApplicationForm {
    pub vendor_number: String,
    pub company_name: String,
    pub contact: Contact,
    pub operator: String,
}

impl ApplicationForm {
    pub fn check(details: &RegistrationDetails) -> Result<Self, RefusalCode> {
        accepted(&details.problems())?;
        Ok(Self {
            vendor_number: trimmed(&details.vendor_number),
            company_name: trimmed(&details.company_name),
            contact: trimmed_contact(&details.contact),
            operator: trimmed(&details.operator),
        })
    }
}

/// 変更's fields, checked and trimmed.
pub(crate) fn checked_change(
    change: &RegistrationChange,
) -> Result<RegistrationChange, RefusalCode> {
    accepted(&change.problems())?;
    Ok(RegistrationChange {
        company_address: trimmed(&change.company_address),
        representative: trimmed(&change.representative),
        phone: trimmed(&change.phone),
        contact: trimmed_contact(&change.contact),
        operator: trimmed(&change.operator),
    })
}

/// 担当者: optional (empty is fine), bounded, one line.
pub(crate) fn operator(text: &str) -> Result<String, RefusalCode> {
    accepted(&operator_problems(text))?;
    Ok(trimmed(text))
}

fn accepted(problems: &[FieldProblem]) -> Result<(), RefusalCode> {
    if problems.is_empty() {
        Ok(())
    } else {
        tracing::debug!(fields = ?problems.iter().map(|p| p.field).collect::<Vec<_>>(), "form refused");
        Err(RefusalCode::FormIncomplete)
    }
}

fn trimmed_contact(contact: &Contact) -> Contact {
    Contact {
        department: trimmed(&contact.department),
        name: trimmed(&contact.name),
        address: trimmed(&contact.address),
        phone: trimmed(&contact.phone),
        email: trimmed(&contact.email),
    }
}

fn trimmed(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace()).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ebid_protocol::form_rules::{MAX_ADDRESS_CHARS, MAX_TEXT_CHARS};

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

    fn details(contact: Contact) -> RegistrationDetails {
        RegistrationDetails {
            vendor_number: "4210000123".into(),
            company_name: "株式会社長崎土木".into(),
            contact,
            operator: String::new(),
        }
    }

    #[test]
    fn a_complete_contact_is_kept_trimmed() {
        let mut typed = contact();
        typed.name = "\u{3000}長崎 次郎 ".into();
        let form = ApplicationForm::check(&details(typed)).expect("complete");
        assert_eq!(form.contact, contact());
    }

    #[test]
    fn an_empty_or_malformed_field_is_incomplete() {
        let cases: [Spoiler; 9] = [
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
            ("too long an address", |c| {
                c.address = "長".repeat(MAX_ADDRESS_CHARS + 1)
            }),
        ];
        for (what, spoil) in cases {
            let mut typed = contact();
            spoil(&mut typed);
            assert_eq!(
                ApplicationForm::check(&details(typed)).err(),
                Some(RefusalCode::FormIncomplete),
                "{what}"
            );
        }
    }

    #[test]
    fn the_operator_may_be_empty_but_not_long() {
        assert_eq!(operator("  "), Ok(String::new()));
        assert_eq!(operator(" 山田 "), Ok("山田".to_owned()));
        assert_eq!(
            operator(&"山".repeat(MAX_TEXT_CHARS + 1)),
            Err(RefusalCode::FormIncomplete)
        );
    }
}
