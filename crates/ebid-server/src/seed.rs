//! `ebid-server --seed FILE`: an organization's registrations loaded from a file into an empty database.
//! The demo's registrations come this way too (`ebid-vcard generate` writes them beside the demo cards), so
//! the server links nothing of the demo CA or the virtual cards.
//!
//! The file is JSON; a certificate is a file (DER or PEM) named relative to the seed file's folder:
//!
//! ```json
//! {
//!   "organizations": [
//!     { "id": "nagasaki-pref", "name": "長崎県", "registration": "approval",
//!       "categories": [ { "id": "construction", "name": "工事・業務" } ] }
//!   ],
//!   "companies": [
//!     { "organization": "nagasaki-pref", "vendor_number": "4210000123", "name": "株式会社長崎土木",
//!       "address": "長崎県長崎市尾上町3番1号", "representative": "長崎 太郎", "phone": "095-000-0123",
//!       "kind": "corporate",
//!       "users": [ { "category": "construction", "holder": "長崎 太郎", "certificate": "current.pem",
//!                    "contact": { "department": "工事部", "name": "長崎 次郎", "address": "長崎県長崎市尾上町3番1号",
//!                                 "phone": "095-000-0124", "email": "jiro@doboku.example.jp" } } ] }
//!   ]
//! }
//! ```
//!
//! `registration` is `immediate` (the default: a 新規登録 logs in at once) or `approval` (仮登録: the
//! organization's administrator approves each one with `ebid-server admin approve`). `kind` is `corporate`
//! (法人) or `sole_proprietor` (個人事業主). A company may have no `users` yet: it is in the organization's
//! list of qualified companies, and registers with 新規登録. A user's `contact` (連絡先) is optional, as is
//! each of its fields. Each user's certificate is registered as active from its notBefore. Everything is checked before anything is written (unknown fields, an
//! organization or category not declared, a company or certificate twice at one organization, a certificate
//! that cannot be read), and the import is one transaction.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use ebid_protocol::{Company, CompanyKind, Contact};
use serde::Deserialize;

use crate::db::organizations::RegistrationMode;
use crate::db::{Database, organizations, registry};
use crate::error::Result;

/// Why a seed file cannot be imported. Each names the file and the entry, so the operator can fix it.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read the seed file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a seed file: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path}: {entry}: {problem}")]
    Invalid {
        path: PathBuf,
        entry: String,
        problem: String,
    },
}

/// What [`import_seed`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    /// The database was empty; the seed is in it now.
    Seeded,
    /// The database already held organizations; nothing was changed.
    AlreadyHadData,
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    organizations: Vec<OrganizationEntry>,
    #[serde(default)]
    companies: Vec<CompanyEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganizationEntry {
    id: String,
    name: String,
    #[serde(default)]
    registration: RegistrationMode,
    categories: Vec<CategoryEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryEntry {
    id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CompanyEntry {
    organization: String,
    vendor_number: String,
    name: String,
    address: String,
    representative: String,
    phone: String,
    kind: CompanyKind,
    #[serde(default)]
    users: Vec<UserEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserEntry {
    category: String,
    holder: String,
    certificate: PathBuf,
    #[serde(default)]
    contact: ContactEntry,
}

/// 連絡先 as a seed file gives it: any field may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ContactEntry {
    department: String,
    name: String,
    address: String,
    phone: String,
    email: String,
}

/// A seed file read and checked, its certificates parsed: ready to import.
#[derive(Debug)]
pub struct Seed {
    path: PathBuf,
    organizations: Vec<OrganizationEntry>,
    companies: Vec<SeedCompany>,
}

#[derive(Debug)]
struct SeedCompany {
    organization: String,
    company: Company,
    users: Vec<SeedUser>,
}

#[derive(Debug)]
struct SeedUser {
    category: String,
    holder: String,
    certificate: ebid_cert::Certificate,
    contact: Contact,
}

impl Seed {
    /// Reads `path` and checks every entry; certificate files are read relative to its folder.
    pub fn load(path: &Path) -> Result<Self, SeedError> {
        let text = std::fs::read(path).map_err(|source| SeedError::Read {
            path: path.to_owned(),
            source,
        })?;
        let file: SeedFile = serde_json::from_slice(&text).map_err(|source| SeedError::Json {
            path: path.to_owned(),
            source,
        })?;
        let folder = path.parent().unwrap_or(Path::new("."));
        Checker { path }.check(file, folder)
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many registered users it holds.
    pub fn users(&self) -> usize {
        self.companies.iter().map(|c| c.users.len()).sum()
    }
}

/// Checks a parsed file, naming the file in each error.
struct Checker<'a> {
    path: &'a Path,
}

impl Checker<'_> {
    fn invalid(&self, entry: impl Into<String>, problem: impl Into<String>) -> SeedError {
        SeedError::Invalid {
            path: self.path.to_owned(),
            entry: entry.into(),
            problem: problem.into(),
        }
    }

    fn not_empty(&self, entry: &str, field: &str, value: &str) -> Result<(), SeedError> {
        if value.trim().is_empty() {
            return Err(self.invalid(entry, format!("`{field}` is empty")));
        }
        Ok(())
    }

    fn check(&self, file: SeedFile, folder: &Path) -> Result<Seed, SeedError> {
        // Organization id → its category ids.
        let mut declared: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (index, organization) in file.organizations.iter().enumerate() {
            let entry = format!("organizations[{index}] ({})", organization.id);
            self.not_empty(&entry, "id", &organization.id)?;
            self.not_empty(&entry, "name", &organization.name)?;
            let mut categories = HashSet::new();
            for category in &organization.categories {
                self.not_empty(&entry, "categories[].id", &category.id)?;
                self.not_empty(&entry, "categories[].name", &category.name)?;
                if !categories.insert(category.id.as_str()) {
                    return Err(self.invalid(
                        entry,
                        format!("category {:?} is declared twice", category.id),
                    ));
                }
            }
            if declared
                .insert(organization.id.as_str(), categories)
                .is_some()
            {
                return Err(self.invalid(entry, "this organization is declared twice"));
            }
        }

        let mut vendors = HashSet::new();
        // (organization, certificate fingerprint) → the file that registered it first.
        let mut fingerprints: HashMap<(String, String), PathBuf> = HashMap::new();
        let mut companies = Vec::with_capacity(file.companies.len());
        for (index, entry_data) in file.companies.into_iter().enumerate() {
            let entry = format!("companies[{index}] ({})", entry_data.name);
            for (field, value) in [
                ("organization", &entry_data.organization),
                ("vendor_number", &entry_data.vendor_number),
                ("name", &entry_data.name),
            ] {
                self.not_empty(&entry, field, value)?;
            }
            let Some(categories) = declared.get(entry_data.organization.as_str()) else {
                return Err(self.invalid(
                    entry,
                    format!(
                        "organization {:?} is not among `organizations`",
                        entry_data.organization
                    ),
                ));
            };
            if !vendors.insert((
                entry_data.organization.clone(),
                entry_data.vendor_number.clone(),
            )) {
                return Err(self.invalid(
                    entry,
                    format!(
                        "vendor number {} is registered twice at {}",
                        entry_data.vendor_number, entry_data.organization
                    ),
                ));
            }
            let mut users = Vec::with_capacity(entry_data.users.len());
            for (user_index, user) in entry_data.users.into_iter().enumerate() {
                let entry = format!("{entry}.users[{user_index}] ({})", user.holder);
                self.not_empty(&entry, "holder", &user.holder)?;
                if !categories.contains(user.category.as_str()) {
                    return Err(self.invalid(
                        entry,
                        format!(
                            "category {:?} is not declared at organization {}",
                            user.category, entry_data.organization
                        ),
                    ));
                }
                let file = folder.join(&user.certificate);
                let certificate = read_certificate(&file)
                    .map_err(|problem| self.invalid(entry.as_str(), problem))?;
                let key = (
                    entry_data.organization.clone(),
                    certificate.facts().fingerprint_sha256.clone(),
                );
                if let Some(first) = fingerprints.insert(key, file.clone()) {
                    return Err(self.invalid(
                        entry,
                        format!(
                            "{} is the certificate of {} already: a card is registered once at an organization",
                            file.display(),
                            first.display()
                        ),
                    ));
                }
                let contact = user.contact;
                users.push(SeedUser {
                    category: user.category,
                    holder: user.holder,
                    certificate,
                    contact: Contact {
                        department: contact.department,
                        name: contact.name,
                        address: contact.address,
                        phone: contact.phone,
                        email: contact.email,
                    },
                });
            }
            companies.push(SeedCompany {
                organization: entry_data.organization,
                company: Company {
                    vendor_number: entry_data.vendor_number,
                    name: entry_data.name,
                    address: entry_data.address,
                    representative: entry_data.representative,
                    phone: entry_data.phone,
                    kind: entry_data.kind,
                },
                users,
            });
        }
        Ok(Seed {
            path: self.path.to_owned(),
            organizations: file.organizations,
            companies,
        })
    }
}

/// A certificate file (DER or PEM); what is wrong with it otherwise.
fn read_certificate(file: &Path) -> Result<ebid_cert::Certificate, String> {
    let bytes =
        std::fs::read(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
    ebid_cert::parse_certificate(&bytes)
        .map_err(|error| format!("{} is not a certificate: {error}", file.display()))
}

/// Imports `seed` into an empty database, in one transaction; a database that already holds organizations is
/// left as it is.
pub async fn import_seed(db: &Database, seed: &Seed) -> Result<Seeded> {
    let mut tx = db.begin_write().await?;
    if organizations::any(&mut tx).await? {
        return Ok(Seeded::AlreadyHadData);
    }
    for (position, organization) in (0..).zip(&seed.organizations) {
        organizations::insert(
            &mut tx,
            &organization.id,
            &organization.name,
            position,
            organization.registration,
        )
        .await?;
        for (position, category) in (0..).zip(&organization.categories) {
            organizations::insert_category(
                &mut tx,
                &organization.id,
                &category.id,
                &category.name,
                position,
            )
            .await?;
        }
    }
    for company in &seed.companies {
        let organization = company.organization.as_str();
        let company_id = registry::insert_company(&mut tx, organization, &company.company).await?;
        for user in &company.users {
            let user_id = registry::insert_user(
                &mut tx,
                company_id,
                organization,
                &user.category,
                &user.holder,
            )
            .await?;
            registry::set_contact(&mut tx, user_id, &user.contact).await?;
            // Registered when it was issued: the file says nothing of earlier history.
            let registered_at = user.certificate.facts().not_before;
            registry::insert_certificate(
                &mut tx,
                user_id,
                organization,
                &user.certificate,
                registered_at,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(Seeded::Seeded)
}
