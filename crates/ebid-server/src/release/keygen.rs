//! `ebid-server release keygen`: the organization's update signing key, made once.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

use super::{ReleaseError, password};

/// The secret key's file name.
const SECRET_KEY_FILE: &str = "ebid-release.key";
/// The public key's file name.
const PUBLIC_KEY_FILE: &str = "ebid-release.pub";

pub(super) fn keygen(out: &Path) -> Result<String, ReleaseError> {
    let secret_path = out.join(SECRET_KEY_FILE);
    let public_path = out.join(PUBLIC_KEY_FILE);
    for path in [&secret_path, &public_path] {
        if path.exists() {
            return Err(ReleaseError::KeyExists(path.clone()));
        }
    }
    let password = password("Password for the new update signing key: ", true)?;
    let keys = ebid_release::generate(&password)?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    write_new(&secret_path, &keys.secret_key_file)?;
    write_new(&public_path, keys.public_key.as_str())?;
    Ok(format!(
        "wrote {secret} (the secret key, encrypted with the password) and {public}.\n\
         \n\
         The public key, for the app's tauri.conf.json (plugins.updater.pubkey), before building the installers:\n\
         {key}\n\
         \n\
         Keep {secret} and its password apart, both backed up, off the server: whoever holds them can \
         publish an update every installed app accepts, and without them no update reaches the installed apps \
         ever again (they trust this one key).\n",
        secret = secret_path.display(),
        public = public_path.display(),
        key = keys.public_key,
    ))
}

/// Writes a file that must not exist yet (`create_new`: never overwrites, even if one appeared meanwhile).
fn write_new(path: &Path, text: &str) -> Result<(), ReleaseError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    // Only the administrator reads the key file (its password protects it too).
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::AlreadyExists => ReleaseError::KeyExists(path.to_owned()),
        _ => anyhow::Error::new(error)
            .context(format!("writing {}", path.display()))
            .into(),
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
