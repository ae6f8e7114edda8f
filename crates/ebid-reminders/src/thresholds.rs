//! The days before expiry at which the holder is reminded, as the administrator or the user configured them.

use serde::{Deserialize, Serialize};

/// The longest lead a reminder may have: a notice more than a year ahead names a card nobody can renew yet.
pub const MAX_DAYS: u32 = 366;

/// The default: three months ahead, because a new card takes two to four weeks to arrive, then closer.
const DEFAULT_DAYS: [u32; 7] = [90, 60, 30, 14, 7, 3, 1];

/// A checked list of thresholds in days: each at least 1 and at most [`MAX_DAYS`], none twice, kept in
/// descending order whatever order they were written in. Empty is allowed: then only the expiry itself is
/// notified.
///
/// In a configuration file it is a list of numbers (`reminder_days = [60, 30, 7]`), checked as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<u32>", into = "Vec<u32>")]
pub struct Thresholds(Vec<u32>);

/// Why a configured list of thresholds is refused (shown to the administrator or the user as is).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThresholdsError {
    #[error("リマインダーの日数に 0 は指定できません。1 以上の日数を指定してください。")]
    Zero,
    #[error("リマインダーの日数 {0} が重複しています。同じ日数は一度だけ指定してください。")]
    Repeated(u32),
    #[error("リマインダーの日数 {0} は大きすぎます。{MAX_DAYS} 日以内で指定してください。")]
    TooFar(u32),
    #[error(
        "「{0}」は日数として読み取れません。日数は、数字を「,」で区切って入力してください（例: 90, 60, 30）。"
    )]
    NotANumber(String),
}

impl Thresholds {
    /// Checks `days` (any order) and keeps them in descending order.
    pub fn new(days: impl IntoIterator<Item = u32>) -> Result<Self, ThresholdsError> {
        let mut days: Vec<u32> = days.into_iter().collect();
        if let Some(&too_far) = days.iter().find(|&&day| day > MAX_DAYS) {
            return Err(ThresholdsError::TooFar(too_far));
        }
        if days.contains(&0) {
            return Err(ThresholdsError::Zero);
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        if let Some(pair) = days.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(ThresholdsError::Repeated(pair[0]));
        }
        Ok(Self(days))
    }

    /// The thresholds, the farthest first.
    pub fn days(&self) -> &[u32] {
        &self.0
    }
}

/// The days as a person types them: numbers separated by commas (also 「、」) or spaces, e.g. `90, 60, 30`.
impl std::str::FromStr for Thresholds {
    type Err = ThresholdsError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let days = text
            .split(|c: char| c == ',' || c == '、' || c == '，' || c.is_whitespace())
            .filter(|part| !part.is_empty())
            .map(|part| {
                // Not `u32::from_str` alone: it takes "+7", which nobody means as a day count.
                part.bytes()
                    .all(|byte| byte.is_ascii_digit())
                    .then(|| part.parse::<u32>().ok())
                    .flatten()
                    .ok_or_else(|| ThresholdsError::NotANumber(part.to_owned()))
            })
            .collect::<Result<Vec<u32>, _>>()?;
        Self::new(days)
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Self(DEFAULT_DAYS.to_vec())
    }
}

impl TryFrom<Vec<u32>> for Thresholds {
    type Error = ThresholdsError;

    fn try_from(days: Vec<u32>) -> Result<Self, Self::Error> {
        Self::new(days)
    }
}

impl From<Thresholds> for Vec<u32> {
    fn from(thresholds: Thresholds) -> Self {
        thresholds.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_designs_list() {
        assert_eq!(Thresholds::default().days(), [90, 60, 30, 14, 7, 3, 1]);
        assert_eq!(Thresholds::new(DEFAULT_DAYS), Ok(Thresholds::default()));
    }

    #[test]
    fn any_order_is_kept_descending() {
        let thresholds = Thresholds::new([7, 45, 1, 20]).unwrap();
        assert_eq!(thresholds.days(), [45, 20, 7, 1]);
        assert_eq!(Thresholds::new([]).unwrap().days(), [] as [u32; 0]);
    }

    #[test]
    fn zero_repeats_and_far_leads_are_refused() {
        assert_eq!(Thresholds::new([30, 0]), Err(ThresholdsError::Zero));
        assert_eq!(
            Thresholds::new([7, 30, 7]),
            Err(ThresholdsError::Repeated(7))
        );
        assert_eq!(Thresholds::new([367]), Err(ThresholdsError::TooFar(367)));
        assert_eq!(Thresholds::new([366]).unwrap().days(), [366]);
    }

    #[test]
    fn typed_days_are_read_and_checked() {
        let typed: Thresholds = "7, 45　1、20".parse().unwrap();
        assert_eq!(typed.days(), [45, 20, 7, 1]);
        assert_eq!("".parse::<Thresholds>().unwrap().days(), [] as [u32; 0]);
        assert_eq!(
            "30, 三十".parse::<Thresholds>(),
            Err(ThresholdsError::NotANumber("三十".into()))
        );
        assert_eq!(
            "+7".parse::<Thresholds>(),
            Err(ThresholdsError::NotANumber("+7".into()))
        );
        assert_eq!(
            "7 7".parse::<Thresholds>(),
            Err(ThresholdsError::Repeated(7))
        );
    }

    #[test]
    fn a_configured_list_is_checked_as_read() {
        let read: Thresholds = serde_json::from_str("[3, 30]").unwrap();
        assert_eq!(read.days(), [30, 3]);
        let refused = serde_json::from_str::<Thresholds>("[3, 3]").unwrap_err();
        assert!(refused.to_string().contains("重複"), "{refused}");
        assert!(serde_json::from_str::<Thresholds>("[-1]").is_err());
    }
}
