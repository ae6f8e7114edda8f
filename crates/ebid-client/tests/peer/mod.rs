//! Scripted HTTP/1.1 peers on 127.0.0.1: each request gets the next reply of the script, and every request's
//! text is kept for the test to read. Real sockets, so the client's own error handling is what is tested.

mod tls;

use std::collections::VecDeque;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::Mutex;

pub use tls::TlsPeer;

/// What the peer does with one request.
pub enum Reply {
    /// Answers with this status, content type and body.
    Answer {
        status: u16,
        content_type: &'static str,
        body: String,
    },
    /// Closes the connection without answering, after reading the request.
    Cut,
    /// Keeps the connection open and never answers.
    Silent,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Self::Answer {
            status,
            content_type: "application/json",
            body: body.to_owned(),
        }
    }

    pub fn html(status: u16, body: &str) -> Self {
        Self::Answer {
            status,
            content_type: "text/html",
            body: body.to_owned(),
        }
    }

    pub fn empty(status: u16) -> Self {
        Self::Answer {
            status,
            content_type: "text/plain",
            body: String::new(),
        }
    }
}

#[derive(Default)]
struct Script {
    replies: VecDeque<Reply>,
    requests: Vec<String>,
}

pub struct Peer {
    port: u16,
    script: Arc<Mutex<Script>>,
}

impl Peer {
    pub async fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let script = Arc::new(Mutex::new(Script {
            replies: replies.into(),
            requests: Vec::new(),
        }));
        let serving = script.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, serving.clone()));
            }
        });
        Self { port, script }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request received so far: request line, headers and body.
    pub async fn requests(&self) -> Vec<String> {
        self.script.lock().await.requests.clone()
    }
}

/// Serves one connection, request after request (the client keeps connections alive).
async fn serve(mut stream: impl AsyncRead + AsyncWrite + Unpin, script: Arc<Mutex<Script>>) {
    while let Some(request) = read_request(&mut stream).await {
        let reply = {
            let mut script = script.lock().await;
            script.requests.push(request);
            script.replies.pop_front()
        };
        match reply {
            Some(Reply::Answer {
                status,
                content_type,
                body,
            }) => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                if stream.write_all(head.as_bytes()).await.is_err()
                    || stream.write_all(body.as_bytes()).await.is_err()
                {
                    return;
                }
            }
            Some(Reply::Silent) => {
                // Holds the connection until the client gives up and closes it.
                let mut rest = Vec::new();
                let _ = stream.read_to_end(&mut rest).await;
                return;
            }
            Some(Reply::Cut) | None => return,
        }
    }
}

/// One request: the head up to the blank line, then as many body bytes as `content-length` says.
async fn read_request(stream: &mut (impl AsyncRead + Unpin)) -> Option<String> {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        bytes.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    bytes.extend(body);
    Some(String::from_utf8_lossy(&bytes).into_owned())
}
