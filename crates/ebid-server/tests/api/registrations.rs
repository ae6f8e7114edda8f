//! `seed_registrations`, the seed of load runs: the users it registers log in and renew as any registered user
//! does, and a seed that fails leaves nothing behind.

use ebid_democa::{LOAD_COMPANY, LOAD_COMPANY_ADDRESS, LoadPair};
use ebid_protocol::{CardProof, Challenge, Company, CompanyKind, Purpose, SignatureAlgorithm};
use ebid_server::{Database, seed_registrations};
use ebid_vcard::spec::KeySlot;
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::hazmat::PrehashSigner as _;
use p256::pkcs8::DecodePrivateKey as _;

use crate::support::{CONSTRUCTION, PREF, TestServer, demo_set};

/// A load card's answer to `challenge`: ECDSA P-256 over the challenge's digest, DER-encoded as PIV returns it.
fn prove(slot: &KeySlot, challenge: &Challenge) -> CardProof {
    let key = SigningKey::from_pkcs8_der(&slot.private_key_pkcs8).expect("P-256 key");
    let signature: p256::ecdsa::Signature = key.sign_prehash(&challenge.digest()).expect("sign");
    CardProof {
        challenge_id: challenge.id.clone(),
        certificate: slot.certificate.clone(),
        signature: signature.to_der().as_bytes().to_vec(),
        algorithm: SignatureAlgorithm::EcdsaP256Sha256,
    }
}

fn company(vendor_number: &str) -> Company {
    Company {
        vendor_number: vendor_number.into(),
        name: LOAD_COMPANY.into(),
        address: LOAD_COMPANY_ADDRESS.into(),
        representative: "負荷 一郎".into(),
        phone: "095-000-9999".into(),
        kind: CompanyKind::Corporate,
    }
}

/// Each pair's holder with its current card.
fn current_cards(pairs: &[LoadPair]) -> Vec<(&str, &[u8])> {
    pairs
        .iter()
        .map(|pair| (pair.holder.as_str(), pair.current.certificate.as_slice()))
        .collect()
}

/// Seeds through a connection of the test's own, beside the running server's.
async fn seed(
    server: &TestServer,
    category: &str,
    vendor_number: &str,
    users: &[(&str, &[u8])],
) -> anyhow::Result<()> {
    let db = Database::open(&server.database).await.expect("database");
    let seeded = seed_registrations(&db, PREF, category, &company(vendor_number), users).await;
    db.close().await;
    seeded
}

#[tokio::test]
async fn seeded_users_log_in_and_renew() {
    let server = TestServer::start().await;
    let pairs = demo_set()
        .issue_load_pairs(2, server.clock_now())
        .expect("load pairs");
    seed(&server, CONSTRUCTION, "4219990000", &current_cards(&pairs))
        .await
        .expect("seed");

    for pair in &pairs {
        let challenge = server
            .challenge(PREF, Purpose::Login, None)
            .await
            .expect("login challenge");
        let login = server
            .login_with(&prove(&pair.current, &challenge))
            .await
            .expect("the current card logs in");
        assert_eq!(login.menu.company, company("4219990000"));
        assert_eq!(login.menu.user.holder, pair.holder);

        let token = login.session_token;
        let challenge = server
            .challenge(PREF, Purpose::RenewalNewCard, Some(&token))
            .await
            .expect("renewal challenge");
        let confirmation = server
            .proof_with(&token, &prove(&pair.replacement, &challenge))
            .await
            .expect("proof");
        assert_eq!(confirmation.violations, []);
        let result = server
            .commit(&token, &confirmation.renewal_id)
            .await
            .expect("commit");
        assert_eq!(result.new_serial, confirmation.new.serial);
    }
}

#[tokio::test]
async fn a_failed_seed_writes_nothing() {
    let server = TestServer::start().await;
    let pairs = demo_set()
        .issue_load_pairs(2, server.clock_now())
        .expect("load pairs");
    let cards = current_cards(&pairs);
    seed(&server, CONSTRUCTION, "4219990000", &cards[..1])
        .await
        .expect("seed");
    let before = server.tables().await;

    // The second user's certificate is registered here already: the new company and its first user go too.
    let again = [cards[1], cards[0]];
    let error = seed(&server, CONSTRUCTION, "4219990001", &again)
        .await
        .unwrap_err();
    assert!(format!("{error:#}").contains(&pairs[0].holder), "{error:#}");
    assert_eq!(server.tables().await, before);

    let error = seed(&server, "no-such-category", "4219990001", &cards[1..])
        .await
        .unwrap_err();
    assert!(error.to_string().contains("no-such-category"), "{error}");
    assert_eq!(server.tables().await, before);
}
