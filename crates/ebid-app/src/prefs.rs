//! What the app remembers between runs: the last 調達機関 and category chosen (screen 1). Never a PIN, never
//! a certificate: those stay on the card and the server.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::views::Choice;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    last_choice: Option<Choice>,
}

/// The preferences file in the app's data folder.
pub struct Prefs {
    path: PathBuf,
}

impl Prefs {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("preferences.json"),
        }
    }

    /// The last choice; none when the file is missing or unreadable (a damaged file only loses the
    /// preselection, so it is not worth stopping the user for).
    pub fn last_choice(&self) -> Option<Choice> {
        let text = fs::read(&self.path).ok()?;
        serde_json::from_slice::<Stored>(&text).ok()?.last_choice
    }

    /// Saves the choice, replacing the file in one rename so that a crash leaves the old one or the new one.
    pub fn remember(&self, choice: &Choice) -> io::Result<()> {
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir)?;
        }
        let stored = Stored {
            last_choice: Some(choice.clone()),
        };
        let text = serde_json::to_vec_pretty(&stored).map_err(io::Error::other)?;
        let partial = self.path.with_extension("json.partial");
        fs::write(&partial, text)?;
        fs::rename(&partial, &self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_choice_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Prefs::new(dir.path()).last_choice(), None);
        let choice = Choice {
            organization: "nagasaki-pref".into(),
            category: "construction".into(),
        };
        Prefs::new(dir.path()).remember(&choice).unwrap();
        assert_eq!(Prefs::new(dir.path()).last_choice(), Some(choice));
    }

    #[test]
    fn a_damaged_file_only_loses_the_preselection() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("preferences.json"), b"{not json").unwrap();
        assert_eq!(Prefs::new(dir.path()).last_choice(), None);
    }
}
