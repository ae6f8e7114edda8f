//! The real parts of a renewal in one test process: the registration server on 127.0.0.1 with a SQLite file
//! in a temporary folder, seeded from the demo set, on a clock the test moves; and the demo set's virtual
//! cards answering in-process, each command's header recorded (never its data: the PIN stays out of logs).

pub mod proxy;
pub mod relay;

use std::sync::{Arc, Mutex};

use ebid_card::transport::{InProcess, InProcessCard};
use ebid_card::{Pin, SigningCard};
use ebid_client::{Client, ClientOptions};
use ebid_democa::{DemoSet, PinKind};
use ebid_protocol::Origin;
use ebid_server::{ManualClock, Running, ServeArgs};
use ebid_vcard::VirtualCard;
use ebid_workflow::Renewal;
use time::OffsetDateTime;

pub const ORGANIZATION: &str = "nagasaki-pref";
pub const CATEGORY: &str = "construction";

/// A server of its own for one test, on the demo set shared by the test binary.
pub struct Demo {
    pub set: DemoSet,
    pub clock: Arc<ManualClock>,
    pub server: Running,
    data: tempfile::TempDir,
}

impl Demo {
    pub async fn start() -> Self {
        Self::start_at(None, None).await
    }

    /// A server seeded with the demo's registrations as `edit` changes them (the seed file's JSON, its
    /// certificates named by absolute paths), for registrations the demo does not make. Its clients are not
    /// rate limited: such a test checks every place at full speed, more requests in a second than a user
    /// makes.
    pub async fn start_seeded(edit: impl FnOnce(&mut serde_json::Value)) -> Self {
        let set = DemoSet::load(ebid_tests::demo_set()).expect("the demo set loads");
        let demo_seed = set.registrations_file();
        let folder = demo_seed.parent().expect("the set's folder").to_path_buf();
        let text = std::fs::read_to_string(&demo_seed).expect("the demo's seed file");
        let mut seed: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        for company in seed["companies"].as_array_mut().expect("companies") {
            for user in company["users"].as_array_mut().expect("users") {
                let relative = user["certificate"].as_str().expect("a certificate file");
                user["certificate"] = folder.join(relative).to_string_lossy().into_owned().into();
            }
        }
        edit(&mut seed);
        let file = tempfile::NamedTempFile::new().expect("a temporary file");
        std::fs::write(file.path(), seed.to_string()).expect("the seed file written");
        Self::start_at(None, Some(file.path().to_path_buf())).await
    }

    /// A server that clients reach through `proxy`: its public URL is the proxy's.
    pub async fn behind(proxy: &proxy::CuttingProxy) -> Self {
        let origin = Origin::parse(&proxy.url()).expect("the proxy's origin");
        let demo = Self::start_at(Some(origin), None).await;
        proxy.forward_to(demo.server.local_addr()).await;
        demo
    }

    /// `seed`: the demo's registrations when `None`.
    async fn start_at(public_url: Option<Origin>, seed: Option<std::path::PathBuf>) -> Self {
        let set = DemoSet::load(ebid_tests::demo_set()).expect("the demo set loads");
        let seeded = seed.is_some();
        let data = tempfile::tempdir().expect("a temporary folder");
        let clock = Arc::new(ManualClock::new(OffsetDateTime::now_utc()));
        // As the demo starts the server: the set's registrations, trust in its CAs and their CRLs.
        let mut args = ebid_server::ServeArgs {
            listen: "127.0.0.1:0".parse().expect("an address"),
            public_url,
            seed: Some(seed.unwrap_or_else(|| set.registrations_file())),
            trust_ca: vec![
                set.ca.demo_root.der.clone(),
                set.ca.demo_jpki_root.der.clone(),
            ],
            crl: vec![
                set.ca.demo_root_crl.der.clone(),
                set.ca.demo_jpki_root_crl.der.clone(),
            ],
            ..ServeArgs::new(data.path().to_path_buf())
        };
        if seeded {
            args.rate_per_client = 0;
        }
        let server = ebid_server::start(args, clock.clone())
            .await
            .expect("the server starts");
        Self {
            set,
            clock,
            server,
            data,
        }
    }

    /// The server's SQLite file, for its administrator's commands (`ebid-server admin`).
    pub fn database(&self) -> std::path::PathBuf {
        self.data.path().join(ebid_server::DATABASE_FILE)
    }

    pub fn client(&self) -> Client {
        client(&self.server.url())
    }

    pub fn renewal(&self) -> Renewal {
        Renewal::new(self.client(), ORGANIZATION, CATEGORY)
    }

    /// Demo card `name` in-process, and the log of the commands it answers.
    pub fn card(&self, name: &str) -> (Box<dyn SigningCard>, CommandLog) {
        let spec = self
            .set
            .card(name)
            .expect("a card of the demo set")
            .load_spec()
            .expect("its file loads");
        let log = CommandLog::default();
        let card = Recorded {
            card: VirtualCard::from_spec(spec).expect("a valid card"),
            log: log.clone(),
        };
        let card = ebid_card::open(InProcess::new(card, true)).expect("the card opens");
        (card, log)
    }

    /// The signing PIN of demo card `name`.
    pub fn pin(&self, name: &str) -> Pin {
        let card = self.set.card(name).expect("a card of the demo set");
        let pin = card
            .pin(PinKind::Piv)
            .or_else(|| card.pin(PinKind::JpkiSign))
            .expect("a signing PIN");
        Pin::new(pin)
    }

    pub fn serial(&self, name: &str) -> String {
        self.set
            .card(name)
            .expect("a card of the demo set")
            .signing_serial
            .to_string()
    }
}

pub fn client(url: &str) -> Client {
    Client::new(url, &ClientOptions::default()).expect("a client")
}

/// The commands a card answered: instruction byte and length, never the data.
#[derive(Clone, Default)]
pub struct CommandLog(Arc<Mutex<Vec<(u8, usize)>>>);

impl CommandLog {
    /// Every command the card answered since it was opened.
    pub fn commands(&self) -> usize {
        self.0.lock().expect("the log").len()
    }

    /// VERIFY commands that carried a PIN (an empty VERIFY only asks the tries left).
    pub fn pin_verifies(&self) -> usize {
        self.0
            .lock()
            .expect("the log")
            .iter()
            .filter(|&&(ins, len)| ins == 0x20 && len > 5)
            .count()
    }

    /// Signatures asked: PIV GENERAL AUTHENTICATE, JPKI COMPUTE DIGITAL SIGNATURE.
    pub fn signatures(&self) -> usize {
        self.0
            .lock()
            .expect("the log")
            .iter()
            .filter(|&&(ins, _)| ins == 0x87 || ins == 0x2A)
            .count()
    }
}

/// A virtual card whose commands are logged on the way in.
struct Recorded {
    card: VirtualCard,
    log: CommandLog,
}

impl InProcessCard for Recorded {
    fn respond(&mut self, command: &[u8]) -> Option<Vec<u8>> {
        if let Some(&ins) = command.get(1) {
            self.log
                .0
                .lock()
                .expect("the log")
                .push((ins, command.len()));
        }
        Some(self.card.respond(command))
    }
}
