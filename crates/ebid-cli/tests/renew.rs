//! `ebid renew` and `ebid info` as a script runs them: `ebid-server` as its own process on 127.0.0.1 (SQLite
//! in a temporary folder, seeded from the bench's demo set), the virtual cards in vpcd's
//! readers through the real pcscd, and `ebid` as a child process reading its PINs from standard input (and
//! configuration files of the test's own: `support::ConfigDir`).

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use ebid_tests::Bench;
use ebid_tests::server_process::{ServerProcess, server_from_env};
use ebid_vcard::vpcd::Behaviour;
use support::ConfigDir;

/// Long enough for every step through pcscd; a test that fails on it fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(120);

/// `ebid-server` for one test, on a data folder of its own, seeded from the bench's demo set.
struct Server {
    process: ServerProcess,
    _data: tempfile::TempDir,
}

impl Server {
    fn start(bench: &Bench) -> Self {
        let data = tempfile::tempdir().expect("a temporary folder");
        let process = ServerProcess::start(&server_from_env(), data.path(), bench.set_dir());
        Self {
            process,
            _data: data,
        }
    }

    fn url(&self) -> String {
        self.process.url().to_owned()
    }
}

fn connect_args<'a>(server: &'a str, organization: &'a str) -> Vec<&'a str> {
    vec![
        "--server",
        server,
        "--organization",
        organization,
        "--category",
        "construction",
        "--pin-stdin",
    ]
}

fn spawn(args: &[&str], stdin: &str, config: &ConfigDir) -> Child {
    let mut child = config
        .apply(&mut Command::new(env!("CARGO_BIN_EXE_ebid")))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ebid starts");
    child
        .stdin
        .take()
        .expect("its stdin")
        .write_all(stdin.as_bytes())
        .expect("the script is written");
    child
}

/// `ebid` with no configuration file: everything comes from its arguments.
fn ebid(args: &[&str], stdin: &str) -> (Output, String, String) {
    ebid_configured(args, stdin, &ConfigDir::new(None, None))
}

fn ebid_configured(args: &[&str], stdin: &str, config: &ConfigDir) -> (Output, String, String) {
    let output = spawn(args, stdin, config)
        .wait_with_output()
        .expect("ebid ends");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

fn serial(bench: &Bench, card: &str) -> String {
    bench.serial(card)
}

/// The line of 登録利用者一覧 that lists `serial`.
fn listed<'a>(info: &'a str, serial: &str) -> &'a str {
    ebid_tests::listed(info, serial).unwrap_or_else(|| panic!("{serial} is not listed:\n{info}"))
}

#[test]
fn scripted_renewal_with_two_readers_then_info_with_the_new_card() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    bench.insert(1, "replacement");
    let server = Server::start(&bench);
    let url = server.url();

    let mut args = vec!["renew"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--reader", "0", "--new-reader", "1"]);
    let (output, stdout, stderr) = ebid(&args, "123456\n654321\n更新\n");
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    for words in [
        "サーバの日時: ",
        "年",
        "時",
        "現在使用しているICカードが挿入されていることを確認して",
        "PIN番号を入力してください。",
        "PIN番号: 残り3回",
        "電子証明書更新確認",
        "現在使用しているICカード",
        "新規に使用するICカード",
        "企業名称",
        "企業住所",
        "ICカード企業名称",
        "ICカード取得者氏名",
        "ICカード取得者住所",
        "証明書シリアル番号",
        "証明書発行者",
        "証明書有効期限",
        "新規に使用するICカードの企業名称とICカード企業名称が",
        "この内容でよろしければ更新ボタンを押してください",
        "更新完了",
        "ログアウトしました。",
    ] {
        assert!(
            stdout.contains(words) || stderr.contains(words),
            "{words} missing:\n{stdout}\n{stderr}"
        );
    }
    assert!(stdout.contains(&serial(&bench, "replacement")), "{stdout}");
    for pin in ["123456", "654321"] {
        assert!(
            !stdout.contains(pin) && !stderr.contains(pin),
            "the PIN was printed"
        );
    }

    let mut args = vec!["info"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--reader", "1"]);
    let (output, info, stderr) = ebid(&args, "654321\n");
    assert!(
        output.status.success(),
        "stdout:\n{info}\nstderr:\n{stderr}"
    );
    assert!(
        info.contains("業者概要") && info.contains("登録利用者一覧"),
        "{info}"
    );
    assert!(info.contains("株式会社長崎土木"), "{info}");
    assert!(listed(&info, &serial(&bench, "replacement")).ends_with("使用中"));
    assert!(listed(&info, &serial(&bench, "current")).ends_with("更新済み（使用不可）"));

    // The old card no longer logs in at this organization.
    let mut args = vec!["info"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--reader", "0"]);
    let (output, stdout, stderr) = ebid(&args, "123456\n");
    assert!(
        !output.status.success(),
        "the old card logged in:\n{stdout}"
    );
    assert!(
        stderr.contains("登録されていません"),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
}

/// What an administrator deploys: the server and the 調達機関 in the machine's file, nothing on the command
/// line nor in the environment. `-vv` logs the steps and the requests on standard error, without the PINs.
#[test]
fn the_machine_file_alone_says_where_and_vv_logs_the_steps() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    bench.insert(1, "replacement");
    let server = Server::start(&bench);
    let config = ConfigDir::new(
        Some(&format!(
            "[server]\nurl = \"{}\"\n[organization]\nid = \"nagasaki-pref\"\ncategory = \"construction\"\n",
            server.url()
        )),
        None,
    );
    let (output, stdout, stderr) = ebid_configured(
        &[
            "-vv",
            "renew",
            "--pin-stdin",
            "--reader",
            "0",
            "--new-reader",
            "1",
        ],
        "123456\n654321\n更新\n",
        &config,
    );
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("調達機関: 長崎県"), "{stdout}");
    assert!(stdout.contains("更新完了"), "{stdout}");
    for step in [
        "configuration read",
        "logged in with the current card",
        "the new card proved itself",
        "【更新】: commit sent",
        "renewal committed",
        "PIN accepted by the card",
        "challenge signed by the card",
    ] {
        assert!(stderr.contains(step), "no log of {step}:\n{stderr}");
    }
    // The server's requests at debug level, by method, route and status.
    let login = stderr
        .lines()
        .find(|line| line.contains("request answered") && line.contains("route=/api/v2/session"))
        .unwrap_or_else(|| panic!("no log of the login request:\n{stderr}"));
    assert!(
        login.contains("DEBUG") && login.contains("method=POST") && login.contains("status=200"),
        "{login}"
    );
    for secret in ["123456", "654321", "Bearer", "session_token"] {
        assert!(
            !stderr.contains(secret) && !stdout.contains(secret),
            "{secret} was printed:\n{stderr}"
        );
    }
}

#[test]
fn one_reader_the_swap_is_noticed_and_the_same_card_refused() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    let server = Server::start(&bench);
    let url = server.url();

    let mut args = vec!["renew"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--reader", "0"]);
    let config = ConfigDir::new(None, None);
    let mut child = spawn(&args, "123456\n654321\n更新\n", &config);
    let (lines, said) = mpsc::channel::<String>();
    let stdout = child.stdout.take().expect("its stdout");
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            all.push_str(&line);
            all.push('\n');
            // The test may have stopped listening; the rest is still collected.
            let _ = lines.send(line);
        }
        all
    });
    let wait_for = |words: &str| loop {
        let line = said
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("ebid never said {words}"));
        if line.contains(words) {
            break;
        }
    };

    wait_for("挿し替えは自動で検出します");
    bench.readers.remove(0).unwrap();
    bench.insert(0, "current");
    wait_for("同じICカードです。新しく取得したICカードを挿入してください。");
    bench
        .readers
        .swap(0, "replacement", Behaviour::default())
        .unwrap();

    let output = child.wait_with_output().expect("ebid ends");
    let stdout = reader.join().expect("the output");
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("新しいICカードがICカードリーダーに正しく挿入されていることを確認して「OK」ボタンをクリックしてください。"), "{stdout}");
    assert!(stdout.contains("更新完了"), "{stdout}");
}

#[test]
fn an_expired_card_is_sent_to_new_registration_before_any_pin() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "expired");
    let server = Server::start(&bench);
    let url = server.url();

    // At 佐世保市 the registered card is the one that has lapsed.
    let mut args = vec!["renew"];
    args.extend(connect_args(&url, "sasebo-city"));
    let (output, stdout, stderr) = ebid(&args, "111111\n222222\n更新\n");
    assert!(!output.status.success(), "{stdout}");
    assert!(
        stderr.contains(
            "現在使用しているICカードが有効期限を過ぎています。新規登録処理を行ってください。"
        ),
        "{stderr}"
    );
    assert!(!stdout.contains("PIN番号を入力してください"), "{stdout}");
    assert!(!stdout.contains("更新完了"), "{stdout}");
}

#[test]
fn an_answer_other_than_koshin_goes_back_and_changes_nothing() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    bench.insert(1, "replacement");
    let server = Server::start(&bench);
    let url = server.url();

    let mut args = vec!["renew"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--new-reader", "1"]);
    let (output, stdout, stderr) = ebid(&args, "123456\n654321\nいいえ\n");
    assert!(!output.status.success(), "{stdout}");
    assert!(stderr.contains("【戻る】"), "{stderr}");
    assert!(!stdout.contains("更新完了"), "{stdout}");

    let mut args = vec!["info"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--reader", "0"]);
    let (output, info, stderr) = ebid(&args, "123456\n");
    assert!(output.status.success(), "{info}\n{stderr}");
    assert!(listed(&info, &serial(&bench, "current")).ends_with("使用中"));
}

#[test]
fn a_holder_change_is_blocked_with_its_rule() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    bench.insert(1, "other-holder");
    let server = Server::start(&bench);
    let url = server.url();

    let mut args = vec!["renew"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--new-reader", "1"]);
    let (output, stdout, stderr) = ebid(&args, "123456\n888888\n更新\n");
    assert!(!output.status.success(), "{stdout}");
    let holder_row = stdout
        .lines()
        .rfind(|line| line.contains("ICカード取得者氏名"))
        .expect("the new column's holder");
    assert!(holder_row.ends_with("長崎 花子 *"), "{holder_row}");
    assert!(stdout.contains("* 登録内容と異なる項目"), "{stdout}");
    assert!(
        stdout.contains("このICカードでは更新できません"),
        "{stdout}"
    );
    assert!(
        stderr.contains("取得者氏名が登録内容と異なります"),
        "{stderr}"
    );
    assert!(
        stderr.contains("変更（または新規登録）処理を行ってください。"),
        "{stderr}"
    );
}

/// `ebid history --json` as a test reads it.
fn history_json(config: &ConfigDir) -> serde_json::Value {
    let (output, stdout, stderr) = ebid_configured(&["history", "--json"], "", config);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// The card of `ebid history --json` with this serial.
fn history_card<'a>(history: &'a serde_json::Value, serial: &str) -> &'a serde_json::Value {
    history["cards"]
        .as_array()
        .expect("cards")
        .iter()
        .find(|card| card["serial"] == serial)
        .unwrap_or_else(|| panic!("card {serial} not in the history: {history:#}"))
}

/// The renewal's rows, read back with `ebid history`; then the old card, which the history knows was
/// replaced here, is refused before any PIN: the wrong PIN given is never sent (its tries are untouched).
#[test]
fn a_renewal_leaves_its_history_and_the_replaced_card_is_refused_before_its_pin() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    bench.insert(1, "replacement");
    let server = Server::start(&bench);
    let url = server.url();
    let config = ConfigDir::new(None, None);

    let mut args = vec!["renew"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--reader", "0", "--new-reader", "1"]);
    let (output, stdout, stderr) = ebid_configured(&args, "123456\n654321\n更新\n", &config);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(!stderr.contains("履歴"), "no history problem: {stderr}");

    let (old_serial, new_serial) = (serial(&bench, "current"), serial(&bench, "replacement"));
    let history = history_json(&config);
    let attempts = history["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 1, "{history:#}");
    let attempt = &attempts[0];
    assert_eq!(attempt["outcome"], "committed");
    assert_eq!(attempt["outcome_ja"], "更新完了");
    assert_eq!(attempt["organization"], "nagasaki-pref");
    assert_eq!(attempt["category"], "construction");
    assert_eq!(attempt["holder"], "長崎 太郎");
    assert_eq!(attempt["old_serial"], old_serial.as_str());
    assert_eq!(attempt["new_serial"], new_serial.as_str());
    let steps: Vec<(&str, &str)> = attempt["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| {
            (
                step["step"].as_str().unwrap(),
                step["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [("login", "ok"), ("new_card_proof", "ok"), ("commit", "ok")]
    );
    let old = history_card(&history, &old_serial);
    let new = history_card(&history, &new_serial);
    assert_eq!(old["replaced_by"], new["fingerprint"]);
    assert!(new["replaced_by"].is_null());
    let registered_here = |card: &serde_json::Value| {
        card["registrations"]
            .as_array()
            .expect("registrations")
            .iter()
            .find(|r| r["organization"] == "nagasaki-pref" && r["category"] == "construction")
            .map(|r| r["registered"].as_bool().unwrap())
    };
    assert_eq!(registered_here(old), Some(false));
    assert_eq!(registered_here(new), Some(true));
    assert!(new["days_left"].as_i64().unwrap() > 0);

    let (output, text, _) = ebid_configured(&["history"], "", &config);
    assert!(output.status.success());
    assert!(text.contains("更新完了"), "{text}");
    assert!(text.contains("担当者                : 長崎 太郎"), "{text}");
    assert!(text.contains("更新済み"), "{text}");

    // The old card again, with a wrong PIN that a VERIFY would count.
    let mut args = vec!["renew"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--reader", "0"]);
    let (output, stdout, stderr) = ebid_configured(&args, "000000\n", &config);
    assert!(!output.status.success(), "{stdout}");
    assert!(
        stderr.contains("更新前のICカードです。"),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stdout.contains("PIN番号を入力してください"), "{stdout}");
    let (output, shown, stderr) =
        ebid_configured(&["card", "show", "--reader", "0", "--json"], "", &config);
    assert!(output.status.success(), "{shown}\n{stderr}");
    let shown: serde_json::Value = serde_json::from_str(&shown).expect("JSON");
    assert_eq!(shown["pin_tries_left"], 3, "no VERIFY was sent: {shown:#}");
}

/// `ebid renew` killed while it waits for the new card's PIN, after the current card's login was recorded:
/// the attempt reads as interrupted, never as done.
#[test]
fn a_renewal_killed_midway_reads_as_interrupted() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    bench.insert(1, "replacement");
    let server = Server::start(&bench);
    let url = server.url();
    let config = ConfigDir::new(None, None);

    let mut args = vec!["renew"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--reader", "0", "--new-reader", "1"]);
    let mut child = config
        .apply(&mut Command::new(env!("CARGO_BIN_EXE_ebid")))
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ebid starts");
    // The current card's PIN only: the new card's is never given, so it waits on its standard input.
    let mut stdin = child.stdin.take().expect("its stdin");
    stdin.write_all(b"123456\n").expect("the PIN is written");
    let stdout = BufReader::new(child.stdout.take().expect("its stdout"));
    // The login's row is committed before `login_current` returns, so before this line is printed.
    let mut logged_in = false;
    for line in stdout.lines().map_while(Result::ok) {
        logged_in |= line.starts_with("ログインしました");
        if logged_in && line.starts_with("新しいICカード: ") {
            break;
        }
    }
    assert!(logged_in, "ebid never logged in");
    child.kill().expect("killed");
    child.wait().expect("ended");
    drop(stdin);

    let history = history_json(&config);
    let attempts = history["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 1, "{history:#}");
    assert_eq!(attempts[0]["outcome"], "interrupted");
    assert_eq!(attempts[0]["outcome_ja"], "中断");
    assert!(attempts[0]["finished_at"].is_null());
    assert_eq!(attempts[0]["steps"][0]["step"], "login");
    let (output, text, _) = ebid_configured(&["history"], "", &config);
    assert!(output.status.success());
    assert!(text.contains("中断"), "{text}");
    assert!(!text.contains("更新完了"), "{text}");
}

/// A history that cannot be opened is said once on standard error, and the renewal goes on.
#[test]
fn a_damaged_history_is_said_once_and_the_renewal_goes_on() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    bench.insert(1, "replacement");
    let server = Server::start(&bench);
    let url = server.url();
    let config = ConfigDir::new(None, None);
    let damaged = config.history.with_file_name("damaged.sqlite");
    std::fs::create_dir_all(damaged.parent().unwrap()).unwrap();
    std::fs::write(
        &damaged,
        b"not a database, but the user's file all the same",
    )
    .unwrap();

    let mut args = vec!["--history", damaged.to_str().unwrap(), "renew"];
    args.extend(connect_args(&url, "nagasaki-pref"));
    args.extend(["--reader", "0", "--new-reader", "1"]);
    let (output, stdout, stderr) = ebid_configured(&args, "123456\n654321\n更新\n", &config);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("更新完了"), "{stdout}");
    assert_eq!(
        stderr.matches("壊れているか").count(),
        1,
        "said once: {stderr}"
    );
    assert_eq!(
        std::fs::read(&damaged).unwrap(),
        b"not a database, but the user's file all the same",
        "left as it was"
    );
}
