//! The module's own failures, and what a PKCS#11 return value means as a [`CardError`].

use std::path::PathBuf;

use cryptoki::error::{Error, RvError};
use ebid_card::{CardError, TransportError};

/// A PKCS#11 module that cannot be used at all, named by its path so that the administrator can fix the
/// configuration.
#[derive(Debug, thiserror::Error)]
pub enum ModuleError {
    #[error("the PKCS#11 module {} cannot be loaded: {source}", .path.display())]
    Load {
        path: PathBuf,
        #[source]
        source: Error,
    },
    #[error("the PKCS#11 module {} failed to initialise (C_Initialize): {source}", .path.display())]
    Initialize {
        path: PathBuf,
        #[source]
        source: Error,
    },
    #[error("the PKCS#11 module {} cannot list its slots and tokens: {source}", .path.display())]
    Slots {
        path: PathBuf,
        #[source]
        source: Error,
    },
}

/// Maps a failed PKCS#11 call to the error the PC/SC profiles give for the same situation: a token gone is a
/// card pulled from its reader, a locked PIN is a blocked PIN.
pub(crate) fn card_error(operation: &'static str, error: Error) -> CardError {
    match error {
        Error::Pkcs11(rv, _) => match rv {
            RvError::TokenNotPresent
            | RvError::DeviceRemoved
            | RvError::SessionHandleInvalid
            | RvError::SessionClosed => CardError::Transport(TransportError::CardRemoved),
            RvError::PinLocked => CardError::PinBlocked,
            RvError::UserNotLoggedIn => CardError::PinNotVerified,
            RvError::PinLenRange => {
                CardError::PinFormat("ICカードの定める桁数 / the length the card requires")
            }
            rv => CardError::Module {
                operation,
                code: format!("{rv:?}"),
            },
        },
        other => CardError::Module {
            operation,
            code: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use cryptoki::context::Function;

    use super::*;

    fn mapped(rv: RvError) -> CardError {
        card_error("C_Sign", Error::Pkcs11(rv, Function::Sign))
    }

    #[test]
    fn a_token_gone_is_a_card_pulled() {
        for rv in [
            RvError::TokenNotPresent,
            RvError::DeviceRemoved,
            RvError::SessionHandleInvalid,
        ] {
            assert!(matches!(
                mapped(rv),
                CardError::Transport(TransportError::CardRemoved)
            ));
        }
    }

    #[test]
    fn pin_refusals_are_the_pin_errors() {
        assert!(matches!(mapped(RvError::PinLocked), CardError::PinBlocked));
        assert!(matches!(
            mapped(RvError::UserNotLoggedIn),
            CardError::PinNotVerified
        ));
        assert!(matches!(
            mapped(RvError::GeneralError),
            CardError::Module {
                operation: "C_Sign",
                ..
            }
        ));
    }
}
