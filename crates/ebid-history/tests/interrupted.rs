//! A renewal whose process is killed mid-way reads as interrupted, never as done. The child is this test
//! binary itself, running the ignored test `child_records_a_step_and_waits` with the file's path in
//! `EBID_HISTORY_CHILD`: it records an attempt and a step, says so on stdout, and waits on its stdin; the
//! parent kills it as soon as it has read that line.

mod support;

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use ebid_history::{AttemptFilter, History, Outcome};
use support::{card, start};
use time::macros::datetime;

const CHILD_ENV: &str = "EBID_HISTORY_CHILD";
const RECORDED: &str = "ebid-history-child: step recorded";

#[tokio::test]
#[ignore = "the child process of a_killed_renewal_reads_as_interrupted"]
async fn child_records_a_step_and_waits() {
    let path = PathBuf::from(std::env::var_os(CHILD_ENV).expect("run by the parent test"));
    let history = History::open(&path).await.unwrap();
    let old = card("DD01");
    history
        .record_card_seen(&old, datetime!(2027-03-01 0:00 UTC))
        .await
        .unwrap();
    let attempt = history
        .start_attempt(&start(&old), datetime!(2027-03-01 0:01 UTC))
        .await
        .unwrap();
    history
        .record_step(attempt, "login", "ok", datetime!(2027-03-01 0:02 UTC))
        .await
        .unwrap();
    println!("{RECORDED}");
    // Until killed: the parent never closes our stdin.
    let _ = std::io::stdin().read(&mut [0u8; 1]);
}

#[tokio::test]
async fn a_killed_renewal_reads_as_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_records_a_step_and_waits",
            "--nocapture",
        ])
        .env(CHILD_ENV, &path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let said_recorded = stdout
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains(RECORDED));
    assert!(said_recorded, "the child recorded its step");
    child.kill().unwrap();
    child.wait().unwrap();

    let history = History::open(&path).await.unwrap();
    let attempts = history.attempts(&AttemptFilter::default()).await.unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, Outcome::Interrupted);
    assert_eq!(attempts[0].finished_at, None);
    assert_eq!(
        attempts[0]
            .steps
            .iter()
            .map(|step| step.step.as_str())
            .collect::<Vec<_>>(),
        ["login"],
        "the step recorded before the kill is there"
    );
}
