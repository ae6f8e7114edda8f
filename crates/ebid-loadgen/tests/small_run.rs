//! A tiny run of the real binary, server process included: it ends by itself, every operation succeeds, and
//! the table has a row for each scenario and level. The figures themselves are never asserted.

use std::process::Command;

#[test]
fn a_small_run_prints_one_row_a_scenario_and_level() {
    let output = Command::new(env!("CARGO_BIN_EXE_ebid-loadgen"))
        .args(["--clients", "1,3", "--logins", "6", "--commits", "4"])
        .args(["--mixed-clients", "2", "--mixed-renewals", "2"])
        .args(["--max-seconds", "60"])
        .output()
        .expect("ebid-loadgen runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");

    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| line.split('|').map(str::trim).collect())
        .collect();
    let summary: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|cells| (cells[1], cells[2], cells[3], cells[4]))
        .collect();
    let mut expected = vec![
        ("login", "1", "6", "0"),
        ("login", "3", "6", "0"),
        ("commit", "1", "4", "0"),
        ("commit", "3", "4", "0"),
    ];
    // The mixed scenario needs loopback addresses beyond 127.0.0.1, which only Linux has by default.
    if cfg!(target_os = "linux") {
        expected.extend([
            ("mixed: alone", "2", "2", "0"),
            ("mixed: during the flood", "2", "2", "0"),
        ]);
    }
    assert_eq!(summary, expected, "{stdout}");
    assert!(
        rows.iter().all(|cells| cells[6].ends_with(" ms")),
        "{stdout}"
    );
    assert!(
        !cfg!(target_os = "linux") || stdout.contains("flood during the second phase:"),
        "{stdout}"
    );
}
