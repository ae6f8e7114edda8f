//! The JPKI signing AP of the マイナンバーカード, byte for byte as the public sources give it
//! (see the project's design notes, cards.md).

use crate::apdu::{Command, EXTENDED_MAX_LE, SHORT_MAX_LE};
use crate::channel::Channel;
use crate::error::CardError;
use crate::pin::{Pin, PinFormat, PinStatus, pin_status_from, verify_result};
use crate::profile::{Profile, Signature, SignatureAlgorithm, SigningCard, sha256_digest_info};
use crate::status::StatusWord;
use crate::transport::Transport;

const AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
const EF_SIGN_CERTIFICATE: u16 = 0x0001;
const EF_SIGN_KEY: u16 = 0x001A;
const EF_SIGN_PIN: u16 = 0x001B;

/// A card whose JPKI AP is selected.
#[derive(Debug)]
pub struct Jpki<T> {
    channel: Channel<T>,
    /// The EF selected last, so that asking the tries left and then verifying selects it once.
    selected_ef: Option<u16>,
}

impl<T: Transport> Jpki<T> {
    /// Selects the AP; gives the channel back when the card has none.
    pub fn select(mut channel: Channel<T>) -> Result<Result<Self, Channel<T>>, CardError> {
        let response = channel.transmit(&Command::new(0x00, 0xA4, 0x04, 0x0C).with_data(AID))?;
        Ok(if response.status.is_success() {
            Ok(Self {
                channel,
                selected_ef: None,
            })
        } else {
            Err(channel)
        })
    }

    fn select_ef(&mut self, ef: u16) -> Result<(), CardError> {
        if self.selected_ef == Some(ef) {
            return Ok(());
        }
        // Unknown until the card confirms: a failed SELECT may have left any EF or none selected.
        self.selected_ef = None;
        let select = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data(ef.to_be_bytes());
        self.channel.transmit_ok(&select, "SELECT EF")?;
        self.selected_ef = Some(ef);
        Ok(())
    }

    /// Reads the selected EF, which holds one DER object: its header first, to learn the length.
    fn read_der_file(&mut self) -> Result<Vec<u8>, CardError> {
        let head = self.read_binary(0, 4)?;
        let total = der_length(&head).ok_or(CardError::Malformed("READ BINARY"))?;
        let mut out = head;
        while out.len() < total {
            let max = if self.channel.extended_length() {
                EXTENDED_MAX_LE - 1
            } else {
                SHORT_MAX_LE
            };
            let chunk = self.read_binary(out.len(), (total - out.len()).min(max))?;
            if chunk.is_empty() {
                return Err(CardError::Malformed("READ BINARY"));
            }
            out.extend_from_slice(&chunk);
        }
        out.truncate(total);
        Ok(out)
    }

    fn read_binary(&mut self, offset: usize, len: usize) -> Result<Vec<u8>, CardError> {
        let offset = u16::try_from(offset)
            .ok()
            .filter(|o| *o <= 0x7FFF)
            .ok_or(CardError::Malformed("READ BINARY"))?;
        let [p1, p2] = offset.to_be_bytes();
        let response = self
            .channel
            .transmit(&Command::new(0x00, 0xB0, p1, p2).with_le(len))?;
        match response.status {
            // 6282: the file ended before Le bytes; what came is all there is.
            StatusWord::Success | StatusWord::EndOfFile => Ok(response.data),
            StatusWord::OffsetOutsideFile => Ok(Vec::new()),
            status => Err(CardError::from_status("READ BINARY", status)),
        }
    }
}

impl<T: Transport> SigningCard for Jpki<T> {
    fn profile(&self) -> Profile {
        Profile::Jpki
    }

    fn pin_format(&self) -> PinFormat {
        PinFormat::JpkiSigning
    }

    fn certificate_needs_pin(&self) -> bool {
        true
    }

    fn pin_status(&mut self) -> Result<PinStatus, CardError> {
        self.select_ef(EF_SIGN_PIN)?;
        let response = self
            .channel
            .transmit(&Command::new(0x00, 0x20, 0x00, 0x80))?;
        pin_status_from(response.status)
    }

    fn verify_pin(&mut self, pin: &Pin) -> Result<(), CardError> {
        let encoded = PinFormat::JpkiSigning.encode(pin)?;
        self.select_ef(EF_SIGN_PIN)?;
        let verify = Command::new(0x00, 0x20, 0x00, 0x80).with_data(encoded.to_vec());
        verify_result(self.channel.transmit(&verify)?.status)
    }

    /// The signing password, once verified, stays verified for the card session (until the card is reset or
    /// taken out), across EF selections inside the AP: the key signs again without another VERIFY.
    fn verify_before_each_signature(&self) -> bool {
        false
    }

    fn signing_certificate(&mut self) -> Result<Vec<u8>, CardError> {
        self.select_ef(EF_SIGN_CERTIFICATE)?;
        self.read_der_file()
    }

    fn sign_sha256(&mut self, digest: &[u8; 32]) -> Result<Signature, CardError> {
        self.select_ef(EF_SIGN_KEY)?;
        // The card pads (PKCS#1 v1.5) itself: it is given the DigestInfo.
        let sign = Command::new(0x80, 0x2A, 0x00, 0x80)
            .with_data(sha256_digest_info(digest))
            .with_le(SHORT_MAX_LE);
        let bytes = self
            .channel
            .transmit_ok(&sign, "COMPUTE DIGITAL SIGNATURE")?;
        Ok(Signature {
            algorithm: SignatureAlgorithm::RsaPkcs1Sha256,
            bytes,
        })
    }

    fn apdus_sent(&self) -> usize {
        self.channel.apdus_sent()
    }
}

/// The total length of the DER object whose first bytes are `head`.
fn der_length(head: &[u8]) -> Option<usize> {
    match *head.get(1)? {
        n @ 0..=0x7F => Some(2 + usize::from(n)),
        0x81 => Some(3 + usize::from(*head.get(2)?)),
        0x82 => Some(4 + usize::from(u16::from_be_bytes([*head.get(2)?, *head.get(3)?]))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_length_of_every_header_form() {
        assert_eq!(der_length(&[0x30, 0x05]), Some(7));
        assert_eq!(der_length(&[0x30, 0x81, 0x90, 0x00]), Some(3 + 0x90));
        assert_eq!(der_length(&[0x30, 0x82, 0x04, 0xD2]), Some(4 + 1234));
        assert_eq!(der_length(&[0x30, 0x83, 0, 0]), None);
        assert_eq!(der_length(&[0x30]), None);
    }
}
