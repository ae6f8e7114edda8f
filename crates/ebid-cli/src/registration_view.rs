//! 登録者情報: 「業者概要」 and 「登録利用者一覧」, as the manual's (備考) has the user check them.

use ebid_protocol::{Contact, FormField, RegistrationInfo};
use ebid_workflow::{jst_minutes, messages};

pub fn print(info: &RegistrationInfo) {
    let company = &info.company;
    println!("業者概要");
    println!("  業者番号              : {}", company.vendor_number);
    println!("  企業名称              : {}", company.name);
    println!("  企業住所              : {}", company.address);
    println!("  代表者氏名            : {}", company.representative);
    println!("  電話番号              : {}", company.phone);
    println!();
    println!("登録利用者一覧");
    for user in &info.users {
        println!("  {}", user.holder);
        print_contact(&user.contact);
        for certificate in &user.certificates {
            let status = messages::certificate_status(certificate.status);
            println!(
                "    証明書シリアル番号 {}  {}  有効期限 {}  登録 {}  {status}",
                certificate.serial,
                certificate.issuer,
                certificate.not_after_jst,
                jst_minutes(certificate.registered_at)
            );
        }
    }
}

/// 連絡先 as registered, labelled as the form names its fields; a user registered without one shows none.
fn print_contact(contact: &Contact) {
    let lines = [
        (FormField::ContactDepartment, &contact.department),
        (FormField::ContactName, &contact.name),
        (FormField::ContactAddress, &contact.address),
        (FormField::ContactPhone, &contact.phone),
        (FormField::ContactEmail, &contact.email),
    ];
    for (field, value) in lines {
        if !value.is_empty() {
            println!("    {}: {value}", field.label_ja());
        }
    }
}
