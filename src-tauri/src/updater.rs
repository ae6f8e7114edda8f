//! [`ebid_app::updates::Updater`] with tauri-plugin-updater: the plugin asks the feed, downloads, verifies the
//! minisign signature against the public key this build carries (`plugins.updater.pubkey`, with
//! `requireSignedVersion`: the signed comment must name the version the feed announced), installs and
//! restarts. This file only maps: the plugin's errors onto the app's refusals, and a release that is not newer
//! than the running one onto a refused downgrade instead of silence.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use ebid_app::updates::{UpdateFailure, UpdateFuture, UpdateOffer, UpdateRequest, Updater};
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Error as PluginError, Update, UpdaterExt as _};

/// How long one check may take.
const CHECK_TIMEOUT: Duration = Duration::from_secs(30);

/// The plugin, registered before the app starts.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

pub struct PluginUpdater<R: Runtime> {
    app: AppHandle<R>,
    /// The update last offered, and its bytes once downloaded and verified.
    offered: Mutex<Option<Update>>,
    downloaded: Mutex<Option<Vec<u8>>>,
}

impl<R: Runtime> PluginUpdater<R> {
    pub fn new(app: AppHandle<R>) -> Self {
        Self {
            app,
            offered: Mutex::default(),
            downloaded: Mutex::default(),
        }
    }

    async fn check_feed(
        &self,
        request: UpdateRequest,
    ) -> Result<Option<UpdateOffer>, UpdateFailure> {
        // The plugin's comparator answers only "install or not"; a release that is not newer is refused
        // here, by name, not passed over as if nothing had been offered.
        let older: Arc<Mutex<Option<String>>> = Arc::default();
        let seen = older.clone();
        let reach = request.reach;
        let updater = self
            .app
            .updater_builder()
            .endpoints(vec![request.endpoint])
            .map_err(failure)?
            .timeout(CHECK_TIMEOUT)
            .configure_client(move |builder| reach.apply(builder))
            .version_comparator(move |running, release| {
                let newer = release.version > running;
                if !newer {
                    *locked(&seen) = Some(release.version.to_string());
                }
                newer
            })
            .build()
            .map_err(failure)?;
        *locked(&self.downloaded) = None;
        let update = updater.check().await.map_err(failure)?;
        if let Some(offered) = locked(&older).take() {
            return Err(UpdateFailure::Downgrade {
                offered,
                running: self.current_version(),
            });
        }
        let offer = update.as_ref().map(offer);
        *locked(&self.offered) = update;
        Ok(offer)
    }

    async fn download_offer(
        &self,
        mut progress: Box<dyn FnMut(u64, Option<u64>) + Send>,
    ) -> Result<(), UpdateFailure> {
        let update = locked(&self.offered)
            .clone()
            .ok_or(UpdateFailure::NothingToInstall)?;
        // The plugin verifies the signature (and the signed version) before it hands the bytes over.
        let bytes = update
            .download(|chunk, total| progress(chunk as u64, total), || {})
            .await
            .map_err(failure)?;
        *locked(&self.downloaded) = Some(bytes);
        Ok(())
    }
}

impl<R: Runtime> Updater for PluginUpdater<R> {
    fn current_version(&self) -> String {
        self.app.package_info().version.to_string()
    }

    fn check(&self, request: UpdateRequest) -> UpdateFuture<'_, Option<UpdateOffer>> {
        Box::pin(self.check_feed(request))
    }

    fn download(&self, progress: Box<dyn FnMut(u64, Option<u64>) + Send>) -> UpdateFuture<'_, ()> {
        Box::pin(self.download_offer(progress))
    }

    fn install_and_restart(&self) -> Result<(), UpdateFailure> {
        let update = locked(&self.offered)
            .clone()
            .ok_or(UpdateFailure::NothingToInstall)?;
        let bytes = locked(&self.downloaded)
            .take()
            .ok_or(UpdateFailure::NothingToInstall)?;
        // Verified again by the plugin before anything is replaced.
        update.install(&bytes).map_err(failure)?;
        log::info!("update {} installed: restarting", update.version);
        self.app.restart()
    }
}

fn offer(update: &Update) -> UpdateOffer {
    let raw = &update.raw_json;
    UpdateOffer {
        version: update.version.clone(),
        notes: update.body.clone().unwrap_or_default(),
        published: update.date,
        mandatory: raw.get("mandatory").and_then(|m| m.as_bool()) == Some(true),
    }
}

/// The plugin's error as the refusal the user reads.
fn failure(error: PluginError) -> UpdateFailure {
    use minisign_verify::Error as Signature;
    match error {
        PluginError::Minisign(Signature::UnexpectedKeyId) => UpdateFailure::WrongKey,
        PluginError::Minisign(_) | PluginError::Base64(_) | PluginError::SignatureUtf8(_) => {
            UpdateFailure::Tampered
        }
        PluginError::SignedVersionMismatch { signed, announced } => {
            UpdateFailure::VersionMismatch { signed, announced }
        }
        PluginError::MissingSignedVersion => UpdateFailure::UnsignedVersion,
        PluginError::InsecureTransportProtocol => UpdateFailure::InsecureEndpoint,
        error @ (PluginError::Reqwest(_)
        | PluginError::Network(_)
        | PluginError::ReleaseNotFound
        | PluginError::Serialization(_)
        | PluginError::UrlParse(_)
        | PluginError::TargetNotFound(_)
        | PluginError::TargetsNotFound(_)
        | PluginError::EmptyEndpoints) => UpdateFailure::Unreachable(error.to_string()),
        error => UpdateFailure::Install(error.to_string()),
    }
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
