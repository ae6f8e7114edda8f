//! The `ebid` command as a user or a script runs it, over the real pcscd and the virtual cards (skipped where
//! pcscd is not running: `ebid_tests::needs`).

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use base64::Engine as _;
use ebid_tests::server_process::vcard_tool_from_env;
use ebid_tests::{Bench, card_spec, demo_set, signing_pin_and_certificate};
use serde_json::Value;

fn ebid(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ebid"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ebid starts");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().expect("ebid ends")
}

fn json_of(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "ebid failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

fn assert_facts_keys(value: &Value) {
    for key in [
        "company",
        "holder",
        "address",
        "serial",
        "issuer",
        "not_after",
        "not_after_jst",
    ] {
        assert!(value.get(key).is_some(), "key {key} missing in {value}");
    }
}

#[test]
fn cert_show_reads_der_and_pem_files() {
    let folder = tempfile::tempdir().unwrap();
    let (_, der) = signing_pin_and_certificate(&card_spec(demo_set(), "current"));
    let der_file = folder.path().join("current.cer");
    std::fs::write(&der_file, &der).unwrap();
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        base64::engine::general_purpose::STANDARD.encode(&der)
    );
    let pem_file = folder.path().join("current.pem");
    std::fs::write(&pem_file, pem).unwrap();

    let from_der = json_of(&ebid(
        &["cert", "show", "--json", der_file.to_str().unwrap()],
        None,
    ));
    let from_pem = json_of(&ebid(
        &["cert", "show", "--json", pem_file.to_str().unwrap()],
        None,
    ));
    assert_eq!(from_der, from_pem);
    assert_facts_keys(&from_der);
    assert_eq!(from_der["company"], "株式会社長崎土木");
    assert_eq!(from_der["holder"], "長崎 太郎");
    assert_eq!(from_der["address"], "長崎県長崎市尾上町3番1号");
    let serial = from_der["serial"].as_str().unwrap();
    assert!(
        serial
            .chars()
            .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)),
        "{serial}"
    );
    assert!(from_der["not_after_jst"].as_str().unwrap().len() == 10);
    assert_eq!(from_der["days_to_expiry"], 20);

    let text = ebid(&["cert", "show", der_file.to_str().unwrap()], None);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("ICカード企業名称") && text.contains("株式会社長崎土木"),
        "{text}"
    );

    let garbage = folder.path().join("garbage.cer");
    std::fs::write(&garbage, b"not a certificate").unwrap();
    let refused = ebid(&["cert", "show", garbage.to_str().unwrap()], None);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("証明書として読み取れません"));
}

#[test]
fn card_list_and_show_through_pcscd() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    bench.insert(1, "jpki");

    let listed = json_of(&ebid(&["card", "list", "--json"], None));
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["profile"], "PIV");
    assert_eq!(listed[1]["profile"], "JPKI");

    let piv = json_of(&ebid(&["card", "show", "--json", "--reader", "0"], None));
    assert_facts_keys(&piv);
    assert_eq!(piv["company"], "株式会社長崎土木");
    assert_eq!(piv["pin_tries_left"], 3);
    assert_eq!(piv["days_to_expiry"], 20);

    let (password, _) = signing_pin_and_certificate(&card_spec(bench.set_dir(), "jpki"));
    let jpki = json_of(&ebid(
        &["card", "show", "--json", "--reader", "1", "--pin-stdin"],
        Some(&format!("{password}\n")),
    ));
    assert_facts_keys(&jpki);
    assert_eq!(jpki["holder"], "長崎 一郎");
    assert_eq!(jpki["company"], Value::Null);
    assert_eq!(jpki["pin_tries_left"], 5);
}

#[test]
fn a_wrong_pin_is_reported_in_japanese_with_the_tries_left() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(1, "jpki");
    let wrong = ebid(
        &["card", "show", "--reader", "1", "--pin-stdin"],
        Some("WRONG99\n"),
    );
    assert!(!wrong.status.success());
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        stderr.contains("残り5回"),
        "tries shown before the entry: {stderr}"
    );
    assert!(
        stderr.contains("PIN番号が違います。残り4回です。"),
        "{stderr}"
    );
    assert!(!stderr.contains("WRONG99"), "the PIN must never be echoed");
    // A PIN of the wrong format is refused before it reaches the card: no try spent.
    let malformed = ebid(
        &["card", "show", "--reader", "1", "--pin-stdin"],
        Some("ab\n"),
    );
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("カードには送っていません"));
    let again = ebid(
        &["card", "show", "--reader", "1", "--pin-stdin"],
        Some("WRONG99\n"),
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("残り4回"));
}

/// `ebid-vcard`, the developer's card server, run as its own program (which `cargo xtask test` builds and
/// names in `EBID_VCARD_BIN`).
fn vcard(args: &[&str]) -> Output {
    Command::new(vcard_tool_from_env())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("ebid-vcard runs")
}

/// `ebid-vcard serve` with its control commands, and `ebid` seeing the cards they move: the way the demo and
/// a person move cards around.
#[test]
fn the_card_server_inserts_swaps_and_stops_on_command() {
    let Some(bench) = Bench::new() else {
        return;
    };
    let set = bench.set_dir().to_str().unwrap().to_owned();
    let server = CardServer::start(bench.set_dir());

    let inserted = vcard(&["insert", "--set", &set, "--reader", "0", "current"]);
    assert!(
        inserted.status.success(),
        "{}",
        String::from_utf8_lossy(&inserted.stderr)
    );
    let shown = json_of(&ebid(&["card", "show", "--json", "--reader", "0"], None));
    assert_eq!(
        shown["serial"],
        json_of(&ebid(&["card", "show", "--json"], None))["serial"]
    );
    let current_serial = shown["serial"].clone();

    let twice = vcard(&["insert", "--set", &set, "--reader", "1", "current"]);
    assert!(!twice.status.success(), "one card cannot be in two readers");

    assert!(
        vcard(&["swap", "--set", &set, "--reader", "0", "replacement"])
            .status
            .success()
    );
    let swapped = json_of(&ebid(&["card", "show", "--json", "--reader", "0"], None));
    assert_ne!(swapped["serial"], current_serial);

    let status = vcard(&["status", "--set", &set]);
    assert!(String::from_utf8_lossy(&status.stdout).contains("replacement"));
    server.stop(&set);
    let listed = json_of(&ebid(&["card", "list", "--json"], None));
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["card"] == false),
        "stop takes every card out"
    );
}

struct CardServer(Child);

impl CardServer {
    /// Starts `ebid-vcard serve` and returns once its control socket answers (it prints its first line then).
    fn start(set: &Path) -> Self {
        let mut child = Command::new(vcard_tool_from_env())
            .args(["serve", "--set", set.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the card server starts");
        let mut first_line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
            &mut first_line,
        )
        .unwrap();
        assert!(first_line.contains("vcard.sock"), "{first_line}");
        Self(child)
    }

    fn stop(mut self, set: &str) {
        assert!(vcard(&["stop", "--set", set]).status.success());
        assert!(self.0.wait().unwrap().success());
    }
}

impl Drop for CardServer {
    fn drop(&mut self) {
        // Stops a server left running by a test that failed half-way; after a clean stop it does nothing.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
