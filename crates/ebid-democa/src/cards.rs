//! The demo set, as data: each card, what it is for, and how it differs from the card in use.
//!
//! Every refusal card differs from `replacement` (the card that renews `current`) in exactly one respect, so
//! that each test meets the one rule it is about.

use rcgen::KeyUsagePurpose::{self, ContentCommitment, DigitalSignature, KeyEncipherment};

use crate::ca::CaKind;
use crate::names::{Party, Person};
use crate::period::{Shift, Validity};

#[derive(Debug)]
pub(crate) struct CardPlan {
    pub name: &'static str,
    pub description_ja: &'static str,
    pub description_en: &'static str,
    pub profile: ProfilePlan,
}

#[derive(Debug)]
pub(crate) enum ProfilePlan {
    Piv(PivPlan),
    Jpki(JpkiPlan),
}

/// A company card: the 9C (signature) slot holds the certificate the workflow uses.
#[derive(Debug)]
pub(crate) struct PivPlan {
    pub pin: &'static str,
    pub issuer: CaKind,
    pub subject: SubjectPlan,
    /// Key usage of the 9C certificate (the 9A certificate always has digitalSignature).
    pub signing_usage: &'static [KeyUsagePurpose],
    pub validity: Validity,
    /// Listed on the demo root's CRL.
    pub revoked: bool,
}

#[derive(Debug)]
pub(crate) enum SubjectPlan {
    /// Subject romanised in PrintableString, the kanji in a subjectAltName directoryName.
    RomajiWithKanjiAltName {
        organization: &'static str,
        common_name: &'static str,
        kanji: &'static Party,
    },
    /// Subject directly in kanji, UTF8String.
    Kanji(&'static Party),
}

/// A マイナンバーカード-style card, signing and authentication sides from the demo JPKI CA.
#[derive(Debug)]
pub(crate) struct JpkiPlan {
    pub sign_password: &'static str,
    pub auth_pin: &'static str,
    pub person: &'static Person,
    pub validity: Validity,
}

/// PIV application PIN tries, as on the cards the project meets.
pub(crate) const PIV_PIN_TRIES: u8 = 3;
/// JPKI signing password tries: the card locks after the fifth wrong one.
pub(crate) const JPKI_SIGN_TRIES: u8 = 5;
/// JPKI authentication PIN tries.
pub(crate) const JPKI_AUTH_TRIES: u8 = 3;

const NAGASAKI_DOBOKU: Party = Party {
    company: "株式会社長崎土木",
    holder: "長崎 太郎",
    prefecture: "長崎県",
    locality: "長崎市尾上町3番1号",
};

/// The same company as a different clerk typed it: a half-width space after 株式会社.
const NAGASAKI_DOBOKU_SPACED: Party = Party {
    company: "株式会社 長崎土木",
    ..NAGASAKI_DOBOKU
};

/// The same company, another employee: a holder change is 変更, not 更新.
const NAGASAKI_DOBOKU_HANAKO: Party = Party {
    holder: "長崎 花子",
    ..NAGASAKI_DOBOKU
};

const SASEBO_KENSETSU: Party = Party {
    company: "有限会社佐世保建設",
    holder: "佐世保 花子",
    prefecture: "長崎県",
    locality: "佐世保市八幡町1番10号",
};

const NAGASAKI_ICHIRO: Person = Person {
    name: "長崎 一郎",
    address: "長崎県長崎市江戸町2番13号",
    birth_date: "19800101",
    gender: "1",
    prefecture_romaji: "Nagasaki-ken",
    city_romaji: "Nagasaki-shi",
};

/// Key usage of a signing certificate: digitalSignature and nonRepudiation (contentCommitment).
pub(crate) const SIGNING: &[KeyUsagePurpose] = &[DigitalSignature, ContentCommitment];

/// A newly issued card, valid for just under the five-year legal cap of an accredited CA's certificate: it
/// ends 4 years and 355 days from now, so it starts 9 days ago (from 10 days ago the term would be 4 years and
/// 365 days, five full years whenever no 29 February falls in the last of them).
const NEW_CARD: Validity = Validity {
    not_before: Shift::days(-9),
    not_after: Shift::years_days(4, 355),
};

/// Valid now, for four years from ten days ago.
const FOUR_YEARS: Validity = Validity {
    not_before: Shift::days(-10),
    not_after: Shift::years_days(4, -10),
};

/// Same company, same holder, kanji subject, from the demo root, with signing usage: the defaults of a
/// refusal card, which then changes one thing.
const fn same_holder(pin: &'static str, validity: Validity) -> PivPlan {
    PivPlan {
        pin,
        issuer: CaKind::DemoRoot,
        subject: SubjectPlan::Kanji(&NAGASAKI_DOBOKU),
        signing_usage: SIGNING,
        validity,
        revoked: false,
    }
}

pub(crate) const CARDS: &[CardPlan] = &[
    CardPlan {
        name: "current",
        description_ja: "使用中のICカード（株式会社長崎土木 長崎 太郎）。有効期限まで残り20日。",
        description_en: "The card in use (Nagasaki Doboku, Taro Nagasaki); expires in 20 days.",
        profile: ProfilePlan::Piv(PivPlan {
            subject: SubjectPlan::RomajiWithKanjiAltName {
                organization: "Nagasaki Doboku Co., Ltd.",
                common_name: "Taro Nagasaki",
                kanji: &NAGASAKI_DOBOKU,
            },
            ..same_holder(
                "123456",
                Validity {
                    not_before: Shift::years_days(-4, -340),
                    not_after: Shift::days(20),
                },
            )
        }),
    },
    CardPlan {
        name: "replacement",
        description_ja: "新しく発行されたICカード（同じ会社・同じ名義人）。更新できる。",
        description_en: "The newly issued card, same company and holder: the renewal succeeds.",
        profile: ProfilePlan::Piv(PivPlan {
            subject: SubjectPlan::Kanji(&NAGASAKI_DOBOKU_SPACED),
            ..same_holder("654321", NEW_CARD)
        }),
    },
    CardPlan {
        name: "expired",
        description_ja: "有効期限が切れたICカード（10日前に失効）。更新できず新規登録が必要。",
        description_en: "A card that expired 10 days ago: renewal is refused, register anew.",
        profile: ProfilePlan::Piv(same_holder(
            "111111",
            Validity {
                not_before: Shift::years_days(-4, -355),
                not_after: Shift::days(-10),
            },
        )),
    },
    CardPlan {
        name: "other-company",
        description_ja: "別の会社（有限会社佐世保建設 佐世保 花子）のICカード。更新できない。",
        description_en: "Another company's card (Sasebo Kensetsu, Hanako Sasebo): renewal is refused.",
        profile: ProfilePlan::Piv(PivPlan {
            subject: SubjectPlan::Kanji(&SASEBO_KENSETSU),
            ..same_holder("222222", FOUR_YEARS)
        }),
    },
    CardPlan {
        name: "other-holder",
        description_ja: "同じ会社の別の取得者（長崎 花子）のICカード。更新できず変更が必要。",
        description_en: "The same company's card for another holder (Hanako Nagasaki): renewal is refused.",
        profile: ProfilePlan::Piv(PivPlan {
            subject: SubjectPlan::Kanji(&NAGASAKI_DOBOKU_HANAKO),
            ..same_holder("888888", NEW_CARD)
        }),
    },
    CardPlan {
        name: "untrusted",
        description_ja: "信頼されていない認証局が発行したICカード。更新できない。",
        description_en: "A card from a CA nobody trusts: renewal is refused.",
        profile: ProfilePlan::Piv(PivPlan {
            issuer: CaKind::Untrusted,
            ..same_holder("333333", NEW_CARD)
        }),
    },
    CardPlan {
        name: "revoked",
        description_ja: "失効（鍵の危殆化）したICカード。CRLに載っている。更新できない。",
        description_en: "A revoked card (key compromise), listed on the CRL: renewal is refused.",
        profile: ProfilePlan::Piv(PivPlan {
            revoked: true,
            ..same_holder("444444", NEW_CARD)
        }),
    },
    CardPlan {
        name: "not-yet-valid",
        description_ja: "有効期間の開始前（30日後から有効）のICカード。まだ更新できない。",
        description_en: "A card valid only from 30 days from now: renewal is refused for now.",
        profile: ProfilePlan::Piv(same_holder(
            "555555",
            Validity {
                not_before: Shift::days(30),
                not_after: Shift::years_days(4, 355),
            },
        )),
    },
    CardPlan {
        name: "no-signing-usage",
        description_ja: "署名に使えない証明書（鍵用途が鍵暗号化のみ）のICカード。更新できない。",
        description_en: "A card whose certificate may not sign (keyEncipherment only): renewal is refused.",
        profile: ProfilePlan::Piv(PivPlan {
            signing_usage: &[KeyEncipherment],
            ..same_holder("666666", FOUR_YEARS)
        }),
    },
    CardPlan {
        name: "shorter",
        description_ja: "使用中のカードより先に期限が切れるICカード（残り10日）。更新できない。",
        description_en: "A card expiring before the current one (10 days left): renewal is refused.",
        profile: ProfilePlan::Piv(same_holder(
            "777777",
            Validity {
                not_before: Shift::days(-10),
                not_after: Shift::days(10),
            },
        )),
    },
    CardPlan {
        name: "jpki",
        description_ja: "個人事業主のマイナンバーカード（長崎 一郎）。署名用電子証明書の期限まで残り60日。",
        description_en: "A sole proprietor's My Number card (Ichiro Nagasaki); signing certificate expires in 60 days.",
        profile: ProfilePlan::Jpki(JpkiPlan {
            sign_password: "ABC123",
            auth_pin: "1234",
            person: &NAGASAKI_ICHIRO,
            validity: Validity {
                not_before: Shift::years_days(-5, 60),
                not_after: Shift::days(60),
            },
        }),
    },
    CardPlan {
        name: "jpki-replacement",
        description_ja: "更新後のマイナンバーカード（同じ名義人・住所）。更新できる。",
        description_en: "The renewed My Number card, same holder and address: the renewal succeeds.",
        profile: ProfilePlan::Jpki(JpkiPlan {
            sign_password: "XYZ789",
            auth_pin: "5678",
            person: &NAGASAKI_ICHIRO,
            validity: Validity {
                not_before: Shift::days(-1),
                not_after: Shift::years_days(5, -1),
            },
        }),
    },
];
