//! `ebid-server --log-format json`: one JSON object a line on standard error, an access line for every
//! request (method, route pattern, status, refusal), and never the session token a request carried.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use crate::support::demo_set;

/// The token a request presents; it must not reach the log.
const TOKEN: &str = "SECRET-TOKEN-never-logged-4242";

/// One HTTP/1.1 request on its own connection; the status line's code.
fn request(address: &str, request_line: &str, headers: &str) -> u16 {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "{request_line} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n{headers}\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status line")
}

#[test]
fn the_json_log_has_an_access_line_per_request_and_no_token() {
    let data = tempfile::tempdir().expect("a temporary folder");
    let mut server = Command::new(env!("CARGO_BIN_EXE_ebid-server"))
        .args(["--listen", "127.0.0.1:0", "--log-format", "json", "--data"])
        .arg(data.path())
        .args(demo_set().server_args())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ebid-server starts");
    let mut stdout = BufReader::new(server.stdout.take().expect("stdout")).lines();
    let url = stdout
        .find_map(|line| {
            line.expect("a line")
                .strip_prefix("listening on http://")
                .map(str::to_owned)
        })
        .expect("the address");

    let menu = ebid_protocol::routes::MENU;
    let time = ebid_protocol::routes::TIME;
    assert_eq!(request(&url, &format!("GET {time}"), ""), 200);
    assert_eq!(
        request(
            &url,
            &format!("GET {menu}"),
            &format!("Authorization: Bearer {TOKEN}\r\n")
        ),
        401
    );
    assert_eq!(request(&url, "GET /no/such/route?token=abc", ""), 404);

    let stderr = BufReader::new(server.stderr.take().expect("stderr")).lines();
    let mut access = Vec::new();
    for line in stderr {
        let line = line.expect("a log line");
        assert!(!line.contains(TOKEN), "the token reached the log: {line}");
        assert!(
            !line.contains("token=abc"),
            "a raw path reached the log: {line}"
        );
        let event: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
        if event["target"] == "ebid_server::access" {
            access.push((
                event["method"].as_str().unwrap_or_default().to_owned(),
                event["route"].as_str().unwrap_or_default().to_owned(),
                event["status"].as_u64().unwrap_or_default(),
                event["refusal"].as_str().unwrap_or_default().to_owned(),
            ));
            if access.len() == 3 {
                break;
            }
        }
    }
    server.kill().expect("stop the server");
    let _ = server.wait();
    let owned = |(method, route, status, refusal): (&str, &str, u64, &str)| {
        (
            method.to_owned(),
            route.to_owned(),
            status,
            refusal.to_owned(),
        )
    };
    assert_eq!(
        access,
        [
            owned(("GET", time, 200, "-")),
            owned(("GET", menu, 401, "session_ended")),
            owned(("GET", "-", 404, "unknown_route")),
        ]
    );
}
