//! The configuration files as `ebid` reads them (ebid-config: the administrator's machine-wide file, then
//! the user's own over it), and how a message names them.

use std::path::Path;

use anyhow::anyhow;
use ebid_config::{Loaded, Places};

/// This OS's two places, and what was read from them.
pub struct ConfigFiles {
    pub places: Places,
    pub loaded: Loaded,
}

/// One of the two places, as `ebid config show` and the messages name it.
pub struct ConfigPlace<'a> {
    /// `machine` or `user`, as the JSON says it.
    pub place: &'static str,
    /// Whose file it is, in the user's words.
    pub whose: &'static str,
    /// `None`: this OS has no such folder (no user's configuration folder).
    pub path: Option<&'a Path>,
    pub exists: bool,
}

impl ConfigFiles {
    /// Reads this OS's files (or those `EBID_MACHINE_CONFIG` / `EBID_USER_CONFIG` name). A malformed or
    /// unreadable file is the error, naming the file and the line: a setting ignored would send the
    /// contractor to another server, or to none.
    pub fn read() -> anyhow::Result<Self> {
        let places = Places::for_this_os();
        // The error's text names the file and the cause already; as an `anyhow` source it would be said twice.
        let loaded = ebid_config::load(&places).map_err(|e| anyhow!(e.to_string()))?;
        Ok(Self { places, loaded })
    }

    /// The machine's place, then the user's: the order in which they are read, the later winning.
    pub fn places(&self) -> [ConfigPlace<'_>; 2] {
        [
            self.place("machine", "管理者用", self.places.machine.as_deref()),
            self.place("user", "利用者用", self.places.user.as_deref()),
        ]
    }

    fn place<'a>(
        &self,
        place: &'static str,
        whose: &'static str,
        path: Option<&'a Path>,
    ) -> ConfigPlace<'a> {
        ConfigPlace {
            place,
            whose,
            path,
            exists: path.is_some_and(|path| self.loaded.files.iter().any(|read| read == path)),
        }
    }

    /// One line a place, indented, for a message: where it is, whose, and whether it exists.
    pub fn listing(&self) -> String {
        self.places()
            .iter()
            .map(|place| {
                let found = if place.exists { "あり" } else { "なし" };
                match place.path {
                    Some(path) => format!("  {}（{}、{found}）\n", path.display(), place.whose),
                    None => format!("  （{}の設定フォルダがありません）\n", place.whose),
                }
            })
            .collect()
    }
}
