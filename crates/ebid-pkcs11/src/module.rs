//! A PKCS#11 module (the middleware's shared library) and the tokens in its slots.

use std::path::{Path, PathBuf};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error, RvError};
use cryptoki::slot::Slot;
use ebid_card::{CardError, PinStatus};

use crate::error::{ModuleError, card_error};
use crate::token::{Token, pin_status_from};

/// A loaded and initialised PKCS#11 module.
///
/// `C_Initialize` is per process: the module stays initialised for the life of the process (cryptoki does
/// not finalise it on drop), and loading the same path again shares the initialised module, which answers
/// `CKR_CRYPTOKI_ALREADY_INITIALIZED` — taken as success.
#[derive(Debug, Clone)]
pub struct Module {
    path: PathBuf,
    context: Pkcs11,
}

/// A slot holding a token, as the user picks it: where it is and what it says of itself.
#[derive(Debug, Clone)]
pub struct TokenSlot {
    slot: Slot,
    /// The slot's description: for a card, the PC/SC reader's name as the middleware reports it.
    pub reader: String,
    pub label: String,
    pub serial: String,
    /// The user PIN's state from the token flags, read without spending a try.
    pub pin: PinStatus,
    /// A PIN pad or biometric reader: the PIN is entered there, not typed into ebid.
    pub protected_authentication_path: bool,
}

impl Module {
    /// Loads the library at `path` and calls `C_Initialize` (with OS locking: ebid may call from several
    /// threads).
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ModuleError> {
        let path = path.as_ref().to_path_buf();
        let context = match Pkcs11::new(&path) {
            Ok(context) => context,
            Err(source) => return Err(ModuleError::Load { path, source }),
        };
        match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(Error::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(source) => return Err(ModuleError::Initialize { path, source }),
        }
        Ok(Self { path, context })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The slots that hold a token now, in the module's order.
    pub fn tokens(&self) -> Result<Vec<TokenSlot>, ModuleError> {
        let slots_error = |source| ModuleError::Slots {
            path: self.path.clone(),
            source,
        };
        let slots = self.context.get_slots_with_token().map_err(slots_error)?;
        let mut tokens = Vec::with_capacity(slots.len());
        for slot in slots {
            let slot_info = self.context.get_slot_info(slot).map_err(slots_error)?;
            let token_info = match self.context.get_token_info(slot) {
                Ok(info) => info,
                // Pulled between the two calls: the token is no longer there to list.
                Err(Error::Pkcs11(RvError::TokenNotPresent | RvError::DeviceRemoved, _)) => {
                    continue;
                }
                Err(source) => return Err(slots_error(source)),
            };
            tokens.push(TokenSlot {
                slot,
                reader: slot_info.slot_description().trim_end().to_owned(),
                label: token_info.label().trim_end().to_owned(),
                serial: token_info.serial_number().trim_end().to_owned(),
                pin: pin_status_from(&token_info, false),
                protected_authentication_path: token_info.protected_authentication_path(),
            });
        }
        Ok(tokens)
    }

    /// Opens a session with the token in `slot` (read-only: signing needs no write).
    pub fn open(&self, slot: &TokenSlot) -> Result<Token, CardError> {
        let session = self
            .context
            .open_ro_session(slot.slot)
            .map_err(|e| card_error("C_OpenSession", e))?;
        Token::new(self.context.clone(), slot.slot, session)
    }
}
