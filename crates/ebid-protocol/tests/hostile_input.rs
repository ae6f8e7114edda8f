//! Hostile input for the wire protocol. The server decodes what any stranger posts to it, and the client
//! decodes what answers at the server's address: whatever those bytes are, decoding never panics, and what
//! decodes encodes back to itself. Every value the types can hold survives JSON unchanged.
//!
//! Bounded by default (proptest's 256 cases a property); `cargo xtask fuzz` runs many more through
//! `PROPTEST_CASES`.

use std::fmt::Debug;

use ebid_protocol::*;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use time::{OffsetDateTime, UtcOffset};

/// Decodes `json` as `T`; when that succeeds, the value must encode and decode back to itself.
fn decodes_or_refuses<T: Serialize + DeserializeOwned + PartialEq + Debug>(json: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(json) {
        let again = serde_json::to_vec(&value).expect("a decoded value encodes");
        assert_eq!(
            serde_json::from_slice::<T>(&again).expect("its encoding decodes"),
            value
        );
    }
}

/// Every type a server or a client decodes.
fn decode_as_every_type(json: &[u8]) {
    decodes_or_refuses::<ChallengeRequest>(json);
    decodes_or_refuses::<CardProof>(json);
    decodes_or_refuses::<ServerTime>(json);
    decodes_or_refuses::<Vec<Organization>>(json);
    decodes_or_refuses::<Challenge>(json);
    decodes_or_refuses::<LoginResponse>(json);
    decodes_or_refuses::<Menu>(json);
    decodes_or_refuses::<RenewalConfirmation>(json);
    decodes_or_refuses::<RenewalResult>(json);
    decodes_or_refuses::<RegistrationInfo>(json);
    decodes_or_refuses::<Refusal>(json);
}

/// Every field name of the protocol, so that generated objects often look like the real thing.
const FIELD_NAMES: &[&str] = &[
    "server_time",
    "protocol_version",
    "id",
    "name",
    "categories",
    "organization",
    "category",
    "purpose",
    "challenge_id",
    "certificate",
    "signature",
    "algorithm",
    "session_token",
    "idle_timeout_seconds",
    "menu",
    "company",
    "user",
    "items",
    "vendor_number",
    "address",
    "representative",
    "phone",
    "holder",
    "serial",
    "issuer",
    "not_after",
    "not_after_jst",
    "status",
    "registered_at",
    "company_name",
    "company_address",
    "card_company",
    "card_holder",
    "card_address",
    "renewal_id",
    "current",
    "new",
    "violations",
    "old_serial",
    "new_serial",
    "committed_at",
    "users",
    "certificates",
    "nonce",
    "expires_at",
    "code",
    "message",
    "next_step",
];

/// Every enum variant's wire name.
const VARIANT_NAMES: &[&str] = &[
    "login",
    "renewal_new_card",
    "rsa_pkcs1_sha256",
    "ecdsa_p256_sha256",
    "register",
    "change",
    "renew",
    "active",
    "superseded",
    "current_card_expired",
    "bad_request",
    "server_error",
    "new_registration",
    "retry",
    "contact_issuer",
];

/// Every instant RFC 3339 can write: years 0000 to 9999 in the offset written, offsets of whole minutes.
fn instant() -> impl Strategy<Value = OffsetDateTime> {
    const YEAR_0: i64 = -62_167_219_200;
    const YEAR_9999_END: i64 = 253_402_300_799;
    (
        YEAR_0..=YEAR_9999_END,
        0..1_000_000_000u32,
        -(23 * 60 + 59)..=(23 * 60 + 59),
    )
        .prop_filter_map("outside years 0000 to 9999", |(seconds, nanos, minutes)| {
            let offset = UtcOffset::from_whole_seconds(minutes * 60).ok()?;
            let at = OffsetDateTime::from_unix_timestamp(seconds)
                .ok()?
                .replace_nanosecond(nanos)
                .ok()?
                .checked_to_offset(offset)?;
            (0..=9999).contains(&at.year()).then_some(at)
        })
}

/// Strings a field of the protocol might hold, and some it should not.
fn wire_string() -> impl Strategy<Value = String> {
    use base64::Engine as _;
    prop_oneof![
        any::<String>(),
        prop::sample::select(VARIANT_NAMES).prop_map(str::to_owned),
        prop::sample::select(FIELD_NAMES).prop_map(str::to_owned),
        prop::collection::vec(any::<u8>(), 0..48)
            .prop_map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes)),
        instant().prop_map(|at| at
            .format(&time::format_description::well_known::Rfc3339)
            .expect("RFC 3339 writes every instant of the strategy")),
        // Almost RFC 3339: right shape, any digits (month 13, 25 o'clock, second 60, offset +99:99).
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})",
    ]
}

/// Any JSON value, biased towards the protocol's names, strings and numbers.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        wire_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        let key = prop_oneof![
            prop::sample::select(FIELD_NAMES).prop_map(str::to_owned),
            any::<String>()
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

prop_compose! {
    fn refusal()(code in prop::sample::select(ALL_CODES), message in any::<String>(),
                 keep_step in any::<bool>()) -> Refusal {
        let mut refusal = Refusal::from(code);
        refusal.message = message;
        if !keep_step {
            refusal.next_step = None;
        }
        refusal
    }
}

const ALL_CODES: &[RefusalCode] = &[
    RefusalCode::CurrentCardExpired,
    RefusalCode::CurrentCardNotRegistered,
    RefusalCode::UntrustedIssuer,
    RefusalCode::CertificateExpired,
    RefusalCode::CertificateNotYetValid,
    RefusalCode::CertificateRevoked,
    RefusalCode::NoSigningKeyUsage,
    RefusalCode::NewCardAlreadyRegistered,
    RefusalCode::NewCardNotNewer,
    RefusalCode::CompanyDiffers,
    RefusalCode::HolderDiffers,
    RefusalCode::BadSignature,
    RefusalCode::ChallengeExpired,
    RefusalCode::ChallengeReplayed,
    RefusalCode::ChallengeMismatch,
    RefusalCode::SessionExpired,
    RefusalCode::SessionEnded,
    RefusalCode::BadCertificate,
    RefusalCode::UnknownOrganization,
    RefusalCode::RenewalNotFound,
    RefusalCode::BadRequest,
    RefusalCode::ServerError,
];

fn origin() -> impl Strategy<Value = Origin> {
    prop_oneof![
        Just("https://ebid.pref.nagasaki.example"),
        Just("http://127.0.0.1:7878"),
        Just("https://xn--eckwd4c7c.example:8443"),
    ]
    .prop_map(|text| Origin::parse(text).expect("a valid origin"))
}

fn company_kind() -> impl Strategy<Value = CompanyKind> {
    prop_oneof![
        Just(CompanyKind::Corporate),
        Just(CompanyKind::SoleProprietor)
    ]
}

fn purpose() -> impl Strategy<Value = Purpose> {
    prop_oneof![Just(Purpose::Login), Just(Purpose::RenewalNewCard)]
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..600)
}

prop_compose! {
    fn challenge()(id in any::<String>(), organization in any::<String>(), category in any::<String>(),
                   purpose in purpose(), nonce in bytes(), expires_at in instant(),
                   origin in origin()) -> Challenge {
        Challenge { id, origin, organization, category, purpose, nonce, expires_at }
    }
}

prop_compose! {
    fn card_proof()(challenge_id in any::<String>(), certificate in bytes(), signature in bytes(),
                    ecdsa in any::<bool>()) -> CardProof {
        let algorithm = if ecdsa {
            SignatureAlgorithm::EcdsaP256Sha256
        } else {
            SignatureAlgorithm::RsaPkcs1Sha256
        };
        CardProof { challenge_id, certificate, signature, algorithm }
    }
}

prop_compose! {
    fn company()(vendor_number in any::<String>(), name in any::<String>(), address in any::<String>(),
                 representative in any::<String>(), phone in any::<String>(),
                 kind in company_kind()) -> Company {
        Company { vendor_number, name, address, representative, phone, kind }
    }
}

prop_compose! {
    fn certificate_entry()(serial in any::<String>(), issuer in any::<String>(), not_after in instant(),
                           not_after_jst in any::<String>(), active in any::<bool>(),
                           registered_at in instant()) -> CertificateEntry {
        let status = if active { CertificateStatus::Active } else { CertificateStatus::Superseded };
        CertificateEntry { serial, issuer, not_after, not_after_jst, status, registered_at }
    }
}

prop_compose! {
    fn menu()(organization in any::<String>(), category in any::<String>(), company in company(),
              id in any::<i64>(), holder in any::<String>(), certificate in certificate_entry(),
              items in prop::collection::vec(
                  prop_oneof![Just(MenuItem::Register), Just(MenuItem::Change), Just(MenuItem::Renew)],
                  0..4)) -> Menu {
        let contact = Contact::default();
        Menu { organization, category, company, user: RegisteredUser { id, holder, certificate, contact }, items }
    }
}

prop_compose! {
    fn card_column()(company_name in any::<String>(), company_address in any::<String>(),
                     card_company in any::<Option<String>>(), card_holder in any::<Option<String>>(),
                     card_address in any::<Option<String>>(), serial in any::<String>(),
                     issuer in any::<String>(), not_after in instant(),
                     not_after_jst in any::<String>()) -> CardColumn {
        CardColumn {
            company_name, company_address, card_company, card_holder, card_address, serial, issuer,
            not_after, not_after_jst,
        }
    }
}

prop_compose! {
    fn registration_info()(organization in any::<String>(), company in company(),
                           users in prop::collection::vec(
                               (any::<i64>(), any::<String>(),
                                prop::collection::vec(certificate_entry(), 0..3)),
                               0..3)) -> RegistrationInfo {
        let users = users
            .into_iter()
            .map(|(id, holder, certificates)| RegisteredUserListing {
                id,
                holder,
                certificates,
                contact: Contact::default(),
            })
            .collect();
        RegistrationInfo { organization, company, users }
    }
}

/// Every value survives JSON unchanged.
fn round_trips<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    let json = serde_json::to_vec(value).expect("every value encodes");
    assert_eq!(&serde_json::from_slice::<T>(&json).expect("decodes"), value);
}

/// Replaces (or, when `delete`, removes) one node of `document`, chosen by `at` among all of them.
fn mutate(document: &mut Value, at: Index, replacement: Value, delete: bool) {
    fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    pointers(child, format!("{here}/{escaped}"), out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    pointers(child, format!("{here}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(here);
    }
    let mut all = Vec::new();
    pointers(document, String::new(), &mut all);
    let pointer = at.get(&all).clone();
    if delete && let Some((parent, last)) = pointer.rsplit_once('/') {
        let key = last.replace("~1", "/").replace("~0", "~");
        match document.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.remove(&key);
            }
            Some(Value::Array(items)) => {
                if let Ok(i) = key.parse::<usize>() {
                    items.remove(i);
                }
            }
            _ => unreachable!("a pointer's parent is an object or an array"),
        }
        return;
    }
    *document
        .pointer_mut(&pointer)
        .expect("the pointer was taken from this document") = replacement;
}

/// A message as a JSON tree, to be mutated.
fn tree<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("every value encodes")
}

/// A valid message of some type, as a JSON tree.
fn valid_document() -> impl Strategy<Value = Value> {
    prop_oneof![
        challenge().prop_map(tree),
        card_proof().prop_map(tree),
        menu().prop_map(tree),
        (menu(), any::<String>(), any::<u64>()).prop_map(
            |(menu, session_token, idle_timeout_seconds)| {
                tree(LoginResponse {
                    session_token,
                    idle_timeout_seconds,
                    menu,
                })
            }
        ),
        (
            any::<String>(),
            card_column(),
            card_column(),
            prop::collection::vec(refusal(), 0..3)
        )
            .prop_map(|(renewal_id, current, new, violations)| {
                tree(RenewalConfirmation {
                    renewal_id,
                    current,
                    new,
                    violations,
                })
            }),
        registration_info().prop_map(tree),
        refusal().prop_map(tree),
        (instant(), any::<u32>()).prop_map(|(server_time, protocol_version)| {
            tree(ServerTime {
                server_time,
                protocol_version,
            })
        }),
    ]
}

proptest! {
    /// The origin a challenge names is parsed from what a server sends and from what an operator types: any
    /// text is an origin or an error, and an origin reads back as itself.
    #[test]
    fn any_text_is_an_origin_in_its_normal_form_or_an_error(text in "\\PC{0,40}|https?://[a-zA-Z0-9.:-]{0,30}") {
        if let Ok(origin) = Origin::parse(&text) {
            prop_assert_eq!(Origin::parse(origin.as_str()).expect("its own normal form"), origin);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_a_decoder(json in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_as_every_type(&json);
    }

    #[test]
    fn arbitrary_json_never_panics_a_decoder(value in json_value()) {
        decode_as_every_type(&serde_json::to_vec(&value).expect("a JSON tree encodes"));
    }

    #[test]
    fn mutated_messages_never_panic_a_decoder(
        mut document in valid_document(),
        at in any::<Index>(),
        replacement in json_value(),
        delete in any::<bool>(),
    ) {
        mutate(&mut document, at, replacement, delete);
        decode_as_every_type(&serde_json::to_vec(&document).expect("a JSON tree encodes"));
    }

    #[test]
    fn truncated_messages_never_panic_a_decoder(document in valid_document(), cut in any::<Index>()) {
        let json = serde_json::to_vec(&document).expect("a JSON tree encodes");
        decode_as_every_type(&json[..cut.index(json.len() + 1)]);
    }

    #[test]
    fn requests_round_trip(
        request in (any::<String>(), any::<String>(), purpose()),
        proof in card_proof(),
    ) {
        let (organization, category, purpose) = request;
        round_trips(&ChallengeRequest { organization, category, purpose });
        round_trips(&proof);
    }

    #[test]
    fn answers_round_trip(
        challenge in challenge(),
        menu in menu(),
        info in registration_info(),
        current in card_column(),
        new in card_column(),
        violations in prop::collection::vec(refusal(), 0..4),
        result in (any::<String>(), any::<String>(), any::<String>(), any::<String>(), instant()),
    ) {
        round_trips(&challenge);
        round_trips(&LoginResponse { session_token: "t".into(), idle_timeout_seconds: 600, menu: menu.clone() });
        round_trips(&menu);
        round_trips(&info);
        round_trips(&RenewalConfirmation { renewal_id: "r".into(), current, new, violations: violations.clone() });
        for refusal in &violations {
            round_trips(refusal);
        }
        let (renewal_id, organization, old_serial, new_serial, committed_at) = result;
        round_trips(&RenewalResult { renewal_id, organization, old_serial, new_serial, committed_at });
        round_trips(&ServerTime { server_time: challenge.expires_at, protocol_version: VERSION });
    }

    /// The signed bytes are a pure function of the challenge: what decodes from the wire signs the same as
    /// what was sent.
    #[test]
    fn a_decoded_challenge_signs_the_same_bytes(challenge in challenge()) {
        let json = serde_json::to_vec(&challenge).expect("encodes");
        let decoded: Challenge = serde_json::from_slice(&json).expect("decodes");
        prop_assert_eq!(decoded.to_be_signed(), challenge.to_be_signed());
        prop_assert_eq!(decoded.digest(), challenge.digest());
    }
}
