//! Certificates that fail several checks at once are refused for the first, in the crate's documented order:
//! readable, chain, validity, revocation, usage. The demo cards each fail one check; the combinations are
//! made here, with the demo root's own key where a trusted CA must have signed.

mod support;

use ebid_trust::TrustError;
use rcgen::{CustomExtension, ExtendedKeyUsagePurpose, KeyUsagePurpose};
use time::Duration;

use support::{
    card, card_params, certificate, copy_of_demo, crl, demo, demo_root, demo_root_ec_impostor,
    demo_root_impostor, issue, now, read, store, store_of, store_with_crl, store_with_crls, sub_ca,
};

// 1. Readable.

#[test]
fn what_is_not_a_certificate_is_a_bad_certificate() {
    let card = certificate("replacement");
    for bytes in [&[][..], b"not a certificate", &card[..card.len() / 2]] {
        let result = store().validate(bytes, now());
        assert!(
            matches!(result, Err(TrustError::BadCertificate(_))),
            "{result:?}"
        );
    }
}

#[test]
fn an_unknown_critical_extension_is_a_bad_certificate_even_from_an_unknown_ca() {
    let mut params = card_params(1);
    let mut extension = CustomExtension::from_oid_content(&[1, 2, 3, 4, 5], vec![0x05, 0x00]);
    extension.set_criticality(true);
    params.custom_extensions = vec![extension];
    for issuer in [demo_root(), demo_root_impostor()] {
        let result = store().validate(issue(&params, &issuer).der(), now());
        assert!(
            matches!(&result, Err(TrustError::BadCertificate(message)) if message.contains("UnsupportedCriticalExtension")),
            "{result:?}"
        );
    }
}

#[test]
fn a_ca_certificate_presented_as_a_card_is_a_bad_certificate() {
    let root = read(&demo().ca.demo_root.der);
    let result = store().validate(&root, now());
    assert!(
        matches!(&result, Err(TrustError::BadCertificate(message)) if message.contains("CaUsedAsEndEntity")),
        "{result:?}"
    );
}

#[test]
fn padding_after_the_certificate_and_pem_armour_are_read_through() {
    let exact = certificate("replacement");
    let mut padded = exact.clone();
    padded.extend([0xff; 64]);
    let validated = store().validate(&padded, now()).expect("padded validates");
    assert_eq!(validated.der(), exact);

    let issued = issue(&card_params(2), &demo_root());
    let validated = store()
        .validate(issued.pem().as_bytes(), now())
        .expect("PEM validates");
    assert_eq!(validated.der(), issued.der().as_ref());
}

// 2. Chain, before the dates: a certificate no trusted CA signed is refused as such, whatever it claims.

#[test]
fn an_unknown_issuer_comes_before_expiry_and_before_the_start_date() {
    let untrusted = certificate("untrusted");
    for at in [now() + Duration::days(5 * 366), now() - Duration::days(30)] {
        let result = store().validate(&untrusted, at);
        assert!(
            matches!(result, Err(TrustError::UntrustedIssuer)),
            "{result:?}"
        );
    }
}

#[test]
fn the_demo_roots_name_with_another_key_is_an_unknown_issuer_even_when_expired() {
    for impostor in [demo_root_impostor(), demo_root_ec_impostor()] {
        let forged = issue(&card_params(3), &impostor);
        for at in [now(), now() + Duration::days(400)] {
            let result = store().validate(forged.der(), at);
            assert!(
                matches!(result, Err(TrustError::UntrustedIssuer)),
                "{result:?}"
            );
        }
    }
}

// 3. Validity, before revocation and before the CRL's own age.

#[test]
fn expiry_comes_before_revocation() {
    let revoked = certificate("revoked");
    let long_after = now() + Duration::days(5 * 366);
    // A CRL current then, still listing the card.
    let (_copy, set) = copy_of_demo();
    set.reissue_crl(long_after - Duration::days(1))
        .expect("reissue the CRL");
    let result = store_of(&set).validate(&revoked, long_after);
    assert!(matches!(result, Err(TrustError::Expired)), "{result:?}");
    // And with the demo set's own CRL, long stale by then.
    let result = store().validate(&revoked, long_after);
    assert!(matches!(result, Err(TrustError::Expired)), "{result:?}");
}

#[test]
fn expiry_comes_before_usage() {
    let result = store().validate(
        &certificate("no-signing-usage"),
        now() + Duration::days(5 * 366),
    );
    assert!(matches!(result, Err(TrustError::Expired)), "{result:?}");
}

// 4. Revocation, before usage.

#[test]
fn revocation_comes_before_key_usage() {
    let no_usage = card("no-signing-usage");
    let store = store_with_crl(&crl(&demo_root(), &[no_usage.signing_serial.as_bytes()]));
    let result = store.validate(&certificate("no-signing-usage"), now());
    assert!(matches!(result, Err(TrustError::Revoked)), "{result:?}");
}

#[test]
fn revocation_comes_before_extended_key_usage() {
    let mut params = card_params(4);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
    let issued = issue(&params, &demo_root());
    let store = store_with_crl(&crl(&demo_root(), &[&[0x5e, 4]]));
    let result = store.validate(issued.der(), now());
    assert!(matches!(result, Err(TrustError::Revoked)), "{result:?}");
}

#[test]
fn a_crl_in_the_demo_roots_name_signed_by_another_key_is_unusable() {
    let store = store_with_crl(&crl(&demo_root_impostor(), &[]));
    let result = store.validate(&certificate("replacement"), now());
    assert!(
        matches!(&result, Err(TrustError::CrlUnusable(message)) if message.contains("InvalidCrlSignatureForPublicKey")),
        "{result:?}"
    );
}

// 5. Usage.

#[test]
fn an_extended_key_usage_must_list_client_auth() {
    let with = |serial: u8, purposes: Vec<ExtendedKeyUsagePurpose>| {
        let mut params = card_params(serial);
        params.extended_key_usages = purposes;
        store().validate(issue(&params, &demo_root()).der(), now())
    };
    use ExtendedKeyUsagePurpose::{ClientAuth, EmailProtection};
    let refused = with(5, vec![EmailProtection]);
    assert!(
        matches!(refused, Err(TrustError::NoSigningKeyUsage)),
        "{refused:?}"
    );
    let client = with(6, vec![ClientAuth]);
    assert!(client.is_ok(), "{client:?}");
    let both = with(7, vec![EmailProtection, ClientAuth]);
    assert!(both.is_ok(), "{both:?}");
}

#[test]
fn key_usage_must_allow_signing_and_its_absence_allows_it() {
    let with = |serial: u8, usages: Vec<KeyUsagePurpose>| {
        let mut params = card_params(serial);
        params.key_usages = usages;
        store().validate(issue(&params, &demo_root()).der(), now())
    };
    let none = with(8, Vec::new());
    assert!(none.is_ok(), "{none:?}");
    assert_eq!(none.ok().map(|card| card.facts().key_usage), Some(None));
    let non_repudiation = with(9, vec![KeyUsagePurpose::ContentCommitment]);
    assert!(non_repudiation.is_ok(), "{non_repudiation:?}");
    let agreement = with(10, vec![KeyUsagePurpose::KeyAgreement]);
    assert!(
        matches!(agreement, Err(TrustError::NoSigningKeyUsage)),
        "{agreement:?}"
    );
}

// Intermediates: none in the demo set, but a CA may issue cards from a sub-CA.

#[test]
fn a_card_from_a_sub_ca_chains_through_the_intermediate_given() {
    let sub = sub_ca(1, now() - Duration::days(100), now() + Duration::days(3650));
    let issued = issue(&card_params(11), &sub);
    let store = store_with_crls(&[&crl(&demo_root(), &[]), &crl(&sub, &[])]);
    let alone = store.validate(issued.der(), now());
    assert!(
        matches!(alone, Err(TrustError::UntrustedIssuer)),
        "{alone:?}"
    );
    let chained = store.validate_with_intermediates(issued.der(), &[sub.der().as_ref()], now());
    assert!(chained.is_ok(), "{chained:?}");
}

#[test]
fn a_revoked_or_expired_intermediate_refuses_its_cards() {
    let sub = sub_ca(2, now() - Duration::days(100), now() + Duration::days(3650));
    let issued = issue(&card_params(12), &sub);
    let revoking = store_with_crl(&crl(&demo_root(), &[&[0x1c, 2]]));
    let revoked = revoking.validate_with_intermediates(issued.der(), &[sub.der().as_ref()], now());
    assert!(matches!(revoked, Err(TrustError::Revoked)), "{revoked:?}");

    let expired_sub = sub_ca(3, now() - Duration::days(100), now() - Duration::days(2));
    let mut params = card_params(13);
    params.not_before = now() - Duration::days(50);
    let issued = issue(&params, &expired_sub);
    let expired =
        store().validate_with_intermediates(issued.der(), &[expired_sub.der().as_ref()], now());
    assert!(matches!(expired, Err(TrustError::Expired)), "{expired:?}");
}
