//! The configuration files as an administrator and a user write them, on disk.

use std::path::{Path, PathBuf};

use ebid_config::{
    ConfigError, Places, ReminderSettings, load, save_user_reminders, save_user_server,
};
use ebid_reminders::Thresholds;

struct Folders {
    _root: tempfile::TempDir,
    machine: PathBuf,
    user: PathBuf,
}

impl Folders {
    fn new() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        let machine = root.path().join("machine/ebid/config.toml");
        let user = root.path().join("user/ebid/config.toml");
        Self {
            _root: root,
            machine,
            user,
        }
    }

    fn places(&self) -> Places {
        Places {
            machine: Some(self.machine.clone()),
            user: Some(self.user.clone()),
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn no_file_is_no_setting_and_no_error() {
    let folders = Folders::new();
    let loaded = load(&folders.places()).expect("load");
    assert_eq!(loaded.settings, Default::default());
    assert!(loaded.files.is_empty());
}

#[test]
fn the_users_file_overrides_the_machines_and_a_relative_ca_is_read_beside_its_file() {
    let folders = Folders::new();
    write(
        &folders.machine,
        "# 長崎県 情報政策課が配布\n[server]\nurl = \"https://ebid.pref.example.jp/\"\n\
         ca_file = \"org-ca.pem\"\nproxy = \"http://proxy.pref.example.jp:8080\"\n\
         [organization]\nid = \"nagasaki-pref\"\ncategory = \"construction\"\n",
    );
    write(&folders.user, "[organization]\ncategory = \"goods\"\n");
    let loaded = load(&folders.places()).expect("load");
    let settings = &loaded.settings;
    assert_eq!(
        settings.server.url.as_deref(),
        Some("https://ebid.pref.example.jp/")
    );
    assert_eq!(
        settings.server.ca_file.as_deref(),
        Some(
            folders
                .machine
                .parent()
                .unwrap()
                .join("org-ca.pem")
                .as_path()
        )
    );
    assert_eq!(settings.organization.id.as_deref(), Some("nagasaki-pref"));
    assert_eq!(settings.organization.category.as_deref(), Some("goods"));
    assert_eq!(
        loaded.files,
        vec![folders.machine.clone(), folders.user.clone()]
    );

    // The CA file named but missing is said when the connection is prepared, naming the file.
    match settings.client_options() {
        Err(ConfigError::CaFile { path, .. }) => assert!(path.ends_with("org-ca.pem")),
        other => panic!("{other:?}"),
    }
    write(&folders.machine.parent().unwrap().join("org-ca.pem"), "PEM");
    let options = settings.client_options().expect("options");
    assert_eq!(options.extra_ca_pem.as_deref(), Some(&b"PEM"[..]));
    assert_eq!(
        options.proxy.as_deref(),
        Some("http://proxy.pref.example.jp:8080")
    );
}

#[test]
fn a_malformed_file_names_itself_and_its_line() {
    let folders = Folders::new();
    write(
        &folders.machine,
        "[server]\nurl = \"https://ok.example/\"\nurl_typo = 1\n",
    );
    let error = load(&folders.places()).expect_err("unknown key");
    let message = error.to_string();
    assert!(matches!(error, ConfigError::Invalid { .. }), "{error:?}");
    assert!(
        message.contains(&folders.machine.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("url_typo") && message.contains('3'),
        "{message}"
    );
}

#[test]
fn a_server_reached_in_the_clear_over_the_network_is_refused_at_load() {
    let folders = Folders::new();
    write(
        &folders.user,
        "[server]\nurl = \"http://ebid.example.jp/\"\n",
    );
    match load(&folders.places()) {
        Err(ConfigError::BadValue { key, path, reason }) => {
            assert_eq!(key, "server.url");
            assert_eq!(path, folders.user);
            assert!(reason.contains("https://"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn saving_the_server_keeps_the_users_other_settings_and_never_writes_the_machines() {
    let folders = Folders::new();
    let machine_text = "[server]\nurl = \"https://machine.example.jp/\"\n";
    write(&folders.machine, machine_text);
    write(&folders.user, "[organization]\nid = \"nagasaki-city\"\n");
    let written = save_user_server(&folders.places(), "https://user.example.jp/").expect("save");
    assert_eq!(written, folders.user);
    assert_eq!(
        std::fs::read_to_string(&folders.machine).unwrap(),
        machine_text
    );
    let loaded = load(&folders.places()).expect("load");
    assert_eq!(
        loaded.settings.server.url.as_deref(),
        Some("https://user.example.jp/")
    );
    assert_eq!(
        loaded.settings.organization.id.as_deref(),
        Some("nagasaki-city")
    );
}

#[test]
fn saving_creates_the_folder_and_refuses_what_it_would_not_load() {
    let folders = Folders::new();
    save_user_server(&folders.places(), "http://127.0.0.1:7878").expect("first save");
    assert!(folders.user.exists());
    assert!(matches!(
        save_user_server(&folders.places(), "ftp://ebid.example.jp/"),
        Err(ConfigError::BadValue { .. })
    ));

    // A file the user broke by hand is reported, not overwritten.
    write(&folders.user, "[server\n");
    assert!(matches!(
        save_user_server(&folders.places(), "https://user.example.jp/"),
        Err(ConfigError::Invalid { .. })
    ));
    assert_eq!(std::fs::read_to_string(&folders.user).unwrap(), "[server\n");
}

#[test]
fn reminders_the_administrator_sets_and_the_user_saves_over_them() {
    let folders = Folders::new();
    let machine_text = "[reminders]\ndays = [60, 14]\nnotify = false\n";
    write(&folders.machine, machine_text);
    write(
        &folders.user,
        "[server]\nurl = \"https://user.example.jp/\"\n",
    );
    let loaded = load(&folders.places()).expect("load");
    assert_eq!(loaded.settings.reminders.thresholds().days(), [60, 14]);
    assert!(!loaded.settings.reminders.notifies());

    let written = save_user_reminders(
        &folders.places(),
        &ReminderSettings {
            days: None,
            notify: Some(true),
        },
    )
    .expect("save");
    assert_eq!(written, folders.user);
    assert_eq!(
        std::fs::read_to_string(&folders.machine).unwrap(),
        machine_text
    );
    let loaded = load(&folders.places()).expect("load");
    assert_eq!(
        loaded.settings.reminders.thresholds().days(),
        [60, 14],
        "days left to the administrator"
    );
    assert!(loaded.settings.reminders.notifies());
    assert_eq!(
        loaded.settings.server.url.as_deref(),
        Some("https://user.example.jp/"),
        "the user's server kept"
    );

    save_user_reminders(
        &folders.places(),
        &ReminderSettings {
            days: Some(Thresholds::new([30, 7]).unwrap()),
            notify: None,
        },
    )
    .expect("save again");
    let loaded = load(&folders.places()).expect("load");
    assert_eq!(loaded.settings.reminders.thresholds().days(), [30, 7]);
    assert!(
        !loaded.settings.reminders.notifies(),
        "back to the administrator's"
    );
}

#[test]
fn wrong_reminder_days_name_their_file() {
    let folders = Folders::new();
    write(&folders.user, "[reminders]\ndays = [30, 30]\n");
    match load(&folders.places()) {
        Err(ConfigError::Invalid { path, detail }) => {
            assert_eq!(path, folders.user);
            assert!(detail.contains("重複"), "{detail}");
        }
        other => panic!("{other:?}"),
    }
}

#[cfg(target_os = "linux")]
#[test]
fn on_linux_the_administrators_file_is_in_etc() {
    if std::env::var_os("EBID_MACHINE_CONFIG").is_none() {
        assert_eq!(
            Places::for_this_os().machine,
            Some(PathBuf::from("/etc/ebid/config.toml"))
        );
    }
}
