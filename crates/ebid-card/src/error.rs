//! What can go wrong between the host and a card, typed so that the UI can name it in Japanese.

use crate::status::StatusWord;

/// Failures of the path to the card: reader, PC/SC service, the card leaving.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("the card was removed from the reader")]
    CardRemoved,
    #[error("the card was reset (by another program or a power glitch); its state is lost")]
    CardReset,
    #[error("there is no card in the reader")]
    NoCard,
    #[error("the card reader is no longer available")]
    ReaderGone,
    #[error("no card reader is connected")]
    NoReaders,
    #[error("another program holds the card")]
    CardBusy,
    #[error("the smart card service (pcscd) is not running")]
    NoService,
    #[error("waiting for the reader was cancelled")]
    Cancelled,
    #[error("the card did not answer with a status word")]
    ShortResponse,
    #[error("smart card service: {0}")]
    Pcsc(#[source] pcsc::Error),
}

impl From<pcsc::Error> for TransportError {
    fn from(e: pcsc::Error) -> Self {
        use pcsc::Error as E;
        match e {
            E::RemovedCard => Self::CardRemoved,
            E::ResetCard => Self::CardReset,
            E::NoSmartcard => Self::NoCard,
            E::UnknownReader | E::ReaderUnavailable => Self::ReaderGone,
            E::NoReadersAvailable => Self::NoReaders,
            E::SharingViolation => Self::CardBusy,
            E::NoService | E::ServiceStopped => Self::NoService,
            E::Cancelled => Self::Cancelled,
            other => Self::Pcsc(other),
        }
    }
}

/// Failures of a card operation: transport, PIN, or an answer the profile did not expect.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("wrong PIN: {tries_left} tries left")]
    WrongPin { tries_left: u8 },
    /// A wrong PIN on a card that does not tell the tries left (a PKCS#11 token without a count).
    #[error("wrong PIN (the card does not tell how many tries are left)")]
    WrongPinTriesUnknown,
    #[error("the PIN is blocked")]
    PinBlocked,
    #[error("the PIN has not been verified")]
    PinNotVerified,
    #[error("the PIN does not have the card's format: {0}")]
    PinFormat(&'static str),
    #[error("not a card this program knows (neither JPKI nor PIV)")]
    UnsupportedCard,
    #[error("the card holds no {0}")]
    Missing(&'static str),
    #[error("the card answered {status} to {operation}")]
    Refused {
        operation: &'static str,
        status: StatusWord,
    },
    #[error("the card's answer to {0} is malformed")]
    Malformed(&'static str),
    /// A PKCS#11 module's refusal that has no meaning of its own above (its `CKR_` name in `code`).
    #[error("the card's module refused {operation}: {code}")]
    Module {
        operation: &'static str,
        code: String,
    },
}

impl CardError {
    /// Maps the status word of a failed operation to the error it means.
    pub fn from_status(operation: &'static str, status: StatusWord) -> Self {
        match status {
            StatusWord::TriesLeft(tries_left) => Self::WrongPin { tries_left },
            StatusWord::AuthenticationBlocked | StatusWord::ReferenceDataUnusable => {
                Self::PinBlocked
            }
            StatusWord::SecurityStatusNotSatisfied => Self::PinNotVerified,
            status => Self::Refused { operation, status },
        }
    }
}
