//! The handle the shell holds: one method a command of the list ([`crate::with_app_commands`]), with its
//! name and arguments; commands from any thread, run one at a time on the one thread that owns the cards and
//! the renewal. Card operations borrow the card and block, so the workflow's futures are not
//! `Send`; here they run on a current-thread runtime of their own, and only the answers cross threads.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use ebid_client::Client;
use ebid_config::Places;
use ebid_workflow::{fetch_server_clock, messages};
use tokio::runtime::Runtime;
use tokio::sync::oneshot;

use self::reminder_commands::CardRequests;
use crate::connection::Configuration;
use crate::desktop::Desktop;
use crate::error::{AppError, ErrorCode};
use crate::flow::{Flow, ProgressSink, SharedClock, SharedWait};
use crate::local_history::LocalHistory;
use crate::paper::{PaperKind, SavedPaper};
use crate::pin_input::PinInput;
use crate::prefs::Prefs;
use crate::reminder_loop::Reminders;
use crate::updates::{RenewalGate, Updater, Updates, install_id};
use crate::views::{
    CardView, Choice, ClockView, ConfirmationView, ConnectionView, InfoView, MenuView,
    Organizations, Overview, PassView, ReceiptView, RegistrationChange, RegistrationDetails,
    ResultView, SwapProgress, clock_view,
};

/// Where the app finds its configuration and keeps its preferences.
#[derive(Clone)]
pub struct AppConfig {
    /// The configuration files (the administrator's and the user's).
    pub places: Places,
    /// `--server`: the registration server for this run, over the files (https://…; http:// only to this PC).
    pub server_override: Option<String>,
    /// The app's data folder (the OS's app-data folder; a test's own temporary one).
    pub data_dir: PathBuf,
    /// The local history file, shared with `ebid` (`ebid_history::default_path`); none when the OS names
    /// no app-data folder.
    pub history: Option<PathBuf>,
    /// Notifications and starting at login, as the shell provides them.
    pub desktop: Arc<dyn Desktop>,
    /// The app's updates: the shell's updater plugin.
    pub updater: Arc<dyn Updater>,
}

mod reminder_commands;
mod update_commands;

type Job = Box<dyn FnOnce(&mut Flow, &Runtime) + Send>;

pub struct Controller {
    jobs: mpsc::Sender<Job>,
    wait: SharedWait,
    last_clock: SharedClock,
    /// For the header's clock, which must answer while the card thread waits for a card; none before a
    /// server is configured.
    clock_client: Mutex<Option<Client>>,
    configuration: Mutex<Configuration>,
    history: LocalHistory,
    /// None without a history: nothing to remind of.
    reminders: Option<Reminders>,
    desktop: Arc<dyn Desktop>,
    /// Where a clicked notification's card goes: the window's channel once it listens, else kept for it.
    card_requests: Mutex<CardRequests>,
    updates: Updates,
    /// This install's id, which the update feed's staged rollouts go by.
    install_id: String,
    /// Runs the reminders and the history's housekeeping whatever the card thread is doing. Last, so that
    /// it is dropped after the handles that use it.
    _services: Runtime,
}

impl Controller {
    /// Reads the configuration and starts the card thread. A malformed configuration file stops the start:
    /// the message names it.
    pub fn start(config: AppConfig) -> Result<Self, AppError> {
        let configuration = Configuration::load(config.places, config.server_override)?;
        let connection = configuration.connection()?;
        match &connection {
            Some(connection) => tracing::info!(server = %connection.url, "registration server"),
            None => tracing::info!("no registration server configured yet"),
        }
        let clock_client = connection.as_ref().map(|c| c.client.clone());
        let services = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("ebid-services")
            .enable_all()
            .build()
            .map_err(|e| {
                AppError::internal(format!("内部エラー: 実行環境を用意できません（{e}）"))
            })?;
        let history = LocalHistory::open(services.handle(), config.history.as_deref());
        let reminders = history.history().map(|history| {
            Reminders::start(
                services.handle(),
                history.clone(),
                configuration.reminder_policy(),
                config.desktop.clone(),
            )
        });
        let wait: SharedWait = Arc::default();
        let last_clock: SharedClock = Arc::default();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                AppError::internal(format!("内部エラー: 実行環境を用意できません（{e}）"))
            })?;
        let mut flow = Flow::new(
            connection,
            configuration.preset(),
            Prefs::new(&config.data_dir),
            (wait.clone(), last_clock.clone()),
            history.history().cloned(),
            reminders.clone(),
        );
        let install_id = install_id::load_or_create(&config.data_dir);
        let gate = RenewalGate::default();
        let updates = Updates::start(
            services.handle(),
            config.updater,
            configuration.update_request(&install_id)?,
            gate.clone(),
        );
        let (jobs, queue) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("ebid-cards".into())
            .spawn(move || {
                for job in queue {
                    job(&mut flow, &runtime);
                    gate.set(flow.renewal_under_way());
                }
                // The app is closing: end the server session as the manual asks.
                let _ = runtime.block_on(flow.end());
            })
            .map_err(|e| {
                AppError::internal(format!("内部エラー: スレッドを開始できません（{e}）"))
            })?;
        Ok(Self {
            jobs,
            wait,
            last_clock,
            clock_client: Mutex::new(clock_client),
            configuration: Mutex::new(configuration),
            history,
            reminders,
            desktop: config.desktop,
            card_requests: Mutex::default(),
            updates,
            install_id,
            _services: services,
        })
    }

    /// 接続先設定: the server in force and where another is saved.
    pub async fn connection_settings(&self) -> Result<ConnectionView, AppError> {
        Ok(locked(&self.configuration).view())
    }

    /// 接続先設定 【保存】: `server_url` answers, then it is saved in the user's file and used from now on.
    /// An address that does not answer is not saved: the user sees why at once, not at the next renewal.
    pub async fn save_server(&self, server_url: String) -> Result<ConnectionView, AppError> {
        let url = server_url.trim().to_owned();
        let connection = locked(&self.configuration).connection_to(&url)?;
        fetch_server_clock(&connection.client).await?;
        let (view, update_request) = {
            let mut configuration = locked(&self.configuration);
            configuration.save_user_server(&url)?;
            (
                configuration.view(),
                configuration.update_request(&self.install_id)?,
            )
        };
        if let Some(request) = update_request {
            self.updates.set_request(request);
        }
        *locked(&self.clock_client) = Some(connection.client.clone());
        self.run(async move |flow: &mut Flow| flow.connect(connection).await)
            .await?;
        tracing::info!(server = %url, "registration server changed");
        Ok(view)
    }

    pub async fn overview(&self) -> Result<Overview, AppError> {
        self.run(async |flow: &mut Flow| flow.overview().await)
            .await
    }

    pub async fn organizations(&self) -> Result<Organizations, AppError> {
        self.run(async |flow: &mut Flow| flow.organizations().await)
            .await
    }

    /// The server's time for the header, at any moment (not queued behind a card step).
    pub async fn server_time(&self) -> Result<ClockView, AppError> {
        let client = locked(&self.clock_client)
            .clone()
            .ok_or_else(AppError::server_not_configured)?;
        let clock = fetch_server_clock(&client).await?;
        *locked(&self.last_clock) = Some(clock);
        Ok(clock_view(&clock))
    }

    pub async fn begin(
        &self,
        organization: String,
        category: String,
    ) -> Result<ClockView, AppError> {
        let choice = Choice {
            organization,
            category,
        };
        self.run(async move |flow: &mut Flow| flow.begin(choice).await)
            .await
    }

    pub async fn locate_current_card(&self) -> Result<CardView, AppError> {
        self.run(async |flow: &mut Flow| flow.locate_current_card().await)
            .await
    }

    pub async fn login_current(
        &self,
        reader: String,
        pin: PinInput,
        operator: String,
    ) -> Result<MenuView, AppError> {
        self.run(async move |flow: &mut Flow| flow.login_current(&reader, &pin, &operator).await)
            .await
    }

    /// Screen 7's wait; `progress` hears what happens meanwhile (the card taken out, the same card back).
    pub async fn wait_new_card(
        &self,
        progress: impl Fn(SwapProgress) + Send + 'static,
    ) -> Result<CardView, AppError> {
        let progress: ProgressSink = Box::new(progress);
        self.run(async move |flow: &mut Flow| flow.wait_new_card(progress))
            .await
    }

    /// Stops screen 7's wait at once, from outside the card thread that is blocked in it (not queued).
    pub async fn cancel_wait(&self) -> Result<(), AppError> {
        if let Some(wait) = locked(&self.wait).as_ref() {
            wait.canceller.cancel();
        }
        Ok(())
    }

    /// Screen 7's 【OK】 while the wait runs (from outside the card thread blocked in it): what the readers
    /// hold now. With no wait running, the dialog's own 【OK】 starts one instead.
    pub async fn check_new_card(&self) -> Result<SwapProgress, AppError> {
        let glance = locked(&self.wait)
            .as_ref()
            .map(|wait| wait.glance.clone())
            .ok_or_else(|| AppError::new(ErrorCode::WrongState, messages::NOT_WAITING))?;
        Ok(SwapProgress::from(glance.look()?))
    }

    pub async fn prove_new_card(
        &self,
        reader: String,
        pin: PinInput,
    ) -> Result<ConfirmationView, AppError> {
        self.run(async move |flow: &mut Flow| flow.prove_new_card(&reader, &pin).await)
            .await
    }

    pub async fn back(&self) -> Result<(), AppError> {
        self.run(async |flow: &mut Flow| flow.back()).await
    }

    pub async fn commit(&self) -> Result<ResultView, AppError> {
        self.run(async |flow: &mut Flow| flow.commit().await).await
    }

    pub async fn read_card(&self, reader: String) -> Result<CardView, AppError> {
        self.run(async move |flow: &mut Flow| flow.read_card(&reader))
            .await
    }

    pub async fn registration_info(
        &self,
        reader: String,
        pin: PinInput,
    ) -> Result<InfoView, AppError> {
        self.run(async move |flow: &mut Flow| flow.registration_info(&reader, &pin).await)
            .await
    }

    pub async fn save_paper(&self, paper: PaperKind) -> Result<SavedPaper, AppError> {
        self.run(async move |flow: &mut Flow| flow.save_paper(paper))
            .await
    }

    pub async fn registration_info_now(&self) -> Result<InfoView, AppError> {
        self.run(async |flow: &mut Flow| flow.registration_info_now().await)
            .await
    }

    pub async fn check_registration(&self, details: RegistrationDetails) -> Result<(), AppError> {
        self.run(async move |flow: &mut Flow| flow.check_registration(&details))
            .await
    }

    pub async fn register(
        &self,
        reader: String,
        pin: PinInput,
        details: RegistrationDetails,
    ) -> Result<ReceiptView, AppError> {
        self.run(async move |flow: &mut Flow| flow.register(&reader, &pin, &details).await)
            .await
    }

    pub async fn change_form(&self) -> Result<RegistrationChange, AppError> {
        self.run(async |flow: &mut Flow| flow.change_form().await)
            .await
    }

    pub async fn change_registration(
        &self,
        change: RegistrationChange,
    ) -> Result<InfoView, AppError> {
        self.run(async move |flow: &mut Flow| flow.change_registration(&change).await)
            .await
    }

    pub async fn pass_candidates(&self) -> Result<Vec<Choice>, AppError> {
        self.run(async |flow: &mut Flow| flow.pass_candidates().await)
            .await
    }

    pub async fn begin_pass(&self, places: Vec<Choice>) -> Result<ClockView, AppError> {
        self.run(async move |flow: &mut Flow| flow.begin_pass(places).await)
            .await
    }

    pub async fn pass_login(
        &self,
        reader: String,
        pin: PinInput,
        operator: String,
    ) -> Result<PassView, AppError> {
        self.run(async move |flow: &mut Flow| flow.pass_login(&reader, &pin, &operator).await)
            .await
    }

    pub async fn pass_prove(&self, reader: String, pin: PinInput) -> Result<PassView, AppError> {
        self.run(async move |flow: &mut Flow| flow.pass_prove(&reader, &pin).await)
            .await
    }

    pub async fn pass_commit(&self) -> Result<PassView, AppError> {
        self.run(async |flow: &mut Flow| flow.pass_commit().await)
            .await
    }

    pub async fn end(&self) -> Result<(), AppError> {
        self.run(async |flow: &mut Flow| flow.end().await).await
    }

    /// Queues `step` for the card thread and waits for its answer.
    async fn run<T, F>(&self, step: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: AsyncFnOnce(&mut Flow) -> Result<T, AppError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |flow, runtime| {
            // The screen may have gone (window closed): nobody to answer.
            let _ = answer.send(runtime.block_on(step(flow)));
        });
        self.jobs.send(job).map_err(|_| card_thread_gone())?;
        answered.await.map_err(|_| card_thread_gone())?
    }
}

/// A panic elsewhere while holding the lock leaves a value that is still usable.
fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn card_thread_gone() -> AppError {
    AppError::internal("内部エラー: ICカードの処理が停止しました。アプリを再起動してください。")
}
