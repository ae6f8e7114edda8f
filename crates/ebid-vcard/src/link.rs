//! Between the reader and a card application: what every card of this project does the same way with the
//! bytes of an exchange. Command chaining (CLA b5, ISO/IEC 7816-4 §5.4.1), answers cut to Ne with the rest
//! fetched by GET RESPONSE (`61xx`, §5.3.4), and the ways real cards are less lenient than an emulator needs
//! to be, from [`Quirks`]: pieces of a fixed size, `6Cxx` when Le is not exact, `6700` for extended length.

use zeroize::Zeroizing;

use crate::command::Command;
use crate::spec::Quirks;
use crate::sw::{self, Reply};

/// INS of GET RESPONSE.
const GET_RESPONSE: u8 = 0xC0;
/// The most a chain may gather: far above anything these cards take (an RSA-2048 GENERAL AUTHENTICATE
/// template is 266 bytes), and a bound on what a misbehaving host can make the card hold.
const MAX_CHAIN: usize = 4096;
/// Ne of a short APDU, and of an extended one.
const SHORT_MAX_NE: usize = 256;
const EXTENDED_MAX_NE: usize = 65_536;

/// A card application behind the link: JPKI's AP or the PIV application.
pub(crate) trait Applet {
    /// What the application keeps between commands and loses at reset. A command the link answers with
    /// `6Cxx` did not run (ISO/IEC 7816-4: the host resends it with the right Le), so the link puts this back.
    type Session: Clone;

    fn session(&self) -> &Self::Session;
    fn restore(&mut self, session: Self::Session);
    /// Whether the application takes chained commands (PIV does; JPKI's AP has no command that needs it).
    fn accepts_chaining(&self) -> bool;
    /// Runs one whole command (a chain already joined into one).
    fn process(&mut self, command: &Command) -> Reply;
}

/// A response the host has not fetched yet with GET RESPONSE.
#[derive(Debug)]
struct Pending {
    data: Vec<u8>,
    /// The status the last piece ends with.
    sw: u16,
}

/// The parts of a chained command received so far.
#[derive(Debug, Clone)]
struct Chain {
    /// CLA without the chaining bit, INS, P1, P2: the rest of the chain must repeat them.
    header: [u8; 4],
    data: Zeroizing<Vec<u8>>,
}

#[derive(Debug)]
pub(crate) struct Link {
    quirks: Quirks,
    pending: Option<Pending>,
    chain: Option<Chain>,
}

impl Link {
    pub fn new(quirks: Quirks) -> Self {
        Self {
            quirks,
            pending: None,
            chain: None,
        }
    }

    /// A reset: half-read answers and half-sent chains are gone.
    pub fn reset(&mut self) {
        self.pending = None;
        self.chain = None;
    }

    /// One command APDU in, one response APDU out.
    pub fn exchange<A: Applet>(&mut self, applet: &mut A, raw: &[u8]) -> Vec<u8> {
        // Whatever comes now, an unfetched answer is only ever good for the GET RESPONSE right after it.
        let pending = self.pending.take();
        let command = match Command::parse(raw) {
            Ok(command) => command,
            Err(status) => return status_only(status),
        };
        if command.extended && self.quirks.short_apdus_only {
            return status_only(sw::WRONG_LENGTH);
        }
        if command.cla == 0x00 && command.ins == GET_RESPONSE {
            return self.get_response(pending, &command);
        }
        if command.is_chained() {
            return status_only(self.add_to_chain(applet.accepts_chaining(), &command));
        }

        let chain = self.chain.take();
        let whole = match &chain {
            Some(chain) if chain.header == [command.cla, command.ins, command.p1, command.p2] => {
                let mut data = chain.data.clone();
                data.extend_from_slice(&command.data);
                if data.len() > MAX_CHAIN {
                    return status_only(sw::WRONG_LENGTH);
                }
                Command { data, ..command }
            }
            // A different command ends a chain the host gave up on; the new command stands on its own.
            _ => command,
        };

        let before = applet.session().clone();
        let reply = applet.process(&whole);
        match self.fit(reply, &whole) {
            Ok(response) => response,
            Err(status) => {
                // 6Cxx: the command did not run. Its resend finds the card, and the chain, as they were.
                applet.restore(before);
                self.chain = chain;
                status_only(status)
            }
        }
    }

    fn add_to_chain(&mut self, accepted: bool, command: &Command) -> u16 {
        if !accepted {
            self.chain = None;
            return sw::CHAINING_NOT_SUPPORTED;
        }
        let header = [command.base_cla(), command.ins, command.p1, command.p2];
        let mut chain = match self.chain.take() {
            Some(chain) if chain.header == header => chain,
            _ => Chain {
                header,
                data: Zeroizing::new(Vec::new()),
            },
        };
        if chain.data.len() + command.data.len() > MAX_CHAIN {
            return sw::WRONG_LENGTH;
        }
        chain.data.extend_from_slice(&command.data);
        self.chain = Some(chain);
        sw::SUCCESS
    }

    /// Fits an application's answer to the command's Ne: the whole of it, or a first piece and `61xx`.
    /// `Err(6Cxx)` when the card wants Le exact and it is not.
    fn fit(&mut self, reply: Reply, command: &Command) -> Result<Vec<u8>, u16> {
        if reply.data.is_empty() {
            return Ok(status_only(reply.sw));
        }
        // 6Cxx has one byte for the length, so only short APDUs meet it.
        if self.quirks.demand_exact_le
            && !command.extended
            && let Some(ne) = command.ne
        {
            let exact = reply.data.len().min(SHORT_MAX_NE);
            if ne != exact {
                return Err(sw::wrong_le(exact));
            }
        }
        // No Le field: the card answers what it has, as a T=1 card does, up to what one response can carry.
        Ok(self.send(reply.data, reply.sw, command.ne.unwrap_or(max_ne(command))))
    }

    fn get_response(&mut self, pending: Option<Pending>, command: &Command) -> Vec<u8> {
        let Some(pending) = pending else {
            return status_only(sw::CONDITIONS_NOT_SATISFIED);
        };
        let status = if command.p1 != 0 || command.p2 != 0 {
            Some(sw::WRONG_P1P2)
        } else if !command.data.is_empty() {
            Some(sw::WRONG_LENGTH)
        } else if self.quirks.demand_exact_le && !command.extended {
            let exact = pending.data.len().min(SHORT_MAX_NE);
            (command.ne != Some(exact)).then(|| sw::wrong_le(exact))
        } else {
            None
        };
        if let Some(status) = status {
            // The answer still waits: the host may ask again properly.
            self.pending = Some(pending);
            return status_only(status);
        }
        self.send(
            pending.data,
            pending.sw,
            command.ne.unwrap_or(max_ne(command)),
        )
    }

    /// Sends at most `ne` bytes (and at most the quirk's piece size); keeps the rest for GET RESPONSE.
    fn send(&mut self, mut data: Vec<u8>, final_sw: u16, ne: usize) -> Vec<u8> {
        let piece = match self.quirks.get_response_chunk {
            // A piece size of 0 would never end; such a card cannot exist, so the quirk is off.
            Some(chunk) if chunk > 0 => ne.min(usize::from(chunk)),
            _ => ne,
        };
        if data.len() <= piece {
            data.extend_from_slice(&final_sw.to_be_bytes());
            return data;
        }
        let rest = data.split_off(piece);
        data.extend_from_slice(&sw::more_data(rest.len()).to_be_bytes());
        self.pending = Some(Pending {
            data: rest,
            sw: final_sw,
        });
        data
    }
}

/// The most one response to this command can carry.
fn max_ne(command: &Command) -> usize {
    if command.extended {
        EXTENDED_MAX_NE
    } else {
        SHORT_MAX_NE
    }
}

fn status_only(status: u16) -> Vec<u8> {
    status.to_be_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// INS 01 echoes its data; INS 02 answers as many bytes as its two data bytes say. The status is 9000
    /// with P2 in the low byte, so a test sees which status a piece carries. Runs are counted in the session
    /// so the tests see what a 6Cxx puts back.
    #[derive(Debug, Default)]
    struct Echo {
        runs: u32,
        chaining: bool,
    }

    impl Applet for Echo {
        type Session = u32;

        fn session(&self) -> &u32 {
            &self.runs
        }

        fn restore(&mut self, session: u32) {
            self.runs = session;
        }

        fn accepts_chaining(&self) -> bool {
            self.chaining
        }

        fn process(&mut self, command: &Command) -> Reply {
            self.runs += 1;
            let data = match (command.ins, &command.data[..]) {
                (0x02, [hi, lo]) => (0..u16::from_be_bytes([*hi, *lo]))
                    .map(|i| i as u8)
                    .collect(),
                _ => command.data.to_vec(),
            };
            Reply {
                data,
                sw: 0x9000 | u16::from(command.p2),
            }
        }
    }

    /// A short APDU asking for `len` answer bytes, with Le.
    fn answer(len: u16, le: u8) -> Vec<u8> {
        let [hi, lo] = len.to_be_bytes();
        vec![0x00, 0x02, 0x00, 0x00, 0x02, hi, lo, le]
    }

    fn get_response(le: u8) -> Vec<u8> {
        vec![0x00, 0xC0, 0x00, 0x00, le]
    }

    fn link(quirks: Quirks) -> (Link, Echo) {
        (
            Link::new(quirks),
            Echo {
                runs: 0,
                chaining: true,
            },
        )
    }

    #[test]
    fn cuts_a_long_answer_to_ne_and_hands_the_rest_out_with_get_response() {
        let (mut link, mut app) = link(Quirks::default());
        let first = link.exchange(&mut app, &answer(300, 0x00));
        assert_eq!(first.len(), 258);
        assert_eq!(&first[256..], &[0x61, 44]);
        let rest = link.exchange(&mut app, &get_response(44));
        assert_eq!(rest.len(), 46);
        assert_eq!(rest[0], 0);
        assert_eq!(&rest[44..], &[0x90, 0x00]);
        // Nothing waits any more.
        assert_eq!(link.exchange(&mut app, &get_response(0)), vec![0x69, 0x85]);
    }

    #[test]
    fn get_response_may_ask_for_less_than_waits() {
        let (mut link, mut app) = link(Quirks::default());
        assert_eq!(
            link.exchange(&mut app, &answer(10, 4)),
            vec![0, 1, 2, 3, 0x61, 6]
        );
        assert_eq!(
            link.exchange(&mut app, &get_response(2)),
            vec![4, 5, 0x61, 4]
        );
        assert_eq!(
            link.exchange(&mut app, &get_response(0)),
            vec![6, 7, 8, 9, 0x90, 0x00]
        );
    }

    #[test]
    fn a_wrong_get_response_leaves_the_answer_waiting() {
        let (mut link, mut app) = link(Quirks::default());
        assert_eq!(link.exchange(&mut app, &answer(10, 4))[4..], [0x61, 6]);
        assert_eq!(
            link.exchange(&mut app, &[0x00, 0xC0, 0x01, 0x00, 6]),
            vec![0x6A, 0x86]
        );
        assert_eq!(
            link.exchange(&mut app, &[0x00, 0xC0, 0x00, 0x00, 0x01, 0xAA, 6]),
            vec![0x67, 0x00]
        );
        assert_eq!(
            link.exchange(&mut app, &get_response(6)),
            vec![4, 5, 6, 7, 8, 9, 0x90, 0x00]
        );
    }

    #[test]
    fn any_other_command_drops_an_unfetched_answer() {
        let (mut link, mut app) = link(Quirks::default());
        assert_eq!(link.exchange(&mut app, &answer(300, 0))[256..], [0x61, 44]);
        assert_eq!(
            link.exchange(&mut app, &[0x00, 0x01, 0x00, 0x00]),
            vec![0x90, 0x00]
        );
        assert_eq!(link.exchange(&mut app, &get_response(44)), vec![0x69, 0x85]);
    }

    #[test]
    fn an_apdu_without_le_gets_what_one_response_carries() {
        let (mut link, mut app) = link(Quirks::default());
        let response = link.exchange(&mut app, &[0x00, 0x02, 0x00, 0x00, 0x02, 0x01, 0x2C]);
        assert_eq!(response[256..], [0x61, 44]);
    }

    #[test]
    fn extended_le_gets_the_whole_answer() {
        let (mut link, mut app) = link(Quirks::default());
        let response = link.exchange(
            &mut app,
            &[
                0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x2C, 0x00, 0x00,
            ],
        );
        assert_eq!(response.len(), 302);
        assert_eq!(&response[300..], &[0x90, 0x00]);
        // Extended Le below the answer: cut there, the rest by GET RESPONSE.
        let response = link.exchange(
            &mut app,
            &[
                0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x2C, 0x01, 0x2B,
            ],
        );
        assert_eq!(response[299..], [0x61, 0x01]);
    }

    #[test]
    fn the_chunk_quirk_answers_in_pieces_and_the_last_piece_carries_the_status() {
        let (mut link, mut app) = link(Quirks {
            get_response_chunk: Some(100),
            ..Quirks::default()
        });
        // P2 01: the application answers 9001, a status only the last piece may carry.
        let first = link.exchange(
            &mut app,
            &[
                0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x02, 0x00, 0xFA, 0x00, 0x00,
            ],
        );
        assert_eq!((first.len(), &first[100..]), (102, &[0x61, 150][..]));
        let second = link.exchange(&mut app, &get_response(0));
        assert_eq!((second.len(), &second[100..]), (102, &[0x61, 50][..]));
        let last = link.exchange(&mut app, &get_response(0));
        assert_eq!((last.len(), &last[50..]), (52, &[0x90, 0x01][..]));
    }

    #[test]
    fn a_zero_chunk_is_no_chunking() {
        let (mut link, mut app) = link(Quirks {
            get_response_chunk: Some(0),
            ..Quirks::default()
        });
        assert_eq!(link.exchange(&mut app, &answer(10, 0)).len(), 12);
    }

    #[test]
    fn the_exact_le_quirk_answers_6cxx_and_the_command_runs_once_on_the_resend() {
        let (mut link, mut app) = link(Quirks {
            demand_exact_le: true,
            ..Quirks::default()
        });
        assert_eq!(link.exchange(&mut app, &answer(3, 0x00)), vec![0x6C, 0x03]);
        assert_eq!(app.runs, 0, "a 6Cxx answer means the command did not run");
        assert_eq!(link.exchange(&mut app, &answer(3, 0x02)), vec![0x6C, 0x03]);
        assert_eq!(
            link.exchange(&mut app, &answer(3, 0x03)),
            vec![0, 1, 2, 0x90, 0x00]
        );
        assert_eq!(app.runs, 1);

        // Over 256 bytes Le 00 is as exact as a short APDU gets; GET RESPONSE must then ask for exactly 44.
        assert_eq!(
            link.exchange(&mut app, &answer(300, 0x10)),
            vec![0x6C, 0x00]
        );
        assert_eq!(
            link.exchange(&mut app, &answer(300, 0x00))[256..],
            [0x61, 44]
        );
        assert_eq!(link.exchange(&mut app, &get_response(0)), vec![0x6C, 44]);
        assert_eq!(link.exchange(&mut app, &get_response(44)).len(), 46);

        // Extended APDUs have no 6Cxx.
        let response = link.exchange(
            &mut app,
            &[
                0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00,
            ],
        );
        assert_eq!(response, vec![0, 1, 2, 0x90, 0x00]);
    }

    #[test]
    fn a_6cxx_resend_of_the_last_chained_part_finds_the_chain_intact() {
        let (mut link, mut app) = link(Quirks {
            demand_exact_le: true,
            ..Quirks::default()
        });
        assert_eq!(
            link.exchange(&mut app, &[0x10, 0x01, 0x00, 0x00, 0x02, 1, 2]),
            vec![0x90, 0x00]
        );
        let mut last = vec![0x00, 0x01, 0x00, 0x00, 0x01, 3, 0x10];
        assert_eq!(link.exchange(&mut app, &last), vec![0x6C, 0x03]);
        last[6] = 0x03;
        assert_eq!(link.exchange(&mut app, &last), vec![1, 2, 3, 0x90, 0x00]);
    }

    #[test]
    fn the_short_only_quirk_refuses_extended_apdus() {
        let (mut link, mut app) = link(Quirks {
            short_apdus_only: true,
            ..Quirks::default()
        });
        assert_eq!(
            link.exchange(
                &mut app,
                &[0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x03]
            ),
            vec![0x67, 0x00]
        );
        assert_eq!(
            link.exchange(&mut app, &[0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00]),
            vec![0x67, 0x00]
        );
        assert_eq!(app.runs, 0);
        assert_eq!(
            link.exchange(&mut app, &[0x00, 0x01, 0x00, 0x00, 0x01, 0xAA]),
            vec![0xAA, 0x90, 0x00]
        );
    }

    #[test]
    fn chains_join_and_a_different_command_abandons_one() {
        let (mut link, mut app) = link(Quirks::default());
        assert_eq!(
            link.exchange(&mut app, &[0x10, 0x01, 0x00, 0x00, 0x02, 1, 2]),
            vec![0x90, 0x00]
        );
        assert_eq!(
            link.exchange(&mut app, &[0x10, 0x01, 0x00, 0x00, 0x01, 3]),
            vec![0x90, 0x00]
        );
        assert_eq!(
            link.exchange(&mut app, &[0x00, 0x01, 0x00, 0x00, 0x01, 4]),
            vec![1, 2, 3, 4, 0x90, 0x00]
        );
        assert_eq!(app.runs, 1);

        assert_eq!(
            link.exchange(&mut app, &[0x10, 0x01, 0x00, 0x00, 0x01, 9]),
            vec![0x90, 0x00]
        );
        // Other P2: not the end of that chain, and the chain is gone.
        assert_eq!(
            link.exchange(&mut app, &[0x00, 0x01, 0x00, 0x01, 0x01, 5]),
            vec![5, 0x90, 0x01]
        );
        assert_eq!(
            link.exchange(&mut app, &[0x00, 0x01, 0x00, 0x00, 0x01, 6]),
            vec![6, 0x90, 0x00]
        );

        // A reset loses a half-sent chain.
        assert_eq!(
            link.exchange(&mut app, &[0x10, 0x01, 0x00, 0x00, 0x01, 9]),
            vec![0x90, 0x00]
        );
        link.reset();
        assert_eq!(
            link.exchange(&mut app, &[0x00, 0x01, 0x00, 0x00, 0x01, 6]),
            vec![6, 0x90, 0x00]
        );
    }

    #[test]
    fn refuses_chains_an_application_does_not_take_and_chains_that_grow_too_long() {
        let (mut link, mut app) = link(Quirks::default());
        app.chaining = false;
        assert_eq!(
            link.exchange(&mut app, &[0x10, 0x01, 0x00, 0x00, 0x01, 1]),
            vec![0x68, 0x84]
        );

        app.chaining = true;
        let mut part = vec![0x10, 0x01, 0x00, 0x00, 0xFF];
        part.extend([0u8; 255]);
        for _ in 0..MAX_CHAIN / 255 {
            assert_eq!(link.exchange(&mut app, &part), vec![0x90, 0x00]);
        }
        assert_eq!(link.exchange(&mut app, &part), vec![0x67, 0x00]);
    }

    #[test]
    fn malformed_apdus_get_6700_and_never_reach_the_application() {
        let (mut link, mut app) = link(Quirks::default());
        for raw in [&[][..], &[0x00], &[0x00, 0x01, 0x00, 0x00, 0x05, 0x01]] {
            assert_eq!(link.exchange(&mut app, raw), vec![0x67, 0x00]);
        }
        assert_eq!(app.runs, 0);
    }
}
