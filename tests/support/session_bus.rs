//! A private D-Bus session bus for one app window: the app's one-instance lock is a name on the session bus,
//! so each test needs a bus of its own (never the desktop's, where a developer's own ebid may be running).
//! `dbus-run-session` starts the daemon for the command it runs and stops it when that command ends; the
//! bus listens at a path the test chose, so that a second launch from the test finds it too.

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct SessionBus {
    socket: PathBuf,
    config: PathBuf,
}

impl SessionBus {
    /// A bus whose socket and configuration live in `folder`. Nothing runs until a command is started
    /// with [`Self::run_session_args`] in front of it.
    pub fn in_folder(folder: &Path) -> Self {
        fs::create_dir_all(folder).expect("the bus folder");
        let socket = folder.join("session-bus");
        let config = folder.join("session-bus.conf");
        // The system's session configuration (policy, auth), listening at our socket instead of a random one.
        let text = format!(
            "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n \
             \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
             <busconfig>\n  <type>session</type>\n  <listen>unix:path={}</listen>\n  \
             <auth>EXTERNAL</auth>\n  <policy context=\"default\">\n    \
             <allow send_destination=\"*\" eavesdrop=\"true\"/>\n    <allow eavesdrop=\"true\"/>\n    \
             <allow own=\"*\"/>\n  </policy>\n</busconfig>\n",
            socket.display()
        );
        fs::write(&config, text).expect("the bus configuration");
        Self { socket, config }
    }

    /// `dbus-run-session --config-file=… --`, to put before the command the bus serves.
    pub fn run_session_args(&self) -> [String; 3] {
        [
            "dbus-run-session".to_owned(),
            format!("--config-file={}", self.config.display()),
            "--".to_owned(),
        ]
    }

    /// What `DBUS_SESSION_BUS_ADDRESS` says for this bus.
    pub fn address(&self) -> String {
        format!("unix:path={}", self.socket.display())
    }
}

impl SessionBus {
    /// The bus running as a child of the test, for an app the test starts itself (tauri-driver's runs under
    /// [`Self::run_session_args`] instead). Returns once the daemon accepts connections; stopped when dropped.
    pub fn start_daemon(&self) -> BusDaemon {
        let mut child = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", self.config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            // Its one complaint here (it may not raise its file limit) says nothing about the test.
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts (cargo xtask setup installs dbus-daemon)");
        let output = child.stdout.take().expect("the daemon's output");
        // Stopped by its drop from here on, also when the test fails below.
        let daemon = BusDaemon { child };
        // The address is printed once the socket listens: `unix:path=…,guid=…`.
        let mut address = String::new();
        BufReader::new(output)
            .read_line(&mut address)
            .expect("the daemon's address");
        let listening = address.trim().split(',').next().unwrap_or_default();
        assert_eq!(listening, self.address(), "where dbus-daemon listens");
        daemon
    }
}

/// A `dbus-daemon` the test started; killed when dropped.
pub struct BusDaemon {
    child: Child,
}

impl Drop for BusDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
