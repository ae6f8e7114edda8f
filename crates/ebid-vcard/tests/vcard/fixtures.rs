//! Keys, certificates and card files for the tests, made once per test run, and a little APDU harness.

use std::sync::OnceLock;

use ebid_vcard::VirtualCard;
use ebid_vcard::spec::{CardSpec, JpkiSpec, KeySlot, PinSpec, PivSpec, Quirks};
use rsa::pkcs8::EncodePrivateKey as _;
use sha2::{Digest as _, Sha256};

pub const SIGN_PASSWORD: &str = "ABC123";
pub const AUTH_PIN: &str = "1234";
pub const PIV_PIN: &str = "123456";
pub const CARD_UUID: [u8; 16] = *b"ebid-test-card-1";
/// The SHA-256 DigestInfo prefix (RFC 8017 §9.2 note 1).
pub const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// A key with its self-signed certificate.
pub struct Keyed {
    pub pkcs8: Vec<u8>,
    pub certificate: Vec<u8>,
}

fn rsa_key() -> rsa::PrivateKey {
    rsa::PrivateKey::new(&mut getrandom::SysRng, 2048).expect("RSA-2048 key")
}

fn certified(pkcs8: Vec<u8>, name: &str) -> Keyed {
    let key = rcgen::KeyPair::try_from(pkcs8.as_slice()).expect("rcgen takes the key");
    let mut params = rcgen::CertificateParams::new(Vec::new()).expect("params");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params.not_after = rcgen::date_time_ymd(2030, 6, 30);
    let certificate = params
        .self_signed(&key)
        .expect("certificate")
        .der()
        .to_vec();
    Keyed { pkcs8, certificate }
}

fn rsa_keyed(name: &str) -> Keyed {
    certified(
        rsa_key().to_pkcs8_der().expect("pkcs8").as_bytes().to_vec(),
        name,
    )
}

pub fn rsa_sign() -> &'static Keyed {
    static KEY: OnceLock<Keyed> = OnceLock::new();
    KEY.get_or_init(|| rsa_keyed("JPKI signing"))
}

pub fn rsa_auth() -> &'static Keyed {
    static KEY: OnceLock<Keyed> = OnceLock::new();
    KEY.get_or_init(|| rsa_keyed("JPKI authentication"))
}

pub fn p256() -> &'static Keyed {
    static KEY: OnceLock<Keyed> = OnceLock::new();
    KEY.get_or_init(|| {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("P-256 key");
        certified(key.serialize_der(), "PIV authentication")
    })
}

fn slot(keyed: &Keyed) -> KeySlot {
    KeySlot {
        certificate: keyed.certificate.clone(),
        private_key_pkcs8: keyed.pkcs8.clone(),
    }
}

pub fn jpki_spec(quirks: Quirks) -> JpkiSpec {
    JpkiSpec {
        sign_pin: PinSpec {
            value: SIGN_PASSWORD.into(),
            max_tries: 5,
            tries_left: 5,
        },
        sign: slot(rsa_sign()),
        sign_ca_certificate: rsa_auth().certificate.clone(),
        auth_pin: PinSpec {
            value: AUTH_PIN.into(),
            max_tries: 3,
            tries_left: 3,
        },
        auth: slot(rsa_auth()),
        auth_ca_certificate: rsa_sign().certificate.clone(),
        quirks,
    }
}

pub fn piv_spec(quirks: Quirks) -> PivSpec {
    PivSpec {
        pin: PinSpec {
            value: PIV_PIN.into(),
            max_tries: 3,
            tries_left: 3,
        },
        slot_9a: slot(p256()),
        slot_9c: slot(rsa_sign()),
        card_uuid: CARD_UUID.to_vec(),
        quirks,
    }
}

pub fn jpki(quirks: Quirks) -> VirtualCard {
    VirtualCard::from_spec(CardSpec::Jpki(jpki_spec(quirks))).expect("JPKI card")
}

pub fn piv(quirks: Quirks) -> VirtualCard {
    VirtualCard::from_spec(CardSpec::Piv(piv_spec(quirks))).expect("PIV card")
}

/// An APDU written in hex, spaces allowed.
pub fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|pair| {
            u8::from_str_radix(std::str::from_utf8(pair).expect("ascii"), 16).expect("hex digit")
        })
        .collect()
}

/// Sends one APDU; returns the data and the status word.
pub fn send(card: &mut VirtualCard, apdu: &[u8]) -> (Vec<u8>, u16) {
    let mut response = card.respond(apdu);
    assert!(response.len() >= 2, "a response always ends with SW1 SW2");
    let sw2 = response.pop().expect("sw2");
    let sw1 = response.pop().expect("sw1");
    (response, u16::from_be_bytes([sw1, sw2]))
}

/// Sends one APDU written in hex and expects a status word; returns the data.
pub fn expect(card: &mut VirtualCard, apdu: &str, sw: u16) -> Vec<u8> {
    let (data, got) = send(card, &hex(apdu));
    assert_eq!(got, sw, "{apdu}: got {got:04X}, wanted {sw:04X}");
    data
}

/// Sends one APDU and follows 61xx with GET RESPONSE until the end; returns all the data and the last status.
pub fn send_collecting(card: &mut VirtualCard, apdu: &[u8]) -> (Vec<u8>, u16) {
    let (mut data, mut sw) = send(card, apdu);
    while sw >> 8 == 0x61 {
        let (more, next) = send(card, &[0x00, 0xC0, 0x00, 0x00, sw as u8]);
        data.extend(more);
        sw = next;
    }
    (data, sw)
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// A DER DigestInfo for SHA-256 of `data`.
pub fn digest_info(data: &[u8]) -> Vec<u8> {
    let mut out = SHA256_PREFIX.to_vec();
    out.extend(sha256(data));
    out
}

/// The RSA public key of a certificate made here (read from its key, which the test holds).
pub fn rsa_public(keyed: &Keyed) -> rsa::PublicKey {
    use rsa::pkcs8::DecodePrivateKey as _;
    rsa::PrivateKey::from_pkcs8_der(&keyed.pkcs8)
        .expect("key")
        .to_public_key()
}

/// A short APDU with data and, if given, Le.
pub fn apdu(header: [u8; 4], data: &[u8], le: Option<u8>) -> Vec<u8> {
    let mut out = header.to_vec();
    out.push(u8::try_from(data.len()).expect("short Lc"));
    out.extend(data);
    out.extend(le);
    out
}

/// Random-looking bytes from a seed, for the no-panic sweeps (no RNG needed, and reproducible).
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}
