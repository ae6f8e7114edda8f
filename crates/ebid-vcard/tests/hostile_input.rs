//! Hostile input both ways across the virtual reader.
//!
//! The virtual cards read what pcscd hands them, from any program on the machine: whatever the bytes, and in
//! whatever order the commands come (half chains, GET RESPONSE out of turn, lengths that lie), a card answers
//! with a status word, never more data than the command's Ne, and never panics.
//!
//! The other way, ebid's card code (`ebid-card`'s profiles, its `Channel` and TLV) talks to a real virtual
//! card whose answers are mangled on the way back: whatever it gets, it gives a result or an error, never a
//! panic, and never asks for ever. With nothing mangled, everything succeeds, so the mangling reaches deep.
//!
//! Bounded by default (proptest's 256 cases a property); `cargo xtask fuzz` runs many more through
//! `PROPTEST_CASES`.

#[allow(dead_code)] // The fixtures of the `vcard` test binary, of which this one uses a part.
#[path = "vcard/fixtures.rs"]
mod fixtures;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ebid_card::transport::{InProcess, InProcessCard};
use ebid_card::{Pin, PinStatus, Profile};
use ebid_vcard::VirtualCard;
use ebid_vcard::spec::Quirks;
use fixtures::{PIV_PIN, SIGN_PASSWORD, jpki, piv, rsa_sign};
use proptest::prelude::*;
use proptest::sample::Index;

const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
const PIV_AID: [u8; 9] = [0xA0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00];

fn quirks() -> impl Strategy<Value = Quirks> {
    (
        prop_oneof![Just(None), any::<u8>().prop_map(Some)],
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(get_response_chunk, demand_exact_le, short_apdus_only)| Quirks {
                get_response_chunk,
                demand_exact_le,
                short_apdus_only,
            },
        )
}

fn card(is_piv: bool, quirks: Quirks) -> VirtualCard {
    if is_piv { piv(quirks) } else { jpki(quirks) }
}

/// A command APDU as the test means it, before it is written in bytes.
#[derive(Debug, Clone)]
struct Apdu {
    header: [u8; 4],
    data: Vec<u8>,
    /// Ne; `None` for no Le field.
    ne: Option<usize>,
    extended: bool,
}

impl Apdu {
    /// The well-formed encoding (ISO/IEC 7816-3 §12.1.3): short where everything fits and `extended` is not
    /// asked for.
    fn encode(&self) -> Vec<u8> {
        let extended = self.extended || self.data.len() > 255 || self.ne.is_some_and(|ne| ne > 256);
        let mut out = self.header.to_vec();
        let nc = self.data.len();
        if extended {
            if nc > 0 {
                out.push(0);
                out.extend((nc as u16).to_be_bytes());
                out.extend(&self.data);
            }
            if let Some(ne) = self.ne {
                if nc == 0 {
                    out.push(0);
                }
                out.extend(((ne % 65_536) as u16).to_be_bytes());
            }
        } else {
            if nc > 0 {
                out.push(nc as u8);
                out.extend(&self.data);
            }
            if let Some(ne) = self.ne {
                out.push((ne % 256) as u8);
            }
        }
        out
    }

    /// The most data the answer may carry.
    fn max_answer(&self) -> usize {
        let extended = self.extended || self.data.len() > 255 || self.ne.is_some_and(|ne| ne > 256);
        self.ne.unwrap_or(if extended { 65_536 } else { 256 })
    }
}

/// BER-TLV with the tags the PIV card looks for, lengths right or wrong.
fn ber() -> impl Strategy<Value = Vec<u8>> {
    let tag = prop::sample::select(vec![
        vec![0x7C],
        vec![0x80],
        vec![0x81],
        vec![0x82],
        vec![0x85],
        vec![0x5C],
        vec![0x5F, 0xC1, 0x0A],
        vec![0x7E],
        vec![0x1F],
    ]);
    prop::collection::vec(any::<u8>(), 0..40).prop_recursive(3, 24, 3, move |inner| {
        (
            tag.clone(),
            prop::collection::vec(inner, 0..3),
            any::<bool>(),
            any::<u8>(),
        )
            .prop_map(|(tag, children, honest, lie)| {
                let value = children.concat();
                let mut out = tag;
                match value.len() {
                    _ if !honest => out.push(lie),
                    n @ 0..=0x7F => out.push(n as u8),
                    n @ 0x80..=0xFF => out.extend([0x81, n as u8]),
                    n => out.extend([0x82, (n >> 8) as u8, n as u8]),
                }
                out.extend(value);
                out
            })
    })
}

fn ne() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![
        Just(None),
        (1..=256usize).prop_map(Some),
        Just(Some(65_536)),
        (257..=65_536usize).prop_map(Some),
    ]
}

/// Commands from both cards' vocabularies, right and wrong, and anything else.
fn apdu() -> impl Strategy<Value = Apdu> {
    let header = prop_oneof![
        Just([0x00, 0xA4, 0x04, 0x0C]),
        Just([0x00, 0xA4, 0x02, 0x0C]),
        Just([0x00, 0xA4, 0x04, 0x00]),
        Just([0x00, 0x20, 0x00, 0x80]),
        Just([0x00, 0x20, 0xFF, 0x80]),
        any::<[u8; 2]>().prop_map(|[p1, p2]| [0x00, 0xB0, p1 & 0x7F, p2]),
        Just([0x80, 0x2A, 0x00, 0x80]),
        Just([0x00, 0xCB, 0x3F, 0xFF]),
        prop::sample::select(vec![0x07u8, 0x11, 0x14])
            .prop_flat_map(|alg| prop::sample::select(vec![0x9A, 0x9C, 0x9B])
                .prop_map(move |slot| [0x00, 0x87, alg, slot])),
        Just([0x00, 0xC0, 0x00, 0x00]),
        any::<[u8; 4]>(),
    ];
    let data = prop_oneof![
        Just(Vec::new()),
        Just(JPKI_AID.to_vec()),
        Just(PIV_AID.to_vec()),
        prop::sample::select(vec![0x01u8, 0x02, 0x0A, 0x0B, 0x17, 0x18, 0x1A, 0x1B])
            .prop_map(|ef| vec![0x00, ef]),
        Just(SIGN_PASSWORD.as_bytes().to_vec()),
        Just(b"123456\xFF\xFF".to_vec()),
        ber(),
        prop::collection::vec(any::<u8>(), 0..300),
    ];
    (header, data, ne(), any::<bool>(), any::<bool>()).prop_map(
        |(mut header, data, ne, chained, extended)| {
            if chained {
                header[0] |= 0x10;
            }
            Apdu {
                header,
                data,
                ne,
                extended,
            }
        },
    )
}

/// Sends raw bytes; the answer must end with a status word.
fn answer(card: &mut VirtualCard, raw: &[u8]) -> usize {
    let response = card.respond(raw);
    assert!(response.len() >= 2, "{raw:02X?} got {response:02X?}");
    response.len() - 2
}

/// How many APDUs a mangled card answers before it leaves the reader: far more than any operation needs.
const PATIENCE: usize = 200_000;

/// What happens to one answer on its way back.
#[derive(Debug, Clone)]
enum Mangle {
    Flip(Index, u8),
    Truncate(Index),
    Status([u8; 2]),
    Append(Vec<u8>),
}

fn mangle() -> impl Strategy<Value = Option<Mangle>> {
    prop_oneof![
        4 => Just(None),
        1 => (any::<Index>(), 1..=255u8).prop_map(|(at, bits)| Some(Mangle::Flip(at, bits))),
        1 => any::<Index>().prop_map(|at| Some(Mangle::Truncate(at))),
        1 => prop_oneof![
            any::<u8>().prop_map(|n| [0x61, n]),
            any::<u8>().prop_map(|n| [0x6C, n]),
            Just([0x62, 0x82]),
            Just([0x67, 0x00]),
            any::<[u8; 2]>(),
        ].prop_map(|sw| Some(Mangle::Status(sw))),
        1 => prop::collection::vec(any::<u8>(), 1..32).prop_map(|bytes| Some(Mangle::Append(bytes))),
    ]
}

/// A virtual card whose answers are mangled in turn by a list of mangles, round again and again.
struct Mangled {
    card: VirtualCard,
    mangles: Vec<Option<Mangle>>,
    next: usize,
    asked: Arc<AtomicUsize>,
}

impl InProcessCard for Mangled {
    fn respond(&mut self, command: &[u8]) -> Option<Vec<u8>> {
        if self.asked.fetch_add(1, Ordering::Relaxed) >= PATIENCE {
            return None;
        }
        let mut answer = self.card.respond(command);
        let mangle = &self.mangles[self.next % self.mangles.len()];
        self.next += 1;
        match mangle {
            None => {}
            Some(Mangle::Flip(at, bits)) => {
                let at = at.index(answer.len());
                answer[at] ^= bits;
            }
            Some(Mangle::Truncate(at)) => answer.truncate(at.index(answer.len())),
            Some(Mangle::Status(sw)) => {
                let len = answer.len();
                answer[len - 2..].copy_from_slice(sw);
            }
            Some(Mangle::Append(bytes)) => {
                let at = answer.len() - 2;
                answer.splice(at..at, bytes.iter().copied());
            }
        }
        Some(answer)
    }
}

proptest! {
    #[test]
    fn any_bytes_get_a_status_word(
        is_piv in any::<bool>(),
        quirks in quirks(),
        commands in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..600), 1..8),
    ) {
        let mut card = card(is_piv, quirks);
        for raw in &commands {
            answer(&mut card, raw);
        }
    }

    #[test]
    fn any_sequence_of_commands_gets_at_most_ne(
        is_piv in any::<bool>(),
        quirks in quirks(),
        commands in prop::collection::vec(apdu(), 1..16),
    ) {
        let mut card = card(is_piv, quirks);
        for apdu in &commands {
            let got = answer(&mut card, &apdu.encode());
            prop_assert!(got <= apdu.max_answer(), "{:?}: {} bytes", apdu, got);
        }
        // What the card keeps (its PIN counters) still makes a card.
        prop_assert!(VirtualCard::from_spec(card.spec()).is_ok());
    }

    #[test]
    fn mangled_answers_never_panic_the_card_code(
        is_piv in any::<bool>(),
        quirks in quirks(),
        mangles in prop::collection::vec(mangle(), 1..16),
        extended in any::<bool>(),
    ) {
        let untouched = mangles.iter().all(Option::is_none);
        let asked = Arc::new(AtomicUsize::new(0));
        let mangled = Mangled {
            card: card(is_piv, quirks),
            mangles,
            next: 0,
            asked: Arc::clone(&asked),
        };
        let opened = ebid_card::open(InProcess::new(mangled, extended));
        let pin = Pin::new(if is_piv { PIV_PIN } else { SIGN_PASSWORD });
        let outcome = opened.and_then(|mut card| {
            let profile = card.profile();
            let status = card.pin_status()?;
            card.verify_pin(&pin)?;
            let certificate = card.signing_certificate()?;
            let signature = card.sign_sha256(&[7; 32])?;
            Ok((profile, status, certificate, signature))
        });
        let asked = asked.load(Ordering::Relaxed);
        prop_assert!(asked < PATIENCE, "asked {} times and would not stop", asked);
        if untouched {
            let (profile, status, certificate, signature) = outcome.expect("a card left alone works");
            prop_assert_eq!(profile, if is_piv { Profile::Piv } else { Profile::Jpki });
            prop_assert!(matches!(status, PinStatus::TriesLeft(_)));
            prop_assert_eq!(&certificate, &rsa_sign().certificate);
            prop_assert!(!signature.bytes.is_empty());
        }
    }
}
