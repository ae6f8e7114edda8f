//! `ebid register` (新規登録) and `ebid change` (変更) as a script runs them: `ebid-server` as its own process
//! on 127.0.0.1 (SQLite in a temporary folder, seeded from the bench's demo set, its administrator's
//! `ebid-server admin` on the same file), the virtual cards in vpcd's readers through the real pcscd, and
//! `ebid` as a child process reading its PIN from standard input.

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use ebid_tests::Bench;
use ebid_tests::server_process::{ServerProcess, server_from_env};
use support::ConfigDir;

/// `ebid-server` for one test, on a data folder of its own whose database the administrator's commands
/// open.
struct Server {
    process: ServerProcess,
    data: tempfile::TempDir,
}

impl Server {
    fn start(bench: &Bench) -> Self {
        let data = tempfile::tempdir().expect("a temporary folder");
        let process = ServerProcess::start(&server_from_env(), data.path(), bench.set_dir());
        Self { process, data }
    }

    fn database(&self) -> PathBuf {
        self.data.path().join("ebid-server.sqlite3")
    }

    /// `ebid-server admin ARGS --database FILE`: its standard output, once it succeeded.
    fn admin(&self, args: &[&str]) -> String {
        let output = Command::new(server_from_env())
            .arg("admin")
            .args(args)
            .arg("--database")
            .arg(self.database())
            .output()
            .expect("ebid-server admin runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "admin {args:?}:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }

    /// `ebid COMMAND` at `organization` (工事・業務), the card in reader 0, the PIN from standard input.
    fn ebid(&self, command: &str, organization: &str, more: &[&str], stdin: &str) -> Ran {
        let url = self.process.url();
        let mut args = vec![
            command,
            "--server",
            url,
            "--organization",
            organization,
            "--category",
            "construction",
            "--reader",
            "0",
            "--pin-stdin",
        ];
        args.extend(more);
        ebid(&args, stdin)
    }
}

struct Ran {
    output: Output,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn succeeded(&self) -> bool {
        self.output.status.success()
    }
}

impl std::fmt::Display for Ran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr)
    }
}

/// `ebid` with no configuration file: everything comes from its arguments.
fn ebid(args: &[&str], stdin: &str) -> Ran {
    let mut child = ConfigDir::new(None, None)
        .apply(&mut Command::new(env!("CARGO_BIN_EXE_ebid")))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ebid starts");
    let written = child
        .stdin
        .take()
        .expect("its stdin")
        .write_all(stdin.as_bytes());
    // A command that refuses before it reads its PIN may end before the script is written.
    if let Err(error) = written {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    let output = child.wait_with_output().expect("ebid ends");
    Ran {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        output,
    }
}

/// The signing PIN's tries left of the card in reader 0, as `ebid card show --json` reads them.
fn tries_left() -> serde_json::Value {
    let shown = ebid(&["card", "show", "--reader", "0", "--json"], "");
    assert!(shown.succeeded(), "{shown}");
    let shown: serde_json::Value = serde_json::from_str(&shown.stdout).expect("JSON");
    shown["pin_tries_left"].clone()
}

/// 株式会社長崎土木's details as 長崎 花子 types them for 新規登録, each flag of `typed_instead` with its value.
fn doboku_details<'a>(typed_instead: &[(&str, &'a str)]) -> Vec<&'a str> {
    let mut details = vec![
        "--vendor-number",
        "4210000123",
        "--company-name",
        "株式会社長崎土木",
        "--department",
        "工務部",
        "--contact-name",
        "長崎 花子",
        "--address",
        "長崎県長崎市尾上町3番1号",
        "--phone",
        "095-000-0124",
        "--email",
        "hanako@doboku.example.jp",
        "--operator",
        "長崎 花子",
    ];
    for (flag, value) in typed_instead {
        let at = details
            .iter()
            .position(|given| given == flag)
            .unwrap_or_else(|| panic!("{flag} is not a detail"));
        details[at + 1] = value;
    }
    details
}

/// The value after `label` on the line that starts with it (after indentation).
fn field<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find_map(|line| line.trim_start().strip_prefix(label))
        .and_then(|rest| rest.trim_start().strip_prefix(':'))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {label} in:\n{text}"))
}

/// Taro's `replacement` card at 佐世保市, where his `expired` card is registered: 仮登録 replacing the lapsed
/// card, listed for the administrator, approved, and then the card logs in there.
#[test]
fn a_lapsed_holder_registers_waits_for_approval_then_logs_in() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "replacement");
    let server = Server::start(&bench);

    let registered = server.ebid("register", "sasebo-city", &doboku_details(&[]), "654321\n");
    assert!(registered.succeeded(), "{registered}");
    let out = &registered.stdout;
    assert!(out.contains("調達機関: 佐世保市"), "{registered}");
    // The card is shown, and its tries left said, before its PIN is asked.
    let shown = out.find("ICカード取得者氏名").expect("the card shown");
    let asked = out
        .find("PIN番号を入力してください。")
        .expect("the PIN asked");
    assert!(shown < asked, "{registered}");
    assert!(out.contains("有効期限まで"), "{registered}");
    assert!(
        registered.stderr.contains("PIN番号: 残り3回"),
        "{registered}"
    );
    assert!(out.lines().any(|line| line == "仮登録"), "{registered}");
    assert!(
        out.contains("承認されるまでお待ちください。"),
        "{registered}"
    );
    assert_eq!(
        field(out, "証明書シリアル番号"),
        bench.serial("replacement")
    );
    assert!(
        field(out, "置き換えた証明書").starts_with(&bench.serial("expired")),
        "{registered}"
    );
    assert!(
        field(out, "調達機関").starts_with("佐世保市"),
        "{registered}"
    );
    assert!(!out.contains("654321") && !registered.stderr.contains("654321"));
    let application = field(out, "受付番号").to_owned();

    // Until approved it does not log in.
    let refused = server.ebid("info", "sasebo-city", &[], "654321\n");
    assert!(!refused.succeeded(), "{refused}");
    assert!(refused.stderr.contains("仮登録中です"), "{refused}");

    let pending = server.admin(&["pending"]);
    let row = pending
        .lines()
        .find(|line| line.starts_with(&application))
        .unwrap_or_else(|| panic!("{application} is not pending:\n{pending}"));
    assert!(row.contains("sasebo-city"), "{row}");
    assert!(row.contains(&bench.serial("replacement")), "{row}");
    server.admin(&["approve", &application]);

    let info = server.ebid("info", "sasebo-city", &[], "654321\n");
    assert!(info.succeeded(), "{info}");
    assert!(
        ebid_tests::listed(&info.stdout, &bench.serial("replacement"))
            .is_some_and(|line| line.ends_with("使用中")),
        "{info}"
    );
}

/// A wrong telephone number is named with its field before the card is touched: no PIN is asked and no
/// try spent, though the PIN given is wrong.
#[test]
fn a_wrong_telephone_number_is_named_and_the_card_left_untouched() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "replacement");
    let server = Server::start(&bench);
    assert_eq!(tries_left(), 3);

    let refused = server.ebid(
        "register",
        "sasebo-city",
        &doboku_details(&[("--phone", "095-000"), ("--email", "hanako@doboku")]),
        "000000\n",
    );
    assert!(!refused.succeeded(), "{refused}");
    assert!(
        refused.stderr.contains(
            "連絡先電話番号: 連絡先電話番号は市外局番からの10桁または11桁の数字で入力してください"
        ),
        "{refused}"
    );
    assert!(
        refused.stderr.contains("連絡先E-mail: 連絡先E-mailの形式"),
        "{refused}"
    );
    assert!(
        refused
            .stderr
            .contains("入力内容を確認して、もう一度送信してください。"),
        "{refused}"
    );
    assert!(!refused.stdout.contains("PIN番号を入力"), "{refused}");
    assert_eq!(tries_left(), 3, "no VERIFY was sent");
    assert!(server.admin(&["pending"]).contains("no registration waits"));
}

/// A holder registered with a valid card is sent to ICカード更新, in the server's words.
#[test]
fn a_holder_registered_with_a_valid_card_is_sent_to_renewal() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "replacement");
    let server = Server::start(&bench);

    let refused = server.ebid(
        "register",
        "nagasaki-pref",
        &doboku_details(&[]),
        "654321\n",
    );
    assert!(!refused.succeeded(), "{refused}");
    assert!(
        refused
            .stderr
            .contains("有効期限内の別のICカードで登録されています"),
        "{refused}"
    );
    assert!(
        refused
            .stderr
            .contains("ICカード更新処理を行ってください。"),
        "{refused}"
    );
}

/// 長崎市 registers at once: `--json` prints the receipt alone on standard output, and the card logs in.
#[test]
fn an_immediate_registration_answers_in_json_and_logs_in_at_once() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "other-company");
    let server = Server::start(&bench);

    let registered = server.ebid(
        "register",
        "nagasaki-city",
        &[
            "--json",
            "--vendor-number",
            "4210000456",
            "--company-name",
            "有限会社佐世保建設",
            "--contact-name",
            "佐世保 花子",
            "--contact-address",
            "長崎県佐世保市八幡町1番10号",
            "--contact-phone",
            "0956-00-0457",
            "--email",
            "somu@sasebo-kensetsu.example",
        ],
        "222222\n",
    );
    assert!(registered.succeeded(), "{registered}");
    let receipt: serde_json::Value =
        serde_json::from_str(&registered.stdout).unwrap_or_else(|e| panic!("{e}: {registered}"));
    assert_eq!(receipt["state"], "active");
    assert_eq!(receipt["organization"], "nagasaki-city");
    assert_eq!(receipt["serial"], bench.serial("other-company").as_str());
    assert!(receipt["replaced_serial"].is_null());
    // The steps, the card and its tries left went to standard error.
    assert!(
        registered.stderr.contains("PIN番号: 残り3回"),
        "{registered}"
    );
    assert!(
        registered.stderr.contains("ICカード取得者氏名"),
        "{registered}"
    );

    let info = server.ebid("info", "nagasaki-city", &[], "222222\n");
    assert!(info.succeeded(), "{info}");
    assert!(info.stdout.contains("連絡先氏名: 佐世保 花子"), "{info}");
}

/// `ebid change --phone` with Taro's `current` card at 長崎県: a wrong number refused before the card, then
/// the new one in 登録者情報, in `ebid info` afterwards, and the other details as they were.
#[test]
fn a_change_of_telephone_number_shows_in_the_registration() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    let server = Server::start(&bench);

    let refused = server.ebid(
        "change",
        "nagasaki-pref",
        &["--phone", "095-000"],
        "000000\n",
    );
    assert!(!refused.succeeded(), "{refused}");
    assert!(
        refused.stderr.contains("電話番号: 電話番号は市外局番から"),
        "{refused}"
    );
    assert!(!refused.stdout.contains("PIN番号を入力"), "{refused}");
    assert_eq!(tries_left(), 3, "no VERIFY was sent");

    let changed = server.ebid(
        "change",
        "nagasaki-pref",
        &["--phone", "095-111-2222"],
        "123456\n",
    );
    assert!(changed.succeeded(), "{changed}");
    let out = &changed.stdout;
    assert!(out.contains("PIN番号を入力してください。"), "{changed}");
    assert!(changed.stderr.contains("PIN番号: 残り3回"), "{changed}");
    assert!(out.contains("変更完了"), "{changed}");
    assert_eq!(field(out, "電話番号"), "095-111-2222");
    // Only the field given changed.
    assert_eq!(field(out, "企業住所"), "長崎県長崎市尾上町3番1号");
    assert_eq!(field(out, "代表者氏名"), "長崎 太郎");
    assert_eq!(field(out, "連絡先氏名"), "長崎 次郎");
    assert!(out.contains("ログアウトしました。"), "{changed}");

    let info = server.ebid("info", "nagasaki-pref", &[], "123456\n");
    assert!(info.succeeded(), "{info}");
    assert_eq!(field(&info.stdout, "電話番号"), "095-111-2222");

    // A 連絡先 field as JSON: the telephone number changed before stays.
    let changed = server.ebid(
        "change",
        "nagasaki-pref",
        &["--json", "--contact-name", "長崎 花子"],
        "123456\n",
    );
    assert!(changed.succeeded(), "{changed}");
    let info: serde_json::Value =
        serde_json::from_str(&changed.stdout).unwrap_or_else(|e| panic!("{e}: {changed}"));
    assert_eq!(info["company"]["phone"], "095-111-2222");
    let taro = info["users"]
        .as_array()
        .expect("users")
        .iter()
        .find(|user| user["holder"] == "長崎 太郎")
        .unwrap_or_else(|| panic!("{info:#}"));
    assert_eq!(taro["contact"]["name"], "長崎 花子");
    assert_eq!(taro["contact"]["phone"], "095-000-0124");
}
