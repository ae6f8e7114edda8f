//! The control socket of `ebid vcard serve`: other programs (the CLI, tests, the demo) insert, remove and
//! swap cards while a program under test uses the readers. One JSON request a line, one JSON reply a line,
//! over a Unix socket in the demo set's folder.

use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::readers::{ReaderStatus, Readers};
use crate::vpcd::Behaviour;

/// What a client asks of the card server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    Insert {
        reader: u8,
        card: String,
        /// Make the card leave the reader when a command with this INS arrives (a pull mid-command).
        #[serde(default)]
        pull_on_instruction: Option<u8>,
    },
    Remove {
        reader: u8,
    },
    Swap {
        reader: u8,
        card: String,
    },
    Status,
    /// Remove every card (saving their state) and stop serving.
    Stop,
}

/// The answer: the readers as they are after the request, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub error: Option<String>,
    pub readers: Vec<ReaderStatus>,
}

/// Where the control socket of the demo set in `set_dir` lives.
pub fn socket_path(set_dir: &Path) -> PathBuf {
    set_dir.join("vcard.sock")
}

/// Serves requests until a [`Request::Stop`]. Fails if another server already answers on the socket.
pub fn serve(set_dir: &Path, mut on_ready: impl FnMut(&Path)) -> io::Result<()> {
    let path = socket_path(set_dir);
    if UnixStream::connect(&path).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AddrInUse,
            format!("a card server already runs on {}", path.display()),
        ));
    }
    // Nobody answers: whatever file is there was left by a server that died.
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    on_ready(&path);
    let mut readers = Readers::new(set_dir);
    for stream in listener.incoming() {
        let mut stream = stream?;
        let line = {
            let mut line = String::new();
            BufReader::new(&stream).read_line(&mut line)?;
            line
        };
        let (reply, stop) = match serde_json::from_str::<Request>(&line) {
            Ok(request) => handle(&mut readers, request),
            Err(e) => (Err(format!("bad request: {e}")), false),
        };
        let reply = Reply {
            error: reply.err(),
            readers: readers.status(),
        };
        // A client that went away before its answer does not stop the server.
        let _ = writeln!(
            stream,
            "{}",
            serde_json::to_string(&reply).map_err(io::Error::other)?
        );
        if stop {
            break;
        }
    }
    let _ = std::fs::remove_file(&path);
    Ok(())
}

fn handle(readers: &mut Readers, request: Request) -> (Result<(), String>, bool) {
    let result = match request {
        Request::Insert {
            reader,
            card,
            pull_on_instruction,
        } => readers.insert(
            reader,
            &card,
            Behaviour {
                pull_on_instruction,
            },
        ),
        Request::Remove { reader } => readers.remove(reader).map(drop),
        Request::Swap { reader, card } => {
            readers.swap(reader, &card, Behaviour::default()).map(drop)
        }
        Request::Status => Ok(()),
        Request::Stop => return (readers.remove_all().map_err(|e| e.to_string()), true),
    };
    (result.map_err(|e| e.to_string()), false)
}

/// Sends one request to the card server of `set_dir` and waits for its reply.
pub fn send(set_dir: &Path, request: &Request) -> io::Result<Reply> {
    let path = socket_path(set_dir);
    let mut stream = UnixStream::connect(&path).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "no card server on {} (start `ebid vcard serve`): {e}",
                path.display()
            ),
        )
    })?;
    writeln!(
        stream,
        "{}",
        serde_json::to_string(request).map_err(io::Error::other)?
    )?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    serde_json::from_str(&line).map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_have_a_stable_wire_form() {
        let insert = Request::Insert {
            reader: 1,
            card: "current".into(),
            pull_on_instruction: None,
        };
        assert_eq!(
            serde_json::to_string(&insert).unwrap(),
            r#"{"op":"insert","reader":1,"card":"current","pull_on_instruction":null}"#
        );
        let parsed: Request =
            serde_json::from_str(r#"{"op":"insert","reader":0,"card":"x"}"#).unwrap();
        assert_eq!(
            parsed,
            Request::Insert {
                reader: 0,
                card: "x".into(),
                pull_on_instruction: None
            }
        );
        assert_eq!(
            serde_json::from_str::<Request>(r#"{"op":"stop"}"#).unwrap(),
            Request::Stop
        );
    }
}
