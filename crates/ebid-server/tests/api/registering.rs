//! 登録 (新規登録): a card registers where the organization's list has its company; at an organization that
//! approves each registration it waits (仮登録) until `ebid-server admin approve`; every rule refuses with its
//! code and writes nothing but the audit entry.

use std::process::Output;

use ebid_protocol::{
    CertificateStatus, Contact, Purpose, RefusalCode, RegistrationApplication, RegistrationDetails,
    RegistrationReceipt, RegistrationState,
};

use crate::support::{CITY, PREF, Reply, SASEBO, TestServer, audit, card, refused};

/// 長崎土木 and 佐世保建設 as the demo's lists have them.
const DOBOKU: (&str, &str) = ("4210000123", "株式会社長崎土木");
const SASEBO_KENSETSU: (&str, &str) = ("4210000456", "有限会社佐世保建設");

/// What is wrong, and how it is typed wrong.
type Spoiler = (&'static str, fn(&mut RegistrationApplication));

/// What is wrong: the demo card, where, for which company, and the refusal it meets.
type Case = (
    &'static str,
    &'static str,
    &'static str,
    (&'static str, &'static str),
    RefusalCode,
);

fn contact() -> Contact {
    Contact {
        department: "入札担当".into(),
        name: "佐世保 次郎".into(),
        address: "長崎県佐世保市八幡町1番10号".into(),
        phone: "0956-00-0458".into(),
        email: "nyusatsu@sasebo-kensetsu.example".into(),
    }
}

/// The application of the demo card `name` at `organization` for the company `(vendor number, name)`, signed
/// over a fresh registration challenge.
async fn application(
    server: &TestServer,
    name: &str,
    organization: &str,
    (vendor_number, company_name): (&str, &str),
) -> RegistrationApplication {
    let challenge = server
        .challenge(organization, Purpose::Registration, None)
        .await
        .expect("a registration challenge needs no session");
    RegistrationApplication {
        proof: card(name).prove(&challenge),
        details: RegistrationDetails {
            vendor_number: vendor_number.into(),
            company_name: company_name.into(),
            contact: contact(),
            operator: "佐世保 三郎".into(),
        },
    }
}

async fn register(
    server: &TestServer,
    name: &str,
    organization: &str,
    company: (&str, &str),
) -> Reply<RegistrationReceipt> {
    server
        .register_with(&application(server, name, organization, company).await)
        .await
}

/// `ebid-server admin ARGS… --database` on the test server's file, while the server runs on it.
async fn admin(server: &TestServer, args: &[&str]) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ebid-server"));
    command
        .arg("admin")
        .args(args)
        .arg("--database")
        .arg(&server.database);
    tokio::task::spawn_blocking(move || command.output().expect("ebid-server runs"))
        .await
        .expect("the command's thread")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn a_new_registration_at_an_immediate_organization_logs_in_at_once() {
    let server = TestServer::start().await;
    // 佐世保建設 is in 長崎市's list with nobody registered yet; 佐世保 花子's card is not registered there.
    assert_eq!(
        server.login("other-company", CITY).await.unwrap_err().code,
        RefusalCode::CurrentCardNotRegistered
    );

    // A mistake in the form is refused before the challenge is used: corrected, the same proof registers.
    let mut typed = application(&server, "other-company", CITY, SASEBO_KENSETSU).await;
    typed.details.contact.email = "nyusatsu@localhost".into();
    refused(
        &server,
        RefusalCode::FormIncomplete,
        server.register_with(&typed),
    )
    .await;
    typed.details.contact = contact();
    // 有限会社 佐世保建設, typed with a space, is the same company.
    typed.details.company_name = "有限会社 佐世保建設".into();
    let receipt = server.register_with(&typed).await.expect("registered");
    assert_eq!(receipt.state, RegistrationState::Active);
    assert_eq!(receipt.organization, CITY);
    assert_eq!(receipt.holder, "佐世保 花子");
    assert_eq!(receipt.serial, card("other-company").serial());
    assert_eq!(receipt.replaced_serial, None);
    assert_eq!(receipt.company.name, SASEBO_KENSETSU.1);
    assert_eq!(receipt.applied_at, server.clock_now());

    let login = server
        .login("other-company", CITY)
        .await
        .expect("the card logs in at once");
    assert_eq!(login.menu.user.holder, "佐世保 花子");
    assert_eq!(login.menu.user.contact, contact());
    let info = server
        .registration(&login.session_token)
        .await
        .expect("登録者情報");
    assert_eq!(info.company.vendor_number, SASEBO_KENSETSU.0);
    assert_eq!(info.users.len(), 1);
    assert_eq!(info.users[0].contact, contact());
    assert_eq!(info.users[0].certificates.len(), 1);

    // The same card again: registered already.
    refused(
        &server,
        RefusalCode::CardAlreadyRegistered,
        register(&server, "other-company", CITY, SASEBO_KENSETSU),
    )
    .await;
    let entries: Vec<(String, String)> = audit(&server.db().await)
        .await
        .into_iter()
        .filter(|(action, _, _)| action == "registration")
        .map(|(action, outcome, _)| (action, outcome))
        .collect();
    assert_eq!(
        entries,
        [
            ("registration".into(), "form_incomplete".into()),
            ("registration".into(), "ok".into()),
            ("registration".into(), "card_already_registered".into()),
        ]
    );
}

#[tokio::test]
async fn re_registration_at_an_approval_organization_waits_for_the_administrator() {
    let server = TestServer::start().await;
    let (replacement, expired) = (card("replacement"), card("expired"));

    // 長崎 太郎's card at 佐世保市 has lapsed: he registers his new card there, which waits for approval.
    let receipt = register(&server, "replacement", SASEBO, DOBOKU)
        .await
        .expect("applied");
    assert_eq!(receipt.state, RegistrationState::Pending);
    assert_eq!(receipt.holder, "長崎 太郎");
    assert_eq!(receipt.serial, replacement.serial());
    assert_eq!(receipt.replaced_serial, Some(expired.serial()));
    assert_eq!(
        server.login("replacement", SASEBO).await.unwrap_err().code,
        RefusalCode::RegistrationPending
    );
    // Waiting counts as registered for another application of the same card.
    refused(
        &server,
        RefusalCode::CardAlreadyRegistered,
        register(&server, "replacement", SASEBO, DOBOKU),
    )
    .await;

    let listed = admin(&server, &["pending"]).await;
    assert!(listed.status.success(), "{}", stderr(&listed));
    let line = stdout(&listed)
        .lines()
        .find(|line| line.starts_with(&receipt.application_id))
        .unwrap_or_else(|| panic!("pending lists the application: {}", stdout(&listed)))
        .to_owned();
    for shown in [
        SASEBO,
        "construction",
        DOBOKU.0,
        DOBOKU.1,
        "長崎 太郎",
        &replacement.serial(),
        "佐世保 三郎",
    ] {
        assert!(line.contains(shown), "{shown} in {line}");
    }

    let approved = admin(&server, &["approve", &receipt.application_id]).await;
    assert!(approved.status.success(), "{}", stderr(&approved));
    assert!(
        stdout(&approved).contains(&expired.serial()),
        "{}",
        stdout(&approved)
    );

    // The card logs in now, as the same registered user, whose lapsed certificate is kept superseded.
    let token = server.logged_in("replacement", SASEBO).await;
    let info = server.registration(&token).await.expect("登録者情報");
    let taro = info
        .users
        .iter()
        .find(|user| user.holder == "長崎 太郎")
        .expect("長崎 太郎 is listed");
    assert_eq!(info.users.len(), 1, "re-registered, not a second user");
    let certificates: Vec<(String, CertificateStatus)> = taro
        .certificates
        .iter()
        .map(|entry| (entry.serial.clone(), entry.status))
        .collect();
    assert_eq!(
        certificates,
        [
            (replacement.serial(), CertificateStatus::Active),
            (expired.serial(), CertificateStatus::Superseded),
        ]
    );
    assert_eq!(taro.contact, contact());

    // Approving again changes nothing; rejecting it now, or deciding an unknown id, fails with the reason.
    let before = server.tables().await;
    let again = admin(&server, &["approve", &receipt.application_id]).await;
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("approved already"),
        "{}",
        stdout(&again)
    );
    let reject = admin(&server, &["reject", &receipt.application_id]).await;
    assert!(!reject.status.success());
    assert!(
        stderr(&reject).contains("approved already"),
        "{}",
        stderr(&reject)
    );
    let unknown = admin(&server, &["approve", "no-such-application"]).await;
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("no registration application no-such-application"),
        "{}",
        stderr(&unknown)
    );
    assert_eq!(server.tables().await, before);
    let listed = admin(&server, &["pending"]).await;
    assert!(!stdout(&listed).contains(&receipt.application_id));
}

#[tokio::test]
async fn a_rejected_registration_leaves_the_card_unregistered() {
    let server = TestServer::start().await;
    let receipt = register(&server, "replacement", SASEBO, DOBOKU)
        .await
        .expect("applied");
    let rejected = admin(&server, &["reject", &receipt.application_id]).await;
    assert!(rejected.status.success(), "{}", stderr(&rejected));
    assert_eq!(
        server.login("replacement", SASEBO).await.unwrap_err().code,
        RefusalCode::CurrentCardNotRegistered
    );
    let approve = admin(&server, &["approve", &receipt.application_id]).await;
    assert!(!approve.status.success());
    // Rejected, the card may apply again.
    let again = register(&server, "replacement", SASEBO, DOBOKU)
        .await
        .expect("applies again");
    assert_eq!(again.state, RegistrationState::Pending);
    let outcomes: Vec<String> = audit(&server.db().await)
        .await
        .into_iter()
        .filter(|(action, _, _)| action.starts_with("registration_"))
        .map(|(action, outcome, _)| format!("{action} {outcome}"))
        .collect();
    assert_eq!(outcomes, ["registration_rejection ok"]);
}

#[tokio::test]
async fn each_rule_refuses_with_its_code_and_writes_nothing() {
    let server = TestServer::start().await;
    let cases: [Case; 6] = [
        (
            "an unknown 業者番号",
            "replacement",
            PREF,
            ("4219999999", DOBOKU.1),
            RefusalCode::VendorNotFound,
        ),
        (
            "another 商号",
            "replacement",
            PREF,
            (DOBOKU.0, "株式会社長崎建設"),
            RefusalCode::CompanyNameMismatch,
        ),
        (
            "another company's card",
            "other-company",
            CITY,
            DOBOKU,
            RefusalCode::CardCompanyDiffers,
        ),
        (
            "a card registered here",
            "current",
            PREF,
            DOBOKU,
            RefusalCode::CardAlreadyRegistered,
        ),
        // 長崎 太郎 is registered at 長崎県 with `current`, valid: that is ICカード更新.
        (
            "a holder registered with a valid card",
            "replacement",
            PREF,
            DOBOKU,
            RefusalCode::HolderAlreadyRegistered,
        ),
        (
            "an expired card",
            "expired",
            PREF,
            DOBOKU,
            RefusalCode::CertificateExpired,
        ),
    ];
    for (what, name, organization, company, code) in cases {
        let before = server.tables().await;
        let refusal = register(&server, name, organization, company)
            .await
            .expect_err(what);
        assert_eq!(refusal.code, code, "{what}");
        assert_eq!(
            server.tables().await,
            before,
            "{what} changed the registration"
        );
    }
    let spoilers: [Spoiler; 4] = [
        ("an empty 連絡先氏名", |a| {
            a.details.contact.name = "  ".into()
        }),
        ("a telephone number with letters", |a| {
            a.details.contact.phone = "0956-OO-0458".into()
        }),
        ("an e-mail address without @", |a| {
            a.details.contact.email = "nyusatsu.example.jp".into()
        }),
        ("an empty 業者番号", |a| a.details.vendor_number.clear()),
    ];
    for (what, spoil) in spoilers {
        let mut typed = application(&server, "replacement", SASEBO, DOBOKU).await;
        spoil(&mut typed);
        let before = server.tables().await;
        let refusal = server.register_with(&typed).await.expect_err(what);
        assert_eq!(refusal.code, RefusalCode::FormIncomplete, "{what}");
        assert_eq!(
            server.tables().await,
            before,
            "{what} changed the registration"
        );
    }
    // A login's challenge does not register.
    let challenge = server
        .challenge(SASEBO, Purpose::Login, None)
        .await
        .expect("login challenge");
    let mut typed = application(&server, "replacement", SASEBO, DOBOKU).await;
    typed.proof = card("replacement").prove(&challenge);
    refused(
        &server,
        RefusalCode::ChallengeMismatch,
        server.register_with(&typed),
    )
    .await;

    let refusals = audit(&server.db().await)
        .await
        .into_iter()
        .filter(|(action, outcome, _)| action == "registration" && outcome != "ok")
        .count();
    assert_eq!(refusals, 11, "every refused application is audited");
}
