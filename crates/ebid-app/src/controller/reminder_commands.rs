//! The commands of the app's own screens around the renewal: the card dashboard, 更新履歴, 通知設定, and the
//! cards of clicked notifications. They read the local history directly (its pool serves any thread), not
//! through the card thread, so that they answer while a card step waits.

use ebid_reminders::Thresholds;
use ebid_workflow::reminders;
use time::OffsetDateTime;

use super::{Controller, locked};
use crate::error::{AppError, ErrorCode};
use crate::history_query::history_view;
use crate::reminder_loop::ReminderPolicy;
use crate::views::{
    DashboardView, HistoryQuery, HistoryView, OpenCard, ReminderSettingsInput,
    ReminderSettingsView, standing_view,
};

/// Where the window hears of notifications clicked (the command's channel).
pub type CardRequestSink = Box<dyn Fn(OpenCard) + Send>;

/// The window's channel for clicked notifications, and a click that came before it listened.
#[derive(Default)]
pub(super) struct CardRequests {
    sink: Option<CardRequestSink>,
    waiting: Option<OpenCard>,
}

impl Controller {
    /// The card dashboard: every card seen, with its reminders' state.
    pub async fn dashboard(&self) -> Result<DashboardView, AppError> {
        let Some(history) = self.history.history() else {
            return Ok(DashboardView {
                cards: Vec::new(),
                history_problem: self.history.problem().map(str::to_owned),
            });
        };
        let thresholds = self.reminder_policy().thresholds;
        let standings =
            reminders::standings(history, OffsetDateTime::now_utc(), &thresholds).await?;
        Ok(DashboardView {
            cards: standings
                .iter()
                .map(|standing| standing_view(standing, &thresholds))
                .collect(),
            history_problem: None,
        })
    }

    /// The window listens for notifications clicked: each sends the card to show on the dashboard.
    pub async fn card_requests(&self, requests: CardRequestSink) -> Result<(), AppError> {
        let mut card_requests = locked(&self.card_requests);
        if let Some(waiting) = card_requests.waiting.take() {
            requests(waiting);
        }
        card_requests.sink = Some(requests);
        Ok(())
    }

    /// A notification about the card `fingerprint` was clicked (the shell has brought the window forward).
    pub fn open_card(&self, fingerprint: String) {
        let request = OpenCard { fingerprint };
        let mut card_requests = locked(&self.card_requests);
        match &card_requests.sink {
            Some(sink) => sink(request),
            None => card_requests.waiting = Some(request),
        }
    }

    /// 更新履歴, filtered as the screen asks.
    pub async fn history(&self, query: HistoryQuery) -> Result<HistoryView, AppError> {
        let history = self.history.history().ok_or_else(|| {
            AppError::new(
                ErrorCode::History,
                self.history.problem().unwrap_or_default(),
            )
        })?;
        history_view(history, &query).await
    }

    /// 通知設定 as it stands.
    pub async fn reminder_settings(&self) -> Result<ReminderSettingsView, AppError> {
        let (policy, defaults, user_file) = {
            let configuration = locked(&self.configuration);
            (
                configuration.reminder_policy(),
                configuration.default_thresholds(),
                configuration.user_file(),
            )
        };
        let starts_at_login = match self.desktop.starts_at_login() {
            Ok(enabled) => Some(enabled),
            Err(error) => {
                tracing::warn!(%error, "cannot tell whether the app starts at login");
                None
            }
        };
        Ok(ReminderSettingsView {
            days: policy.thresholds.days().to_vec(),
            default_days: defaults.days().to_vec(),
            notify: policy.notify,
            starts_at_login,
            user_file,
        })
    }

    /// 通知設定 【保存】: the days checked, saved in the user's file and followed at once; starting at login
    /// set with the OS.
    pub async fn save_reminder_settings(
        &self,
        settings: ReminderSettingsInput,
    ) -> Result<ReminderSettingsView, AppError> {
        let thresholds = settings
            .days
            .parse::<Thresholds>()
            .map_err(|error| AppError::new(ErrorCode::Configuration, error.to_string()))?;
        let policy = ReminderPolicy {
            thresholds,
            notify: settings.notify,
        };
        locked(&self.configuration).save_user_reminders(&policy)?;
        if let Some(reminders) = &self.reminders {
            reminders.set_policy(policy);
        }
        if self.desktop.starts_at_login().ok() != Some(settings.starts_at_login) {
            self.desktop.set_starts_at_login(settings.starts_at_login)?;
        }
        tracing::info!("reminder settings saved");
        self.reminder_settings().await
    }

    fn reminder_policy(&self) -> ReminderPolicy {
        match &self.reminders {
            Some(reminders) => reminders.policy(),
            None => locked(&self.configuration).reminder_policy(),
        }
    }
}
