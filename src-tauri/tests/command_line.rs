//! The app's command line, which needs no window: `--help` says where the server and the data are set.
//! (Being an integration test also makes `cargo test` build the app binary with the workspace's test
//! features, which the end-to-end tests then start, instead of a second build with other features.)

use std::process::Command;

#[test]
fn help_names_the_server_and_the_data_folder() {
    let output = Command::new(env!("CARGO_BIN_EXE_ebid-desktop"))
        .arg("--help")
        .output()
        .expect("ebid-desktop runs");
    assert!(output.status.success(), "{output:?}");
    let help = String::from_utf8_lossy(&output.stdout);
    for option in ["--server", "EBID_SERVER", "--data-dir"] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
}
