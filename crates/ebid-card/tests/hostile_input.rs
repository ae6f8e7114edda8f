//! Hostile input for card access: a card, or something in the reader that claims to be one, may answer
//! anything. Whatever it answers, over and over, every layer (response APDUs, status words, the `Channel`'s
//! `61xx` / `6Cxx` handling, the JPKI and PIV profiles and the PIV objects' TLV) gives a result or an error,
//! never a panic, and never asks the card for ever.
//!
//! Bounded by default (proptest's 256 cases a property); `cargo xtask fuzz` runs many more through
//! `PROPTEST_CASES`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ebid_card::apdu::{Command, EXTENDED_MAX_LE, Response};
use ebid_card::channel::{Channel, MAX_GET_RESPONSES};
use ebid_card::jpki::Jpki;
use ebid_card::piv::{Piv, Slot};
use ebid_card::status::StatusWord;
use ebid_card::transport::{InProcess, InProcessCard};
use ebid_card::{Pin, SigningCard, open};
use proptest::prelude::*;

/// How many APDUs a hostile card answers before it leaves the reader: far more than any operation sends to
/// a card that makes sense. Reaching it means the host would have gone on for ever.
const PATIENCE: usize = 200_000;

/// A card that answers every command from its list of answers, in turn and round again, for ever; SELECTs
/// succeed when `selects` says so, so that the profiles open and the answers reach what follows.
struct Hostile {
    answers: Vec<Vec<u8>>,
    next: usize,
    selects: bool,
    asked: Arc<AtomicUsize>,
}

impl InProcessCard for Hostile {
    fn respond(&mut self, command: &[u8]) -> Option<Vec<u8>> {
        if self.asked.fetch_add(1, Ordering::Relaxed) >= PATIENCE {
            return None;
        }
        if self.selects && command.get(1) == Some(&0xA4) {
            return Some(vec![0x90, 0x00]);
        }
        let answer = self.answers[self.next % self.answers.len()].clone();
        self.next += 1;
        Some(answer)
    }
}

/// The transport to a hostile card, and the count of what the card was asked.
fn hostile_card(
    answers: Vec<Vec<u8>>,
    selects: bool,
    extended: bool,
) -> (InProcess<Hostile>, Arc<AtomicUsize>) {
    let asked = Arc::new(AtomicUsize::new(0));
    let card = Hostile {
        answers,
        next: 0,
        selects,
        asked: Arc::clone(&asked),
    };
    (InProcess::new(card, extended), asked)
}

/// A channel to a hostile card, and the count of what the card was asked.
fn hostile(
    answers: Vec<Vec<u8>>,
    selects: bool,
    extended: bool,
) -> (Channel<InProcess<Hostile>>, Arc<AtomicUsize>) {
    let (transport, asked) = hostile_card(answers, selects, extended);
    (Channel::new(transport), asked)
}

fn assert_patient(asked: &AtomicUsize) {
    let asked = asked.load(Ordering::Relaxed);
    assert!(
        asked < PATIENCE,
        "the host asked {asked} times and would not stop"
    );
}

/// Status words, biased towards those the host acts on.
fn status() -> impl Strategy<Value = [u8; 2]> {
    prop_oneof![
        Just([0x90, 0x00]),
        any::<u8>().prop_map(|n| [0x61, n]),
        any::<u8>().prop_map(|n| [0x6C, n]),
        Just([0x62, 0x82]),
        Just([0x6B, 0x00]),
        Just([0x67, 0x00]),
        (0..16u8).prop_map(|n| [0x63, 0xC0 | n]),
        Just([0x69, 0x82]),
        Just([0x69, 0x83]),
        Just([0x6A, 0x82]),
        any::<[u8; 2]>(),
    ]
}

/// One TLV with the length written right in any form, or wrong.
fn tlv(tag: &[u8], value: &[u8], form: u8, lie: u8) -> Vec<u8> {
    let len = value.len();
    let mut out = tag.to_vec();
    match form % 6 {
        0 if len < 0x80 => out.push(len as u8),
        0 | 1 if len <= 0xFF => out.extend([0x81, len as u8]),
        0..=2 => out.extend([0x82, (len >> 8) as u8, len as u8]),
        3 => out.push(lie),
        4 => out.extend([0x82, lie, lie]),
        _ => out.extend([0x80 | (lie % 8), lie]),
    }
    out.extend_from_slice(value);
    out
}

/// BER-TLV as the PIV objects and templates nest it, with the tags the host looks for.
fn ber() -> impl Strategy<Value = Vec<u8>> {
    let tag = prop_oneof![
        prop::sample::select(vec![
            vec![0x53],
            vec![0x70],
            vec![0x71],
            vec![0x7C],
            vec![0x82],
            vec![0x30],
            vec![0x5F, 0xC1],
            vec![0x7F],
            vec![0x1F],
        ]),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(any::<u8>(), 0..48).prop_recursive(3, 24, 4, move |inner| {
        (
            tag.clone(),
            prop::collection::vec(inner, 1..4),
            any::<u8>(),
            any::<u8>(),
        )
            .prop_map(|(tag, children, form, lie)| tlv(&tag, &children.concat(), form, lie))
    })
}

/// What a PIV card answers to GET DATA of a certificate (`53 { 70 cert, 71 info }`) and to GENERAL
/// AUTHENTICATE (`7C { 82 signature }`), lengths right, contents anything.
fn piv_object() -> impl Strategy<Value = Vec<u8>> {
    let honest = |tag: u8, value: &[u8]| tlv(&[tag], value, 0, 0);
    prop_oneof![
        (prop::collection::vec(any::<u8>(), 0..400), any::<u8>()).prop_map(move |(cert, info)| {
            honest(0x53, &[honest(0x70, &cert), honest(0x71, &[info])].concat())
        }),
        prop::collection::vec(any::<u8>(), 0..300)
            .prop_map(move |signature| honest(0x7C, &honest(0x82, &signature))),
    ]
}

/// Answer data: nothing, noise, or something shaped like what the host expects (TLV, a DER header).
fn data() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        prop::collection::vec(any::<u8>(), 0..300),
        ber(),
        piv_object(),
        (
            any::<u8>(),
            any::<u8>(),
            any::<u8>(),
            prop::collection::vec(any::<u8>(), 0..64)
        )
            .prop_map(|(form, a, b, rest)| [
                vec![0x30, [0x05, 0x81, 0x82, 0x83][usize::from(form % 4)], a, b],
                rest
            ]
            .concat()),
    ]
}

/// One response APDU, now and then too short to hold a status word.
fn answer() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        9 => (data(), status()).prop_map(|(data, sw)| [data, sw.to_vec()].concat()),
        1 => prop::collection::vec(any::<u8>(), 0..2),
    ]
}

fn answers() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(answer(), 1..8)
}

fn command() -> impl Strategy<Value = Command> {
    (
        any::<[u8; 4]>(),
        prop_oneof![
            Just(0usize),
            1..=255usize,
            256..=700usize,
            Just(EXTENDED_MAX_LE)
        ],
        prop_oneof![
            Just(None),
            (1..=256usize).prop_map(Some),
            (257..=EXTENDED_MAX_LE).prop_map(Some)
        ],
    )
        .prop_map(|([cla, ins, p1, p2], nc, le)| {
            let command = Command::new(cla, ins, p1, p2).with_data(vec![0x5A; nc.min(4096)]);
            match le {
                Some(le) => command.with_le(le),
                None => command,
            }
        })
}

/// The length a DER header gives its whole object, as the JPKI profile reads it.
fn der_total(der: &[u8]) -> Option<usize> {
    match *der.get(1)? {
        n @ 0..=0x7F => Some(2 + usize::from(n)),
        0x81 => Some(3 + usize::from(*der.get(2)?)),
        0x82 => Some(4 + usize::from(u16::from_be_bytes([*der.get(2)?, *der.get(3)?]))),
        _ => None,
    }
}

proptest! {
    #[test]
    fn a_response_is_its_data_and_status_word(raw in prop::collection::vec(any::<u8>(), 0..300)) {
        match Response::from_bytes(raw.clone()) {
            None => prop_assert!(raw.len() < 2),
            Some(response) => {
                let mut again = response.data.clone();
                again.extend(response.status.to_u16().to_be_bytes());
                prop_assert_eq!(again, raw);
            }
        }
    }

    #[test]
    fn every_status_word_round_trips(sw1 in any::<u8>(), sw2 in any::<u8>()) {
        let status = StatusWord::from_bytes(sw1, sw2);
        prop_assert_eq!(status.to_u16(), u16::from_be_bytes([sw1, sw2]));
        prop_assert_eq!(status.to_string(), format!("{sw1:02X}{sw2:02X}"));
    }

    #[test]
    fn the_channel_ends_whatever_the_card_answers(
        answers in answers(),
        command in command(),
        extended in any::<bool>(),
    ) {
        let (mut channel, asked) = hostile(answers, false, extended);
        let _ = channel.transmit(&command);
        let _ = channel.transmit_ok(&command, "fuzz");
        assert_patient(&asked);
        prop_assert_eq!(channel.apdus_sent(), asked.load(Ordering::Relaxed));
    }

    #[test]
    fn opening_a_card_that_answers_garbage_ends(answers in answers(), extended in any::<bool>()) {
        let (transport, asked) = hostile_card(answers, false, extended);
        if let Ok(mut card) = open(transport) {
            let _ = card.pin_status();
            let _ = card.verify_pin(&Pin::new("123456"));
            let _ = card.signing_certificate();
            let _ = card.sign_sha256(&[7; 32]);
        }
        assert_patient(&asked);
    }

    #[test]
    fn jpki_with_garbage_after_select_ends(answers in answers(), extended in any::<bool>()) {
        let (channel, asked) = hostile(answers, true, extended);
        let Ok(mut jpki) = Jpki::select(channel).expect("SELECT is answered") else {
            panic!("SELECT succeeds");
        };
        let _ = jpki.pin_status();
        let _ = jpki.verify_pin(&Pin::new("ABC123"));
        if let Ok(der) = jpki.signing_certificate() {
            prop_assert_eq!(der_total(&der), Some(der.len()), "the file is exactly one DER object");
        }
        let _ = jpki.sign_sha256(&[7; 32]);
        assert_patient(&asked);
    }

    #[test]
    fn piv_with_garbage_after_select_ends(
        answers in answers(),
        extended in any::<bool>(),
        slot in prop_oneof![Just(Slot::Signature), Just(Slot::Authentication)],
    ) {
        let (channel, asked) = hostile(answers, true, extended);
        let Ok(mut piv) = Piv::select(channel).expect("SELECT is answered") else {
            panic!("SELECT succeeds");
        };
        if let Ok(der) = piv.certificate(slot) {
            // Read once a card session: asking again sends nothing and gives the same bytes.
            let sent = piv.apdus_sent();
            let again = piv.certificate(slot).expect("kept from the first read");
            prop_assert_eq!(again, der);
            prop_assert_eq!(piv.apdus_sent(), sent);
        }
        let _ = piv.sign_with(slot, &[7; 32]);
        let _ = piv.pin_status();
        let _ = piv.verify_pin(&Pin::new("123456"));
        assert_patient(&asked);
    }

    /// The answer's pieces are gathered in order whatever their sizes, and only the last status counts.
    #[test]
    fn get_response_gathers_every_piece_in_order(
        pieces in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..=256), 1..12),
        first_empty in any::<bool>(),
    ) {
        let mut answers: Vec<Vec<u8>> = Vec::new();
        if first_empty {
            answers.push(vec![0x61, pieces[0].len() as u8]);
        }
        for (i, piece) in pieces.iter().enumerate() {
            let sw = match pieces.get(i + 1) {
                Some(next) => [0x61, next.len() as u8],
                None => [0x90, 0x00],
            };
            answers.push([piece.clone(), sw.to_vec()].concat());
        }
        let expected_apdus = answers.len();
        let (mut channel, _) = hostile(answers, false, false);
        let data = channel
            .transmit_ok(&Command::new(0x00, 0xCB, 0x3F, 0xFF).with_le(256), "GET DATA")
            .expect("a well-behaved chain succeeds");
        prop_assert_eq!(data, pieces.concat());
        prop_assert_eq!(channel.apdus_sent(), expected_apdus);
    }
}

/// Found by `the_channel_ends_whatever_the_card_answers` and `jpki_with_garbage_after_select_ends`: a card
/// that answers every GET RESPONSE with `61xx` was followed for ever, or, sending a byte at a time, for
/// 65536 GET RESPONSEs a command.
#[test]
fn a_card_that_always_has_more_is_not_followed_for_ever() {
    let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(256);

    for always in [vec![0x61, 0x00], vec![0x00, 0x61, 0x00]] {
        let (mut channel, asked) = hostile(vec![always], false, false);
        let response = channel.transmit(&read).expect("answered");
        assert_eq!(response.status, StatusWord::MoreData(0));
        assert_eq!(asked.load(Ordering::Relaxed), 1 + MAX_GET_RESPONSES);
    }

    let (mut channel, asked) = hostile(
        vec![[vec![0xAB; 256], vec![0x61, 0x00]].concat()],
        false,
        false,
    );
    let error = channel
        .transmit_ok(&read, "READ BINARY")
        .expect_err("never ends in 9000");
    assert_eq!(
        error.to_string(),
        "the card answered 6100 to READ BINARY",
        "{error:?}"
    );
    // Past the most any APDU can ask for (65536 bytes, 256 of them an answer).
    assert_eq!(asked.load(Ordering::Relaxed), 257);
}
