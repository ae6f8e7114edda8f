//! Which values of the new card differ from the registration, for 電子証明書更新確認 to highlight: names as a
//! clerk reads them (「株式会社 長崎土木」 is 「株式会社長崎土木」), so that a mark means a real difference.
//! The serial number and the expiry date of a new card always differ and are not marked.

use ebid_cert::company_name::same_company;
use ebid_cert::holder_name::holder_equal;
use ebid_protocol::RenewalConfirmation;

/// The new card's values that differ from the registration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangedFields {
    /// ICカード企業名称 is not the registered 企業名称.
    pub card_company: bool,
    /// ICカード取得者氏名 is not the registered card's.
    pub card_holder: bool,
    /// ICカード取得者住所 is not the registered card's.
    pub card_address: bool,
    /// 証明書発行者 is another CA than the registered card's.
    pub issuer: bool,
}

impl ChangedFields {
    pub fn any(&self) -> bool {
        self.card_company || self.card_holder || self.card_address || self.issuer
    }
}

/// Compares the new column with the registration: 企業名称 for the card's company name, the registered
/// card (the current column) for the rest.
pub fn changed_fields(confirmation: &RenewalConfirmation) -> ChangedFields {
    let (current, new) = (&confirmation.current, &confirmation.new);
    ChangedFields {
        card_company: match (&current.card_company, &new.card_company) {
            // A JPKI card certifies a person: neither names a company.
            (None, None) => false,
            (_, Some(company)) => !same_company(company, &new.company_name),
            (Some(_), None) => true,
        },
        card_holder: !same_text(&current.card_holder, &new.card_holder),
        // Addresses are folded as names are: NFKC, spaces dropped.
        card_address: !same_text(&current.card_address, &new.card_address),
        issuer: current.issuer != new.issuer,
    }
}

fn same_text(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => holder_equal(a, b),
        (None, None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use ebid_protocol::CardColumn;
    use time::OffsetDateTime;

    use super::*;

    fn column(company: Option<&str>, holder: &str, address: &str, issuer: &str) -> CardColumn {
        CardColumn {
            company_name: "株式会社長崎土木".into(),
            company_address: "長崎県長崎市尾上町3番1号".into(),
            card_company: company.map(Into::into),
            card_holder: Some(holder.into()),
            card_address: Some(address.into()),
            serial: "01".into(),
            issuer: issuer.into(),
            not_after: OffsetDateTime::UNIX_EPOCH,
            not_after_jst: "1970/01/01".into(),
        }
    }

    fn confirmation(current: CardColumn, new: CardColumn) -> RenewalConfirmation {
        RenewalConfirmation {
            renewal_id: "r1".into(),
            current,
            new,
            violations: Vec::new(),
        }
    }

    #[test]
    fn a_name_written_with_a_space_is_the_same_name() {
        let current = column(
            Some("株式会社長崎土木"),
            "長崎 太郎",
            "長崎県長崎市",
            "デモ認証局",
        );
        let new = column(
            Some("株式会社 長崎土木"),
            "長崎　太郎",
            "長崎県 長崎市",
            "デモ認証局",
        );
        let changed = changed_fields(&confirmation(current, new));
        assert_eq!(changed, ChangedFields::default());
        assert!(!changed.any());
    }

    #[test]
    fn another_holder_company_address_or_issuer_is_marked() {
        let current = column(
            Some("株式会社長崎土木"),
            "長崎 太郎",
            "長崎県長崎市",
            "デモ認証局",
        );
        let new = column(
            Some("有限会社佐世保建設"),
            "長崎 花子",
            "長崎県佐世保市",
            "別の認証局",
        );
        let changed = changed_fields(&confirmation(current, new));
        assert!(
            changed.card_company && changed.card_holder && changed.card_address && changed.issuer
        );
    }

    #[test]
    fn jpki_cards_name_no_company() {
        let current = column(None, "長崎 一郎", "長崎県長崎市江戸町2番13号", "JPKI");
        let new = column(None, "長崎 一郎", "長崎県長崎市江戸町2番13号", "JPKI");
        assert!(!changed_fields(&confirmation(current, new)).any());
    }
}
