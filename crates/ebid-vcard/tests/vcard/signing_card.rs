//! What `ebid_card::SigningCard::verify_before_each_signature` says of each profile is what the card does:
//! after one VERIFY, the JPKI signing key signs again and again in the card session, PIV's 9C key once.

use ebid_card::transport::InProcess;
use ebid_card::{CardError, Pin, SigningCard};
use ebid_vcard::VirtualCard;
use ebid_vcard::spec::Quirks;

use crate::fixtures::*;

fn opened(card: VirtualCard) -> Box<dyn SigningCard> {
    ebid_card::open(InProcess::new(card, true)).expect("the card opens")
}

#[test]
fn jpki_signs_again_without_another_verify() {
    let mut card = opened(jpki(Quirks::default()));
    assert!(!card.verify_before_each_signature());
    card.verify_pin(&Pin::new(SIGN_PASSWORD)).unwrap();
    for message in [&b"first"[..], b"second", b"third"] {
        card.sign_sha256(&sha256(message))
            .expect("still verified: it signs");
    }
}

#[test]
fn piv_signs_once_per_verify() {
    let mut card = opened(piv(Quirks::default()));
    assert!(card.verify_before_each_signature());
    card.verify_pin(&Pin::new(PIV_PIN)).unwrap();
    card.sign_sha256(&sha256(b"first")).unwrap();
    let refused = card.sign_sha256(&sha256(b"second")).unwrap_err();
    assert!(matches!(refused, CardError::PinNotVerified), "{refused:?}");
    card.verify_pin(&Pin::new(PIV_PIN)).unwrap();
    card.sign_sha256(&sha256(b"second")).unwrap();
}
