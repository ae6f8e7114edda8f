//! A token opened through its module, as a [`SigningCard`].

use cryptoki::context::Pkcs11;
use cryptoki::error::{Error, RvError};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{
    Attribute, AttributeType, CertificateType, KeyType, ObjectClass, ObjectHandle,
};
use cryptoki::session::{Session, SessionState, UserType};
use cryptoki::slot::{Slot, TokenInfo};
use cryptoki::types::RawAuthPin;
use ebid_card::{
    CardError, Pin, PinFormat, PinStatus, Profile, Signature, SignatureAlgorithm, SigningCard,
    sha256_digest_info,
};

use crate::ecdsa_der;
use crate::error::card_error;

/// `CKA_EC_PARAMS` of a P-256 key: the DER OID prime256v1 (RFC 5480).
const P256_EC_PARAMS: [u8; 10] = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/// A session with one token.
///
/// The signing key is chosen deterministically, whatever order the module lists its objects in: among the
/// private keys with `CKA_SIGN` that are RSA or ECDSA P-256 and share their `CKA_ID` with an X.509
/// certificate object, the one with the lowest `CKA_ID` (compared as bytes). Its certificate is the signing
/// certificate. Private keys are usually private objects, seen only after `C_Login`: the key (so the
/// certificate) is then found after the PIN, as JPKI reads its certificate ([`SigningCard::certificate_needs_pin`]).
///
/// No APDU is visible through PKCS#11: [`SigningCard::apdus_sent`] is always 0.
///
/// Not handled yet: keys with `CKA_ALWAYS_AUTHENTICATE` (a context-specific login before each signature) and
/// PIN pads (`CKF_PROTECTED_AUTHENTICATION_PATH`, listed in [`crate::TokenSlot`]).
pub struct Token {
    context: Pkcs11,
    slot: Slot,
    session: Session,
    pin_format: PinFormat,
    key_visible_before_login: bool,
    key: Option<SigningKey>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("slot", &self.slot.id())
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
struct SigningKey {
    handle: ObjectHandle,
    kind: KeyKind,
    certificate: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Rsa,
    P256,
}

impl Token {
    pub(crate) fn new(context: Pkcs11, slot: Slot, session: Session) -> Result<Self, CardError> {
        let info = context
            .get_token_info(slot)
            .map_err(|e| card_error("C_GetTokenInfo", e))?;
        let max_len = match info.max_pin_length() {
            // Some modules leave the maximum at 0: no maximum known.
            0 => usize::MAX,
            max => max,
        };
        let mut token = Self {
            context,
            slot,
            session,
            pin_format: PinFormat::Token {
                min_len: info.min_pin_length(),
                max_len,
            },
            key_visible_before_login: false,
            key: None,
        };
        token.key = token.find_signing_key()?;
        token.key_visible_before_login = token.key.is_some();
        Ok(token)
    }

    fn token_info(&self) -> Result<TokenInfo, CardError> {
        self.context
            .get_token_info(self.slot)
            .map_err(|e| card_error("C_GetTokenInfo", e))
    }

    fn logged_in(&self) -> Result<bool, CardError> {
        let info = self
            .session
            .get_session_info()
            .map_err(|e| card_error("C_GetSessionInfo", e))?;
        Ok(matches!(
            info.session_state(),
            SessionState::RoUser | SessionState::RwUser
        ))
    }

    /// The signing key, found once and kept; before the PIN, a token that hides its keys says so.
    fn signing_key(&mut self) -> Result<SigningKey, CardError> {
        if let Some(key) = &self.key {
            return Ok(key.clone());
        }
        match self.find_signing_key()? {
            Some(key) => {
                self.key = Some(key.clone());
                Ok(key)
            }
            None if !self.logged_in()? => Err(CardError::PinNotVerified),
            None => Err(CardError::Missing(
                "RSA or ECDSA P-256 signing key with its certificate",
            )),
        }
    }

    fn find_signing_key(&self) -> Result<Option<SigningKey>, CardError> {
        let find = |e| card_error("C_FindObjects", e);
        let keys = self
            .session
            .find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::Sign(true),
            ])
            .map_err(find)?;
        let mut best: Option<(Vec<u8>, SigningKey)> = None;
        for handle in keys {
            let Some((id, kind)) = self.key_id_and_kind(handle)? else {
                continue;
            };
            if best.as_ref().is_some_and(|(best_id, _)| *best_id <= id) {
                continue;
            }
            let Some(certificate) = self.certificate_with_id(&id)? else {
                continue;
            };
            best = Some((
                id,
                SigningKey {
                    handle,
                    kind,
                    certificate,
                },
            ));
        }
        Ok(best.map(|(_, key)| key))
    }

    /// A key's `CKA_ID` and kind, or `None` for a kind this project does not sign with.
    fn key_id_and_kind(&self, key: ObjectHandle) -> Result<Option<(Vec<u8>, KeyKind)>, CardError> {
        let attributes = self
            .session
            .get_attributes(key, &[AttributeType::Id, AttributeType::KeyType])
            .map_err(|e| card_error("C_GetAttributeValue", e))?;
        let mut id = None;
        let mut key_type = None;
        for attribute in attributes {
            match attribute {
                Attribute::Id(value) => id = Some(value),
                Attribute::KeyType(value) => key_type = Some(value),
                _ => {}
            }
        }
        let (Some(id), Some(key_type)) = (id, key_type) else {
            return Ok(None);
        };
        let kind = if key_type == KeyType::RSA {
            KeyKind::Rsa
        } else if key_type == KeyType::EC && self.ec_params(key)? == Some(P256_EC_PARAMS.to_vec()) {
            KeyKind::P256
        } else {
            return Ok(None);
        };
        Ok(Some((id, kind)))
    }

    fn ec_params(&self, key: ObjectHandle) -> Result<Option<Vec<u8>>, CardError> {
        let attributes = self
            .session
            .get_attributes(key, &[AttributeType::EcParams])
            .map_err(|e| card_error("C_GetAttributeValue", e))?;
        Ok(attributes.into_iter().find_map(|a| match a {
            Attribute::EcParams(value) => Some(value),
            _ => None,
        }))
    }

    fn certificate_with_id(&self, id: &[u8]) -> Result<Option<Vec<u8>>, CardError> {
        let certificates = self
            .session
            .find_objects(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::CertificateType(CertificateType::X_509),
                Attribute::Id(id.to_vec()),
            ])
            .map_err(|e| card_error("C_FindObjects", e))?;
        let Some(&certificate) = certificates.first() else {
            return Ok(None);
        };
        let attributes = self
            .session
            .get_attributes(certificate, &[AttributeType::Value])
            .map_err(|e| card_error("C_GetAttributeValue", e))?;
        Ok(attributes.into_iter().find_map(|a| match a {
            Attribute::Value(der) => Some(der),
            _ => None,
        }))
    }

    /// What a wrong PIN means, from the flags the token shows after it.
    fn wrong_pin(&self) -> CardError {
        match self.token_info() {
            Ok(info) if info.user_pin_locked() => CardError::PinBlocked,
            Ok(info) if info.user_pin_final_try() => CardError::WrongPin { tries_left: 1 },
            Ok(_) => CardError::WrongPinTriesUnknown,
            Err(e) => e,
        }
    }

    fn offers(&self, mechanism: MechanismType) -> Result<bool, CardError> {
        let mechanisms = self
            .context
            .get_mechanism_list(self.slot)
            .map_err(|e| card_error("C_GetMechanismList", e))?;
        Ok(mechanisms.contains(&mechanism))
    }
}

/// The PIN's state as the token flags tell it: PKCS#11 gives no count, only "a wrong PIN since the last right
/// one" (COUNT_LOW), "one try left" (FINAL_TRY) and "locked" (LOCKED); no count is invented.
pub(crate) fn pin_status_from(info: &TokenInfo, logged_in: bool) -> PinStatus {
    if info.user_pin_locked() {
        PinStatus::Blocked
    } else if logged_in {
        PinStatus::Verified
    } else if info.user_pin_final_try() {
        PinStatus::TriesLeft(1)
    } else {
        PinStatus::TriesUnknown {
            low: info.user_pin_count_low(),
        }
    }
}

impl SigningCard for Token {
    fn profile(&self) -> Profile {
        Profile::Pkcs11
    }

    fn pin_format(&self) -> PinFormat {
        self.pin_format
    }

    fn certificate_needs_pin(&self) -> bool {
        !self.key_visible_before_login
    }

    fn pin_status(&mut self) -> Result<PinStatus, CardError> {
        let info = self.token_info()?;
        Ok(pin_status_from(&info, self.logged_in()?))
    }

    /// `C_Login` as the user. The PIN's bytes go from the `Pin`'s zeroized buffer into cryptoki's
    /// `RawAuthPin` (a `SecretBox`, wiped when dropped) without another copy.
    fn verify_pin(&mut self, pin: &Pin) -> Result<(), CardError> {
        let mut encoded = self.pin_format.encode(pin)?;
        let raw = RawAuthPin::new(Box::new(std::mem::take(&mut *encoded)));
        match self.session.login_with_raw(UserType::User, &raw) {
            Ok(()) | Err(Error::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
            Err(Error::Pkcs11(RvError::PinIncorrect, _)) => Err(self.wrong_pin()),
            Err(e) => Err(card_error("C_Login", e)),
        }
    }

    fn signing_certificate(&mut self) -> Result<Vec<u8>, CardError> {
        Ok(self.signing_key()?.certificate)
    }

    /// The session stays logged in: one PIN for several signatures.
    fn verify_before_each_signature(&self) -> bool {
        false
    }

    /// The token is given the digest, never the message: `CKM_RSA_PKCS` over the DER DigestInfo for RSA (the
    /// `CKM_SHA256_RSA_PKCS` a token may also offer would hash the digest again), `CKM_ECDSA` over the digest
    /// for P-256, its `r || s` returned as DER.
    fn sign_sha256(&mut self, digest: &[u8; 32]) -> Result<Signature, CardError> {
        let key = self.signing_key()?;
        let sign = |e| card_error("C_Sign", e);
        match key.kind {
            KeyKind::Rsa => {
                if !self.offers(MechanismType::RSA_PKCS)? {
                    return Err(CardError::Missing("CKM_RSA_PKCS signing mechanism"));
                }
                let bytes = self
                    .session
                    .sign(&Mechanism::RsaPkcs, key.handle, &sha256_digest_info(digest))
                    .map_err(sign)?;
                Ok(Signature {
                    algorithm: SignatureAlgorithm::RsaPkcs1Sha256,
                    bytes,
                })
            }
            KeyKind::P256 => {
                if !self.offers(MechanismType::ECDSA)? {
                    return Err(CardError::Missing("CKM_ECDSA signing mechanism"));
                }
                let raw = self
                    .session
                    .sign(&Mechanism::Ecdsa, key.handle, digest)
                    .map_err(sign)?;
                let bytes =
                    ecdsa_der::from_raw(&raw).ok_or(CardError::Malformed("C_Sign (ECDSA)"))?;
                Ok(Signature {
                    algorithm: SignatureAlgorithm::EcdsaP256Sha256,
                    bytes,
                })
            }
        }
    }

    /// Always 0: a PKCS#11 module does not show the APDUs it sends.
    fn apdus_sent(&self) -> usize {
        0
    }
}
