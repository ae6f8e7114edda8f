//! HTTPS with rustls anywhere; plain HTTP on loopback only.

use ebid_protocol::{ServerTime, routes};
use ebid_server::{Error, ServerConfig, TlsFiles};
use tokio::net::TcpListener;

use crate::support::demo_trust;

#[tokio::test]
async fn https_is_served_with_the_given_certificate() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let issued = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("certificate");
    let (cert_pem, key_pem) = (dir.path().join("server.pem"), dir.path().join("server.key"));
    std::fs::write(&cert_pem, issued.cert.pem()).expect("write certificate");
    std::fs::write(&key_pem, issued.signing_key.serialize_pem()).expect("write key");

    let mut config = ServerConfig::new(
        "127.0.0.1:0".parse().expect("address"),
        dir.path().join("server.sqlite3"),
        demo_trust(),
    );
    config.tls = Some(TlsFiles { cert_pem, key_pem });
    let server = ebid_server::open(config).await.expect("opens");
    assert_eq!(server.scheme(), "https");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve(listener, async {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([
            reqwest::Certificate::from_pem(issued.cert.pem().as_bytes()).expect("root")
        ])
        .resolve("localhost", ([127, 0, 0, 1], port).into())
        .build()
        .expect("client");
    let time: ServerTime = client
        .get(format!("https://localhost:{port}{}", routes::TIME))
        .send()
        .await
        .expect("HTTPS request")
        .json()
        .await
        .expect("server time");
    assert_eq!(time.protocol_version, ebid_protocol::VERSION);

    // Plain HTTP to the HTTPS port gets no answer.
    let plain = client
        .get(format!("http://localhost:{port}{}", routes::TIME))
        .send()
        .await;
    assert!(plain.is_err() || !plain.expect("response").status().is_success());

    stop.send(()).expect("server running");
    serving.await.expect("task").expect("clean stop");
}

#[tokio::test]
async fn plain_http_is_refused_off_loopback() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let config = ServerConfig::new(
        "0.0.0.0:7878".parse().expect("address"),
        dir.path().join("server.sqlite3"),
        demo_trust(),
    );
    match ebid_server::open(config).await {
        Err(Error::PlainHttpOffLoopback(address)) => assert_eq!(address.port(), 7878),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("plain HTTP on every interface was accepted"),
    }

    // Nor may a loopback configuration be served on another interface's listener.
    let config = ServerConfig::new(
        "127.0.0.1:0".parse().expect("address"),
        dir.path().join("server.sqlite3"),
        demo_trust(),
    );
    let server = ebid_server::open(config).await.expect("opens");
    let listener = TcpListener::bind("0.0.0.0:0").await.expect("bind");
    let served = server.serve(listener, std::future::ready(())).await;
    assert!(
        matches!(served, Err(Error::PlainHttpOffLoopback(_))),
        "{served:?}"
    );
}
