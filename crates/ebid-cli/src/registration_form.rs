//! The details `ebid register` and `ebid change` take as flags, and each wrong one named by its field in
//! Japanese before any card is touched (the rules are `ebid_protocol::form_rules`, the server's too).

use anyhow::anyhow;
use ebid_protocol::{
    Contact, FieldProblem, FormField, NextStep, RegistrationChange, RegistrationDetails,
};
use ebid_workflow::next_step_ja;

/// 新規登録's details. A required one left out is named by the form's rules, as a wrong one is, rather
/// than by the flag parser in English.
#[derive(clap::Args)]
pub struct RegisterForm {
    /// 業者番号, as the organization's list of qualified companies (入札参加資格者名簿) has it.
    #[arg(long, default_value = "")]
    vendor_number: String,
    /// 商号又は名称, as that list has it.
    #[arg(long, default_value = "")]
    company_name: String,
    /// 連絡先名称（部署名等）; may be left out.
    #[arg(long, default_value = "")]
    department: String,
    /// 連絡先氏名.
    #[arg(long, default_value = "")]
    contact_name: String,
    /// 連絡先住所.
    #[arg(long, visible_alias = "contact-address", default_value = "")]
    address: String,
    /// 連絡先電話番号, 10 or 11 digits (e.g. 095-000-0124). 新規登録 asks no company telephone: the
    /// company's details are the organization's list's.
    #[arg(long, visible_alias = "contact-phone", default_value = "")]
    phone: String,
    /// 連絡先E-mail.
    #[arg(long, default_value = "")]
    email: String,
    /// 担当者: who applies, recorded with the application; may be left out.
    #[arg(long, default_value = "")]
    operator: String,
}

impl RegisterForm {
    pub fn details(&self) -> RegistrationDetails {
        RegistrationDetails {
            vendor_number: self.vendor_number.clone(),
            company_name: self.company_name.clone(),
            contact: Contact {
                department: self.department.clone(),
                name: self.contact_name.clone(),
                address: self.address.clone(),
                phone: self.phone.clone(),
                email: self.email.clone(),
            },
            operator: self.operator.clone(),
        }
    }
}

/// 変更's details: only the fields given change, the others stay as registered.
#[derive(clap::Args)]
pub struct ChangeForm {
    /// 企業住所.
    #[arg(long)]
    company_address: Option<String>,
    /// 代表者氏名.
    #[arg(long)]
    representative: Option<String>,
    /// The company's 電話番号, 10 or 11 digits (e.g. 095-000-0123).
    #[arg(long)]
    phone: Option<String>,
    /// 連絡先名称（部署名等）.
    #[arg(long)]
    department: Option<String>,
    /// 連絡先氏名.
    #[arg(long)]
    contact_name: Option<String>,
    /// 連絡先住所.
    #[arg(long)]
    contact_address: Option<String>,
    /// 連絡先電話番号.
    #[arg(long)]
    contact_phone: Option<String>,
    /// 連絡先E-mail.
    #[arg(long)]
    email: Option<String>,
    /// 担当者: who makes the change, recorded with it. Default: the card's holder, as for 【更新】.
    #[arg(long)]
    operator: Option<String>,
}

impl ChangeForm {
    /// The changeable fields, each with what was typed for it.
    fn typed(&self) -> [(FormField, &Option<String>); 8] {
        [
            (FormField::CompanyAddress, &self.company_address),
            (FormField::Representative, &self.representative),
            (FormField::Phone, &self.phone),
            (FormField::ContactDepartment, &self.department),
            (FormField::ContactName, &self.contact_name),
            (FormField::ContactAddress, &self.contact_address),
            (FormField::ContactPhone, &self.contact_phone),
            (FormField::ContactEmail, &self.email),
        ]
    }

    /// Whether any field to change was given (担当者 alone changes nothing).
    pub fn changes_anything(&self) -> bool {
        self.typed().iter().any(|(_, typed)| typed.is_some())
    }

    /// The problems of the fields given, found before the card logs in. (The fields left as registered
    /// are checked with the rest by the workflow, once the registration is known.)
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut given: Vec<FormField> = self
            .typed()
            .into_iter()
            .filter(|(_, typed)| typed.is_some())
            .map(|(field, _)| field)
            .collect();
        if self.operator.is_some() {
            given.push(FormField::Operator);
        }
        let typed_alone = self.over(&RegistrationChange::default());
        typed_alone
            .problems()
            .into_iter()
            .filter(|problem| given.contains(&problem.field))
            .collect()
    }

    /// `base` (what is registered now: `Renewal::change_form`) with the fields given over it.
    pub fn over(&self, base: &RegistrationChange) -> RegistrationChange {
        let pick = |typed: &Option<String>, base: &str| typed.as_deref().unwrap_or(base).to_owned();
        RegistrationChange {
            company_address: pick(&self.company_address, &base.company_address),
            representative: pick(&self.representative, &base.representative),
            phone: pick(&self.phone, &base.phone),
            contact: Contact {
                department: pick(&self.department, &base.contact.department),
                name: pick(&self.contact_name, &base.contact.name),
                address: pick(&self.contact_address, &base.contact.address),
                phone: pick(&self.contact_phone, &base.contact.phone),
                email: pick(&self.email, &base.contact.email),
            },
            operator: pick(&self.operator, &base.operator),
        }
    }
}

/// Each wrong field on a line of its own, named as the form names it, then what to do.
pub fn form_refused(problems: &[FieldProblem]) -> anyhow::Error {
    let mut text = String::from("入力内容を確認してください。");
    for problem in problems {
        text.push_str(&format!(
            "\n  {}: {}",
            problem.field.label_ja(),
            problem.message
        ));
    }
    text.push('\n');
    text.push_str(next_step_ja(NextStep::Correct));
    anyhow!(text)
}
