//! A private D-Bus session bus for one app window: the app's one-instance lock is a name on the session bus,
//! so each test needs a bus of its own (never the desktop's, where a developer's own ebid may be running).
//! `dbus-run-session` starts the daemon for the command it runs and stops it when that command ends; the
//! bus listens at a path the test chose, so that a second launch from the test finds it too.

use std::fs;
use std::path::{Path, PathBuf};

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
