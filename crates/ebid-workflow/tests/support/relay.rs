//! A phishing server on 127.0.0.1 in front of the real one: it relays every request and hands the real
//! server's answers back, except challenges, which it may rewrite before the client sees them. It counts
//! the card proofs (login, new card) that pass through it: what a card signed for it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ebid_protocol::routes;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use super::proxy::read_message;

/// What the relay does to the real server's challenges.
#[derive(Debug, Clone, Copy)]
pub enum Tamper {
    /// Nothing: they name the real server's origin, not the relay's the client is talking to.
    Nothing,
    /// Renamed to the relay's own origin, so that a card's signature would be made for the relay.
    Origin,
    /// Renamed to the relay's own origin, and for this organization instead of the one asked.
    OriginAndOrganization(&'static str),
}

pub struct PhishingRelay {
    address: SocketAddr,
    proofs: Arc<AtomicUsize>,
}

impl PhishingRelay {
    pub async fn start(upstream: SocketAddr, tamper: Tamper) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let address = listener.local_addr().expect("its address");
        let proofs = Arc::new(AtomicUsize::new(0));
        let counted = proofs.clone();
        let own_origin = format!("http://{address}");
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(
                    client,
                    upstream,
                    tamper,
                    own_origin.clone(),
                    counted.clone(),
                ));
            }
        });
        Self { address, proofs }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Logins and new-card proofs relayed: signatures a card made through this relay.
    pub fn proofs_relayed(&self) -> usize {
        self.proofs.load(Ordering::SeqCst)
    }
}

/// Relays one client connection, message by message.
async fn relay(
    client: TcpStream,
    upstream: SocketAddr,
    tamper: Tamper,
    own_origin: String,
    proofs: Arc<AtomicUsize>,
) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (client_read, mut client_write) = client.into_split();
    let (server_read, mut server_write) = server.into_split();
    let mut client_read = BufReader::new(client_read);
    let mut server_read = BufReader::new(server_read);
    while let Some(request) = read_message(&mut client_read).await {
        let line = String::from_utf8_lossy(&request)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        let posts = |route: &str| line.starts_with(&format!("POST {route} "));
        if posts(routes::LOGIN) || posts(routes::RENEWAL_PROOF) {
            proofs.fetch_add(1, Ordering::SeqCst);
        }
        if server_write.write_all(&request).await.is_err() {
            return;
        }
        let Some(mut answer) = read_message(&mut server_read).await else {
            return;
        };
        if posts(routes::CHALLENGES) {
            answer = rewrite_challenge(&answer, tamper, &own_origin);
        }
        if client_write.write_all(&answer).await.is_err() {
            return;
        }
    }
}

/// The challenge answer with its body rewritten as `tamper` says, and its length to match.
fn rewrite_challenge(answer: &[u8], tamper: Tamper, own_origin: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(answer);
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP message");
    let mut challenge: serde_json::Value = serde_json::from_str(body).expect("a JSON challenge");
    match tamper {
        Tamper::Nothing => return answer.to_vec(),
        Tamper::Origin => {}
        Tamper::OriginAndOrganization(organization) => {
            challenge["organization"] = organization.into();
        }
    }
    challenge["origin"] = own_origin.into();
    let body = challenge.to_string();
    let head: Vec<String> = head
        .lines()
        .map(|line| {
            if line.to_ascii_lowercase().starts_with("content-length:") {
                format!("content-length: {}", body.len())
            } else {
                line.to_owned()
            }
        })
        .collect();
    format!("{}\r\n\r\n{body}", head.join("\r\n")).into_bytes()
}
