//! The card library against the virtual cards through the real pcscd and vpcd: what a contractor's PC does.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use ebid_card::channel::Channel;
use ebid_card::piv::{Piv, Slot};
use ebid_card::{
    CardError, Pcsc, Pin, PinStatus, Profile, ReaderEvent, SignatureAlgorithm, TransportError,
};
use ebid_tests::{Bench, card_spec, pcsc_reader_name, signing_pin_and_certificate, write_card};
use ebid_vcard::spec::{CardSpec, Quirks};
use ebid_vcard::vpcd::Behaviour;
use sha2::{Digest, Sha256};

/// Runs `f` with the card in vpcd reader `reader`, opened over a PC/SC transaction.
fn with_card<R>(reader: u8, f: impl FnOnce(&mut dyn ebid_card::SigningCard) -> R) -> R {
    let pcsc = Pcsc::establish().expect("pcscd answers");
    let mut connection = pcsc
        .connect(&pcsc_reader_name(reader))
        .expect("the card connects");
    let transaction = connection.transaction().expect("a transaction");
    let mut card = ebid_card::open(transaction).expect("a JPKI or PIV card");
    f(card.as_mut())
}

fn verify_signature(certificate: &[u8], message: &[u8], signature: &ebid_card::Signature) {
    let (_, parsed) = x509_parser::parse_x509_certificate(certificate).expect("a certificate");
    let public_key = parsed.public_key().subject_public_key.data.to_vec();
    let algorithm: &dyn ring::signature::VerificationAlgorithm = match signature.algorithm {
        SignatureAlgorithm::RsaPkcs1Sha256 => &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        SignatureAlgorithm::EcdsaP256Sha256 => &ring::signature::ECDSA_P256_SHA256_ASN1,
    };
    ring::signature::UnparsedPublicKey::new(algorithm, public_key)
        .verify(message, &signature.bytes)
        .expect("the card's signature verifies with the certificate's public key");
}

#[test]
fn both_profiles_certificates_are_read() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    bench.insert(1, "jpki");
    let (_, piv_certificate) = signing_pin_and_certificate(&card_spec(bench.set_dir(), "current"));
    let (jpki_password, jpki_certificate) =
        signing_pin_and_certificate(&card_spec(bench.set_dir(), "jpki"));

    let read = with_card(0, |card| {
        assert_eq!(card.profile(), Profile::Piv);
        card.signing_certificate().unwrap()
    });
    assert_eq!(read, piv_certificate);
    let facts = ebid_cert::parse_certificate(&read).unwrap().facts().clone();
    assert_eq!(facts.company.as_deref(), Some("株式会社長崎土木"));
    assert_eq!(facts.holder.as_deref(), Some("長崎 太郎"));

    let read = with_card(1, |card| {
        assert_eq!(card.profile(), Profile::Jpki);
        // The JPKI signing certificate is readable only after VERIFY.
        assert!(matches!(
            card.signing_certificate(),
            Err(CardError::PinNotVerified)
        ));
        card.verify_pin(&Pin::new(&jpki_password)).unwrap();
        card.signing_certificate().unwrap()
    });
    assert_eq!(read, jpki_certificate);
    let facts = ebid_cert::parse_certificate(&read).unwrap().facts().clone();
    assert_eq!(facts.holder.as_deref(), Some("長崎 一郎"));
    assert_eq!(facts.company, None);
}

#[test]
fn wrong_pins_count_down_and_lock_and_asking_spends_none() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "other-company");
    let (pin, _) = signing_pin_and_certificate(&card_spec(bench.set_dir(), "other-company"));
    with_card(0, |card| {
        assert_eq!(card.pin_status().unwrap(), PinStatus::TriesLeft(3));
        assert_eq!(
            card.pin_status().unwrap(),
            PinStatus::TriesLeft(3),
            "asking spent a try"
        );
        assert!(matches!(
            card.verify_pin(&Pin::new("000000")),
            Err(CardError::WrongPin { tries_left: 2 })
        ));
        assert_eq!(card.pin_status().unwrap(), PinStatus::TriesLeft(2));
        // A PIN of the wrong format never reaches the card.
        assert!(matches!(
            card.verify_pin(&Pin::new("12")),
            Err(CardError::PinFormat(_))
        ));
        assert_eq!(card.pin_status().unwrap(), PinStatus::TriesLeft(2));
        // Only a correct entry resets the counter.
        card.verify_pin(&Pin::new(&pin)).unwrap();
        assert_eq!(card.pin_status().unwrap(), PinStatus::Verified);
    });
    with_card(0, |card| {
        assert_eq!(
            card.pin_status().unwrap(),
            PinStatus::TriesLeft(3),
            "a correct PIN resets the counter"
        );
        assert!(matches!(
            card.verify_pin(&Pin::new("000000")),
            Err(CardError::WrongPin { tries_left: 2 })
        ));
        assert!(matches!(
            card.verify_pin(&Pin::new("000000")),
            Err(CardError::WrongPin { tries_left: 1 })
        ));
        assert!(matches!(
            card.verify_pin(&Pin::new("000000")),
            Err(CardError::PinBlocked)
        ));
        assert_eq!(card.pin_status().unwrap(), PinStatus::Blocked);
        assert!(
            matches!(card.verify_pin(&Pin::new(&pin)), Err(CardError::PinBlocked)),
            "a locked card stays locked"
        );
    });
    // The counter lives on the card: out of the reader and back, it is still locked.
    bench.readers.remove(0).unwrap();
    bench.insert(0, "other-company");
    with_card(0, |card| {
        assert_eq!(card.pin_status().unwrap(), PinStatus::Blocked)
    });
}

#[test]
fn jpki_signing_password_locks_after_five_wrong_tries() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(1, "jpki-replacement");
    let (password, _) =
        signing_pin_and_certificate(&card_spec(bench.set_dir(), "jpki-replacement"));
    with_card(1, |card| {
        assert_eq!(card.pin_status().unwrap(), PinStatus::TriesLeft(5));
        for left in (1..5).rev() {
            assert!(
                matches!(card.verify_pin(&Pin::new("WRONG1")), Err(CardError::WrongPin { tries_left }) if tries_left == left)
            );
            assert_eq!(card.pin_status().unwrap(), PinStatus::TriesLeft(left));
        }
        assert!(matches!(
            card.verify_pin(&Pin::new("WRONG1")),
            Err(CardError::PinBlocked)
        ));
        assert_eq!(card.pin_status().unwrap(), PinStatus::Blocked);
        assert!(matches!(
            card.verify_pin(&Pin::new(&password)),
            Err(CardError::PinBlocked)
        ));
    });
}

#[test]
fn signatures_verify_against_the_certificates() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    bench.insert(1, "jpki");
    let message = "電子入札 ICカード更新 challenge".as_bytes();
    let digest: [u8; 32] = Sha256::digest(message).into();

    for reader in [0, 1] {
        let name = if reader == 0 { "current" } else { "jpki" };
        let (pin, certificate) = signing_pin_and_certificate(&card_spec(bench.set_dir(), name));
        let signature = with_card(reader, |card| {
            card.verify_pin(&Pin::new(&pin)).unwrap();
            card.sign_sha256(&digest).unwrap()
        });
        assert_eq!(signature.algorithm, SignatureAlgorithm::RsaPkcs1Sha256);
        verify_signature(&certificate, message, &signature);
    }

    // PIV's authentication slot holds an ECDSA P-256 key.
    let (pin, _) = signing_pin_and_certificate(&card_spec(bench.set_dir(), "current"));
    let pcsc = Pcsc::establish().unwrap();
    let mut connection = pcsc.connect(&pcsc_reader_name(0)).unwrap();
    let channel = Channel::new(connection.transaction().unwrap());
    let mut piv = Piv::select(channel).unwrap().expect("a PIV card");
    use ebid_card::SigningCard as _;
    piv.verify_pin(&Pin::new(&pin)).unwrap();
    let signature = piv.sign_with(Slot::Authentication, &digest).unwrap();
    assert_eq!(signature.algorithm, SignatureAlgorithm::EcdsaP256Sha256);
    verify_signature(
        &piv.certificate(Slot::Authentication).unwrap(),
        message,
        &signature,
    );
}

/// Real cards answer 61xx (fetch the rest), 6Cxx (resend with that Le) and 6700 to extended APDUs; the
/// client meets each of them through pcscd and still reads and signs.
#[test]
fn cards_answering_in_pieces_with_wrong_le_and_without_extended_length_still_work() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    let quirks = Quirks {
        get_response_chunk: Some(100),
        demand_exact_le: true,
        short_apdus_only: true,
    };
    for name in ["current", "jpki"] {
        let quirky = match card_spec(bench.set_dir(), name) {
            CardSpec::Piv(mut piv) => {
                piv.quirks = quirks.clone();
                CardSpec::Piv(piv)
            }
            CardSpec::Jpki(mut jpki) => {
                jpki.quirks = quirks.clone();
                CardSpec::Jpki(jpki)
            }
        };
        write_card(bench.set_dir(), &format!("{name}-quirky"), &quirky);
    }
    bench.insert(0, "current-quirky");
    bench.insert(1, "jpki-quirky");
    let digest: [u8; 32] = Sha256::digest(b"quirks").into();
    for (reader, name) in [(0, "current"), (1, "jpki")] {
        let (pin, certificate) = signing_pin_and_certificate(&card_spec(bench.set_dir(), name));
        let (read, signature, apdus) = with_card(reader, |card| {
            card.verify_pin(&Pin::new(&pin)).unwrap();
            let read = card.signing_certificate().unwrap();
            let signature = card.sign_sha256(&digest).unwrap();
            (read, signature, card.apdus_sent())
        });
        assert_eq!(
            read, certificate,
            "{name}: the certificate is read whole through 61xx/6Cxx/6700"
        );
        verify_signature(&certificate, b"quirks", &signature);
        // A lenient card needs 5 (PIV) or 8 (JPKI) APDUs for this; the pieces and resends really happened.
        assert!(apdus > 12, "{name}: only {apdus} APDUs");
    }
}

#[test]
fn a_card_pulled_in_the_middle_of_a_signature_is_a_typed_error() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    // The card leaves the reader when GENERAL AUTHENTICATE (INS 87) arrives, before answering it.
    bench
        .readers
        .insert(
            0,
            "current",
            Behaviour {
                pull_on_instruction: Some(0x87),
            },
        )
        .unwrap();
    let (pin, _) = signing_pin_and_certificate(&card_spec(bench.set_dir(), "current"));
    let outcome = with_card(0, |card| {
        card.verify_pin(&Pin::new(&pin)).unwrap();
        card.sign_sha256(&[0x11; 32])
    });
    match outcome {
        Err(CardError::Transport(TransportError::CardRemoved)) => {}
        other => panic!("expected CardRemoved, got {other:?}"),
    }
    assert!(bench.readers.remove(0).is_ok());
}

#[test]
fn insert_removal_and_swap_are_each_seen_as_events() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    let reader = pcsc_reader_name(0);
    let mut events = Events::new();
    assert_eq!(
        events
            .monitor
            .readers()
            .iter()
            .find(|r| r.name == reader)
            .unwrap()
            .card_atr,
        None
    );
    let inserted =
        |e: &ReaderEvent| matches!(e, ReaderEvent::CardInserted { reader: r, .. } if *r == reader);
    let removed =
        |e: &ReaderEvent| matches!(e, ReaderEvent::CardRemoved { reader: r } if *r == reader);

    bench.insert(0, "current");
    events.expect(inserted);
    bench.readers.remove(0).unwrap();
    events.expect(removed);

    bench.insert(0, "current");
    events.expect(inserted);
    bench
        .readers
        .swap(0, "replacement", Behaviour::default())
        .unwrap();
    events.expect(removed);
    events.expect(inserted);

    let (_, replacement) = signing_pin_and_certificate(&card_spec(bench.set_dir(), "replacement"));
    assert_eq!(
        with_card(0, |card| card.signing_certificate().unwrap()),
        replacement,
        "the swapped-in card answers"
    );
}

/// The monitor's events in order, waited for with a bound.
struct Events {
    monitor: ebid_card::ReaderMonitor,
    pending: VecDeque<ReaderEvent>,
}

impl Events {
    fn new() -> Self {
        Self {
            monitor: Pcsc::establish().unwrap().monitor().unwrap(),
            pending: VecDeque::new(),
        }
    }

    /// Takes events in order until one matches `wanted`; fails if none comes within 20 seconds.
    fn expect(&mut self, wanted: impl Fn(&ReaderEvent) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut skipped = Vec::new();
        loop {
            while let Some(event) = self.pending.pop_front() {
                if wanted(&event) {
                    return;
                }
                skipped.push(event);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "the event never came; saw {skipped:?}");
            self.pending.extend(self.monitor.wait(Some(left)).unwrap());
        }
    }
}
