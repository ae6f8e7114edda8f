//! The challenge a card is about to sign, checked against what was asked before the card is touched.
//!
//! A card signs whatever digest it is given, so the client is the card's only judge of what it signs. A
//! server that hands out a challenge naming another server's origin (a phishing server relaying the real
//! one's) or another organization, category or purpose is asking for a signature that counts somewhere
//! else: it is refused before any command reaches the card, no PIN is verified and nothing is signed.

use std::ops::RangeInclusive;

use ebid_protocol::{Challenge, ChallengeRequest, Origin, Purpose};
use time::{Duration, OffsetDateTime};

/// A nonce's length in bytes: at least 128 bits to be unguessable, and short (the server issues 32).
pub const NONCE_BYTES: RangeInclusive<usize> = 16..=64;

/// A challenge id is a short token (the server's are 22 characters).
pub const MAX_ID_CHARS: usize = 64;

/// How far past the server's time a challenge may expire. The server gives two minutes; a signature that
/// stays good much longer is one a server has no need to collect.
pub const MAX_CHALLENGE_LIFETIME: Duration = Duration::hours(1);

/// What is wrong with a challenge, in the words the user reads after 「…異なります（」.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChallengeProblem {
    #[error("接続先 {expected} ではなく {got} 宛てのものです")]
    Origin { expected: Origin, got: Origin },
    #[error("調達機関が {asked} ではなく {got} です")]
    Organization { asked: String, got: String },
    #[error("区分が {asked} ではなく {got} です")]
    Category { asked: String, got: String },
    #[error("用途が {} ではなく {} です", .asked.as_str(), .got.as_str())]
    Purpose { asked: Purpose, got: Purpose },
    #[error("識別子の形式が正しくありません")]
    Id,
    #[error("乱数の長さ（{0}バイト）が正しくありません")]
    NonceLength(usize),
    #[error("有効期限（{0}）が先すぎます")]
    ExpiresTooLate(OffsetDateTime),
}

/// A challenge that passed [`check_challenge`]: the only kind a card is given to sign.
#[derive(Debug)]
pub(crate) struct CheckedChallenge(Challenge);

impl CheckedChallenge {
    pub(crate) fn check(
        challenge: Challenge,
        asked: &ChallengeRequest,
        origin: &Origin,
        server_now: OffsetDateTime,
    ) -> Result<Self, ChallengeProblem> {
        check_challenge(&challenge, asked, origin, server_now)?;
        Ok(Self(challenge))
    }

    pub(crate) fn get(&self) -> &Challenge {
        &self.0
    }
}

/// Whether `challenge` is the one asked for with `asked`, from the server at `origin` (the client's), at
/// `server_now` (the server's time as this PC knows it).
pub fn check_challenge(
    challenge: &Challenge,
    asked: &ChallengeRequest,
    origin: &Origin,
    server_now: OffsetDateTime,
) -> Result<(), ChallengeProblem> {
    if challenge.origin != *origin {
        return Err(ChallengeProblem::Origin {
            expected: origin.clone(),
            got: challenge.origin.clone(),
        });
    }
    if challenge.organization != asked.organization {
        return Err(ChallengeProblem::Organization {
            asked: asked.organization.clone(),
            got: challenge.organization.clone(),
        });
    }
    if challenge.category != asked.category {
        return Err(ChallengeProblem::Category {
            asked: asked.category.clone(),
            got: challenge.category.clone(),
        });
    }
    if challenge.purpose != asked.purpose {
        return Err(ChallengeProblem::Purpose {
            asked: asked.purpose,
            got: challenge.purpose,
        });
    }
    // Printable ASCII without spaces: the id is one line of the signed bytes and goes back in a proof.
    let id = &challenge.id;
    if id.is_empty() || id.len() > MAX_ID_CHARS || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ChallengeProblem::Id);
    }
    if !NONCE_BYTES.contains(&challenge.nonce.len()) {
        return Err(ChallengeProblem::NonceLength(challenge.nonce.len()));
    }
    if challenge.expires_at > server_now.saturating_add(MAX_CHALLENGE_LIFETIME) {
        return Err(ChallengeProblem::ExpiresTooLate(challenge.expires_at));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: &str = "https://ebid.pref.nagasaki.example";

    fn now() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
    }

    fn asked() -> ChallengeRequest {
        ChallengeRequest {
            organization: "nagasaki-pref".into(),
            category: "construction".into(),
            purpose: Purpose::Login,
        }
    }

    fn issued() -> Challenge {
        Challenge {
            id: "Zx3-kq_09AbCdEfGhIjKlM".into(),
            origin: Origin::parse(SERVER).unwrap(),
            organization: "nagasaki-pref".into(),
            category: "construction".into(),
            purpose: Purpose::Login,
            nonce: vec![7; 32],
            expires_at: now() + Duration::minutes(2),
        }
    }

    fn check(challenge: &Challenge) -> Result<(), ChallengeProblem> {
        check_challenge(challenge, &asked(), &Origin::parse(SERVER).unwrap(), now())
    }

    #[test]
    fn the_challenge_asked_for_passes() {
        assert_eq!(check(&issued()), Ok(()));
    }

    #[test]
    fn another_server_organization_category_or_purpose_is_refused() {
        let relayed = Challenge {
            origin: Origin::parse("https://ebid.pref.nagasaki.example.phish").unwrap(),
            ..issued()
        };
        assert!(matches!(
            check(&relayed),
            Err(ChallengeProblem::Origin { .. })
        ));
        let other = Challenge {
            organization: "sasebo-city".into(),
            ..issued()
        };
        assert_eq!(
            check(&other),
            Err(ChallengeProblem::Organization {
                asked: "nagasaki-pref".into(),
                got: "sasebo-city".into()
            })
        );
        let goods = Challenge {
            category: "goods".into(),
            ..issued()
        };
        assert!(matches!(
            check(&goods),
            Err(ChallengeProblem::Category { .. })
        ));
        let renewal = Challenge {
            purpose: Purpose::RenewalNewCard,
            ..issued()
        };
        assert!(matches!(
            check(&renewal),
            Err(ChallengeProblem::Purpose { .. })
        ));
    }

    #[test]
    fn ids_nonces_and_expiries_out_of_bounds_are_refused() {
        for id in ["", "two\nlines", "with space", "長崎", &"a".repeat(65)] {
            let challenge = Challenge {
                id: id.into(),
                ..issued()
            };
            assert_eq!(check(&challenge), Err(ChallengeProblem::Id), "{id:?}");
        }
        for length in [0, 15, 65] {
            let challenge = Challenge {
                nonce: vec![1; length],
                ..issued()
            };
            assert_eq!(
                check(&challenge),
                Err(ChallengeProblem::NonceLength(length))
            );
        }
        for length in [16, 64] {
            let challenge = Challenge {
                nonce: vec![1; length],
                ..issued()
            };
            assert_eq!(check(&challenge), Ok(()));
        }
        let lasting = Challenge {
            expires_at: now() + Duration::days(30),
            ..issued()
        };
        assert!(matches!(
            check(&lasting),
            Err(ChallengeProblem::ExpiresTooLate(_))
        ));
    }
}
