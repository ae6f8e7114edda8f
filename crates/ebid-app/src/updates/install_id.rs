//! The install's stable id: a random UUID written once in the app's data folder. A staged rollout includes or
//! leaves out an install by it, so every check of one PC gets the same answer; it names no person, card or
//! company.

use std::path::Path;

/// The file in the app's data folder.
const FILE: &str = "install-id";

/// The install's id: read from the data folder, else made and written there. A folder that cannot be
/// written gives an id for this run only (logged): the install is then in a rollout or not by chance, once.
pub fn load_or_create(data_dir: &Path) -> String {
    let path = data_dir.join(FILE);
    if let Ok(text) = std::fs::read_to_string(&path) {
        let id = text.trim();
        if ebid_protocol::updates::is_install_id(id) {
            return id.to_owned();
        }
        tracing::warn!(file = %path.display(), "the install id is malformed: a new one replaces it");
    }
    let id = uuid::Uuid::new_v4().to_string();
    let written = std::fs::create_dir_all(data_dir).and_then(|()| std::fs::write(&path, &id));
    if let Err(error) = written {
        tracing::warn!(file = %path.display(), %error, "the install id could not be saved");
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path());
        assert!(ebid_protocol::updates::is_install_id(&first), "{first}");
        assert_eq!(load_or_create(dir.path()), first);
    }

    #[test]
    fn a_malformed_id_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "not an id!").unwrap();
        let id = load_or_create(dir.path());
        assert_ne!(id, "not an id!");
        assert_eq!(std::fs::read_to_string(dir.path().join(FILE)).unwrap(), id);
    }
}
