//! The PIN as it arrives from the PIN dialog: held in a buffer that is wiped when dropped, never printed.

use ebid_card::Pin;
use serde::Deserialize;
use zeroize::Zeroizing;

/// A PIN typed by the user. Deserialized straight into a zeroizing buffer; the IPC message it came in is
/// Tauri's and the webview's, and the dialog clears its field as soon as the command returns.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct PinInput(Zeroizing<String>);

impl PinInput {
    /// The PIN for one VERIFY (itself zeroizing).
    pub fn pin(&self) -> Pin {
        Pin::new(&self.0)
    }
}

impl std::fmt::Debug for PinInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PinInput(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pin_is_never_printed() {
        let pin: PinInput = serde_json::from_str("\"123456\"").unwrap();
        assert!(!format!("{pin:?}").contains("123456"));
    }
}
