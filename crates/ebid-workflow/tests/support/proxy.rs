//! A TCP proxy on 127.0.0.1 in front of the server that cuts the connection on the first few 【更新】s:
//! it forwards the commit, lets the server answer, keeps the first answer for the test and closes the
//! client's connection without it. The client sees what a network cut between confirm and commit looks like.
//! It counts the commits it relays, so that a test knows how many POSTs one 【更新】 was.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

pub struct CuttingProxy {
    listener: Mutex<Option<TcpListener>>,
    address: SocketAddr,
    lost: Arc<Mutex<Lost>>,
}

/// The commits that went through, and the answers the client never got.
#[derive(Default)]
struct Lost {
    /// Every commit POST relayed to the server.
    commits: usize,
    /// How many commits are still to be cut.
    cuts_left: usize,
    /// The body of the first answer cut.
    first: Option<String>,
}

impl CuttingProxy {
    /// A proxy that will cut the first `cuts` commits, its address taken: the server behind it is told
    /// it as its public URL (the origin its challenges name) before [`Self::forward_to`] it.
    pub async fn bind(cuts: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let address = listener.local_addr().expect("its address");
        let lost = Arc::new(Mutex::new(Lost {
            cuts_left: cuts,
            ..Lost::default()
        }));
        Self {
            listener: Mutex::new(Some(listener)),
            address,
            lost,
        }
    }

    /// Starts relaying to `upstream`.
    pub async fn forward_to(&self, upstream: SocketAddr) {
        let listener = self.listener.lock().await.take().expect("forwarding once");
        let cut_done = self.lost.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, upstream, cut_done.clone()));
            }
        });
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// How many commit POSTs reached the server through the proxy.
    pub async fn commits_seen(&self) -> usize {
        self.lost.lock().await.commits
    }

    /// The commit answer the server gave and the client lost, once the cut happened.
    pub async fn lost_answer(&self) -> Option<String> {
        self.lost.lock().await.first.clone()
    }
}

/// Relays one client connection, message by message (the client keeps connections alive).
async fn relay(client: TcpStream, upstream: SocketAddr, lost: Arc<Mutex<Lost>>) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (client_read, mut client_write) = client.into_split();
    let (server_read, mut server_write) = server.into_split();
    let mut client_read = BufReader::new(client_read);
    let mut server_read = BufReader::new(server_read);
    while let Some(request) = read_message(&mut client_read).await {
        let is_commit = request.starts_with(b"POST ")
            && request
                .split(|&b| b == b'\r')
                .next()
                .is_some_and(|line| line.windows(7).any(|w| w == b"/commit"));
        if server_write.write_all(&request).await.is_err() {
            return;
        }
        let Some(answer) = read_message(&mut server_read).await else {
            return;
        };
        if is_commit {
            let mut lost = lost.lock().await;
            lost.commits += 1;
            if lost.cuts_left > 0 {
                lost.cuts_left -= 1;
                lost.first.get_or_insert_with(|| body_text(&answer));
                // Dropping both halves closes the client's connection with no answer.
                return;
            }
        }
        if client_write.write_all(&answer).await.is_err() {
            return;
        }
    }
}

/// One HTTP/1.1 message: the head up to the blank line and a body of `content-length` bytes (none without
/// one: the server answers with a length, or with 204).
pub(super) async fn read_message(stream: &mut (impl AsyncBufRead + Unpin)) -> Option<Vec<u8>> {
    let mut message = Vec::new();
    loop {
        let before = message.len();
        if stream.read_until(b'\n', &mut message).await.ok()? == 0 {
            return None;
        }
        if &message[before..] == b"\r\n" {
            break;
        }
    }
    let head = String::from_utf8_lossy(&message).to_ascii_lowercase();
    assert!(
        !head.contains("transfer-encoding: chunked"),
        "the proxy relays only messages with a length"
    );
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    message.extend(body);
    Some(message)
}

fn body_text(message: &[u8]) -> String {
    let text = String::from_utf8_lossy(message);
    text.split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default()
}
