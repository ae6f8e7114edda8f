//! The demo's registrations, as a seed file for `ebid-server --seed`: the organizations of Nagasaki, and
//! companies registered there with the demo cards, so that each demo card meets the situation it was made
//! for (長崎県 and 長崎市 register a 新規登録 at once, 佐世保市 only once its administrator approves it:
//! 仮登録). Written beside the cards, `DIR/registrations.json`, with each registered card's signing certificate
//! in `DIR/registrations/<card>.der`; the format is the server's (`ebid_server::Seed`), written here with
//! structs of its own so that the demo CA needs nothing of the server.

use std::path::{Path, PathBuf};

use ebid_vcard::spec::CardSpec;
use serde::Serialize;

use crate::{DemoCaError, DemoSet};

/// The seed file, in the set's folder.
pub(crate) const FILE: &str = "registrations.json";
/// The folder of the registered certificates, beside it.
const CERTIFICATES: &str = "registrations";

/// Each organization, and how it takes a 新規登録: at once, or by its administrator's approval (仮登録).
const ORGANIZATIONS: [(&str, &str, &str); 3] = [
    ("nagasaki-pref", "長崎県", IMMEDIATE),
    ("nagasaki-city", "長崎市", IMMEDIATE),
    ("sasebo-city", "佐世保市", APPROVAL),
];
const IMMEDIATE: &str = "immediate";
const APPROVAL: &str = "approval";

const CONSTRUCTION: &str = "construction";
const CATEGORIES: [(&str, &str); 2] = [(CONSTRUCTION, "工事・業務"), ("goods", "物品・役務")];

struct DemoCompany {
    vendor_number: &'static str,
    name: &'static str,
    address: &'static str,
    representative: &'static str,
    /// Made up: the 000 exchange is not assigned to anyone.
    phone: &'static str,
    kind: &'static str,
}

const NAGASAKI_DOBOKU: DemoCompany = DemoCompany {
    vendor_number: "4210000123",
    name: "株式会社長崎土木",
    address: "長崎県長崎市尾上町3番1号",
    representative: "長崎 太郎",
    phone: "095-000-0123",
    kind: "corporate",
};

const SASEBO_KENSETSU: DemoCompany = DemoCompany {
    vendor_number: "4210000456",
    name: "有限会社佐世保建設",
    address: "長崎県佐世保市八幡町1番10号",
    representative: "佐世保 花子",
    phone: "0956-00-0456",
    kind: "corporate",
};

/// A sole proprietor, registered with the signing certificate of a マイナンバーカード.
const NAGASAKI_ICHIRO: DemoCompany = DemoCompany {
    vendor_number: "4210000789",
    name: "長崎一郎設計事務所",
    address: "長崎県長崎市江戸町2番13号",
    representative: "長崎 一郎",
    phone: "095-000-0789",
    kind: "sole_proprietor",
};

/// 連絡先 of a demo user. Made up: the 000 exchange is not assigned, `.example` is reserved.
struct DemoContact {
    department: &'static str,
    name: &'static str,
    address: &'static str,
    phone: &'static str,
    email: &'static str,
}

const DOBOKU_CONTACT: DemoContact = DemoContact {
    department: "工事部",
    name: "長崎 次郎",
    address: "長崎県長崎市尾上町3番1号",
    phone: "095-000-0124",
    email: "koji@nagasaki-doboku.example",
};

const SASEBO_CONTACT: DemoContact = DemoContact {
    department: "総務課",
    name: "佐世保 花子",
    address: "長崎県佐世保市八幡町1番10号",
    phone: "0956-00-0457",
    email: "somu@sasebo-kensetsu.example",
};

const ICHIRO_CONTACT: DemoContact = DemoContact {
    department: "設計事務所",
    name: "長崎 一郎",
    address: "長崎県長崎市江戸町2番13号",
    phone: "095-000-0789",
    email: "ichiro@nagasaki-sekkei.example",
};

/// Who is registered where, with which demo card and 連絡先 (all in 工事・業務). `replacement` is registered
/// nowhere: it is the card 長崎 太郎 renews with, and re-registers with at 佐世保市 (where it waits for
/// approval).
const REGISTRATIONS: [(&str, &DemoCompany, &str, &str, &DemoContact); 5] = [
    (
        "nagasaki-pref",
        &NAGASAKI_DOBOKU,
        "長崎 太郎",
        "current",
        &DOBOKU_CONTACT,
    ),
    (
        "nagasaki-city",
        &NAGASAKI_DOBOKU,
        "長崎 太郎",
        "current",
        &DOBOKU_CONTACT,
    ),
    // The card registered at Sasebo has lapsed: logging in there meets current_card_expired.
    (
        "sasebo-city",
        &NAGASAKI_DOBOKU,
        "長崎 太郎",
        "expired",
        &DOBOKU_CONTACT,
    ),
    (
        "nagasaki-pref",
        &SASEBO_KENSETSU,
        "佐世保 花子",
        "other-company",
        &SASEBO_CONTACT,
    ),
    (
        "nagasaki-pref",
        &NAGASAKI_ICHIRO,
        "長崎 一郎",
        "jpki",
        &ICHIRO_CONTACT,
    ),
];

/// Companies in an organization's list of qualified companies (入札参加資格者名簿) with no registered user
/// yet: 新規登録 meets them (佐世保建設's `other-company` card registers at 長崎市).
const LISTED_WITHOUT_USERS: [(&str, &DemoCompany); 1] = [("nagasaki-city", &SASEBO_KENSETSU)];

#[derive(Serialize)]
struct SeedFile {
    organizations: Vec<Organization>,
    companies: Vec<Company>,
}

#[derive(Serialize)]
struct Organization {
    id: &'static str,
    name: &'static str,
    registration: &'static str,
    categories: Vec<Category>,
}

#[derive(Serialize)]
struct Category {
    id: &'static str,
    name: &'static str,
}

#[derive(Serialize)]
struct Company {
    organization: &'static str,
    vendor_number: &'static str,
    name: &'static str,
    address: &'static str,
    representative: &'static str,
    phone: &'static str,
    kind: &'static str,
    users: Vec<User>,
}

#[derive(Serialize)]
struct User {
    category: &'static str,
    holder: &'static str,
    /// Relative to the seed file's folder, so that the set can be moved or copied.
    certificate: PathBuf,
    contact: Contact,
}

#[derive(Serialize)]
struct Contact {
    department: &'static str,
    name: &'static str,
    address: &'static str,
    phone: &'static str,
    email: &'static str,
}

impl DemoSet {
    /// The seed file of the demo's registrations, for `ebid-server --seed`.
    pub fn registrations_file(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// The arguments that make `ebid-server` the demo's: its registrations (`--seed`, into an empty
    /// database), and trust in the demo root and the demo JPKI CA with their CRLs.
    pub fn server_args(&self) -> Vec<std::ffi::OsString> {
        let mut args: Vec<std::ffi::OsString> =
            vec!["--seed".into(), self.registrations_file().into()];
        for ca in [&self.ca.demo_root, &self.ca.demo_jpki_root] {
            args.extend(["--trust-ca".into(), ca.der.clone().into_os_string()]);
        }
        for crl in [&self.ca.demo_root_crl, &self.ca.demo_jpki_root_crl] {
            args.extend(["--crl".into(), crl.der.clone().into_os_string()]);
        }
        args
    }
}

/// `company` in `organization`'s list, with `users`.
fn listed(organization: &'static str, company: &DemoCompany, users: Vec<User>) -> Company {
    Company {
        organization,
        vendor_number: company.vendor_number,
        name: company.name,
        address: company.address,
        representative: company.representative,
        phone: company.phone,
        kind: company.kind,
        users,
    }
}

/// Writes the seed file and the certificates it names into the set's folder.
pub(crate) fn write(set: &DemoSet, specs: &[(&str, &CardSpec)]) -> Result<(), DemoCaError> {
    let certificate_of = |card: &str| -> Result<PathBuf, DemoCaError> {
        let spec = specs
            .iter()
            .find(|(name, _)| *name == card)
            .map(|(_, spec)| *spec)
            .ok_or_else(|| DemoCaError::MissingCard(card.into()))?;
        let der = match spec {
            CardSpec::Piv(piv) => &piv.slot_9c.certificate,
            CardSpec::Jpki(jpki) => &jpki.sign.certificate,
        };
        let relative = Path::new(CERTIFICATES).join(format!("{card}.der"));
        crate::write(&set.dir.join(&relative), der)?;
        Ok(relative)
    };

    let organizations = ORGANIZATIONS
        .iter()
        .map(|&(id, name, registration)| Organization {
            id,
            name,
            registration,
            categories: CATEGORIES
                .iter()
                .map(|&(id, name)| Category { id, name })
                .collect(),
        })
        .collect();
    let mut companies: Vec<Company> = Vec::new();
    for (organization, company, holder, card, contact) in REGISTRATIONS {
        let user = User {
            category: CONSTRUCTION,
            holder,
            certificate: certificate_of(card)?,
            contact: Contact {
                department: contact.department,
                name: contact.name,
                address: contact.address,
                phone: contact.phone,
                email: contact.email,
            },
        };
        match companies
            .iter_mut()
            .find(|c| c.organization == organization && c.vendor_number == company.vendor_number)
        {
            Some(registered) => registered.users.push(user),
            None => companies.push(listed(organization, company, vec![user])),
        }
    }
    for (organization, company) in LISTED_WITHOUT_USERS {
        companies.push(listed(organization, company, Vec::new()));
    }
    let path = set.registrations_file();
    let json = serde_json::to_vec_pretty(&SeedFile {
        organizations,
        companies,
    })
    .map_err(|source| DemoCaError::Json {
        path: path.clone(),
        source,
    })?;
    crate::write(&path, &json)
}
