//! `cargo xtask demo`: the registration server on the demo data, virtual cards in the real PC/SC stack (the
//! current card in reader 0, the new one in reader 1), and the app window on them. Without a display, the
//! same ICカード更新 runs headless with the `ebid` command line.

use std::env;
use std::fs;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::process::{run, run_bounded};
use crate::services::{EbidServer, Pcscd, VcardServe};
use crate::{cargo, frontend, setup, step};

/// Generating the set makes RSA keys: give it time, but not forever.
const GENERATE_LIMIT: Duration = Duration::from_secs(300);
/// Any other `ebid` command of the demo.
const COMMAND_LIMIT: Duration = Duration::from_secs(60);

pub fn demo(fresh: bool) -> Result<()> {
    step("setup");
    setup::setup()?;

    let window = has_display();
    if window {
        // The app embeds ui/dist when it compiles.
        step("front end: npm run check, npm run build");
        frontend::check_and_build()?;
    }

    // The contractor's `ebid`, the organization's `ebid-server`, and the developer's `ebid-vcard` (the demo
    // cards): three programs, each linking only what its job needs.
    let mut build = vec![
        "build",
        "--package",
        "ebid-cli",
        "--bin",
        "ebid",
        "--package",
        "ebid-server",
        "--bin",
        "ebid-server",
        "--package",
        "ebid-democa",
        "--bin",
        "ebid-vcard",
    ];
    if window {
        step("build ebid, ebid-server, ebid-vcard and the desktop app");
        build.extend(["--package", "ebid-desktop", "--bin", "ebid-desktop"]);
    } else {
        step("build ebid, ebid-server and ebid-vcard");
    }
    run(cargo::command(&build, true)?, "cargo build")?;
    let target = cargo::target_dir()?;
    let ebid = target.join("debug/ebid");
    let server_bin = target.join("debug/ebid-server");
    let vcard = target.join("debug/ebid-vcard");
    for binary in [&ebid, &server_bin, &vcard] {
        if !binary.is_file() {
            bail!("the build did not produce {}", binary.display());
        }
    }

    let set = demo_dir()?;
    if fresh || !has_entries(&set) || is_stale(&set) || made_by_an_older_ebid(&set) {
        step("generate demo cards");
        generate(&vcard, &set)?;
    } else {
        println!(
            "    using the demo cards in {} (`cargo xtask demo --fresh` regenerates them)",
            set.display()
        );
    }

    let log_dir = target.join("xtask");
    step("pcscd");
    let _pcscd = Pcscd::start(&log_dir)?;

    step("ebid-vcard serve");
    let _serve = VcardServe::start(&vcard, &set, &log_dir)?;

    for (reader, card) in [("0", "current"), ("1", "replacement")] {
        step(&format!("insert {card} card into reader {reader}"));
        vcard_cmd(
            &vcard,
            &["insert", "--set"],
            &set,
            &["--reader", reader, card],
        )?;
    }

    for args in [
        &["card", "list"][..],
        &["card", "show", "--reader", "0"],
        &["card", "show", "--reader", "1"],
    ] {
        step(&format!("ebid {}", args.join(" ")));
        let mut cmd = Command::new(&ebid);
        cmd.args(args);
        run_bounded(cmd, &format!("ebid {}", args.join(" ")), COMMAND_LIMIT)?;
    }

    step("ebid-server (demo data: 長崎県, 長崎市, 佐世保市)");
    // A fresh database each run, so that the demo renewal can be done again; and a fresh local history of
    // its own, never the user's (which would remember the demo's current card as replaced and refuse it).
    let data = log_dir.join("demo-server");
    let _ = fs::remove_dir_all(&data);
    let history_dir = log_dir.join("demo-history");
    let _ = fs::remove_dir_all(&history_dir);
    let history = history_dir.join("history.sqlite");
    let server = EbidServer::start(&server_bin, &set, &data, &log_dir)?;

    if window {
        step("the app: 電子入札システム 利用者登録 ICカード更新");
        println!(
            "    デモ用PIN番号: 現在のカード 123456、新しいカード 654321。ウィンドウを閉じるとデモが終わります。"
        );
        let mut app = Command::new(target.join("debug/ebid-desktop"));
        app.args(["--server", server.url(), "--data-dir"])
            .arg(log_dir.join("demo-app"))
            .env(HISTORY_VAR, &history);
        return run(app, "ebid-desktop");
    }
    println!(
        "    no display (DISPLAY and WAYLAND_DISPLAY are unset): the app window cannot open, so the same \
         renewal runs headless with the `ebid` command line"
    );

    step("ebid renew: ICカード更新 at 長崎県 (工事・業務)");
    let connect = [
        "--server",
        server.url(),
        "--organization",
        "nagasaki-pref",
        "--category",
        "construction",
    ];
    let mut renew = Command::new(&ebid);
    renew
        .env(HISTORY_VAR, &history)
        .arg("renew")
        .args(connect)
        .args(["--reader", "0", "--new-reader", "1"]);
    if std::io::stdin().is_terminal() {
        println!(
            "    デモ用PIN番号: 現在のカード 123456、新しいカード 654321。確認画面では「更新」と入力してください。"
        );
        run(renew, "ebid renew")?;
    } else {
        renew.arg("--pin-stdin");
        run_with_stdin(renew, "123456\n654321\n更新\n", "ebid renew")?;
    }

    step("ebid info: 登録者情報 with the new card");
    let mut info = Command::new(&ebid);
    info.env(HISTORY_VAR, &history)
        .arg("info")
        .args(connect)
        .args(["--reader", "1", "--pin-stdin"]);
    run_with_stdin(info, "654321\n", "ebid info")?;

    step("ebid history: the renewal in the local history");
    let mut shown = Command::new(&ebid);
    shown.env(HISTORY_VAR, &history).arg("history");
    run_bounded(shown, "ebid history", COMMAND_LIMIT)?;
    Ok(())
    // The card server, then pcscd (if we started it), are stopped here and on every error.
}

/// Names the local history file for `ebid` and the app (`ebid_history::default_path`).
const HISTORY_VAR: &str = "EBID_HISTORY";

/// Whether a window can open: an X or Wayland display is named.
fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// Runs a command that reads its answers from standard input, as a script would give them.
fn run_with_stdin(mut cmd: Command, input: &str, what: &str) -> Result<()> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {what}"))?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(input.as_bytes())?;
    let status = child
        .wait()
        .with_context(|| format!("waiting for {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

/// `ebid-vcard <before> <set> <after>`, bounded.
fn vcard_cmd(vcard: &Path, before: &[&str], set: &Path, after: &[&str]) -> Result<()> {
    let mut cmd = Command::new(vcard);
    cmd.args(before).arg(set).args(after);
    let what = format!("ebid-vcard {} <set> {}", before.join(" "), after.join(" "));
    run_bounded(cmd, &what, COMMAND_LIMIT)
}

/// Generates the set afresh; a half-made set is removed so the next run tries again.
fn generate(vcard: &Path, set: &Path) -> Result<()> {
    if set.exists() {
        fs::remove_dir_all(set).with_context(|| format!("removing {}", set.display()))?;
    }
    if let Some(parent) = set.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut cmd = Command::new(vcard);
    cmd.args(["generate", "--out"]).arg(set);
    let result = run_bounded(cmd, "ebid-vcard generate", GENERATE_LIMIT);
    if result.is_err() && set.exists() {
        let _ = fs::remove_dir_all(set);
    }
    result?;
    println!("    demo cards in {}", set.display());
    Ok(())
}

/// `$XDG_DATA_HOME/ebid/demo`, or `$HOME/.local/share/ebid/demo`.
fn demo_dir() -> Result<PathBuf> {
    let data = match env::var_os("XDG_DATA_HOME").map(PathBuf::from) {
        // The XDG spec says to ignore relative paths.
        Some(dir) if dir.is_absolute() => dir,
        _ => cargo::home_dir()?.join(".local/share"),
    };
    Ok(data.join("ebid/demo"))
}

/// The demo's dates are relative to the day the set was made (the current card expires 20 days later):
/// after a week the demo would tell another story, so the set is made again.
fn is_stale(set: &Path) -> bool {
    const MAX_AGE: Duration = Duration::from_secs(7 * 24 * 60 * 60);
    fs::metadata(set.join("manifest.json"))
        .and_then(|m| m.modified())
        .map_or(true, |made| {
            made.elapsed().map_or(true, |age| age > MAX_AGE)
        })
}

/// A set from before the demo JPKI CA had a CRL of its own (the server refuses to load it: revocation fails
/// closed), or before the set carried the server's seed file (`registrations.json`): it is made again. The
/// manifest names that CRL since then.
fn made_by_an_older_ebid(set: &Path) -> bool {
    !fs::read_to_string(set.join("manifest.json"))
        .is_ok_and(|manifest| manifest.contains("\"demo_jpki_root_crl\""))
        || !set.join("registrations.json").is_file()
}

fn has_entries(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}
