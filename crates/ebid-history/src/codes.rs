//! Step names and outcome codes are plain codes chosen by the workflow (`login`, `commit`,
//! `current_card_expired` …): checking them here keeps free text, and with it anything secret a caller might
//! pass by mistake, out of the file.

use crate::error::HistoryError;

const MAX_LENGTH: usize = 64;

pub(crate) fn check(code: &str) -> Result<&str, HistoryError> {
    let plain = !code.is_empty()
        && code.len() <= MAX_LENGTH
        && code
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.'));
    if plain {
        Ok(code)
    } else {
        Err(HistoryError::InvalidCode(
            code.chars().take(MAX_LENGTH).collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_codes_are_kept() {
        assert!(check("current_card_expired").is_ok());
        assert!(check("commit.retry-2").is_ok());
        for refused in ["", "PIN 1234", "ログイン", &"x".repeat(65)] {
            assert!(check(refused).is_err(), "{refused:?}");
        }
    }
}
