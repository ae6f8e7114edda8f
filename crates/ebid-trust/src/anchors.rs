//! The trusted CAs, and which of them may vouch for a card at the server's time.

use std::borrow::Cow;

use rustls_pki_types::{Der, TrustAnchor};
use time::OffsetDateTime;

use crate::ca::CaCertificate;

#[derive(Debug)]
pub(crate) struct Anchors {
    cas: Vec<CaCertificate>,
    /// The same anchors in webpki's form, kept whole so that the usual request (every CA valid) borrows them.
    webpki: Vec<TrustAnchor<'static>>,
}

impl Anchors {
    pub fn new(cas: Vec<CaCertificate>) -> Self {
        let webpki = cas.iter().map(|ca| ca.anchor.clone()).collect();
        Self { cas, webpki }
    }

    pub fn cas(&self) -> &[CaCertificate] {
        &self.cas
    }

    /// The anchors valid at `at`: webpki does not look at an anchor's dates, so a CA whose certificate has
    /// expired (or has not started) is left out here.
    pub fn usable_at(&self, at: OffsetDateTime) -> Cow<'_, [TrustAnchor<'_>]> {
        if self.cas.iter().all(|ca| ca.valid_at(at)) {
            return Cow::Borrowed(&self.webpki);
        }
        Cow::Owned(self.views(|ca| ca.valid_at(at)))
    }

    /// The anchors that have expired at `at`, to tell a card of such a CA from one of an unknown CA.
    pub fn expired_at(&self, at: OffsetDateTime) -> Vec<TrustAnchor<'_>> {
        self.views(|ca| ca.expired_at(at))
    }

    /// The trusted CA that `anchor` (one of this store's, as webpki returns it in a path) is.
    pub fn find(&self, anchor: &TrustAnchor<'_>) -> Option<&CaCertificate> {
        self.cas.iter().find(|ca| {
            ca.anchor.subject == anchor.subject
                && ca.anchor.subject_public_key_info == anchor.subject_public_key_info
        })
    }

    /// Borrowed copies of the anchors `keep` selects.
    fn views(&self, keep: impl Fn(&CaCertificate) -> bool) -> Vec<TrustAnchor<'_>> {
        self.cas
            .iter()
            .filter(|ca| keep(ca))
            .map(|ca| TrustAnchor {
                subject: Der::from(ca.anchor.subject.as_ref()),
                subject_public_key_info: Der::from(ca.anchor.subject_public_key_info.as_ref()),
                name_constraints: ca
                    .anchor
                    .name_constraints
                    .as_ref()
                    .map(|constraints| Der::from(constraints.as_ref())),
            })
            .collect()
    }
}
