//! What a run starts from: a fresh folder with a new demo set, and the server's database seeded with the demo
//! registration and the load users, each registered with the current card of a load pair.

use std::path::PathBuf;

use anyhow::Context as _;
use ebid_democa::{DemoSet, LOAD_COMPANY, LOAD_COMPANY_ADDRESS, LoadPair};
use ebid_protocol::{Company, CompanyKind};
use ebid_server::{DATABASE_FILE, Database, Seed, import_seed, seed_registrations};
use tempfile::TempDir;
use time::OffsetDateTime;

use crate::api::{CATEGORY, ORGANIZATION};
use crate::card::LoadUser;

/// The run folder's parts.
const DEMO_SET: &str = "demo-set";
const SERVER_DATA: &str = "server";

/// The load users' company as 長崎県 registered it. Its vendor number is not the demo companies'.
fn load_company() -> Company {
    Company {
        vendor_number: "4219990000".into(),
        name: LOAD_COMPANY.into(),
        address: LOAD_COMPANY_ADDRESS.into(),
        representative: "負荷 一郎".into(),
        phone: "095-000-9999".into(),
        kind: CompanyKind::Corporate,
    }
}

/// The run's folder (removed when this is dropped) and the load users.
pub struct Fixture {
    dir: TempDir,
    pub users: Vec<LoadUser>,
}

impl Fixture {
    /// A demo set and `users` load users, registered at [`ORGANIZATION`] in [`CATEGORY`].
    pub async fn prepare(users: usize) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("ebid-loadgen.")
            .tempdir()
            .context("creating the run's folder")?;
        let set_dir = dir.path().join(DEMO_SET);
        // Key generation and signing: seconds of CPU, on every core.
        let (set, pairs) = tokio::task::spawn_blocking(move || {
            let now = OffsetDateTime::now_utc();
            let set = ebid_democa::generate(&set_dir, now)?;
            let pairs = set.issue_load_pairs(users, now)?;
            anyhow::Ok((set, pairs))
        })
        .await??;
        let fixture = Self {
            users: pairs
                .iter()
                .map(LoadUser::from_pair)
                .collect::<anyhow::Result<_>>()?,
            dir,
        };
        fixture.seed(&set, &pairs).await?;
        Ok(fixture)
    }

    /// The server's data folder.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join(SERVER_DATA)
    }

    /// The server's database file and its write-ahead log, in bytes.
    pub fn database_bytes(&self) -> u64 {
        let database = self.data().join(DATABASE_FILE);
        let log = database.with_extension("sqlite3-wal");
        [database, log]
            .iter()
            .filter_map(|path| std::fs::metadata(path).ok())
            .map(|metadata| metadata.len())
            .sum()
    }

    /// The demo set the server trusts.
    pub fn demo_set(&self) -> PathBuf {
        self.dir.path().join(DEMO_SET)
    }

    async fn seed(&self, set: &DemoSet, pairs: &[LoadPair]) -> anyhow::Result<()> {
        let db = Database::open(&self.data().join(DATABASE_FILE)).await?;
        import_seed(&db, &Seed::load(&set.registrations_file())?).await?;
        let users: Vec<(&str, &[u8])> = pairs
            .iter()
            .map(|pair| (pair.holder.as_str(), pair.current.certificate.as_slice()))
            .collect();
        seed_registrations(&db, ORGANIZATION, CATEGORY, &load_company(), &users).await?;
        db.close().await;
        Ok(())
    }
}
