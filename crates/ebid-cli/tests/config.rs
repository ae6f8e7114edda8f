//! `ebid` and its configuration files (the administrator's and the user's, named through
//! `EBID_MACHINE_CONFIG` / `EBID_USER_CONFIG`), without a card stack: what `ebid config show` reports, and
//! a renewal stopped, before any card or server, by what the files lack or get wrong.

mod support;

use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::ConfigDir;

fn ebid(config: &ConfigDir, args: &[&str]) -> (Output, String, String) {
    let output = config
        .apply(&mut Command::new(env!("CARGO_BIN_EXE_ebid")))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("ebid runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

const MACHINE: &str = r#"
# The administrator's file: the organization's server, its proxy, the 調達機関 to preset.
[server]
url = "https://ebid.machine.example/"
proxy = "http://proxy.machine.example:8080"

[organization]
id = "nagasaki-pref"
category = "construction"

# The app's updates: this organization's PCs follow the beta releases.
[updates]
channel = "beta"
"#;

#[test]
fn config_show_gives_each_value_with_the_file_it_came_from() {
    let config = ConfigDir::new(
        Some(MACHINE),
        Some("[server]\nurl = \"https://ebid.user.example/\"\n"),
    );
    let (output, stdout, stderr) = ebid(&config, &["config", "show", "--json"]);
    assert!(output.status.success(), "{stderr}");
    let shown: Value = serde_json::from_str(&stdout).expect("JSON on stdout");

    let files = shown["files"].as_array().expect("the files");
    assert_eq!(files.len(), 2, "{shown}");
    assert_eq!(files[0]["place"], "machine");
    assert_eq!(files[0]["path"], config.machine.to_str().unwrap());
    assert_eq!(files[0]["exists"], true);
    assert_eq!(files[1]["place"], "user");
    assert_eq!(files[1]["path"], config.user.to_str().unwrap());
    assert_eq!(files[1]["exists"], true);

    let settings = &shown["settings"];
    // The user's value wins; the machine's stays where the user says nothing.
    assert_eq!(
        settings["server.url"]["value"],
        "https://ebid.user.example/"
    );
    assert_eq!(settings["server.url"]["from"], "user");
    assert_eq!(
        settings["server.proxy"]["value"],
        "http://proxy.machine.example:8080"
    );
    assert_eq!(settings["server.proxy"]["from"], "machine");
    assert_eq!(settings["organization.id"]["value"], "nagasaki-pref");
    assert_eq!(settings["organization.id"]["from"], "machine");
    assert_eq!(settings["organization.category"]["from"], "machine");
    assert_eq!(settings["server.ca_file"]["value"], Value::Null);
    assert_eq!(settings["server.ca_file"]["from"], Value::Null);
    assert_eq!(settings["updates.channel"]["value"], "beta");
    assert_eq!(settings["updates.channel"]["from"], "machine");

    // Without the user's file, the machine's URL is the one.
    let machine_only = ConfigDir::new(Some(MACHINE), None);
    let (output, stdout, _) = ebid(&machine_only, &["config", "show", "--json"]);
    assert!(output.status.success());
    let shown: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(shown["files"][1]["exists"], false);
    assert_eq!(
        shown["settings"]["server.url"]["value"],
        "https://ebid.machine.example/"
    );
    assert_eq!(shown["settings"]["server.url"]["from"], "machine");
}

#[test]
fn renew_without_a_server_says_where_it_looked_and_how_to_give_one() {
    let config = ConfigDir::new(None, None);
    let (output, stdout, stderr) = ebid(&config, &["renew", "--pin-stdin"]);
    assert!(!output.status.success());
    assert!(
        stderr.contains("接続先のサーバが指定されていません。"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--server") && stderr.contains("[server] url"),
        "{stderr}"
    );
    for file in [&config.machine, &config.user] {
        assert!(stderr.contains(file.to_str().unwrap()), "{stderr}");
    }
    // Stopped before anything else: no server asked, no reader listed, no card read.
    assert_eq!(stdout, "", "{stdout}");

    // A server but no 調達機関: only what is missing is asked for.
    let config = ConfigDir::new(
        Some("[server]\nurl = \"https://ebid.machine.example/\"\n"),
        None,
    );
    let (output, stdout, stderr) = ebid(&config, &["renew", "--category", "construction"]);
    assert!(!output.status.success());
    assert!(
        stderr.contains("調達機関が指定されていません。"),
        "{stderr}"
    );
    assert!(stderr.contains("[organization] id"), "{stderr}");
    assert!(!stderr.contains("接続先のサーバ"), "{stderr}");
    assert!(!stderr.contains("区分が指定されていません"), "{stderr}");
    assert_eq!(stdout, "");
}

#[test]
fn the_flag_and_ebid_server_win_over_the_files() {
    // The files' server is a valid one; the others are refused by the client as it is made, naming the
    // URL it was given, so that which one won shows without any network.
    let config = ConfigDir::new(Some(MACHINE), Some(MACHINE));
    let mut command = Command::new(env!("CARGO_BIN_EXE_ebid"));
    config.apply(&mut command);
    let from_env = command
        .env("EBID_SERVER", "http://env.example")
        .args(["info", "--pin-stdin"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&from_env.stderr);
    assert!(!from_env.status.success());
    assert!(stderr.contains("http://env.example"), "{stderr}");

    let flag = command
        .args(["--server", "http://flag.example"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&flag.stderr);
    assert!(stderr.contains("http://flag.example"), "{stderr}");
    assert!(!stderr.contains("env.example"), "{stderr}");
}

#[test]
fn a_malformed_machine_file_is_named_with_its_line() {
    let config = ConfigDir::new(
        Some("[server]\nurl = \"https://ebid.machine.example/\"\nulr = \"typo\"\n"),
        Some("[server]\nurl = \"https://ebid.user.example/\"\n"),
    );
    for args in [&["renew", "--pin-stdin"][..], &["config", "show"][..]] {
        let (output, stdout, stderr) = ebid(&config, args);
        assert!(!output.status.success(), "{args:?}: {stdout}");
        assert!(
            stderr.contains(config.machine.to_str().unwrap()),
            "{stderr}"
        );
        assert!(stderr.contains("line 3"), "{stderr}");
        assert!(stderr.contains("ulr"), "{stderr}");
        assert_eq!(stdout, "", "{args:?}");
    }
}
