//! What every card does the same way, above the transport: `61xx` (GET RESPONSE), `6Cxx` (resend with the
//! right Le), extended length where the card and reader take it, command chaining where they don't.

use crate::apdu::{Command, EXTENDED_MAX_LE, Response, SHORT_MAX_DATA, SHORT_MAX_LE};
use crate::error::{CardError, TransportError};
use crate::status::StatusWord;
use crate::transport::Transport;

/// The most GET RESPONSEs one command follows. A 2 KB certificate in the 9-byte pieces of the slowest card
/// the tests model takes about 230; real cards send 256 bytes a piece.
pub const MAX_GET_RESPONSES: usize = 1024;

/// A logical channel to one card over a [`Transport`].
#[derive(Debug)]
pub struct Channel<T> {
    transport: T,
    /// Starts as the transport says and turns off for good once the card answers an extended APDU with 6700.
    extended: bool,
    apdus_sent: usize,
}

impl<T: Transport> Channel<T> {
    pub fn new(transport: T) -> Self {
        let extended = transport.extended_length();
        Self {
            transport,
            extended,
            apdus_sent: 0,
        }
    }

    /// How many APDUs went over the transport, GET RESPONSEs and chained pieces included.
    pub fn apdus_sent(&self) -> usize {
        self.apdus_sent
    }

    /// Whether extended-length APDUs are in use on this channel.
    pub fn extended_length(&self) -> bool {
        self.extended
    }

    /// Sends a command and returns the whole answer, whatever its status.
    ///
    /// Logged at debug level by its header, lengths and status word only: a command's data can be a PIN and
    /// an answer's a whole certificate.
    pub fn transmit(&mut self, command: &Command) -> Result<Response, TransportError> {
        let answer = self.transmit_any_length(command);
        match &answer {
            Ok(response) => tracing::debug!(
                command = ?command,
                status = %response.status,
                received = response.data.len(),
                "card command"
            ),
            Err(error) => tracing::debug!(command = ?command, %error, "card command failed"),
        }
        answer
    }

    fn transmit_any_length(&mut self, command: &Command) -> Result<Response, TransportError> {
        if command.needs_extended() && self.extended {
            let response = self.exchange(&command.encode(true))?;
            if response.status != StatusWord::WrongLength {
                return self.complete(command.clone(), true, response);
            }
            // The card (or the reader) does not take extended length: fall back to short APDUs.
            self.extended = false;
        }
        self.transmit_short(command)
    }

    /// Sends a command and returns its data, or the error its status word means.
    pub fn transmit_ok(
        &mut self,
        command: &Command,
        operation: &'static str,
    ) -> Result<Vec<u8>, CardError> {
        let response = self.transmit(command)?;
        match response.status {
            StatusWord::Success => Ok(response.data),
            status => Err(CardError::from_status(operation, status)),
        }
    }

    fn transmit_short(&mut self, command: &Command) -> Result<Response, TransportError> {
        let mut last = command.clone();
        last.le = command.le.map(|le| le.min(SHORT_MAX_LE));
        if command.data.len() > SHORT_MAX_DATA {
            // Command chaining (ISO 7816-4 5.3.3): every piece but the last has bit 0x10 set in CLA.
            let pieces: Vec<&[u8]> = command.data.chunks(SHORT_MAX_DATA).collect();
            let (final_piece, leading) =
                pieces.split_last().expect("data is longer than one piece");
            for piece in leading {
                let link = Command::new(command.cla | 0x10, command.ins, command.p1, command.p2)
                    .with_data(*piece);
                let response = self.exchange(&link.encode(false))?;
                if response.status != StatusWord::Success {
                    return Ok(response);
                }
            }
            last = last.with_data(*final_piece);
        }
        let response = self.exchange(&last.encode(false))?;
        self.complete(last, false, response)
    }

    /// Follows `61xx` with GET RESPONSE and `6Cxx` with one resend, gathering the data.
    ///
    /// A card that goes on answering `61xx` would be followed for ever (or a minute a command, one byte at a
    /// time): after [`MAX_GET_RESPONSES`], or once it has sent more than any APDU can ask for
    /// (`EXTENDED_MAX_LE`), its answer is returned as it stands, still `61xx`, which no caller takes for a
    /// success.
    fn complete(
        &mut self,
        mut last: Command,
        extended: bool,
        mut response: Response,
    ) -> Result<Response, TransportError> {
        let mut data = Vec::new();
        let mut resent = false;
        let mut fetched = 0;
        loop {
            match response.status {
                StatusWord::MoreData(available) => {
                    data.append(&mut response.data);
                    if fetched == MAX_GET_RESPONSES || data.len() > EXTENDED_MAX_LE {
                        return Ok(Response {
                            data,
                            status: response.status,
                        });
                    }
                    fetched += 1;
                    let wanted = if available == 0 {
                        SHORT_MAX_LE
                    } else {
                        usize::from(available)
                    };
                    last = Command::new(0x00, 0xC0, 0x00, 0x00).with_le(wanted);
                    response = self.exchange(&last.encode(false))?;
                }
                StatusWord::WrongLe(exact) if !resent => {
                    resent = true;
                    let wanted = if exact == 0 {
                        SHORT_MAX_LE
                    } else {
                        usize::from(exact)
                    };
                    last.le = Some(wanted);
                    response = self.exchange(&last.encode(extended))?;
                }
                status => {
                    data.append(&mut response.data);
                    return Ok(Response { data, status });
                }
            }
        }
    }

    fn exchange(&mut self, wire: &[u8]) -> Result<Response, TransportError> {
        self.apdus_sent += 1;
        let raw = self.transport.transmit(wire)?;
        Response::from_bytes(raw).ok_or(TransportError::ShortResponse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{InProcess, InProcessCard};

    /// A scripted card: checks each command it gets against the script and answers the scripted bytes.
    struct Scripted(Vec<(Vec<u8>, Vec<u8>)>);

    impl InProcessCard for Scripted {
        fn respond(&mut self, command: &[u8]) -> Option<Vec<u8>> {
            let (expected, answer) = self.0.remove(0);
            assert_eq!(command, expected.as_slice(), "unexpected command");
            Some(answer)
        }
    }

    fn channel(script: Vec<(Vec<u8>, Vec<u8>)>, extended: bool) -> Channel<InProcess<Scripted>> {
        Channel::new(InProcess::new(Scripted(script), extended))
    }

    #[test]
    fn more_data_is_fetched_with_get_response() {
        let mut ch = channel(
            vec![
                (vec![0x00, 0xCB, 0x3F, 0xFF, 0x00], vec![1, 2, 0x61, 0x03]),
                (
                    vec![0x00, 0xC0, 0x00, 0x00, 0x03],
                    vec![3, 4, 5, 0x90, 0x00],
                ),
            ],
            false,
        );
        let response = ch
            .transmit(&Command::new(0x00, 0xCB, 0x3F, 0xFF).with_le(256))
            .unwrap();
        assert_eq!(response.data, vec![1, 2, 3, 4, 5]);
        assert!(response.status.is_success());
        assert_eq!(ch.apdus_sent(), 2);
    }

    #[test]
    fn wrong_le_is_resent_once_with_the_right_le() {
        let mut ch = channel(
            vec![
                (vec![0x00, 0xB0, 0x00, 0x00, 0x00], vec![0x6C, 0x04]),
                (
                    vec![0x00, 0xB0, 0x00, 0x00, 0x04],
                    vec![9, 9, 9, 9, 0x90, 0x00],
                ),
            ],
            false,
        );
        let data = ch
            .transmit_ok(
                &Command::new(0x00, 0xB0, 0x00, 0x00).with_le(256),
                "READ BINARY",
            )
            .unwrap();
        assert_eq!(data, vec![9, 9, 9, 9]);
    }

    #[test]
    fn long_data_is_chained_in_short_mode() {
        let data: Vec<u8> = (0..300u16).map(|i| i as u8).collect();
        let mut first = vec![0x10, 0x87, 0x07, 0x9C, 0xFF];
        first.extend_from_slice(&data[..255]);
        let mut second = vec![0x00, 0x87, 0x07, 0x9C, 45];
        second.extend_from_slice(&data[255..]);
        second.push(0x00);
        let mut ch = channel(
            vec![(first, vec![0x90, 0x00]), (second, vec![0xAA, 0x90, 0x00])],
            false,
        );
        let out = ch
            .transmit_ok(
                &Command::new(0x00, 0x87, 0x07, 0x9C)
                    .with_data(data)
                    .with_le(256),
                "GA",
            )
            .unwrap();
        assert_eq!(out, vec![0xAA]);
    }

    #[test]
    fn extended_refused_with_6700_falls_back_to_short_for_good() {
        let mut ch = channel(
            vec![
                (
                    vec![0x00, 0xB0, 0x00, 0x00, 0x00, 0x04, 0x00],
                    vec![0x67, 0x00],
                ),
                (vec![0x00, 0xB0, 0x00, 0x00, 0x00], vec![7, 0x90, 0x00]),
            ],
            true,
        );
        let data = ch
            .transmit_ok(
                &Command::new(0x00, 0xB0, 0x00, 0x00).with_le(1024),
                "READ BINARY",
            )
            .unwrap();
        assert_eq!(data, vec![7]);
        assert!(!ch.extended_length());
    }

    #[test]
    fn a_failed_status_becomes_a_typed_error() {
        let mut ch = channel(
            vec![(vec![0x00, 0x20, 0x00, 0x80], vec![0x63, 0xC2])],
            false,
        );
        let err = ch
            .transmit_ok(&Command::new(0x00, 0x20, 0x00, 0x80), "VERIFY")
            .unwrap_err();
        assert!(matches!(err, CardError::WrongPin { tries_left: 2 }));
    }

    #[test]
    fn a_card_that_leaves_gives_card_removed() {
        struct Gone;
        impl InProcessCard for Gone {
            fn respond(&mut self, _: &[u8]) -> Option<Vec<u8>> {
                None
            }
        }
        let mut ch = Channel::new(InProcess::new(Gone, false));
        let err = ch
            .transmit(&Command::new(0x00, 0xA4, 0x04, 0x00))
            .unwrap_err();
        assert!(matches!(err, TransportError::CardRemoved));
    }
}
