//! Where a release's files live in the server's data folder: `releases/VERSION/PLATFORM/FILE_NAME`, its
//! signature beside it as `FILE_NAME.sig`. A release's folder appears whole: written as
//! `releases/.VERSION.partial` and renamed.

use std::path::{Path, PathBuf};

use ebid_protocol::updates::Platform;

/// The folder of the releases inside the server's data folder.
pub(crate) const RELEASES_DIR: &str = "releases";

/// The folder of one release's files.
pub(crate) fn release_dir(releases: &Path, version: &str) -> PathBuf {
    releases.join(version)
}

/// The folder a release's files are written into before it is renamed to [`release_dir`].
pub(crate) fn partial_release_dir(releases: &Path, version: &str) -> PathBuf {
    releases.join(format!(".{version}.partial"))
}

/// One artifact's file.
pub(crate) fn artifact_file(
    releases: &Path,
    version: &str,
    platform: &Platform,
    file_name: &str,
) -> PathBuf {
    release_dir(releases, version)
        .join(platform.to_string())
        .join(file_name)
}
