//! The JPKI AP, byte for byte as cards.md and OpenSC's card-jpki.c speak to it.

use ebid_vcard::VirtualCard;
use ebid_vcard::spec::{CardSpec, Quirks};

use crate::fixtures::*;

const SELECT_AP: &str = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";
const SELECT_SIGN_PIN: &str = "00 A4 02 0C 02 00 1B";
const SELECT_AUTH_PIN: &str = "00 A4 02 0C 02 00 18";
const SELECT_SIGN_KEY: &str = "00 A4 02 0C 02 00 1A";
const SELECT_AUTH_KEY: &str = "00 A4 02 0C 02 00 17";
const SELECT_SIGN_CERT: &str = "00 A4 02 0C 02 00 01";
const SELECT_AUTH_CERT: &str = "00 A4 02 0C 02 00 0A";
const TRIES: &str = "00 20 00 80";

fn verify(card: &mut VirtualCard, pin: &str) -> u16 {
    send(card, &apdu([0x00, 0x20, 0x00, 0x80], pin.as_bytes(), None)).1
}

fn selected_ap(quirks: Quirks) -> VirtualCard {
    let mut card = jpki(quirks);
    expect(&mut card, SELECT_AP, 0x9000);
    card
}

fn sign_tries_left(card: &VirtualCard) -> u8 {
    match card.spec() {
        CardSpec::Jpki(spec) => spec.sign_pin.tries_left,
        CardSpec::Piv(_) => unreachable!("a JPKI card"),
    }
}

/// Reads a whole EF as cards.md says: the DER header for the length, then 256-byte chunks.
fn read_ef(card: &mut VirtualCard) -> Vec<u8> {
    let header = expect(card, "00 B0 00 00 04", 0x9000);
    let total = usize::from(u16::from_be_bytes([header[2], header[3]])) + 4;
    let mut out = Vec::new();
    while out.len() < total {
        let [hi, lo] = u16::try_from(out.len()).expect("offset").to_be_bytes();
        let le = (total - out.len()).min(256);
        let (data, sw) = send(card, &[0x00, 0xB0, hi, lo, (le % 256) as u8]);
        assert_eq!(sw, 0x9000);
        out.extend(data);
    }
    out
}

#[test]
fn answers_with_the_atr_opensc_knows_jpki_by() {
    assert_eq!(
        jpki(Quirks::default()).atr(),
        hex("3B E0 00 FF 81 31 FE 45 14")
    );
}

#[test]
fn selects_the_ap_and_its_efs_only() {
    let mut card = jpki(Quirks::default());
    // No EF before the AP.
    expect(&mut card, SELECT_AUTH_CERT, 0x6A82);
    expect(
        &mut card,
        "00 A4 04 0C 09 A0 00 00 03 08 00 00 10 00",
        0x6A82,
    );
    expect(&mut card, SELECT_AP, 0x9000);
    expect(&mut card, SELECT_AUTH_CERT, 0x9000);
    expect(&mut card, "00 A4 02 0C 02 00 99", 0x6A82);
    // The unknown EF left the certificate selected.
    assert_eq!(expect(&mut card, "00 B0 00 00 02", 0x9000), [0x30, 0x82]);
    expect(&mut card, "00 A4 02 0C 01 00", 0x6700);
    // OpenSC and cards.md always ask for no FCI (P2 0C).
    expect(&mut card, "00 A4 02 00 02 00 0A", 0x6A86);
    expect(
        &mut card,
        "00 A4 04 00 0A D3 92 F0 00 26 01 00 00 00 01",
        0x6A86,
    );
}

#[test]
fn reads_the_certificates_that_need_no_pin() {
    let mut card = selected_ap(Quirks::default());
    for (select, certificate) in [
        (SELECT_AUTH_CERT, &rsa_auth().certificate),
        ("00 A4 02 0C 02 00 0B", &rsa_sign().certificate),
        ("00 A4 02 0C 02 00 02", &rsa_auth().certificate),
    ] {
        expect(&mut card, select, 0x9000);
        assert_eq!(&read_ef(&mut card), certificate, "{select}");
    }
}

#[test]
fn read_binary_answers_6282_at_the_end_and_6b00_past_it() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_AUTH_CERT, 0x9000);
    let certificate = &rsa_auth().certificate;
    let len = certificate.len();
    let last = len - 10;
    let [hi, lo] = u16::try_from(last).expect("offset").to_be_bytes();
    // Le 00 (256) with ten bytes left: the ten bytes and 6282.
    let (data, sw) = send(&mut card, &[0x00, 0xB0, hi, lo, 0x00]);
    assert_eq!((&data[..], sw), (&certificate[last..], 0x6282));
    // Exactly ten: 9000.
    let (data, sw) = send(&mut card, &[0x00, 0xB0, hi, lo, 10]);
    assert_eq!((data.len(), sw), (10, 0x9000));
    let [hi, lo] = u16::try_from(len).expect("offset").to_be_bytes();
    assert_eq!(
        send(&mut card, &[0x00, 0xB0, hi, lo, 0x01]),
        (vec![], 0x6B00)
    );
    assert_eq!(
        send(&mut card, &[0x00, 0xB0, 0x7F, 0xFF, 0x01]),
        (vec![], 0x6B00)
    );
    // A short EF identifier in P1 is not offered; a key EF cannot be read; nothing selected, nothing read.
    expect(&mut card, "00 B0 81 00 04", 0x6A86);
    expect(&mut card, SELECT_SIGN_KEY, 0x9000);
    expect(&mut card, "00 B0 00 00 04", 0x6981);
    expect(&mut card, SELECT_AP, 0x9000);
    expect(&mut card, "00 B0 00 00 04", 0x6986);
}

#[test]
fn an_extended_le_reads_a_certificate_in_one_apdu() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_AUTH_CERT, 0x9000);
    let (data, sw) = send(&mut card, &hex("00 B0 00 00 00 00 00"));
    assert_eq!((&data, sw), (&rsa_auth().certificate, 0x6282));
    let len = u16::try_from(rsa_auth().certificate.len())
        .expect("len")
        .to_be_bytes();
    let (data, sw) = send(&mut card, &[0x00, 0xB0, 0x00, 0x00, 0x00, len[0], len[1]]);
    assert_eq!((&data, sw), (&rsa_auth().certificate, 0x9000));
}

#[test]
fn the_signing_certificate_needs_the_signing_password() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_SIGN_CERT, 0x9000);
    expect(&mut card, "00 B0 00 00 04", 0x6982);
    // The authentication PIN does not open it.
    expect(&mut card, SELECT_AUTH_PIN, 0x9000);
    assert_eq!(verify(&mut card, AUTH_PIN), 0x9000);
    expect(&mut card, SELECT_SIGN_CERT, 0x9000);
    expect(&mut card, "00 B0 00 00 04", 0x6982);

    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    assert_eq!(verify(&mut card, SIGN_PASSWORD), 0x9000);
    // The verification outlives selecting another EF, as OpenSC relies on.
    expect(&mut card, SELECT_SIGN_CERT, 0x9000);
    assert_eq!(read_ef(&mut card), rsa_sign().certificate);
}

#[test]
fn the_empty_verify_tells_the_tries_and_spends_none() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    for _ in 0..10 {
        expect(&mut card, TRIES, 0x63C5);
    }
    // Le 00 after an empty body is the same question.
    expect(&mut card, "00 20 00 80 00", 0x63C5);
    expect(&mut card, SELECT_AUTH_PIN, 0x9000);
    expect(&mut card, TRIES, 0x63C3);
    // Even once verified the card answers with the count (OpenSC reads only the count from it).
    assert_eq!(verify(&mut card, AUTH_PIN), 0x9000);
    expect(&mut card, TRIES, 0x63C3);
    assert_eq!(sign_tries_left(&card), 5);
}

#[test]
fn wrong_passwords_count_down_and_a_correct_one_resets_the_count() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    assert_eq!(verify(&mut card, "WRONG1"), 0x63C4);
    assert_eq!(verify(&mut card, "WRONG2"), 0x63C3);
    expect(&mut card, TRIES, 0x63C3);
    assert_eq!(sign_tries_left(&card), 3);
    // Lower case is a wrong password like any other, and counts.
    assert_eq!(verify(&mut card, "abc123"), 0x63C2);
    assert_eq!(verify(&mut card, SIGN_PASSWORD), 0x9000);
    expect(&mut card, TRIES, 0x63C5);
    assert_eq!(sign_tries_left(&card), 5);
}

#[test]
fn the_fifth_wrong_password_blocks_the_signing_side_for_good() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    for left in (0..5u8).rev() {
        assert_eq!(verify(&mut card, "WRONG9"), 0x63C0 | u16::from(left));
    }
    assert_eq!(verify(&mut card, SIGN_PASSWORD), 0x6983);
    expect(&mut card, TRIES, 0x6983);
    assert_eq!(sign_tries_left(&card), 0);
    // A reset changes nothing: the counter lives on the card.
    card.power_on();
    expect(&mut card, SELECT_AP, 0x9000);
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    expect(&mut card, TRIES, 0x6983);
    // The authentication side is separate.
    expect(&mut card, SELECT_AUTH_PIN, 0x9000);
    expect(&mut card, TRIES, 0x63C3);
    // And a card file saved now comes back blocked.
    let mut reloaded = VirtualCard::from_spec(card.spec()).expect("reload");
    expect(&mut reloaded, SELECT_AP, 0x9000);
    expect(&mut reloaded, SELECT_SIGN_PIN, 0x9000);
    expect(&mut reloaded, TRIES, 0x6983);
}

#[test]
fn the_authentication_pin_has_three_tries() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_AUTH_PIN, 0x9000);
    assert_eq!(verify(&mut card, "0000"), 0x63C2);
    assert_eq!(verify(&mut card, "0001"), 0x63C1);
    assert_eq!(verify(&mut card, "0002"), 0x63C0);
    assert_eq!(verify(&mut card, AUTH_PIN), 0x6983);
}

#[test]
fn a_password_of_impossible_length_costs_no_try() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    assert_eq!(verify(&mut card, "ABC12"), 0x6700);
    assert_eq!(verify(&mut card, "ABCDEFGHIJKLMNOPQ"), 0x6700);
    expect(&mut card, SELECT_AUTH_PIN, 0x9000);
    assert_eq!(verify(&mut card, "12345"), 0x6700);
    expect(&mut card, TRIES, 0x63C3);
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    expect(&mut card, TRIES, 0x63C5);
}

#[test]
fn verify_needs_a_pin_ef_selected_and_p2_80() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, TRIES, 0x6986);
    expect(&mut card, SELECT_AUTH_CERT, 0x9000);
    expect(&mut card, TRIES, 0x6986);
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    expect(&mut card, "00 20 00 81", 0x6A86);
}

#[test]
fn signs_a_digest_info_with_the_selected_key_once_its_pin_is_verified() {
    let mut card = selected_ap(Quirks::default());
    let message = b"renewal application";
    let command = apdu([0x80, 0x2A, 0x00, 0x80], &digest_info(message), Some(0x00));

    expect(&mut card, SELECT_SIGN_KEY, 0x9000);
    assert_eq!(send(&mut card, &command).1, 0x6982);
    expect(&mut card, SELECT_AUTH_PIN, 0x9000);
    assert_eq!(verify(&mut card, AUTH_PIN), 0x9000);
    expect(&mut card, SELECT_SIGN_KEY, 0x9000);
    assert_eq!(
        send(&mut card, &command).1,
        0x6982,
        "the authentication PIN does not open the signing key"
    );

    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    assert_eq!(verify(&mut card, SIGN_PASSWORD), 0x9000);
    expect(&mut card, SELECT_SIGN_KEY, 0x9000);
    let (signature, sw) = send(&mut card, &command);
    assert_eq!((signature.len(), sw), (256, 0x9000));
    rsa_public(rsa_sign())
        .pkcs1v15_verify::<sha2::Sha256>(message, &signature)
        .expect("the signature verifies");

    // The authentication key signs with its own key.
    expect(&mut card, SELECT_AUTH_KEY, 0x9000);
    let (signature, sw) = send(&mut card, &command);
    assert_eq!(sw, 0x9000);
    rsa_public(rsa_auth())
        .pkcs1v15_verify::<sha2::Sha256>(message, &signature)
        .expect("the signature verifies");
}

#[test]
fn compute_signature_refuses_what_a_card_would() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    assert_eq!(verify(&mut card, SIGN_PASSWORD), 0x9000);
    // The PIN EF is selected, not a key.
    assert_eq!(
        send(
            &mut card,
            &apdu([0x80, 0x2A, 0x00, 0x80], &digest_info(b"x"), Some(0))
        )
        .1,
        0x6986
    );
    expect(&mut card, SELECT_SIGN_KEY, 0x9000);
    assert_eq!(
        send(
            &mut card,
            &apdu([0x80, 0x2A, 0x9E, 0x9A], &digest_info(b"x"), Some(0))
        )
        .1,
        0x6A86
    );
    assert_eq!(
        send(
            &mut card,
            &apdu([0x80, 0x2A, 0x00, 0x80], &[0xAA; 246], Some(0))
        )
        .1,
        0x6700
    );
    expect(&mut card, "80 2A 00 80 00", 0x6700);
    // ISO's CLA 00 is not how this card is asked to sign.
    assert_eq!(
        send(
            &mut card,
            &apdu([0x00, 0x2A, 0x00, 0x80], &digest_info(b"x"), Some(0))
        )
        .1,
        0x6D00
    );
}

#[test]
fn a_reset_forgets_the_verification_but_not_the_count() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    assert_eq!(verify(&mut card, "WRONG1"), 0x63C4);
    assert_eq!(verify(&mut card, SIGN_PASSWORD), 0x9000);
    assert_eq!(verify(&mut card, "WRONG1"), 0x63C4);
    card.power_on();
    // Nothing is selected after a reset.
    expect(&mut card, SELECT_SIGN_PIN, 0x6A82);
    expect(&mut card, SELECT_AP, 0x9000);
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    expect(&mut card, TRIES, 0x63C4);
    assert_eq!(verify(&mut card, SIGN_PASSWORD), 0x9000);
    card.power_on();
    expect(&mut card, SELECT_AP, 0x9000);
    expect(&mut card, SELECT_SIGN_CERT, 0x9000);
    expect(&mut card, "00 B0 00 00 04", 0x6982);
}

#[test]
fn reselecting_the_ap_keeps_the_verification() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, SELECT_SIGN_PIN, 0x9000);
    assert_eq!(verify(&mut card, SIGN_PASSWORD), 0x9000);
    expect(&mut card, SELECT_AP, 0x9000);
    expect(&mut card, SELECT_SIGN_CERT, 0x9000);
    expect(&mut card, "00 B0 00 00 04", 0x9000);
}

#[test]
fn unknown_instructions_classes_and_chaining_get_what_a_card_answers() {
    let mut card = selected_ap(Quirks::default());
    expect(&mut card, "00 CB 3F FF 05 5C 03 5F C1 05 00", 0x6D00);
    expect(&mut card, "00 87 07 9C 00", 0x6D00);
    expect(&mut card, "80 CA 00 00 00", 0x6D00);
    expect(&mut card, "A0 A4 00 00 02 3F 00", 0x6E00);
    expect(&mut card, "0C B0 00 00 04", 0x6E00);
    expect(&mut card, "10 A4 02 0C 02 00 0A", 0x6884);
    // GET RESPONSE with nothing waiting.
    expect(&mut card, "00 C0 00 00 10", 0x6985);
    expect(&mut card, "00 A4 04", 0x6700);
}

#[test]
fn the_chunk_quirk_hands_a_read_out_in_pieces() {
    let mut card = selected_ap(Quirks {
        get_response_chunk: Some(100),
        ..Quirks::default()
    });
    expect(&mut card, SELECT_AUTH_CERT, 0x9000);
    let (first, sw) = send(&mut card, &hex("00 B0 00 00 00"));
    assert_eq!((first.len(), sw), (100, 0x619C));
    let (data, sw) = send_collecting(&mut card, &hex("00 B0 00 00 00"));
    assert_eq!((&data[..], sw), (&rsa_auth().certificate[..256], 0x9000));
    // The status of a read that hit the end comes with its last piece.
    let (data, sw) = send_collecting(&mut card, &hex("00 B0 00 00 00 00 00"));
    assert_eq!((&data, sw), (&rsa_auth().certificate, 0x6282));
}

#[test]
fn the_exact_le_quirk_wants_the_bytes_left_when_a_read_hits_the_end() {
    let mut card = selected_ap(Quirks {
        demand_exact_le: true,
        ..Quirks::default()
    });
    expect(&mut card, SELECT_AUTH_CERT, 0x9000);
    // Reading within the file is exact whatever Le is.
    assert_eq!(expect(&mut card, "00 B0 00 00 04", 0x9000).len(), 4);
    let certificate = &rsa_auth().certificate;
    let last = certificate.len() - 10;
    let [hi, lo] = u16::try_from(last).expect("offset").to_be_bytes();
    assert_eq!(
        send(&mut card, &[0x00, 0xB0, hi, lo, 0x00]),
        (vec![], 0x6C0A)
    );
    assert_eq!(
        send(&mut card, &[0x00, 0xB0, hi, lo, 0x0A]),
        (certificate[last..].to_vec(), 0x9000)
    );
}

#[test]
fn the_short_only_quirk_refuses_an_extended_read() {
    let mut card = selected_ap(Quirks {
        short_apdus_only: true,
        ..Quirks::default()
    });
    expect(&mut card, SELECT_AUTH_CERT, 0x9000);
    expect(&mut card, "00 B0 00 00 00 00 00", 0x6700);
    expect(&mut card, "00 B0 00 00 00", 0x9000);
}

#[test]
fn the_card_file_round_trips_and_impossible_files_are_refused() {
    let card = jpki(Quirks::default());
    assert_eq!(card.spec(), CardSpec::Jpki(jpki_spec(Quirks::default())));

    let mut lower_case = jpki_spec(Quirks::default());
    lower_case.sign_pin.value = "abc123".into();
    assert!(VirtualCard::from_spec(CardSpec::Jpki(lower_case)).is_err());

    let mut ec_key = jpki_spec(Quirks::default());
    ec_key.sign.private_key_pkcs8 = p256().pkcs8.clone();
    assert!(VirtualCard::from_spec(CardSpec::Jpki(ec_key)).is_err());

    let mut no_certificate = jpki_spec(Quirks::default());
    no_certificate.auth_ca_certificate = b"not DER".to_vec();
    assert!(VirtualCard::from_spec(CardSpec::Jpki(no_certificate)).is_err());
}

#[test]
fn never_panics_on_any_input() {
    let mut card = jpki(Quirks {
        get_response_chunk: Some(7),
        demand_exact_le: true,
        short_apdus_only: false,
    });
    for seed in 0..20_000u64 {
        let mut raw = noise(seed, (seed % 300) as usize);
        // Steer a share of the inputs into the commands the card knows, so they get past the first checks.
        if let Some(first) = raw.first_mut() {
            *first &= if seed % 3 == 0 { 0x80 } else { 0xFF };
        }
        if raw.len() > 1 && seed % 2 == 0 {
            raw[1] = [0xA4, 0xB0, 0x20, 0x2A, 0xC0][(seed / 2 % 5) as usize];
        }
        let response = card.respond(&raw);
        assert!(response.len() >= 2);
        if seed % 1000 == 0 {
            expect(&mut card, SELECT_AP, 0x9000);
        }
    }
}
