//! The updates while the app runs: a check at start and every [`RECHECK`], the state the screens show (sent
//! to every window that watches), the user's 【更新を確認】 and 【今すぐ更新】, and a mandatory update installed
//! by itself as soon as no renewal is under way.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;

use super::failure::RENEWAL_UNDER_WAY;
use super::{UpdateFailure, UpdateOffer, UpdateRequest, Updater};
use crate::error::{AppError, ErrorCode};
use crate::views::{UpdateView, update_state_view};

/// How long between two checks while the app runs (window open or in the tray).
const RECHECK: Duration = Duration::from_secs(4 * 60 * 60);

/// Whether a renewal is under way (`ebid_workflow::Stage::under_way`), as the card thread last saw it.
#[derive(Clone, Default)]
pub struct RenewalGate {
    under_way: Arc<AtomicBool>,
    cleared: Arc<Notify>,
}

impl RenewalGate {
    /// Called by the card thread after each step.
    pub fn set(&self, under_way: bool) {
        if self.under_way.swap(under_way, Ordering::SeqCst) && !under_way {
            self.cleared.notify_waiters();
        }
    }

    pub fn under_way(&self) -> bool {
        self.under_way.load(Ordering::SeqCst)
    }

    /// Returns once no renewal is under way.
    async fn cleared(&self) {
        loop {
            let cleared = self.cleared.notified();
            tokio::pin!(cleared);
            // Registered before the flag is read, so a renewal ending in between is not missed.
            cleared.as_mut().enable();
            if !self.under_way() {
                return;
            }
            cleared.await;
        }
    }
}

/// Where an update stands.
#[derive(Debug, Clone)]
pub enum Phase {
    Idle,
    Checking,
    UpToDate,
    Offered(UpdateOffer),
    Downloading {
        offer: UpdateOffer,
        received: u64,
        total: Option<u64>,
    },
    /// Downloaded and verified; a mandatory update waits here for the renewal to end.
    WaitingForRenewal(UpdateOffer),
    Installing(UpdateOffer),
    Failed {
        failure: UpdateFailure,
        offer: Option<UpdateOffer>,
    },
}

type Watcher = Box<dyn Fn(UpdateView) + Send>;

struct Inner {
    updater: Arc<dyn Updater>,
    gate: RenewalGate,
    phase: Mutex<Phase>,
    watchers: Mutex<Vec<Watcher>>,
    /// None until a server is configured.
    request: Mutex<Option<UpdateRequest>>,
    /// One check or download at a time.
    busy: tokio::sync::Mutex<()>,
    wake: Notify,
}

/// The updates' handle, shared by the controller and the task that checks.
#[derive(Clone)]
pub struct Updates {
    inner: Arc<Inner>,
}

impl Updates {
    /// Starts checking on `runtime`: now, then every [`RECHECK`] and whenever the server changes.
    pub fn start(
        runtime: &tokio::runtime::Handle,
        updater: Arc<dyn Updater>,
        request: Option<UpdateRequest>,
        gate: RenewalGate,
    ) -> Self {
        let updates = Self {
            inner: Arc::new(Inner {
                updater,
                gate,
                phase: Mutex::new(Phase::Idle),
                watchers: Mutex::default(),
                request: Mutex::new(request),
                busy: tokio::sync::Mutex::new(()),
                wake: Notify::new(),
            }),
        };
        runtime.spawn(updates.clone().run());
        updates
    }

    /// The state as the screens show it.
    pub fn view(&self) -> UpdateView {
        let phase = locked(&self.inner.phase).clone();
        UpdateView {
            current_version: self.inner.updater.current_version(),
            state: update_state_view(&phase),
            renewal_under_way: self
                .inner
                .gate
                .under_way()
                .then(|| RENEWAL_UNDER_WAY.to_owned()),
        }
    }

    /// A window listens: it hears every change from now on.
    pub fn watch(&self, watcher: Watcher) -> UpdateView {
        locked(&self.inner.watchers).push(watcher);
        self.view()
    }

    /// Another server was chosen (接続先設定): its feed from now on, asked at once.
    pub fn set_request(&self, request: UpdateRequest) {
        *locked(&self.inner.request) = Some(request);
        self.inner.wake.notify_one();
    }

    /// 【更新を確認】: asks the feed now; a failure is shown, whatever it is.
    pub async fn check_now(&self) -> UpdateView {
        self.check(true).await;
        self.view()
    }

    /// 【今すぐ更新】: downloads (with progress), verifies, installs and restarts. Refused while a renewal is
    /// under way: restarting would end its session.
    pub async fn install_now(&self) -> Result<(), AppError> {
        if self.inner.gate.under_way() {
            return Err(AppError::new(ErrorCode::RenewalUnderWay, RENEWAL_UNDER_WAY));
        }
        let offer = match locked(&self.inner.phase).clone() {
            Phase::Offered(offer)
            | Phase::WaitingForRenewal(offer)
            | Phase::Failed {
                offer: Some(offer), ..
            } => offer,
            _ => return Err(AppError::from(&UpdateFailure::NothingToInstall)),
        };
        self.download_and_install(offer)
            .await
            .map_err(|failure| AppError::from(&failure))
    }

    async fn run(self) {
        loop {
            let woken = self.inner.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            if let Some(offer) = self.check(false).await
                && offer.mandatory
            {
                tracing::info!(version = %offer.version, "mandatory update: installing once no renewal is under way");
                // Errors are shown by the phase; the next check tries again.
                let _ = self.download_and_install(offer).await;
            }
            let _ = tokio::time::timeout(RECHECK, woken).await;
        }
    }

    /// Asks the feed. `shown`: the user asked, so an unreachable server is shown too (a check in the
    /// background only logs it: a PC off the network is no news).
    async fn check(&self, shown: bool) -> Option<UpdateOffer> {
        let request = locked(&self.inner.request).clone()?;
        let _busy = self.inner.busy.lock().await;
        if matches!(
            *locked(&self.inner.phase),
            Phase::Installing(_) | Phase::WaitingForRenewal(_)
        ) {
            return None;
        }
        let before = self.set_phase(Phase::Checking);
        match self.inner.updater.check(request).await {
            Ok(Some(offer)) => {
                tracing::info!(version = %offer.version, mandatory = offer.mandatory, "update offered");
                self.set_phase(Phase::Offered(offer.clone()));
                Some(offer)
            }
            Ok(None) => {
                tracing::info!("no update offered");
                self.set_phase(Phase::UpToDate);
                None
            }
            Err(failure @ UpdateFailure::Unreachable(_)) if !shown => {
                tracing::info!(%failure, "update check failed");
                self.set_phase(before);
                None
            }
            Err(failure) => {
                tracing::warn!(%failure, "update check refused");
                self.set_phase(Phase::Failed {
                    failure,
                    offer: None,
                });
                None
            }
        }
    }

    async fn download_and_install(&self, offer: UpdateOffer) -> Result<(), UpdateFailure> {
        let busy = self.inner.busy.lock().await;
        self.set_phase(Phase::Downloading {
            offer: offer.clone(),
            received: 0,
            total: None,
        });
        let progress = {
            let updates = self.clone();
            let offer = offer.clone();
            let mut received = 0u64;
            Box::new(move |chunk: u64, total: Option<u64>| {
                received += chunk;
                updates.set_phase(Phase::Downloading {
                    offer: offer.clone(),
                    received,
                    total,
                });
            })
        };
        if let Err(failure) = self.inner.updater.download(progress).await {
            return Err(self.failed(failure, offer));
        }
        drop(busy);
        if self.inner.gate.under_way() {
            self.set_phase(Phase::WaitingForRenewal(offer.clone()));
            if !offer.mandatory {
                // The user chose while a renewal went on (from another window): they press again after it.
                return Ok(());
            }
            self.inner.gate.cleared().await;
        }
        tracing::info!(version = %offer.version, "installing the update and restarting");
        self.set_phase(Phase::Installing(offer.clone()));
        self.inner
            .updater
            .install_and_restart()
            .map_err(|failure| self.failed(failure, offer))
    }

    fn failed(&self, failure: UpdateFailure, offer: UpdateOffer) -> UpdateFailure {
        tracing::error!(version = %offer.version, %failure, "update refused");
        self.set_phase(Phase::Failed {
            failure: failure.clone(),
            offer: Some(offer),
        });
        failure
    }

    /// Sets the phase, tells the watchers, and returns the phase it replaced.
    fn set_phase(&self, phase: Phase) -> Phase {
        let before = std::mem::replace(&mut *locked(&self.inner.phase), phase);
        let view = self.view();
        for watcher in locked(&self.inner.watchers).iter() {
            watcher(view.clone());
        }
        before
    }
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests;
