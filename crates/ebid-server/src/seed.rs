//! The demo registration, seeded from a demo set: the organizations of Nagasaki, and companies registered
//! there with the demo cards, so that each demo card meets the situation it was made for.

use ebid_democa::DemoSet;
use ebid_protocol::{Company, CompanyKind};
use ebid_vcard::spec::CardSpec;

use crate::db::{Database, organizations, registry};
use crate::error::{Error, Result};

/// What [`seed_demo`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    /// The database was empty; the demo data is in it now.
    Seeded,
    /// The database already held organizations; nothing was changed.
    AlreadyHadData,
}

const ORGANIZATIONS: [(&str, &str); 3] = [
    ("nagasaki-pref", "長崎県"),
    ("nagasaki-city", "長崎市"),
    ("sasebo-city", "佐世保市"),
];

const CONSTRUCTION: &str = "construction";
const CATEGORIES: [(&str, &str); 2] = [(CONSTRUCTION, "工事・業務"), ("goods", "物品・役務")];

struct DemoCompany {
    vendor_number: &'static str,
    name: &'static str,
    address: &'static str,
    representative: &'static str,
    /// Made up: the 000 exchange is not assigned to anyone.
    phone: &'static str,
    kind: CompanyKind,
}

const NAGASAKI_DOBOKU: DemoCompany = DemoCompany {
    vendor_number: "4210000123",
    name: "株式会社長崎土木",
    address: "長崎県長崎市尾上町3番1号",
    representative: "長崎 太郎",
    phone: "095-000-0123",
    kind: CompanyKind::Corporate,
};

const SASEBO_KENSETSU: DemoCompany = DemoCompany {
    vendor_number: "4210000456",
    name: "有限会社佐世保建設",
    address: "長崎県佐世保市八幡町1番10号",
    representative: "佐世保 花子",
    phone: "0956-00-0456",
    kind: CompanyKind::Corporate,
};

/// A sole proprietor, registered with the signing certificate of a マイナンバーカード.
const NAGASAKI_ICHIRO: DemoCompany = DemoCompany {
    vendor_number: "4210000789",
    name: "長崎一郎設計事務所",
    address: "長崎県長崎市江戸町2番13号",
    representative: "長崎 一郎",
    phone: "095-000-0789",
    kind: CompanyKind::SoleProprietor,
};

/// Who is registered where, with which demo card (all in 工事・業務).
const REGISTRATIONS: [(&str, &DemoCompany, &str, &str); 5] = [
    ("nagasaki-pref", &NAGASAKI_DOBOKU, "長崎 太郎", "current"),
    ("nagasaki-city", &NAGASAKI_DOBOKU, "長崎 太郎", "current"),
    // The card registered at Sasebo has lapsed: logging in there meets current_card_expired.
    ("sasebo-city", &NAGASAKI_DOBOKU, "長崎 太郎", "expired"),
    (
        "nagasaki-pref",
        &SASEBO_KENSETSU,
        "佐世保 花子",
        "other-company",
    ),
    ("nagasaki-pref", &NAGASAKI_ICHIRO, "長崎 一郎", "jpki"),
];

/// Seeds the demo registration from `set` into an empty database, in one transaction; a database that
/// already holds organizations is left as it is.
pub async fn seed_demo(db: &Database, set: &DemoSet) -> Result<Seeded> {
    let mut tx = db.begin_write().await?;
    if organizations::any(&mut tx).await? {
        return Ok(Seeded::AlreadyHadData);
    }
    for (position, (id, name)) in (0..).zip(ORGANIZATIONS) {
        organizations::insert(&mut tx, id, name, position).await?;
        for (position, (category, name)) in (0..).zip(CATEGORIES) {
            organizations::insert_category(&mut tx, id, category, name, position).await?;
        }
    }
    let mut companies: Vec<(&str, &str, i64)> = Vec::new();
    for (organization, company, holder, card) in REGISTRATIONS {
        let certificate = signing_certificate(set, card)?;
        let company_id = match companies
            .iter()
            .find(|(org, vendor, _)| *org == organization && *vendor == company.vendor_number)
        {
            Some(&(_, _, id)) => id,
            None => {
                let id =
                    registry::insert_company(&mut tx, organization, &company.to_protocol()).await?;
                companies.push((organization, company.vendor_number, id));
                id
            }
        };
        let user_id =
            registry::insert_user(&mut tx, company_id, organization, CONSTRUCTION, holder).await?;
        // Registered when it was issued: the demo's history begins with the card.
        let registered_at = certificate.facts().not_before;
        registry::insert_certificate(&mut tx, user_id, organization, &certificate, registered_at)
            .await?;
    }
    tx.commit().await?;
    Ok(Seeded::Seeded)
}

impl DemoCompany {
    fn to_protocol(&self) -> Company {
        Company {
            vendor_number: self.vendor_number.into(),
            name: self.name.into(),
            address: self.address.into(),
            representative: self.representative.into(),
            phone: self.phone.into(),
            kind: self.kind,
        }
    }
}

/// The certificate a demo card signs with: PIV slot 9C, JPKI's signing certificate.
fn signing_certificate(set: &DemoSet, name: &str) -> Result<ebid_cert::Certificate> {
    let card_error = |reason: String| Error::DemoCard {
        card: name.into(),
        reason,
    };
    let card = set
        .card(name)
        .ok_or_else(|| card_error("not in the demo set".into()))?;
    let der = match card.load_spec()? {
        CardSpec::Piv(piv) => piv.slot_9c.certificate,
        CardSpec::Jpki(jpki) => jpki.sign.certificate,
    };
    ebid_cert::parse_certificate(&der).map_err(|error| card_error(error.to_string()))
}
