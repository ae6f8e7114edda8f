//! Plugs a virtual card into vsmartcard's vpcd reader driver, so that the real pcscd — and every program
//! using it — sees the card in a reader.
//!
//! vpcd listens on port 35963 (reader "Virtual PCD 00 00") and 35964 ("… 00 01"), and the card connects
//! to it on 127.0.0.1; a connection is a card in the reader, closing it is pulling the card out. (vpcd
//! listens on every address, so `cargo xtask` loads it into pcscd only while the tests, the bench or the
//! demo run.) Every message either way is a 2-byte big-endian length and a payload. A 1-byte payload from
//! vpcd is a control code (0 power off, 1 power on, 2 reset, 4 send the ATR); anything longer is a command
//! APDU, answered with the response APDU.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

use crate::card::VirtualCard;

/// The TCP port of vpcd's first reader; reader `n` listens on `FIRST_PORT + n`.
pub const FIRST_PORT: u16 = 35963;

/// The address of vpcd reader `n` on this machine.
pub fn reader_address(reader: u8) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], FIRST_PORT + u16::from(reader)))
}

/// The name pcscd gives vpcd reader `n`.
pub fn reader_name(reader: u8) -> String {
    format!("Virtual PCD 00 {reader:02}")
}

/// What the card does, beyond answering, so that tests can make it misbehave on cue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Behaviour {
    /// Leave the reader when a command with this INS byte arrives, before answering it: the card pulled in
    /// the middle of that command.
    pub pull_on_instruction: Option<u8>,
}

/// A virtual card in a vpcd reader, served by its own thread.
#[derive(Debug)]
pub struct Inserted {
    stream: TcpStream,
    thread: JoinHandle<Served>,
    /// Command APDUs the card has answered since it went in: what any program sent it, counted by the card.
    apdus: Arc<AtomicU64>,
}

/// How a card's time in the reader ended, and the card with its state (PIN counters) as it was then.
#[derive(Debug)]
pub struct Served {
    pub card: VirtualCard,
    /// `Some` when the connection failed rather than being closed by either side.
    pub error: Option<io::Error>,
    /// The card left by itself on the instruction in [`Behaviour::pull_on_instruction`].
    pub pulled: bool,
}

impl Inserted {
    /// Connects to vpcd reader `reader`: the card is in. Fails when vpcd (pcscd) is not listening.
    pub fn insert(reader: u8, card: VirtualCard, behaviour: Behaviour) -> io::Result<Self> {
        let stream = TcpStream::connect(reader_address(reader))?;
        stream.set_nodelay(true)?;
        let served = stream.try_clone()?;
        let apdus = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&apdus);
        let thread = std::thread::Builder::new()
            .name(format!("vpcd-reader-{reader}"))
            .spawn(move || serve(served, card, behaviour, &counter))?;
        Ok(Self {
            stream,
            thread,
            apdus,
        })
    }

    /// How many command APDUs the card has answered since it went in.
    pub fn apdus_answered(&self) -> u64 {
        self.apdus.load(Ordering::Relaxed)
    }

    /// Pulls the card out and gives it back, with its state.
    pub fn remove(self) -> Served {
        // Shutting the socket down ends the serving thread's read; an error here means it already ended.
        let _ = self.stream.shutdown(Shutdown::Both);
        self.thread
            .join()
            .expect("the vpcd serving thread does not panic")
    }
}

fn serve(
    mut stream: TcpStream,
    mut card: VirtualCard,
    behaviour: Behaviour,
    apdus: &AtomicU64,
) -> Served {
    let mut pulled = false;
    let error = loop {
        let message = match read_message(&mut QuickAck(&stream)) {
            Ok(Some(message)) => message,
            Ok(None) => break None,
            Err(e) => break Some(e),
        };
        let answer = match message.as_slice() {
            [0] => None,
            [1] | [2] => {
                card.power_on();
                None
            }
            [4] => Some(card.atr().to_vec()),
            [_] => None,
            apdu => {
                if behaviour
                    .pull_on_instruction
                    .is_some_and(|ins| apdu.get(1) == Some(&ins))
                {
                    pulled = true;
                    let _ = stream.shutdown(Shutdown::Both);
                    break None;
                }
                apdus.fetch_add(1, Ordering::Relaxed);
                Some(card.respond(apdu))
            }
        };
        if let Some(answer) = answer
            && let Err(e) = write_message(&mut stream, &answer)
        {
            break Some(e);
        }
    };
    let error = error.filter(|e| {
        !matches!(
            e.kind(),
            io::ErrorKind::ConnectionReset | io::ErrorKind::NotConnected
        )
    });
    Served {
        card,
        error,
        pulled,
    }
}

/// One framed message; `None` at a clean end of the connection.
fn read_message(stream: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut length = [0u8; 2];
    match stream.read_exact(&mut length) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut payload = vec![0u8; usize::from(u16::from_be_bytes(length))];
    stream.read_exact(&mut payload)?;
    Ok(Some(payload))
}

/// Writes one framed message in one write: length and payload in one segment, so that vpcd never waits for
/// the rest of an answer.
fn write_message(stream: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let length = u16::try_from(payload.len())
        .map_err(|_| io::Error::other("answer longer than vpcd frames"))?;
    let mut frame = Vec::with_capacity(2 + payload.len());
    frame.extend_from_slice(&length.to_be_bytes());
    frame.extend_from_slice(payload);
    stream.write_all(&frame)?;
    stream.flush()
}

/// The card's side of the connection, acknowledging at once what vpcd sends.
///
/// vpcd (as Debian packages it) writes each message as two segments, the 2-byte length and then the
/// payload, with Nagle's algorithm on: the payload leaves only once the length is acknowledged. A receiver
/// that has nothing to send yet delays that acknowledgement (about 40 ms on Linux), so every APDU waited for
/// it: 50 SELECTs took 6.2 s, 0.065 s with this. `TCP_QUICKACK` acknowledges at once; Linux clears it as the
/// connection goes on, so it is set again before every read.
struct QuickAck<'a>(&'a TcpStream);

impl Read for QuickAck<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(target_os = "linux")]
        socket2::SockRef::from(self.0).set_tcp_quickack(true)?;
        self.0.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let mut wire = Vec::new();
        write_message(&mut wire, &[0x00, 0xA4, 0x04, 0x00]).unwrap();
        assert_eq!(wire, vec![0x00, 0x04, 0x00, 0xA4, 0x04, 0x00]);
        let mut reader = io::Cursor::new(wire);
        assert_eq!(
            read_message(&mut reader).unwrap(),
            Some(vec![0x00, 0xA4, 0x04, 0x00])
        );
        assert_eq!(read_message(&mut reader).unwrap(), None);
    }

    #[test]
    fn a_truncated_frame_is_an_error() {
        let mut reader = io::Cursor::new(vec![0x00, 0x05, 0x01]);
        assert!(read_message(&mut reader).is_err());
    }

    #[test]
    fn reader_names_follow_vpcd() {
        assert_eq!(reader_name(1), "Virtual PCD 00 01");
        assert_eq!(reader_address(1).port(), 35964);
    }
}
