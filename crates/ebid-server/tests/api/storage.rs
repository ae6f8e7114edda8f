//! The storage failing under the server: a full disk, a database file locked by another program, a damaged
//! file. Each is answered with `storage_unavailable` (or, at start, an error that says what to do), and the
//! registration is left exactly as it was.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use ebid_protocol::RefusalCode;
use ebid_server::ServerConfig;

use crate::support::{CITY, PREF, TestServer, demo_trust};

/// A tmpfs of a few MiB mounted on a temporary folder, unmounted when dropped: a disk that fills up.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` where this process may not mount (not root): the test is then skipped, and says so, except
    /// under `cargo xtask test` (`EBID_REQUIRE_ALL=1`, as root in CI), where it must run.
    fn mount() -> Option<Self> {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|status| status.success());
        if !mounted {
            assert!(
                std::env::var_os("EBID_REQUIRE_ALL").is_none_or(|v| v.is_empty()),
                "cannot mount a tmpfs for the full-disk test, and EBID_REQUIRE_ALL is set: `cargo xtask \
                 test` runs it as root"
            );
            // Straight to the terminal, past the test harness's capture of `eprintln!`.
            let _ = writeln!(
                std::io::stderr(),
                "skipped the full-disk test: mounting a tmpfs needs root (run it with `cargo xtask test`)"
            );
            return None;
        }
        Some(Self { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn filler(&self) -> PathBuf {
        self.path().join("filler")
    }

    /// Writes zeros until the disk is full.
    fn fill(&self) {
        let mut file = std::fs::File::create(self.filler()).expect("the filler file");
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        // What is left is less than a block: fill that too, a byte at a time.
        while file.write_all(&[0]).is_ok() {}
    }

    fn free(&self) {
        std::fs::remove_file(self.filler()).expect("remove the filler");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazily: the server's task may still hold the database open until the test's runtime ends.
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[tokio::test]
async fn a_full_disk_refuses_cleanly_and_the_same_renewal_commits_once_there_is_room() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let database = disk.path().join("server.sqlite3");
    let server = TestServer::start_with(|config| config.database = database.clone()).await;
    let token = server.logged_in("current", PREF).await;
    let confirmation = server
        .renewal_proof(&token, PREF, "replacement")
        .await
        .expect("proof");
    let before = server.tables().await;

    disk.fill();
    let commit = server.commit(&token, &confirmation.renewal_id).await;
    assert_eq!(commit.unwrap_err().code, RefusalCode::StorageUnavailable);
    let login = server.login("current", CITY).await;
    assert_eq!(login.unwrap_err().code, RefusalCode::StorageUnavailable);
    assert_eq!(
        server.tables().await,
        before,
        "a full disk changed the registration"
    );

    disk.free();
    let result = server
        .commit(&token, &confirmation.renewal_id)
        .await
        .expect("【更新】 once the disk has room");
    assert_eq!(
        result.new_serial,
        crate::support::card("replacement").serial()
    );
    server.logged_in("replacement", PREF).await;
}

#[tokio::test]
async fn a_database_locked_by_another_program_refuses_cleanly() {
    let server = TestServer::start().await;
    let before = server.tables().await;
    // Another program holds the write lock past the server's busy timeout.
    let other = server.db().await;
    let mut lock = other.begin_with("BEGIN IMMEDIATE").await.expect("the lock");
    let login = server.login("current", PREF).await;
    assert_eq!(login.unwrap_err().code, RefusalCode::StorageUnavailable);
    sqlx::query("SELECT 1")
        .execute(&mut *lock)
        .await
        .expect("still holding it");
    lock.rollback().await.expect("release");
    assert_eq!(server.tables().await, before);
    server.logged_in("current", PREF).await;
}

#[tokio::test]
async fn a_damaged_database_file_stops_the_start_with_what_to_do() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database = dir.path().join("server.sqlite3");
    std::fs::write(&database, vec![0x5a; 64 * 1024]).expect("a damaged file");
    let config = ServerConfig::new(
        "127.0.0.1:0".parse().expect("an address"),
        database.clone(),
        demo_trust(),
    );
    let error = match ebid_server::open(config).await {
        Ok(_) => panic!("a damaged database opened"),
        Err(error) => error,
    };
    assert!(
        matches!(error, ebid_server::Error::DatabaseDamaged { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("damaged") && message.contains("backup"),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&database).expect("the file"),
        vec![0x5a; 64 * 1024],
        "the damaged file was left as it was"
    );
}
