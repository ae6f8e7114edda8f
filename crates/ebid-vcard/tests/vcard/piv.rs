//! The PIV application, as NIST SP 800-73-4 Part 2 and OpenSC's card-piv.c speak to it.

use ebid_vcard::VirtualCard;
use ebid_vcard::spec::{CardSpec, Quirks};
use p256::ecdsa::signature::hazmat::PrehashVerifier as _;

use crate::fixtures::*;

const SELECT: &str = "00 A4 04 00 09 A0 00 00 03 08 00 00 10 00 00";
const GET_CHUID: &str = "00 CB 3F FF 05 5C 03 5F C1 02 00";
const GET_9A: &str = "00 CB 3F FF 05 5C 03 5F C1 05 00";
const GET_9C: &str = "00 CB 3F FF 05 5C 03 5F C1 0A 00";
const TRIES: &str = "00 20 00 80";

/// VERIFY with the PIN padded with FF to eight bytes.
fn verify_command(pin: &str) -> Vec<u8> {
    let mut block = pin.as_bytes().to_vec();
    block.resize(8, 0xFF);
    apdu([0x00, 0x20, 0x00, 0x80], &block, None)
}

fn verify(card: &mut VirtualCard, pin: &str) -> u16 {
    send(card, &verify_command(pin)).1
}

/// SELECT without Le, the answer collected: what works whatever the quirks.
const SELECT_NO_LE: &str = "00 A4 04 00 09 A0 00 00 03 08 00 00 10 00";

fn select(card: &mut VirtualCard) {
    assert_eq!(send_collecting(card, &hex(SELECT_NO_LE)).1, 0x9000);
}

fn selected(quirks: Quirks) -> VirtualCard {
    let mut card = piv(quirks);
    select(&mut card);
    card
}

fn tries_left(card: &VirtualCard) -> u8 {
    match card.spec() {
        CardSpec::Piv(spec) => spec.pin.tries_left,
        CardSpec::Jpki(_) => unreachable!("a PIV card"),
    }
}

/// `7C { 82 00, 81 <challenge> }`.
fn template(challenge: &[u8]) -> Vec<u8> {
    let mut inner = vec![0x82, 0x00, 0x81];
    push_len(&mut inner, challenge.len());
    inner.extend(challenge);
    let mut out = vec![0x7C];
    push_len(&mut out, inner.len());
    out.extend(inner);
    out
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend([0x81, len as u8]),
        _ => out.extend([0x82, (len >> 8) as u8, len as u8]),
    }
}

/// EMSA-PKCS1-v1_5 for SHA-256: what the host builds before asking for a raw RSA operation.
fn pkcs1_block(message: &[u8]) -> Vec<u8> {
    let digest_info = digest_info(message);
    let mut block = vec![0x00, 0x01];
    block.resize(256 - digest_info.len() - 1, 0xFF);
    block.push(0x00);
    block.extend(digest_info);
    block
}

/// GENERAL AUTHENTICATE sent as OpenSC sends it: chained short APDUs of at most 255 bytes, Le 00 on the
/// last; the answer collected with GET RESPONSE.
fn general_authenticate_chained(
    card: &mut VirtualCard,
    alg: u8,
    key: u8,
    data: &[u8],
) -> (Vec<u8>, u16) {
    let mut parts = data.chunks(255).peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            return send_collecting(card, &apdu([0x00, 0x87, alg, key], part, Some(0x00)));
        }
        assert_eq!(
            send(card, &apdu([0x10, 0x87, alg, key], part, None)).1,
            0x9000
        );
    }
    unreachable!("data is never empty")
}

/// The signature inside `7C { 82 <signature> }`.
fn signature_in(response: &[u8]) -> Vec<u8> {
    let (outer, inner) = split_tlv(response, 0x7C);
    assert!(outer.is_empty());
    let (rest, signature) = split_tlv(inner, 0x82);
    assert!(rest.is_empty());
    signature.to_vec()
}

/// Reads a one-byte-tag TLV; returns what follows it and its value.
fn split_tlv(bytes: &[u8], tag: u8) -> (&[u8], &[u8]) {
    assert_eq!(bytes[0], tag);
    let (len, header) = match bytes[1] {
        0x81 => (usize::from(bytes[2]), 3),
        0x82 => (usize::from(u16::from_be_bytes([bytes[2], bytes[3]])), 4),
        n => (usize::from(n), 2),
    };
    (&bytes[header + len..], &bytes[header..header + len])
}

#[test]
fn offers_a_t1_atr_with_a_valid_checksum() {
    let card = piv(Quirks::default());
    let atr = card.atr();
    assert_eq!(atr[0], 0x3B);
    assert_eq!(atr[1..].iter().fold(0, |acc, b| acc ^ b), 0);
}

#[test]
fn select_answers_the_application_property_template() {
    let mut card = piv(Quirks::default());
    // Nothing answers before the application is selected (OpenSC then selects it).
    expect(&mut card, "00 CB 3F FF 03 5C 01 7E 00", 0x6D00);
    let apt = expect(&mut card, SELECT, 0x9000);
    let (rest, body) = split_tlv(&apt, 0x61);
    assert!(rest.is_empty());
    let (_, pix) = split_tlv(body, 0x4F);
    assert_eq!(pix, hex("00 00 10 00 01 00"));
    // Without Le, with the full AID, and with the AID cut back to the RID: the same.
    assert_eq!(
        expect(
            &mut card,
            "00 A4 04 00 09 A0 00 00 03 08 00 00 10 00",
            0x9000
        ),
        apt
    );
    assert_eq!(
        expect(
            &mut card,
            "00 A4 04 00 0B A0 00 00 03 08 00 00 10 00 01 00 00",
            0x9000
        ),
        apt
    );
    assert_eq!(
        expect(&mut card, "00 A4 04 00 05 A0 00 00 03 08 00", 0x9000),
        apt
    );
    expect(
        &mut card,
        "00 A4 04 00 0A D3 92 F0 00 26 01 00 00 00 01",
        0x6A82,
    );
    expect(
        &mut card,
        "00 A4 04 0C 09 A0 00 00 03 08 00 00 10 00",
        0x6A86,
    );
}

#[test]
fn get_data_returns_the_objects_opensc_reads() {
    let mut card = selected(Quirks::default());
    let discovery = expect(&mut card, "00 CB 3F FF 03 5C 01 7E 00", 0x9000);
    assert_eq!(
        discovery,
        hex("7E 12 4F 0B A0 00 00 03 08 00 00 10 00 01 00 5F 2F 02 40 00")
    );

    let chuid = expect(&mut card, GET_CHUID, 0x9000);
    let (_, body) = split_tlv(&chuid, 0x53);
    let (rest, fasc_n) = split_tlv(body, 0x30);
    assert_eq!(fasc_n.len(), 25);
    let (rest, guid) = split_tlv(rest, 0x34);
    assert_eq!(guid, CARD_UUID);
    let (_, expiry) = split_tlv(rest, 0x35);
    assert_eq!(expiry, b"20300630");

    let ccc = expect(&mut card, "00 CB 3F FF 05 5C 03 5F C1 07 00", 0x9000);
    assert_eq!(ccc[0], 0x53);

    for (command, certificate) in [
        (GET_9A, &p256().certificate),
        (GET_9C, &rsa_sign().certificate),
    ] {
        let (object, sw) = send_collecting(&mut card, &hex(command));
        assert_eq!(sw, 0x9000);
        let (rest, body) = split_tlv(&object, 0x53);
        assert!(rest.is_empty());
        let (rest, der) = split_tlv(body, 0x70);
        assert_eq!(der, &certificate[..], "{command}");
        assert_eq!(rest, hex("71 01 00 FE 00"));
    }
}

#[test]
fn get_data_answers_6a82_for_objects_the_card_does_not_have() {
    let mut card = selected(Quirks::default());
    // 9D and 9E certificates, key history, printed information, fingerprints, iris.
    for tag in ["0B", "01", "0C", "09", "03", "21"] {
        expect(
            &mut card,
            &format!("00 CB 3F FF 05 5C 03 5F C1 {tag} 00"),
            0x6A82,
        );
    }
    expect(&mut card, "00 CB 3F FE 05 5C 03 5F C1 02 00", 0x6A86);
    expect(&mut card, "00 CB 3F FF 05 5D 03 5F C1 02 00", 0x6A80);
    expect(&mut card, "00 CB 3F FF 04 5C 02 5F C1 00", 0x6A80);
}

#[test]
fn a_certificate_comes_in_61xx_pieces_to_short_le_and_whole_to_extended_le() {
    let mut card = selected(Quirks::default());
    let (first, sw) = send(&mut card, &hex(GET_9C));
    assert_eq!(first.len(), 256);
    assert_eq!(sw >> 8, 0x61);
    let (object, sw) = send_collecting(&mut card, &hex(GET_9C));
    assert_eq!(sw, 0x9000);
    let (whole, sw) = send(&mut card, &hex("00 CB 3F FF 00 00 05 5C 03 5F C1 0A 00 00"));
    assert_eq!((whole, sw), (object.clone(), 0x9000));
    // OpenSC first asks for 8 bytes to learn the length from the 53 header.
    let (head, sw) = send(&mut card, &hex("00 CB 3F FF 05 5C 03 5F C1 0A 08"));
    assert_eq!((&head[..], sw >> 8), (&object[..8], 0x61));
}

#[test]
fn the_empty_verify_tells_the_tries_or_9000_once_verified_and_spends_none() {
    let mut card = selected(Quirks::default());
    for _ in 0..5 {
        expect(&mut card, TRIES, 0x63C3);
    }
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    expect(&mut card, TRIES, 0x9000);
    // P1 FF forgets the verification.
    expect(&mut card, "00 20 FF 80", 0x9000);
    expect(&mut card, TRIES, 0x63C3);
    assert_eq!(tries_left(&card), 3);
}

#[test]
fn wrong_pins_count_down_block_and_only_a_correct_one_resets() {
    let mut card = selected(Quirks::default());
    assert_eq!(verify(&mut card, "000000"), 0x63C2);
    assert_eq!(verify(&mut card, "00000000"), 0x63C1);
    assert_eq!(tries_left(&card), 1);
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    expect(&mut card, TRIES, 0x9000);
    assert_eq!(tries_left(&card), 3);

    for left in (0..3u8).rev() {
        assert_eq!(verify(&mut card, "999999"), 0x63C0 | u16::from(left));
    }
    // A wrong PIN also undid the verification.
    expect(&mut card, TRIES, 0x6983);
    assert_eq!(verify(&mut card, PIV_PIN), 0x6983);
    assert_eq!(tries_left(&card), 0);
    card.power_on();
    expect(&mut card, SELECT, 0x9000);
    expect(&mut card, TRIES, 0x6983);
}

#[test]
fn malformed_pin_blocks_and_other_references_cost_no_try() {
    let mut card = selected(Quirks::default());
    // Too short a PIN, no padding, padding in the middle, not digits, not eight bytes.
    for block in [
        "31 32 33 34 FF FF FF FF",
        "31 32 33 34 35 36 FF 37",
        "41 42 43 44 45 46 FF FF",
        "31 32 33 34 35 36 FF",
    ] {
        let data = hex(block);
        assert_eq!(
            send(&mut card, &apdu([0x00, 0x20, 0x00, 0x80], &data, None)).1,
            0x6A80,
            "{block}"
        );
    }
    // The global PIN and the PUK are not on this card.
    expect(&mut card, "00 20 00 00", 0x6A88);
    expect(&mut card, "00 20 00 81", 0x6A88);
    assert_eq!(
        send(
            &mut card,
            &apdu(
                [0x00, 0x20, 0x00, 0x81],
                &hex("31 32 33 34 35 36 FF FF"),
                None
            )
        )
        .1,
        0x6A88
    );
    expect(&mut card, "00 20 01 80", 0x6A86);
    expect(&mut card, TRIES, 0x63C3);
}

#[test]
fn signs_a_hash_with_the_9a_p256_key() {
    let mut card = selected(Quirks::default());
    let hash = sha256(b"client authentication");
    let command = apdu([0x00, 0x87, 0x11, 0x9A], &template(&hash), Some(0x00));
    assert_eq!(send(&mut card, &command).1, 0x6982);
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    // RSA's algorithm number for an EC key.
    assert_eq!(
        send(
            &mut card,
            &apdu([0x00, 0x87, 0x07, 0x9A], &template(&hash), Some(0x00))
        )
        .1,
        0x6A86
    );

    let key = rcgen::KeyPair::try_from(p256().pkcs8.as_slice()).expect("key");
    let verifying_key =
        p256::ecdsa::VerifyingKey::from_sec1_bytes(key.public_key_raw()).expect("point");
    // 9A needs the PIN once per session: two signatures in a row.
    for _ in 0..2 {
        let (response, sw) = send(&mut card, &command);
        assert_eq!(sw, 0x9000);
        let signature =
            p256::ecdsa::Signature::from_der(&signature_in(&response)).expect("DER signature");
        verifying_key
            .verify_prehash(&hash, &signature)
            .expect("the signature verifies");
    }
}

#[test]
fn signs_a_padded_block_with_the_9c_rsa_key_once_per_verify() {
    let mut card = selected(Quirks::default());
    let message = b"bid for construction work";
    let data = template(&pkcs1_block(message));
    assert_eq!(data.len(), 266);
    assert_eq!(
        general_authenticate_chained(&mut card, 0x07, 0x9C, &data).1,
        0x6982
    );
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    let (response, sw) = general_authenticate_chained(&mut card, 0x07, 0x9C, &data);
    assert_eq!(sw, 0x9000);
    let signature = signature_in(&response);
    assert_eq!(signature.len(), 256);
    rsa_public(rsa_sign())
        .pkcs1v15_verify::<sha2::Sha256>(message, &signature)
        .expect("the signature verifies");

    // "PIN always": the next 9C signature needs another VERIFY, though the PIN stays verified for 9A.
    assert_eq!(
        general_authenticate_chained(&mut card, 0x07, 0x9C, &data).1,
        0x6982
    );
    expect(&mut card, TRIES, 0x9000);
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    assert_eq!(
        general_authenticate_chained(&mut card, 0x07, 0x9C, &data).1,
        0x9000
    );
}

#[test]
fn takes_general_authenticate_as_one_extended_apdu_too() {
    let mut card = selected(Quirks::default());
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    let message = b"extended";
    let data = template(&pkcs1_block(message));
    let mut command = hex("00 87 07 9C 00");
    command.extend(u16::try_from(data.len()).expect("len").to_be_bytes());
    command.extend(&data);
    command.extend([0x00, 0x00]);
    let (response, sw) = send(&mut card, &command);
    assert_eq!(sw, 0x9000);
    rsa_public(rsa_sign())
        .pkcs1v15_verify::<sha2::Sha256>(message, &signature_in(&response))
        .expect("the signature verifies");
}

#[test]
fn general_authenticate_refuses_what_a_card_would() {
    let mut card = selected(Quirks::default());
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    let hash = sha256(b"x");
    // Keys this card does not have: management key 9B, 9D, 9E.
    for key in [0x9B, 0x9D, 0x9E] {
        assert_eq!(
            send(
                &mut card,
                &apdu([0x00, 0x87, 0x11, key], &template(&hash), Some(0))
            )
            .1,
            0x6A88
        );
    }
    // A block that is not 256 bytes for RSA; a template without the response request; a witness.
    assert_eq!(
        send(
            &mut card,
            &apdu([0x00, 0x87, 0x07, 0x9C], &template(&hash), Some(0))
        )
        .1,
        0x6A80
    );
    assert_eq!(
        send(
            &mut card,
            &apdu([0x00, 0x87, 0x11, 0x9A], &hex("7C 03 81 01 AA"), Some(0))
        )
        .1,
        0x6A80
    );
    assert_eq!(
        send(
            &mut card,
            &apdu([0x00, 0x87, 0x11, 0x9A], &hex("7C 02 80 00"), Some(0))
        )
        .1,
        0x6A80
    );
    // A block not below the modulus.
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    let data = template(&[0xFF; 256]);
    assert_eq!(
        general_authenticate_chained(&mut card, 0x07, 0x9C, &data).1,
        0x6A80
    );
}

#[test]
fn the_exact_le_quirk_does_not_spend_the_pin_always_on_the_6cxx() {
    let mut card = selected(Quirks {
        demand_exact_le: true,
        ..Quirks::default()
    });
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    let hash = sha256(b"exact");
    let (_, sw) = send(
        &mut card,
        &apdu([0x00, 0x87, 0x11, 0x9A], &template(&hash), Some(0x00)),
    );
    assert_eq!(sw >> 8, 0x6C);
    let (response, sw) = send(
        &mut card,
        &apdu([0x00, 0x87, 0x11, 0x9A], &template(&hash), Some(sw as u8)),
    );
    assert_eq!(sw, 0x9000);
    assert_eq!(response[0], 0x7C);

    // 9C: Le 00 is exact for a 264-byte answer; the rest must be asked for exactly.
    let data = template(&pkcs1_block(b"exact 9C"));
    let (first, sw) = general_authenticate_raw(&mut card, &data);
    assert_eq!((first.len(), sw), (256, 0x6108));
    assert_eq!(send(&mut card, &hex("00 C0 00 00 00")), (vec![], 0x6C08));
    assert_eq!(send(&mut card, &hex("00 C0 00 00 08")).1, 0x9000);
}

/// The chained 9C GENERAL AUTHENTICATE without following 61xx.
fn general_authenticate_raw(card: &mut VirtualCard, data: &[u8]) -> (Vec<u8>, u16) {
    let (head, tail) = data.split_at(255);
    assert_eq!(
        send(card, &apdu([0x10, 0x87, 0x07, 0x9C], head, None)).1,
        0x9000
    );
    send(card, &apdu([0x00, 0x87, 0x07, 0x9C], tail, Some(0x00)))
}

#[test]
fn the_chunk_and_short_only_quirks_apply_to_piv_as_well() {
    let mut card = selected(Quirks {
        get_response_chunk: Some(64),
        short_apdus_only: true,
        ..Quirks::default()
    });
    let (first, sw) = send(&mut card, &hex(GET_9A));
    assert_eq!((first.len(), sw >> 8), (64, 0x61));
    let (object, sw) = send_collecting(&mut card, &hex(GET_9A));
    assert_eq!(sw, 0x9000);
    assert_eq!(object[0], 0x53);
    expect(
        &mut card,
        "00 CB 3F FF 00 00 05 5C 03 5F C1 0A 00 00",
        0x6700,
    );
}

#[test]
fn a_reset_forgets_the_verification_and_the_selection_but_not_the_count() {
    let mut card = selected(Quirks::default());
    assert_eq!(verify(&mut card, "000000"), 0x63C2);
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    assert_eq!(verify(&mut card, "000000"), 0x63C2);
    card.power_on();
    expect(&mut card, TRIES, 0x6D00);
    expect(&mut card, SELECT, 0x9000);
    expect(&mut card, TRIES, 0x63C2);
    assert_eq!(tries_left(&card), 2);
}

#[test]
fn reselecting_keeps_the_verification() {
    let mut card = selected(Quirks::default());
    assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
    expect(&mut card, SELECT, 0x9000);
    expect(&mut card, TRIES, 0x9000);
}

#[test]
fn other_instructions_and_classes_are_refused() {
    let mut card = selected(Quirks::default());
    // PUT DATA, GENERATE ASYMMETRIC KEY PAIR, CHANGE REFERENCE DATA, the YubiKey version command.
    for command in [
        "00 DB 3F FF 02 5C 00",
        "00 47 00 9A 05 AC 03 80 01 07",
        "00 24 00 80 00",
        "00 FD 00 00 00",
    ] {
        expect(&mut card, command, 0x6D00);
    }
    expect(&mut card, "80 CB 3F FF 03 5C 01 7E 00", 0x6E00);
    expect(&mut card, "00 C0 00 00 00", 0x6985);
}

#[test]
fn the_card_file_round_trips_and_impossible_files_are_refused() {
    let card = piv(Quirks::default());
    assert_eq!(card.spec(), CardSpec::Piv(piv_spec(Quirks::default())));

    let mut short_uuid = piv_spec(Quirks::default());
    short_uuid.card_uuid = vec![1, 2, 3];
    assert!(VirtualCard::from_spec(CardSpec::Piv(short_uuid)).is_err());

    let mut letters = piv_spec(Quirks::default());
    letters.pin.value = "ABCDEF".into();
    assert!(VirtualCard::from_spec(CardSpec::Piv(letters)).is_err());

    let mut bad_key = piv_spec(Quirks::default());
    bad_key.slot_9c.private_key_pkcs8 = vec![0x30, 0x00];
    assert!(VirtualCard::from_spec(CardSpec::Piv(bad_key)).is_err());
}

#[test]
fn works_behind_the_in_process_transport() {
    use ebid_card::transport::{InProcess, Transport as _};
    let mut transport = InProcess::new(piv(Quirks::default()), true);
    let response = transport.transmit(&hex(SELECT)).expect("card present");
    assert_eq!(response[response.len() - 2..], [0x90, 0x00]);
}

#[test]
fn never_panics_on_any_input() {
    let mut card = piv(Quirks {
        get_response_chunk: Some(9),
        demand_exact_le: true,
        short_apdus_only: false,
    });
    for seed in 0..20_000u64 {
        let mut raw = noise(seed ^ 0xA5A5, (seed % 300) as usize);
        if let Some(first) = raw.first_mut() {
            *first &= 0x10;
        }
        if raw.len() > 1 && seed % 2 == 0 {
            raw[1] = [0xA4, 0xCB, 0x20, 0x87, 0xC0][(seed / 2 % 5) as usize];
        }
        assert!(card.respond(&raw).len() >= 2);
        if seed % 500 == 0 {
            select(&mut card);
            assert_eq!(verify(&mut card, PIV_PIN), 0x9000);
        }
    }
}
