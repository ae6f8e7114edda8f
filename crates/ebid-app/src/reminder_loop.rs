//! Reminders while the app runs, window open or not: a task that assesses every card the history knows
//! (`ebid_workflow::reminders`), shows the one notice due per card as a desktop notification, marks it
//! delivered, and sleeps until the next one falls due. It checks again at once when poked (a card read, a
//! renewal committed, the settings saved) and at least hourly, because a PC asleep does not advance a timer
//! and its clock may have been set meanwhile.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use ebid_history::{History, HistoryError};
use ebid_reminders::Thresholds;
use ebid_workflow::reminders::{self, CardStanding};
use time::OffsetDateTime;
use tokio::sync::Notify;

use crate::desktop::{Desktop, DesktopNotice};

/// The longest the task sleeps without checking.
const RECHECK: StdDuration = StdDuration::from_secs(60 * 60);

/// What the reminders follow, as the settings say now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderPolicy {
    pub thresholds: Thresholds,
    /// Desktop notifications on; off, the dashboard alone shows the cards' state and nothing is marked
    /// delivered (turned on again, the notice due comes then).
    pub notify: bool,
}

/// The running task's handles: poke it, change what it follows.
#[derive(Clone)]
pub struct Reminders {
    wake: Arc<Notify>,
    policy: Arc<Mutex<ReminderPolicy>>,
}

impl Reminders {
    /// Starts the task on `runtime`.
    pub fn start(
        runtime: &tokio::runtime::Handle,
        history: History,
        policy: ReminderPolicy,
        desktop: Arc<dyn Desktop>,
    ) -> Self {
        let reminders = Self {
            wake: Arc::new(Notify::new()),
            policy: Arc::new(Mutex::new(policy)),
        };
        runtime.spawn(reminders.clone().run(history, desktop));
        reminders
    }

    /// Checks again now: something changed what is due.
    pub fn poke(&self) {
        self.wake.notify_one();
    }

    pub fn policy(&self) -> ReminderPolicy {
        self.policy
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Follows `policy` from now on, and checks again.
    pub fn set_policy(&self, policy: ReminderPolicy) {
        *self
            .policy
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = policy;
        self.poke();
    }

    async fn run(self, history: History, desktop: Arc<dyn Desktop>) {
        loop {
            let policy = self.policy();
            let pause = match check(&history, &policy, desktop.as_ref()).await {
                Ok(next) => next.map(|at| until(at).min(RECHECK)).unwrap_or(RECHECK),
                Err(error) => {
                    tracing::warn!(%error, "reminders could not be checked");
                    RECHECK
                }
            };
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = self.wake.notified() => {}
            }
        }
    }
}

/// One pass: every card's due notice shown and settled. Returns when the next reminder falls due on the PC's
/// clock.
async fn check(
    history: &History,
    policy: &ReminderPolicy,
    desktop: &dyn Desktop,
) -> Result<Option<OffsetDateTime>, HistoryError> {
    let now = OffsetDateTime::now_utc();
    let standings = reminders::standings(history, now, &policy.thresholds).await?;
    let mut shown = 0;
    for standing in &standings {
        if policy.notify && deliver(history, standing, desktop).await? {
            shown += 1;
        }
    }
    let next = standings
        .iter()
        .filter_map(|standing| standing.assessment.next.map(|next| next.pc_time))
        .min();
    tracing::info!(cards = standings.len(), shown, next = ?next, "reminders checked");
    Ok(next)
}

/// Shows the standing's due notice, if any, and marks it delivered once shown. A notification the desktop
/// refused is not marked: the next pass tries again.
async fn deliver(
    history: &History,
    standing: &CardStanding,
    desktop: &dyn Desktop,
) -> Result<bool, HistoryError> {
    let Some(notice) = standing.notice() else {
        return Ok(false);
    };
    let card = standing.card.facts.fingerprint.clone();
    if let Err(error) = desktop.notify(&DesktopNotice {
        title: notice.title,
        body: notice.body,
        card: card.clone(),
    }) {
        tracing::warn!(%error, %card, "the reminder could not be shown");
        return Ok(false);
    }
    reminders::settle(history, standing, OffsetDateTime::now_utc()).await?;
    tracing::info!(%card, days_left = standing.assessment.days_left, "reminder shown");
    Ok(true)
}

/// How long until `at` on the PC's clock; zero when it has passed.
fn until(at: OffsetDateTime) -> StdDuration {
    let left = at - OffsetDateTime::now_utc();
    StdDuration::try_from(left).unwrap_or(StdDuration::ZERO)
}
