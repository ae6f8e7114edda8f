//! Issues a planned card: its keys, its certificates from the planned CA, and the card file's contents.

use ebid_vcard::spec::{CardSpec, JpkiSpec, KeySlot, PinSpec, PivSpec, Quirks};
use rcgen::{
    CertificateParams, CustomExtension, DistinguishedName, IsCa, Issuer, KeyPair,
    KeyUsagePurpose::{self, DigitalSignature},
    SanType, SerialNumber,
};
use time::OffsetDateTime;

use crate::ca::{CaKind, DemoCas};
use crate::cards::{
    CardPlan, JPKI_AUTH_TRIES, JPKI_SIGN_TRIES, JpkiPlan, PIV_PIN_TRIES, PivPlan, ProfilePlan,
    SIGNING, SubjectPlan,
};
use crate::period::Validity;
use crate::{DemoCaError, keys, names};

/// A card ready to be written, and the serial of the certificate the workflow signs with (9C, or JPKI's
/// signing side), which the manifest and the CRL name.
#[derive(Debug)]
pub(crate) struct IssuedCard {
    pub spec: CardSpec,
    pub serial: SerialNumber,
}

pub(crate) fn card(
    plan: &CardPlan,
    cas: &DemoCas,
    now: OffsetDateTime,
) -> Result<IssuedCard, DemoCaError> {
    match &plan.profile {
        ProfilePlan::Piv(piv_plan) => piv(piv_plan, cas, now),
        ProfilePlan::Jpki(jpki_plan) => jpki(jpki_plan, cas, now),
    }
}

/// 9C: RSA-2048 with the planned key usage; 9A: ECDSA P-256 for authentication, same names, same CA.
fn piv(plan: &PivPlan, cas: &DemoCas, now: OffsetDateTime) -> Result<IssuedCard, DemoCaError> {
    let issuer: &Issuer<'_, KeyPair> = cas.get(plan.issuer);
    let (subject, extensions) = match &plan.subject {
        SubjectPlan::RomajiWithKanjiAltName {
            organization,
            common_name,
            kanji,
        } => (
            names::romaji_subject(organization, common_name)?,
            vec![names::kanji_alt_name(kanji)],
        ),
        SubjectPlan::Kanji(party) => (names::kanji_subject(party)?, Vec::new()),
    };
    let names = Names {
        subject,
        alt_names: Vec::new(),
        extensions,
    };
    let signing = end_entity(names.clone(), plan.signing_usage, plan.validity, now)?;
    let serial = signing.serial.clone();
    let slot_9c = signing.sign(keys::rsa_2048()?, issuer)?;
    let slot_9a =
        end_entity(names, &[DigitalSignature], plan.validity, now)?.sign(keys::p256()?, issuer)?;
    Ok(IssuedCard {
        spec: CardSpec::Piv(PivSpec {
            pin: pin(plan.pin, PIV_PIN_TRIES),
            slot_9a,
            slot_9c,
            card_uuid: keys::uuid_v4()?.to_vec(),
            quirks: Quirks::default(),
        }),
        serial,
    })
}

/// Both sides RSA-2048 from the demo JPKI CA, as on a マイナンバーカード. The signing certificate names
/// the person in otherNames; the authentication certificate names nobody.
fn jpki(plan: &JpkiPlan, cas: &DemoCas, now: OffsetDateTime) -> Result<IssuedCard, DemoCaError> {
    let ca = cas.get(CaKind::Jpki);
    let issued_on = plan.validity.not_before.from(now)?;
    let sign_names = Names {
        subject: names::jpki_sign_subject(plan.person, &jpki_common_name(issued_on)?)?,
        alt_names: names::jpki_alt_names(plan.person),
        extensions: Vec::new(),
    };
    let signing = end_entity(sign_names, SIGNING, plan.validity, now)?;
    let serial = signing.serial.clone();
    let sign = signing.sign(keys::rsa_2048()?, ca)?;
    let auth_names = Names {
        subject: names::jpki_auth_subject(&jpki_common_name(issued_on)?)?,
        alt_names: Vec::new(),
        extensions: Vec::new(),
    };
    let auth = end_entity(auth_names, &[DigitalSignature], plan.validity, now)?
        .sign(keys::rsa_2048()?, ca)?;
    Ok(IssuedCard {
        spec: CardSpec::Jpki(JpkiSpec {
            sign_pin: pin(plan.sign_password, JPKI_SIGN_TRIES),
            sign,
            sign_ca_certificate: ca.der().to_vec(),
            auth_pin: pin(plan.auth_pin, JPKI_AUTH_TRIES),
            auth,
            auth_ca_certificate: ca.der().to_vec(),
            quirks: Quirks::default(),
        }),
        serial,
    })
}

/// A fresh card: every try left.
fn pin(value: &str, tries: u8) -> PinSpec {
    PinSpec {
        value: value.into(),
        max_tries: tries,
        tries_left: tries,
    }
}

/// JPKI's subject common names are serial-like strings, not names: the issue date and random characters.
fn jpki_common_name(issued_on: OffsetDateTime) -> Result<String, DemoCaError> {
    let random: String = keys::random_bytes::<6>()?
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect();
    Ok(format!(
        "{:04}{:02}{:02}{random}",
        issued_on.year(),
        u8::from(issued_on.month()),
        issued_on.day()
    ))
}

#[derive(Debug, Clone)]
pub(crate) struct Names {
    pub subject: DistinguishedName,
    pub alt_names: Vec<SanType>,
    pub extensions: Vec<CustomExtension>,
}

/// An end-entity certificate's parameters, with a fresh serial kept at hand for the manifest and CRL.
pub(crate) struct EndEntity {
    params: CertificateParams,
    serial: SerialNumber,
}

pub(crate) fn end_entity(
    names: Names,
    key_usages: &[KeyUsagePurpose],
    validity: Validity,
    now: OffsetDateTime,
) -> Result<EndEntity, DemoCaError> {
    let serial = keys::serial_number()?;
    let mut params = CertificateParams::default();
    params.distinguished_name = names.subject;
    params.subject_alt_names = names.alt_names;
    params.custom_extensions = names.extensions;
    params.serial_number = Some(serial.clone());
    params.not_before = validity.not_before.from(now)?;
    params.not_after = validity.not_after.from(now)?;
    params.key_usages = key_usages.to_vec();
    // Explicitly not a CA: rcgen then writes basicConstraints cA=false and a subject key identifier, and the
    // authority key identifier links the certificate to its root, as CA-issued certificates do.
    params.is_ca = IsCa::ExplicitNoCa;
    params.use_authority_key_identifier_extension = true;
    Ok(EndEntity { params, serial })
}

impl EndEntity {
    pub(crate) fn sign(
        self,
        key: KeyPair,
        issuer: &Issuer<'_, KeyPair>,
    ) -> Result<KeySlot, DemoCaError> {
        let certificate = self.params.signed_by(&key, issuer)?;
        Ok(KeySlot {
            certificate: certificate.der().to_vec(),
            private_key_pkcs8: key.serialize_der(),
        })
    }
}
