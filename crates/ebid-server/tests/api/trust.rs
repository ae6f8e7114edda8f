//! The server's trust decisions over real HTTP: certificates that may never be a card, revocation that fails
//! closed unless the operator exempts a CA, CRLs replaced on disk while the server runs, trusted CAs that
//! expire, and intermediates configured with `--intermediate`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ebid_protocol::{CardProof, Purpose, RefusalCode};
use ebid_server::{Clock as _, Running, ServeArgs, SystemClock, start};
use ebid_trust::{TrustFiles, TrustStore};
use rcgen::ExtendedKeyUsagePurpose;
use time::Duration;

use ebid_democa::DemoSet;

use crate::support::{
    PREF, Reply, RunningClient, TestServer, ca, ca_params, card, copy_demo_set, crl, demo_root,
    demo_serve_args, demo_set, demo_trust_files, issue, new_card_params, refused, replace_file,
};

/// The new card's proof inside `token`'s session at 長崎県.
async fn new_card_proof(
    server: &TestServer,
    token: &str,
    prove: impl Fn(&ebid_protocol::Challenge) -> CardProof,
) -> Reply<ebid_protocol::RenewalConfirmation> {
    let challenge = server
        .challenge(PREF, Purpose::RenewalNewCard, Some(token))
        .await
        .expect("challenge");
    server.proof_with(token, &prove(&challenge)).await
}

// --- Certificates that are no card ---

#[tokio::test]
async fn a_ca_certificate_presented_as_a_new_card_is_refused_outright() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    // A sub-CA of the demo root, named like the user, proving with its own key.
    let (_sub, as_card) = ca(new_card_params(1), Some(&demo_root()));
    refused(
        &server,
        RefusalCode::BadCertificate,
        new_card_proof(&server, &token, |challenge| as_card.prove(challenge)),
    )
    .await;
}

#[tokio::test]
async fn a_server_auth_only_certificate_is_listed_and_refused_as_a_new_card() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    // The same card without the extension would do: the DN and dates match the registration.
    let plain = issue(&new_card_params(2), &demo_root());
    let confirmation = new_card_proof(&server, &token, |challenge| plain.prove(challenge))
        .await
        .expect("proof");
    assert_eq!(confirmation.violations, []);

    let mut params = new_card_params(3);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_auth = issue(&params, &demo_root());
    let confirmation = new_card_proof(&server, &token, |challenge| server_auth.prove(challenge))
        .await
        .expect("a confirmation listing the violation");
    let codes: Vec<_> = confirmation.violations.iter().map(|v| v.code).collect();
    assert_eq!(codes, [RefusalCode::NoSigningKeyUsage]);
    refused(
        &server,
        RefusalCode::NoSigningKeyUsage,
        server.commit(&token, &confirmation.renewal_id),
    )
    .await;
}

// --- Revocation fails closed; CRLs replaced on disk ---

#[tokio::test]
async fn a_crl_replaced_on_disk_revokes_a_card_without_a_restart_and_a_fresh_one_replaces_a_stale_one()
 {
    let dir = tempfile::tempdir().expect("temporary folder");
    let set = copy_demo_set(dir.path());
    let files = demo_trust_files(&set);
    let server = TestServer::start_with(|config| {
        config.trust = TrustStore::load(&files, config.clock.now()).expect("trust store");
    })
    .await;
    server.logged_in("current", PREF).await;
    let now = server.clock_now();
    let crl_file = &set.ca.demo_root_crl.der;
    let serial = |name: &str| card(name).facts().serial;
    let revoked_serial = hex(&serial("revoked"));
    let current_serial = hex(&serial("current"));

    replace_file(
        crl_file,
        crl(&demo_root(), &[&revoked_serial, &current_serial], now).der(),
    );
    refused(
        &server,
        RefusalCode::CertificateRevoked,
        server.login("current", PREF),
    )
    .await;

    // A stale CRL: the server's revocation data is old, which is neither the card's fault nor a crash.
    replace_file(
        crl_file,
        crl(&demo_root(), &[&revoked_serial], now - Duration::days(31)).der(),
    );
    let refusal = server
        .login("current", PREF)
        .await
        .expect_err("out of date");
    assert_eq!(refusal.code, RefusalCode::RevocationListOutOfDate);
    assert_eq!(refusal.code.http_status(), 503);

    replace_file(crl_file, crl(&demo_root(), &[&revoked_serial], now).der());
    server.logged_in("current", PREF).await;
    refused(
        &server,
        RefusalCode::CertificateRevoked,
        server.login("revoked", PREF),
    )
    .await;
}

#[tokio::test]
async fn a_new_card_of_a_ca_without_a_crl_is_refused_outright() {
    let files = TrustFiles {
        crls: vec![demo_set().ca.demo_root_crl.der.clone()],
        ..demo_trust_files(demo_set())
    };
    let server = TestServer::start_with(|config| {
        config.trust = TrustStore::load(&files, config.clock.now()).expect("trust store");
    })
    .await;
    refused(
        &server,
        RefusalCode::RevocationUnavailable,
        server.login("jpki", PREF),
    )
    .await;
    let token = server.logged_in("current", PREF).await;
    refused(
        &server,
        RefusalCode::RevocationUnavailable,
        server.renewal_proof(&token, PREF, "jpki-replacement"),
    )
    .await;
}

/// Serial numbers as the facts print them (upper-case hex), back to bytes.
fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).expect("hex serial"))
        .collect()
}

// --- `ebid-server`'s flags ---

fn args(data: &Path) -> ServeArgs {
    ServeArgs {
        listen: "127.0.0.1:0".parse().expect("address"),
        ..ServeArgs::new(data.to_path_buf())
    }
}

/// Starts `ebid-server` with `args`, on the system clock.
async fn serve(args: ServeArgs) -> Running {
    start(args, Arc::new(SystemClock)).await.expect("starts")
}

/// Seeds the demo into `data` once, as the demo starts the server, and checks that both demo CAs' cards log in.
async fn seeded(data: &Path, set: &DemoSet) {
    let running = serve(demo_serve_args(set, data)).await;
    let client = RunningClient::of(&running);
    client.login("current").await.expect("the demo root's card");
    client
        .login("jpki")
        .await
        .expect("the demo JPKI CA's card, checked against its CRL");
    running.stop().await.expect("stops");
}

#[tokio::test]
async fn a_ca_without_a_crl_is_refused_unless_named_with_no_revocation_check() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let set = copy_demo_set(&dir.path().join("demo"));
    let data = dir.path().join("data");
    seeded(&data, &set).await;
    let without_jpki_crl = ServeArgs {
        trust_ca: vec![
            set.ca.demo_root.der.clone(),
            set.ca.demo_jpki_root.pem.clone(),
        ],
        crl: vec![set.ca.demo_root_crl.der.clone()],
        ..args(&data)
    };

    let running = serve(without_jpki_crl.clone()).await;
    let client = RunningClient::of(&running);
    let refusal = client
        .login("jpki")
        .await
        .expect_err("no CRL of the JPKI CA");
    assert_eq!(refusal.code, RefusalCode::RevocationUnavailable);
    assert!(refusal.message.contains("失効"), "{}", refusal.message);
    client
        .login("current")
        .await
        .expect("the demo root's cards are checked as before");
    running.stop().await.expect("stops");

    let running = serve(ServeArgs {
        no_revocation_check: vec![set.ca.demo_jpki_root.der.clone()],
        ..without_jpki_crl
    })
    .await;
    let client = RunningClient::of(&running);
    client
        .login("jpki")
        .await
        .expect("the operator exempted the JPKI CA");
    let refusal = client.login("revoked").await.expect_err("still checked");
    assert_eq!(refusal.code, RefusalCode::CertificateRevoked);
    running.stop().await.expect("stops");
}

/// Writes `bytes` into `dir/name`.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[tokio::test]
async fn a_chain_through_an_intermediate_is_accepted_with_intermediate_and_refused_without() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let set = copy_demo_set(&dir.path().join("demo"));
    let data = dir.path().join("data");
    seeded(&data, &set).await;
    let now = SystemClock.now();
    let (sub, _) = ca(
        ca_params(
            "ebid デモ中間認証局",
            now - Duration::days(100),
            now + Duration::days(3650),
        ),
        Some(&demo_root()),
    );
    let sub_file = write(dir.path(), "sub.pem", sub.pem().as_bytes());
    let sub_crl = write(dir.path(), "sub.crl.der", crl(&sub, &[], now).der());
    let new_card = issue(&new_card_params(4), &sub);
    let mut demo = demo_serve_args(&set, &data);
    demo.crl.push(sub_crl);

    let running = serve(demo.clone()).await;
    let violations = RunningClient::of(&running)
        .new_card_violations(&new_card)
        .await;
    assert_eq!(violations, [RefusalCode::UntrustedIssuer]);
    running.stop().await.expect("stops");

    let running = serve(ServeArgs {
        intermediate: vec![sub_file],
        ..demo
    })
    .await;
    let violations = RunningClient::of(&running)
        .new_card_violations(&new_card)
        .await;
    assert_eq!(violations, []);
    running.stop().await.expect("stops");
}

// --- Trusted CAs that expire ---

#[tokio::test]
async fn an_anchor_expired_when_the_server_starts_stops_it_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let now = SystemClock.now();
    let (expired, _) = ca(
        ca_params(
            "ebid 期限切れ認証局",
            now - Duration::days(400),
            now - Duration::days(1),
        ),
        None,
    );
    let file = write(dir.path(), "expired.der", expired.der());
    let error = start(
        ServeArgs {
            trust_ca: vec![file],
            ..args(&dir.path().join("data"))
        },
        Arc::new(SystemClock),
    )
    .await
    .err()
    .expect("the server refuses to start");
    let message = format!("{error:#}");
    assert!(
        message.contains("ebid 期限切れ認証局") && message.contains("expired on"),
        "{message}"
    );
}

#[tokio::test]
async fn a_new_card_of_a_trusted_ca_that_has_since_expired_is_refused_for_it() {
    let generated = demo_set().generated_at;
    // The server's clock starts an hour after the demo set was made: the CA ends an hour later.
    let ca_end = generated + Duration::hours(2);
    let (short_lived, _) = ca(
        ca_params(
            "ebid まもなく期限切れ認証局",
            generated - Duration::days(400),
            ca_end,
        ),
        None,
    );
    let mut params = new_card_params(5);
    params.not_after = generated + Duration::days(4 * 365);
    let new_card = issue(&params, &short_lived);
    let server = TestServer::start_with(|config| {
        let set = demo_set();
        let read = |path: &Path| std::fs::read(path).expect("read");
        config.trust = TrustStore::new(
            vec![
                read(&set.ca.demo_root.der),
                read(&set.ca.demo_jpki_root.der),
                short_lived.der().to_vec(),
            ],
            vec![
                read(&set.ca.demo_root_crl.der),
                read(&set.ca.demo_jpki_root_crl.der),
                crl(&short_lived, &[], generated).der().to_vec(),
            ],
            config.clock.now(),
        )
        .expect("the CA is valid when the server starts");
    })
    .await;
    let token = server.logged_in("current", PREF).await;
    let confirmation = new_card_proof(&server, &token, |challenge| new_card.prove(challenge))
        .await
        .expect("proof");
    assert_eq!(confirmation.violations, []);

    server.clock.set(ca_end + Duration::seconds(1));
    let token = server.logged_in("current", PREF).await;
    let confirmation = new_card_proof(&server, &token, |challenge| new_card.prove(challenge))
        .await
        .expect("proof");
    let codes: Vec<_> = confirmation.violations.iter().map(|v| v.code).collect();
    assert_eq!(codes, [RefusalCode::IssuerExpired]);
}
