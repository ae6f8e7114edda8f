//! The server killed with SIGKILL between any two steps of a renewal, and restarted on the same data folder,
//! loses nothing and leaves no half-renewal: the renewal then goes on from where it was and completes once.
//!
//! `ebid-server` runs as its own process; the cards answer in this process (the PC/SC path has tests of
//! its own), so that the only thing that varies is where the server dies.

use ebid_card::transport::InProcess;
use ebid_card::{Pin, SigningCard};
use ebid_client::{Client, ClientOptions};
use ebid_democa::{DemoSet, PinKind};
use ebid_protocol::{CertificateStatus, RegistrationInfo};
use ebid_tests::server_process::ServerProcess;
use ebid_vcard::VirtualCard;
use ebid_workflow::{Renewal, ServerClock, fetch_server_clock};

const ORGANIZATION: &str = "nagasaki-pref";
const CATEGORY: &str = "construction";

/// The steps of the renewal, in order; the server is killed after each but the last.
const STEPS: [&str; 5] = [
    "server time",
    "login with the current card",
    "the new card's proof",
    "【更新】",
    "登録者情報 with the new card",
];

struct Cards {
    set: DemoSet,
}

impl Cards {
    fn open(&self, name: &str) -> Box<dyn SigningCard> {
        let spec = self
            .set
            .card(name)
            .expect("a demo card")
            .load_spec()
            .expect("its file");
        let card = VirtualCard::from_spec(spec).expect("a valid card");
        ebid_card::open(InProcess::new(card, true)).expect("the card opens")
    }

    fn pin(&self, name: &str) -> Pin {
        Pin::new(
            self.set
                .card(name)
                .and_then(|c| c.pin(PinKind::Piv))
                .expect("a PIV PIN"),
        )
    }

    fn serial(&self, name: &str) -> String {
        self.set
            .card(name)
            .expect("a demo card")
            .signing_serial
            .to_string()
    }
}

/// Runs step `index` of the renewal.
async fn step(index: usize, renewal: &mut Renewal, cards: &Cards) {
    match index {
        0 => drop(renewal.fetch_server_time().await.expect("server time")),
        1 => drop(
            renewal
                .login_current(cards.open("current").as_mut(), &cards.pin("current"))
                .await
                .expect("login"),
        ),
        2 => {
            let confirmation = renewal
                .prove_new_card(
                    cards.open("replacement").as_mut(),
                    &cards.pin("replacement"),
                )
                .await
                .expect("proof");
            assert!(
                confirmation.violations.is_empty(),
                "{:?}",
                confirmation.violations
            );
        }
        3 => drop(renewal.commit().await.expect("commit")),
        4 => {
            let info = renewal
                .registration_info(
                    cards.open("replacement").as_mut(),
                    &cards.pin("replacement"),
                )
                .await
                .expect("登録者情報");
            assert_eq!(
                statuses(&info),
                vec![
                    (cards.serial("replacement"), CertificateStatus::Active),
                    (cards.serial("current"), CertificateStatus::Superseded),
                ]
            );
        }
        _ => unreachable!("five steps"),
    }
}

/// 登録利用者一覧 of the user the demo cards belong to, as (serial, status), newest first.
fn statuses(info: &RegistrationInfo) -> Vec<(String, CertificateStatus)> {
    let user = info
        .users
        .iter()
        .find(|u| u.holder == "長崎 太郎")
        .expect("長崎 太郎 is registered");
    user.certificates
        .iter()
        .map(|c| (c.serial.clone(), c.status))
        .collect()
}

/// What the registration says now, asked with `card` in a session of its own.
async fn registration_now(client: &Client, cards: &Cards, card: &str) -> RegistrationInfo {
    let clock: ServerClock = fetch_server_clock(client).await.expect("server time");
    let (_, info) = ebid_workflow::registration_info(
        client,
        ORGANIZATION,
        CATEGORY,
        &clock,
        cards.open(card).as_mut(),
        &cards.pin(card),
    )
    .await
    .unwrap_or_else(|e| panic!("登録者情報 with {card}: {e}"));
    info
}

#[test]
fn a_server_killed_between_any_two_steps_loses_nothing_and_leaves_no_half_renewal() {
    let cards = Cards {
        set: crate::support::demo_set().clone(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    for (killed_after, step_name) in STEPS.iter().enumerate().take(STEPS.len() - 1) {
        let data = tempfile::tempdir().expect("a temporary folder");
        let first = ServerProcess::start(server_binary(), data.path(), &cards.set.dir);
        let address = first.address().to_owned();
        let client = Client::new(first.url(), &ClientOptions::default()).expect("a client");
        let mut renewal = Renewal::new(client.clone(), ORGANIZATION, CATEGORY);
        runtime.block_on(async {
            for index in 0..=killed_after {
                step(index, &mut renewal, &cards).await;
            }
        });
        first.kill();

        let _second =
            ServerProcess::start_on(server_binary(), &address, data.path(), &cards.set.dir);
        runtime.block_on(async {
            // Committed or not, all or nothing: the registration is either before or after 更新.
            let expected = if killed_after >= 3 {
                vec![
                    (cards.serial("replacement"), CertificateStatus::Active),
                    (cards.serial("current"), CertificateStatus::Superseded),
                ]
            } else {
                vec![(cards.serial("current"), CertificateStatus::Active)]
            };
            let card = if killed_after >= 3 {
                "replacement"
            } else {
                "current"
            };
            let info = registration_now(&client, &cards, card).await;
            assert_eq!(
                statuses(&info),
                expected,
                "after a kill following {step_name}"
            );

            for index in killed_after + 1..STEPS.len() {
                step(index, &mut renewal, &cards).await;
            }
        });
    }
}

fn server_binary() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_BIN_EXE_ebid-server"))
}
