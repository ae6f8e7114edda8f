//! A PIN and its retry counter as a card keeps them: the counter lives in the card's own memory, survives
//! removal and resets, falls by one on each wrong entry, and only a correct entry sets it back to the maximum.

use zeroize::Zeroizing;

use crate::error::VcardError;
use crate::spec::PinSpec;

/// What comparing an entry with the stored PIN gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    Correct,
    /// Wrong; this many tries are left (0: now blocked).
    Wrong(u8),
    /// No tries were left: nothing was compared.
    Blocked,
}

#[derive(Debug)]
pub(crate) struct PinCounter {
    value: Zeroizing<Vec<u8>>,
    max_tries: u8,
    tries_left: u8,
}

impl PinCounter {
    /// Takes a PIN from the card file. `which` names it in errors; `valid` is the card's format rule, so a
    /// file can never hold a PIN its own card would refuse to take.
    pub fn from_spec(
        spec: &PinSpec,
        which: &'static str,
        valid: fn(&[u8]) -> bool,
    ) -> Result<Self, VcardError> {
        // 63Cx carries the tries left in four bits.
        if spec.max_tries == 0 || spec.max_tries > 15 || spec.tries_left > spec.max_tries {
            return Err(VcardError::BadPin {
                which,
                reason: format!(
                    "tries {}/{} (max must be 1 to 15)",
                    spec.tries_left, spec.max_tries
                ),
            });
        }
        if !valid(spec.value.as_bytes()) {
            return Err(VcardError::BadPin {
                which,
                reason: "the value does not follow the card's PIN format".into(),
            });
        }
        Ok(Self {
            value: Zeroizing::new(spec.value.as_bytes().to_vec()),
            max_tries: spec.max_tries,
            tries_left: spec.tries_left,
        })
    }

    pub fn tries_left(&self) -> u8 {
        self.tries_left
    }

    pub fn is_blocked(&self) -> bool {
        self.tries_left == 0
    }

    /// Compares an entry (already stripped of any padding) and counts it.
    pub fn check(&mut self, entry: &[u8]) -> Check {
        if self.is_blocked() {
            return Check::Blocked;
        }
        // Compare every byte whatever the first difference, as a card does, so timing tells nothing.
        let same_len = entry.len() == self.value.len();
        let diff = entry
            .iter()
            .zip(self.value.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if same_len && diff == 0 {
            self.tries_left = self.max_tries;
            Check::Correct
        } else {
            self.tries_left -= 1;
            Check::Wrong(self.tries_left)
        }
    }

    /// The PIN as the card file stores it, with the counter as it stands now.
    pub fn to_spec(&self) -> PinSpec {
        PinSpec {
            value: String::from_utf8_lossy(&self.value).into_owned(),
            max_tries: self.max_tries,
            tries_left: self.tries_left,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(pin: &[u8]) -> bool {
        pin.len() == 4 && pin.iter().all(u8::is_ascii_digit)
    }

    fn counter(tries_left: u8) -> PinCounter {
        let spec = PinSpec {
            value: "1234".into(),
            max_tries: 3,
            tries_left,
        };
        PinCounter::from_spec(&spec, "test", digits).expect("valid pin")
    }

    #[test]
    fn counts_down_blocks_and_resets_only_on_a_correct_entry() {
        let mut pin = counter(3);
        assert_eq!(pin.check(b"0000"), Check::Wrong(2));
        assert_eq!(pin.check(b"1234"), Check::Correct);
        assert_eq!(pin.tries_left(), 3);
        assert_eq!(pin.check(b"0000"), Check::Wrong(2));
        assert_eq!(pin.check(b"123"), Check::Wrong(1));
        assert_eq!(pin.check(b"12345"), Check::Wrong(0));
        assert!(pin.is_blocked());
        assert_eq!(pin.check(b"1234"), Check::Blocked);
        assert_eq!(pin.to_spec().tries_left, 0);
    }

    #[test]
    fn refuses_counters_and_values_a_card_could_not_hold() {
        for (value, max_tries, tries_left) in [
            ("1234", 0, 0),
            ("1234", 16, 16),
            ("1234", 3, 4),
            ("12a4", 3, 3),
        ] {
            let spec = PinSpec {
                value: value.into(),
                max_tries,
                tries_left,
            };
            assert!(
                PinCounter::from_spec(&spec, "test", digits).is_err(),
                "{value} {max_tries} {tries_left}"
            );
        }
    }

    #[test]
    fn round_trips_to_the_card_file() {
        let spec = PinSpec {
            value: "1234".into(),
            max_tries: 3,
            tries_left: 1,
        };
        assert_eq!(
            PinCounter::from_spec(&spec, "test", digits)
                .expect("pin")
                .to_spec(),
            spec
        );
    }
}
