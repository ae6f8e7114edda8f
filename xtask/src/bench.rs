//! `cargo xtask bench`: the figures the README reports. Criterion for certificate parsing; for a card read
//! over the real pcscd, the APDUs the virtual card answered (counted by the card itself, so `ebid` and
//! OpenSC are counted the same way) and the wall time of whole commands, `ebid card show` beside OpenSC's
//! `pkcs15-tool --read-certificate`; for the registration server, `ebid-loadgen`'s throughput and latency of
//! logins and renewal commits under a bounded load from a second process; for the app, its release size,
//! start and memory (`bench_app`). Figures are printed, never asserted.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::process::{run, run_bounded};
use crate::services::{EbidServer, Pcscd, VcardServe};
use crate::{bench_app, cargo, setup, step};

/// Runs of each command timed; enough for a stable median on an idle machine, few enough to stay quick.
const RUNS: usize = 20;
/// Whole renewals timed: each needs a fresh server database.
const RENEWALS: usize = 5;

/// `ebid-loadgen` bounds every level in operations and in time and stops by itself, in about a minute here;
/// this only keeps a broken run from hanging the bench.
const SERVER_LOAD_LIMIT: Duration = Duration::from_secs(15 * 60);

/// One command measured against one card.
struct Case {
    label: &'static str,
    reader: &'static str,
    program: &'static str,
    args: &'static [&'static str],
    stdin: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        label: "PIV (`current`): `ebid card show`",
        reader: "0",
        program: "ebid",
        args: &["card", "show", "--reader", "0"],
        stdin: None,
    },
    Case {
        label: "PIV (`current`): `pkcs15-tool --read-certificate 02`",
        reader: "0",
        program: "pkcs15-tool",
        args: &["--reader", "0", "--read-certificate", "02"],
        stdin: None,
    },
    Case {
        label: "JPKI (`jpki`): `ebid card show --pin-stdin`",
        reader: "1",
        program: "ebid",
        args: &["card", "show", "--reader", "1", "--pin-stdin"],
        stdin: Some("ABC123\n"),
    },
    Case {
        label: "JPKI (`jpki`): `pkcs15-tool --read-certificate 02 --verify-pin …`",
        reader: "1",
        program: "pkcs15-tool",
        #[rustfmt::skip]
        args: &["--reader", "1", "--read-certificate", "02", "--auth-id", "02", "--verify-pin", "--pin", "ABC123"],
        stdin: None,
    },
];

pub fn bench() -> Result<()> {
    step("setup");
    setup::setup()?;

    step("criterion: certificate parsing");
    run(
        cargo::command(&["bench", "-p", "ebid-cert", "--bench", "parse"], true)?,
        "cargo bench",
    )?;

    step("build ebid, ebid-server and ebid-vcard (release)");
    #[rustfmt::skip]
    let build = ["build", "--release", "-p", "ebid-cli", "--bin", "ebid", "-p", "ebid-server", "--bin",
                 "ebid-server", "-p", "ebid-democa", "--bin", "ebid-vcard"];
    run(cargo::command(&build, true)?, "cargo build")?;
    let target = cargo::target_dir()?;
    let ebid = target.join("release/ebid");
    let server_bin = target.join("release/ebid-server");
    let vcard = target.join("release/ebid-vcard");
    // A fresh set each run, so that the cards' dates are relative to today.
    let set = target.join("xtask/bench-set");
    let _ = std::fs::remove_dir_all(&set);
    run_ebid(&vcard, &["generate", "--out"], Some(&set), &[])?;

    let log_dir = target.join("xtask");
    step("pcscd");
    let _pcscd = Pcscd::start(&log_dir)?;
    step("ebid-vcard serve");
    let _serve = VcardServe::start(&vcard, &set, &log_dir)?;
    run_ebid(
        &vcard,
        &["insert", "--set"],
        Some(&set),
        &["--reader", "0", "current"],
    )?;
    run_ebid(
        &vcard,
        &["insert", "--set"],
        Some(&set),
        &["--reader", "1", "jpki"],
    )?;

    step("card reads");
    let mut rows = Vec::new();
    for case in CASES {
        let program = if case.program == "ebid" {
            ebid.as_path()
        } else {
            Path::new(case.program)
        };
        let before = apdus_answered(&vcard, &set, case.reader)?;
        run_case(program, case)?;
        let apdus = apdus_answered(&vcard, &set, case.reader)? - before;
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let start = Instant::now();
            run_case(program, case)?;
            times.push(start.elapsed());
        }
        times.sort();
        rows.push(format!(
            "| {} | {apdus} | {:.1} ms | {:.1} ms |",
            case.label,
            millis(times[RUNS / 2]),
            millis(times[0])
        ));
    }
    println!("\n| command | APDUs | median wall time ({RUNS} runs) | fastest |\n|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }

    step("one full renewal: ebid renew (release, pcscd, loopback)");
    run_ebid(
        &vcard,
        &["swap", "--set"],
        Some(&set),
        &["--reader", "1", "replacement"],
    )?;
    let mut renewals = Vec::with_capacity(RENEWALS);
    for _ in 0..RENEWALS {
        // A fresh registration each time: the demo data, with `current` registered.
        let data = log_dir.join("bench-server");
        let _ = std::fs::remove_dir_all(&data);
        let server = EbidServer::start(&server_bin, &set, &data, &log_dir)?;
        renewals.push(time_renewal(&ebid, server.url(), &log_dir)?);
    }
    renewals.sort_by(|a, b| a.wall_seconds.total_cmp(&b.wall_seconds));
    let median = &renewals[RENEWALS / 2];
    println!(
        "\n| one renewal ({RENEWALS} runs, median) | wall | CPU of `ebid` (user + sys) | max RSS of `ebid` |\n|---|---|---|---|"
    );
    println!(
        "| two readers, `ebid renew --pin-stdin` | {:.2} s | {:.2} s | {} MB |",
        median.wall_seconds,
        median.cpu_seconds,
        median.max_rss_kb / 1024
    );
    let _ = std::fs::remove_dir_all(&set);

    bench_app::bench_app(&server_bin, &log_dir)?;

    step("build ebid-loadgen (release)");
    run(
        cargo::command(&["build", "--release", "-p", "ebid-loadgen"], true)?,
        "cargo build",
    )?;
    step("server load: ebid-loadgen");
    run_bounded(
        Command::new(target.join("release/ebid-loadgen")),
        "ebid-loadgen",
        SERVER_LOAD_LIMIT,
    )
}

/// What `/usr/bin/time` measured of one `ebid renew`.
struct Measured {
    wall_seconds: f64,
    cpu_seconds: f64,
    max_rss_kb: u64,
}

/// Runs one whole renewal, current card in reader 0 and new card in reader 1, under `/usr/bin/time`.
fn time_renewal(ebid: &Path, server: &str, log_dir: &Path) -> Result<Measured> {
    let report = log_dir.join("renewal-time.txt");
    let mut child = Command::new("/usr/bin/time")
        .arg("-o")
        .arg(&report)
        .args(["-f", "%e %U %S %M"])
        .arg(ebid)
        .args([
            "renew",
            "--server",
            server,
            "--organization",
            "nagasaki-pref",
            "--category",
            "construction",
        ])
        .args(["--reader", "0", "--new-reader", "1", "--pin-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting /usr/bin/time ebid renew")?;
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().context("stdin")?;
        stdin.write_all("123456\n654321\n更新\n".as_bytes())?;
    }
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "ebid renew failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = std::fs::read_to_string(&report).context("the time report")?;
    let fields: Vec<f64> = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .with_context(|| format!("the time report: {text}"))?;
    let [wall, user, sys, rss] = fields[..] else {
        bail!("the time report: {text}");
    };
    Ok(Measured {
        wall_seconds: wall,
        cpu_seconds: user + sys,
        max_rss_kb: rss as u64,
    })
}

fn run_case(program: &Path, case: &Case) -> Result<()> {
    let mut child = Command::new(program)
        .args(case.args)
        .stdin(if case.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", program.display()))?;
    if let Some(text) = case.stdin {
        use std::io::Write as _;
        child
            .stdin
            .take()
            .context("stdin")?
            .write_all(text.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "{} failed: {}",
            case.label,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// The APDU count of the card in `reader`, from `ebid vcard status`.
fn apdus_answered(vcard: &Path, set: &Path, reader: &str) -> Result<u64> {
    let output = Command::new(vcard)
        .args(["status", "--set"])
        .arg(set)
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{reader}:")))
        .context("reader in status")?;
    let count = line
        .rsplit("(APDU ")
        .next()
        .and_then(|s| s.split('件').next())
        .context("APDU count in status")?;
    count.parse().context("APDU count")
}

/// `program <before> [set] <after>`: `ebid` or `ebid-vcard`.
fn run_ebid(program: &Path, before: &[&str], set: Option<&Path>, after: &[&str]) -> Result<()> {
    let mut cmd = Command::new(program);
    cmd.args(before);
    if let Some(set) = set {
        cmd.arg(set);
    }
    cmd.args(after).stdout(Stdio::null());
    let name = program.file_name().unwrap_or_default().to_string_lossy();
    run(cmd, &format!("{name} {}", before.join(" ")))
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
