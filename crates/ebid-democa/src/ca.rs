//! The three demo certification authorities: self-signed roots, each with its own RSA-2048 key.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, IsCa, KeyPair,
    KeyUsagePurpose,
};
use time::OffsetDateTime;

use crate::names::{japan, printable};
use crate::parallel;
use crate::period::Shift;
use crate::{DemoCaError, keys};

/// A root that can sign certificates and CRLs.
pub(crate) type Ca = CertifiedIssuer<'static, KeyPair>;

/// Which CA issues a card. The discriminants index [`DemoCas`], in the order of [`CaKind::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaKind {
    /// "ebid デモ認証局", the root the demo server trusts for company cards.
    DemoRoot = 0,
    /// The demo stand-in for J-LIS's JPKI CA, for both sides of the マイナンバーカード-style cards.
    Jpki = 1,
    /// A root nobody trusts, for the card the server must refuse as from an unknown issuer.
    Untrusted = 2,
}

impl CaKind {
    pub const ALL: [CaKind; 3] = [CaKind::DemoRoot, CaKind::Jpki, CaKind::Untrusted];

    /// The file stem under `DIR/ca/`.
    pub fn file_stem(self) -> &'static str {
        match self {
            CaKind::DemoRoot => "demo-root",
            CaKind::Jpki => "demo-jpki-root",
            CaKind::Untrusted => "untrusted-root",
        }
    }

    fn subject(self) -> Result<DistinguishedName, rcgen::Error> {
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, japan()?);
        match self {
            CaKind::DemoRoot => {
                dn.push(DnType::OrganizationName, printable("ebid demo")?);
                dn.push(DnType::CommonName, "ebid デモ認証局");
            }
            // J-LIS's CAs are named by O=JPKI and OUs, with no CN; the OU says this one is a demo.
            CaKind::Jpki => {
                dn.push(DnType::OrganizationName, printable("JPKI")?);
                dn.push(
                    DnType::OrganizationalUnitName,
                    printable("ebid demo JPKI CA for digital signature and user authentication")?,
                );
            }
            CaKind::Untrusted => {
                dn.push(DnType::OrganizationName, printable("Untrusted demo")?);
                dn.push(DnType::CommonName, "信頼されていない認証局");
            }
        }
        Ok(dn)
    }
}

/// The three roots, made in parallel (one RSA key each).
#[derive(Debug)]
pub(crate) struct DemoCas(Vec<Ca>);

impl DemoCas {
    pub fn generate(now: OffsetDateTime) -> Result<Self, DemoCaError> {
        let cas = parallel::map(&CaKind::ALL, |kind| root(*kind, now));
        Ok(Self(cas.into_iter().collect::<Result<_, _>>()?))
    }

    pub fn get(&self, kind: CaKind) -> &Ca {
        &self.0[kind as usize]
    }
}

fn root(kind: CaKind, now: OffsetDateTime) -> Result<Ca, DemoCaError> {
    let mut params = CertificateParams::default();
    params.distinguished_name = kind.subject()?;
    params.serial_number = Some(keys::serial_number()?);
    // Wide enough to hold every card's validity, from the one issued almost five years ago to the one that
    // expires in almost five years, as a real root outlives the cards it issues.
    params.not_before = Shift::years_days(-10, 0).from(now)?;
    params.not_after = Shift::years_days(20, 0).from(now)?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    Ok(CertifiedIssuer::self_signed(params, keys::rsa_2048()?)?)
}
