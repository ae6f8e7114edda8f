//! The PKCS#11 backend against the real SoftHSM2 module: tokens made in a temporary store, a key and its
//! certificate imported, then listed, read, logged into and signed with through `ebid_card::SigningCard`, the
//! signatures checked with the certificate's public key.
//!
//! SoftHSM2 reads its configuration (`SOFTHSM2_CONF`, whose `directories.tokendir` is the store) when the
//! module is initialised, once per process, and the workspace forbids the `unsafe` that `set_var` needs in a
//! running test. So this test is its own `main` (`harness = false`): run plainly, it makes the store in a
//! temporary directory and runs itself again with `SOFTHSM2_CONF` set; that second process runs the cases
//! one after the other, each on a token of its own.
//!
//! Without SoftHSM2 the test is skipped with a note, unless `EBID_REQUIRE_ALL=1` (as `cargo xtask test` sets).

use std::path::Path;
use std::process::{Command, ExitCode};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::object::{Attribute, CertificateType, KeyType, ObjectClass};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use ebid_card::{CardError, Pin, PinFormat, PinStatus, Profile, SignatureAlgorithm, SigningCard};
use ebid_pkcs11::{Module, ModuleError, TokenSlot};
use rcgen::{CertificateParams, KeyPair, PKCS_ECDSA_P256_SHA256, PKCS_RSA_SHA256};
use sha2::{Digest, Sha256};

/// Where Debian's `softhsm2` puts the module (the first is a link to the second on amd64).
const SOFTHSM_MODULES: [&str; 2] = [
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
];
/// Set in the second process: the module path, the store being ready.
const CHILD_MODULE: &str = "EBID_TEST_SOFTHSM_MODULE";
const SO_PIN: &str = "87654321";
const USER_PIN: &str = "123456";

fn main() -> ExitCode {
    match std::env::var_os(CHILD_MODULE) {
        Some(module) => {
            run_cases(Path::new(&module));
            ExitCode::SUCCESS
        }
        None => parent(),
    }
}

/// Makes the store and runs the cases in a process that has `SOFTHSM2_CONF`.
fn parent() -> ExitCode {
    let Some(module) = SOFTHSM_MODULES.iter().map(Path::new).find(|p| p.exists()) else {
        if std::env::var("EBID_REQUIRE_ALL").as_deref() == Ok("1") {
            eprintln!(
                "SoftHSM2 is required (EBID_REQUIRE_ALL=1): install the Debian package softhsm2"
            );
            return ExitCode::FAILURE;
        }
        eprintln!("note: skipping the SoftHSM2 tests: no libsofthsm2.so (Debian package softhsm2)");
        return ExitCode::SUCCESS;
    };
    let store = tempfile::tempdir().expect("a temporary directory");
    let tokens = store.path().join("tokens");
    std::fs::create_dir(&tokens).expect("the token directory");
    let conf = store.path().join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .expect("the SoftHSM2 configuration");
    let status = Command::new(std::env::current_exe().expect("this test's path"))
        .env("SOFTHSM2_CONF", &conf)
        .env(CHILD_MODULE, module)
        .status()
        .expect("the test runs itself again");
    if status.success() {
        ExitCode::SUCCESS
    } else {
        eprintln!("the SoftHSM2 cases failed: {status}");
        ExitCode::FAILURE
    }
}

/// A case's name and body, given the module's path.
type Case = (&'static str, fn(&Path));

fn run_cases(module_path: &Path) {
    let cases: [Case; 4] = [
        ("a module that is not there is named", module_not_loaded),
        ("P-256 key: listed, read, wrong PIN, signed", p256_token),
        ("RSA-2048 key: signed with CKM_RSA_PKCS", rsa_token),
        ("the signing key is the lowest CKA_ID", lowest_id_is_chosen),
    ];
    for (name, case) in cases {
        case(module_path);
        println!("ok: {name}");
    }
}

fn module_not_loaded(_: &Path) {
    let error = Module::load("/nonexistent/libnot-a-module.so").unwrap_err();
    assert!(matches!(error, ModuleError::Load { .. }));
    assert!(
        error
            .to_string()
            .contains("/nonexistent/libnot-a-module.so")
    );
}

/// A key pair and its self-signed certificate, as a token would hold them.
struct Credential {
    pkcs8: Vec<u8>,
    certificate: Vec<u8>,
    kind: KeyType,
}

fn credential(algorithm: &'static rcgen::SignatureAlgorithm, name: &str) -> Credential {
    let key = KeyPair::generate_for(algorithm).expect("a key");
    let certificate = CertificateParams::new(vec![name.to_owned()])
        .expect("parameters")
        .self_signed(&key)
        .expect("a certificate");
    Credential {
        pkcs8: key.serialize_der(),
        certificate: certificate.der().to_vec(),
        kind: if algorithm == &PKCS_RSA_SHA256 {
            KeyType::RSA
        } else {
            KeyType::EC
        },
    }
}

/// The private key's attributes for C_CreateObject, from its PKCS#8.
fn private_key_attributes(credential: &Credential) -> Vec<Attribute> {
    use rsa::pkcs1::der::Decode as _;
    let info = rsa::pkcs8::PrivateKeyInfoRef::from_der(&credential.pkcs8).expect("PKCS#8");
    let inner = info.private_key.as_bytes();
    if credential.kind == KeyType::RSA {
        let key = rsa::pkcs1::RsaPrivateKeyRef::from_der(inner).expect("PKCS#1");
        vec![
            Attribute::Modulus(key.modulus.as_bytes().to_vec()),
            Attribute::PublicExponent(key.public_exponent.as_bytes().to_vec()),
            Attribute::PrivateExponent(key.private_exponent.as_bytes().to_vec()),
            Attribute::Prime1(key.prime1.as_bytes().to_vec()),
            Attribute::Prime2(key.prime2.as_bytes().to_vec()),
            Attribute::Exponent1(key.exponent1.as_bytes().to_vec()),
            Attribute::Exponent2(key.exponent2.as_bytes().to_vec()),
            Attribute::Coefficient(key.coefficient.as_bytes().to_vec()),
        ]
    } else {
        let key = p256::SecretKey::from_sec1_der(inner).expect("SEC1");
        vec![
            // The DER OID prime256v1.
            Attribute::EcParams(vec![
                0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
            ]),
            Attribute::Value(key.to_bytes().to_vec()),
        ]
    }
}

/// Initialises a fresh token labelled `label` in the module's free slot, sets the user PIN and puts each
/// credential on it with its `CKA_ID`: the private key (a private object, as on a CA's card) and the
/// certificate.
fn make_token(module_path: &Path, label: &str, credentials: &[(&[u8], &Credential)]) {
    let context = Pkcs11::new(module_path).expect("SoftHSM2 loads");
    // The module is already initialised when ebid_pkcs11 loaded it first in this process; either is fine.
    let _ = context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK));
    let free = context
        .get_slots_with_token()
        .expect("slots")
        .into_iter()
        .find(|&slot| {
            !context
                .get_token_info(slot)
                .expect("info")
                .token_initialized()
        })
        .expect("SoftHSM2 always offers a free slot");
    context
        .init_token(free, &AuthPin::new(SO_PIN.into()), label)
        .expect("C_InitToken");
    // SoftHSM2 renumbers its slots after C_InitToken: the token is found again by its label.
    let slot = context
        .get_slots_with_initialized_token()
        .expect("slots")
        .into_iter()
        .find(|&slot| {
            context
                .get_token_info(slot)
                .expect("info")
                .label()
                .trim_end()
                == label
        })
        .expect("the new token");
    let session = context.open_rw_session(slot).expect("a session");
    session
        .login(UserType::So, Some(&AuthPin::new(SO_PIN.into())))
        .expect("SO login");
    session
        .init_pin(&AuthPin::new(USER_PIN.into()))
        .expect("C_InitPIN");
    session.logout().expect("logout");
    session
        .login(UserType::User, Some(&AuthPin::new(USER_PIN.into())))
        .expect("user login");
    for (id, credential) in credentials {
        let mut key = vec![
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::KeyType(credential.kind),
            Attribute::Token(true),
            Attribute::Private(true),
            Attribute::Sensitive(true),
            Attribute::Sign(true),
            Attribute::Id(id.to_vec()),
        ];
        key.extend(private_key_attributes(credential));
        session.create_object(&key).expect("the private key");
        let (_, parsed) =
            x509_parser::parse_x509_certificate(&credential.certificate).expect("a certificate");
        session
            .create_object(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::CertificateType(CertificateType::X_509),
                Attribute::Token(true),
                Attribute::Private(false),
                Attribute::Id(id.to_vec()),
                Attribute::Subject(parsed.subject().as_raw().to_vec()),
                Attribute::Value(credential.certificate.clone()),
            ])
            .expect("the certificate");
    }
    session.logout().expect("logout");
}

fn listed(module: &Module, label: &str) -> TokenSlot {
    module
        .tokens()
        .expect("the slots")
        .into_iter()
        .find(|token| token.label == label)
        .unwrap_or_else(|| panic!("token {label} is listed"))
}

/// Checks `signature` over `digest` with the public key of `certificate`.
fn assert_verifies(certificate: &[u8], digest: &[u8; 32], signature: &ebid_card::Signature) {
    use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
    use rsa::pkcs8::DecodePublicKey as _;
    let (_, parsed) = x509_parser::parse_x509_certificate(certificate).expect("a certificate");
    let spki = parsed.public_key().raw;
    match signature.algorithm {
        SignatureAlgorithm::RsaPkcs1Sha256 => {
            let key = rsa::PublicKey::from_public_key_der(spki).expect("an RSA key");
            key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), digest, &signature.bytes)
                .expect("the RSA signature verifies");
        }
        SignatureAlgorithm::EcdsaP256Sha256 => {
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(spki).expect("a P-256 key");
            let der = p256::ecdsa::DerSignature::from_bytes(&signature.bytes).expect("DER ECDSA");
            key.verify_prehash(digest, &der)
                .expect("the ECDSA signature verifies");
        }
    }
}

fn p256_token(module_path: &Path) {
    let module = Module::load(module_path).expect("SoftHSM2 loads and initialises");
    let credential = credential(&PKCS_ECDSA_P256_SHA256, "p256 holder");
    make_token(module_path, "ebid p256", &[(b"\x01", &credential)]);

    let slot = listed(&module, "ebid p256");
    assert!(!slot.serial.is_empty());
    assert!(!slot.reader.is_empty());
    assert_eq!(slot.pin, PinStatus::TriesUnknown { low: false });

    let mut token = module.open(&slot).expect("the token opens");
    assert_eq!(token.profile(), Profile::Pkcs11);
    assert_eq!(token.apdus_sent(), 0);
    assert!(matches!(
        token.pin_format(),
        PinFormat::Token { min_len: 4, .. }
    ));
    // The private key is a private object: the certificate is found by it only after the PIN.
    assert!(token.certificate_needs_pin());
    assert!(matches!(
        token.signing_certificate(),
        Err(CardError::PinNotVerified)
    ));
    assert!(matches!(
        token.sign_sha256(&[0; 32]),
        Err(CardError::PinNotVerified)
    ));
    assert_eq!(
        token.pin_status().unwrap(),
        PinStatus::TriesUnknown { low: false }
    );

    let wrong = token.verify_pin(&Pin::new("000000")).unwrap_err();
    let after_wrong = token.pin_status().unwrap();
    println!("SoftHSM2 after a wrong PIN: {wrong:?}, then {after_wrong:?}");
    // SoftHSM2 keeps no count of tries (no FINAL_TRY, no LOCKED): no number is invented; it raises
    // CKF_USER_PIN_COUNT_LOW after a wrong PIN.
    assert!(matches!(wrong, CardError::WrongPinTriesUnknown));
    assert_eq!(after_wrong, PinStatus::TriesUnknown { low: true });
    assert!(matches!(
        token.verify_pin(&Pin::new("12")),
        Err(CardError::PinFormat(_))
    ));

    token
        .verify_pin(&Pin::new(USER_PIN))
        .expect("the right PIN");
    assert_eq!(token.pin_status().unwrap(), PinStatus::Verified);
    assert_eq!(token.signing_certificate().unwrap(), credential.certificate);
    let digest: [u8; 32] = Sha256::digest(b"ICcard renewal request").into();
    let signature = token.sign_sha256(&digest).expect("a signature");
    assert_eq!(signature.algorithm, SignatureAlgorithm::EcdsaP256Sha256);
    assert_verifies(&credential.certificate, &digest, &signature);
    // Logged in for the session: a second signature needs no second PIN.
    let second: [u8; 32] = Sha256::digest(b"second place").into();
    assert_verifies(
        &credential.certificate,
        &second,
        &token.sign_sha256(&second).unwrap(),
    );
}

fn rsa_token(module_path: &Path) {
    let module = Module::load(module_path).expect("SoftHSM2 loads again");
    let credential = credential(&PKCS_RSA_SHA256, "rsa holder");
    make_token(module_path, "ebid rsa", &[(b"\x45", &credential)]);
    let mut token = module
        .open(&listed(&module, "ebid rsa"))
        .expect("the token opens");
    token
        .verify_pin(&Pin::new(USER_PIN))
        .expect("the right PIN");
    assert_eq!(token.signing_certificate().unwrap(), credential.certificate);
    let digest: [u8; 32] = Sha256::digest(b"RSA request").into();
    let signature = token.sign_sha256(&digest).expect("a signature");
    assert_eq!(signature.algorithm, SignatureAlgorithm::RsaPkcs1Sha256);
    assert_eq!(signature.bytes.len(), 256);
    assert_verifies(&credential.certificate, &digest, &signature);
}

fn lowest_id_is_chosen(module_path: &Path) {
    let module = Module::load(module_path).expect("SoftHSM2 loads again");
    let second = credential(&PKCS_ECDSA_P256_SHA256, "second key");
    let first = credential(&PKCS_ECDSA_P256_SHA256, "first key");
    // Created in the other order, so that the module's own order is not what decides.
    make_token(
        module_path,
        "ebid two keys",
        &[(b"\x02", &second), (b"\x01\x09", &first)],
    );
    let mut token = module
        .open(&listed(&module, "ebid two keys"))
        .expect("the token opens");
    token
        .verify_pin(&Pin::new(USER_PIN))
        .expect("the right PIN");
    assert_eq!(token.signing_certificate().unwrap(), first.certificate);
    let digest: [u8; 32] = Sha256::digest(b"which key").into();
    assert_verifies(
        &first.certificate,
        &digest,
        &token.sign_sha256(&digest).unwrap(),
    );
}
