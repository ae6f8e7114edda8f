//! The app's renewal, on the thread that owns the cards: each method is one command of the screens, over
//! the same [`Renewal`] the CLI drives. It finds the cards in the readers, opens the one a step needs for
//! that step only, and keeps what the screens cannot: the renewal's state, which reader holds which card.

mod pass;

use std::sync::{Arc, Mutex};

use ebid_card::{Pcsc, PcscCard, SigningCard};
use ebid_client::Client;
use ebid_history::History;
use ebid_pdf::JapaneseFont;
use ebid_protocol::{RegistrationChange, RegistrationDetails};
use ebid_workflow::messages;
use ebid_workflow::pass::RenewalPass;
use ebid_workflow::readers::{
    NewCardWait, SwapCanceller, WaitError, identify, locate_current_card, locate_logged_in_card,
};
use ebid_workflow::registering::Registering;
use ebid_workflow::reminders::remember_card;
use ebid_workflow::sheets::{SheetContext, completion_sheet, confirmation_sheet};
use ebid_workflow::swap_glance::SwapGlance;
use ebid_workflow::{
    CardReading, Place, Renewal, RenewalError, ServerClock, Stage, find_place, read_card,
};
use time::OffsetDateTime;

use crate::connection::Connection;
use crate::error::{AppError, ErrorCode};
use crate::paper::{self, PaperError, PaperKind, SavedPaper};
use crate::pin_input::PinInput;
use crate::prefs::Prefs;
use crate::reminder_loop::Reminders;
use crate::views::{
    CardView, Choice, ClockView, ConfirmationView, InfoView, MenuView, Organizations, Overview,
    ReaderSlot, ReceiptView, ResultView, SwapProgress, card_view, clock_view, confirmation_view,
    info_view, menu_view, receipt_view, result_view,
};

/// Where screen 7's wait sends its progress (the command's channel).
pub type ProgressSink = Box<dyn Fn(SwapProgress) + Send>;
/// The wait of screen 7, cancelled or looked at from the UI thread while the card thread is blocked in it.
pub type SharedWait = Arc<Mutex<Option<WaitHandles>>>;
/// The server's clock as last measured (the header's clock or a renewal's), by which a card's days left are
/// counted before a renewal has measured its own.
pub type SharedClock = Arc<Mutex<Option<ServerClock>>>;

/// What the UI thread may do with screen 7's running wait.
pub struct WaitHandles {
    /// キャンセル.
    pub canceller: SwapCanceller,
    /// 【OK】: what the readers hold now.
    pub glance: SwapGlance,
}

pub struct Flow {
    /// None until a server is configured (接続先設定).
    connection: Option<Connection>,
    /// The 調達機関 the administrator's file presets, for a PC with no choice of its own yet.
    preset: Option<Choice>,
    prefs: Prefs,
    wait: SharedWait,
    last_clock: SharedClock,
    renewal: Option<Renewal>,
    /// まとめて更新 in its place: several 調達機関 with the same two cards.
    pass: Option<RenewalPass>,
    /// The organization and category chosen, by their server ids (`place` names them).
    choice: Option<Choice>,
    place: Option<Place>,
    clock: Option<ServerClock>,
    /// The reader of the card that logged in.
    current_reader: Option<String>,
    /// Where renewals and the cards read are recorded; none when the file could not be opened.
    history: Option<History>,
    /// Told when a card was read or renewed, which may change what is due.
    reminders: Option<Reminders>,
    /// The Japanese font papers are written with, found on the first paper (a scan of the PC's fonts).
    font: Option<JapaneseFont>,
}

impl Flow {
    pub fn new(
        connection: Option<Connection>,
        preset: Option<Choice>,
        prefs: Prefs,
        shared: (SharedWait, SharedClock),
        history: Option<History>,
        reminders: Option<Reminders>,
    ) -> Self {
        let (wait, last_clock) = shared;
        Self {
            connection,
            preset,
            prefs,
            wait,
            last_clock,
            renewal: None,
            pass: None,
            choice: None,
            place: None,
            clock: None,
            current_reader: None,
            history,
            reminders,
            font: None,
        }
    }

    /// Screen 0: every reader, and what its card shows before any PIN. Each card read is remembered in the
    /// history, for the dashboard and its reminders.
    pub async fn overview(&self) -> Result<Overview, AppError> {
        let pcsc = Pcsc::establish()?;
        let now = self.now();
        let mut readers = Vec::new();
        for reader in pcsc.readers()? {
            let (card, problem) = match reader.card_atr {
                None => (None, None),
                Some(_) => match identify(&pcsc, &reader.name) {
                    Ok(reading) => {
                        self.remember_card(&reading).await;
                        (Some(card_view(&reader.name, &reading, now)), None)
                    }
                    Err(error) => (None, Some(AppError::from(error).message)),
                },
            };
            readers.push(ReaderSlot {
                reader: reader.name,
                card,
                problem,
            });
        }
        if let Some(reminders) = &self.reminders {
            reminders.poke();
        }
        Ok(Overview {
            readers,
            server_url: self.connection.as_ref().map(|c| c.url.clone()),
            by_server_clock: self.server_clock().is_some(),
        })
    }

    /// Screen 1: the server's organizations, and the choice made last time on this PC (else the
    /// administrator's preset).
    pub async fn organizations(&self) -> Result<Organizations, AppError> {
        Ok(Organizations {
            organizations: self.client()?.organizations().await?,
            last: self.prefs.last_choice().or_else(|| self.preset.clone()),
        })
    }

    /// Another server from now on (接続先設定 saved): a renewal open on the old one is ended first.
    pub async fn connect(&mut self, connection: Connection) -> Result<(), AppError> {
        let ended = self.end().await;
        self.connection = Some(connection);
        // The old server's clock says nothing of the new one's.
        *lock(&self.last_clock) = None;
        // The old server may be the reason for the change: failing to say goodbye to it is no error.
        if let Err(error) = ended {
            tracing::warn!(code = ?error.code, "the renewal on the previous server could not be ended");
        }
        Ok(())
    }

    /// Screen 3: a renewal at the chosen organization and category, opened with the server's time. Any
    /// renewal still open is ended first.
    pub async fn begin(&mut self, choice: Choice) -> Result<ClockView, AppError> {
        self.end().await?;
        let client = self.client()?.clone();
        let organizations = client.organizations().await?;
        let place = find_place(&organizations, &choice.organization, &choice.category)
            .map_err(RenewalError::from)?;
        let mut renewal = Renewal::new(client, &choice.organization, &choice.category);
        if let Some(history) = &self.history {
            renewal = renewal.with_history(history.clone());
        }
        let clock = renewal.fetch_server_time().await?;
        // Remembering is a convenience: a read-only data folder must not stop the renewal.
        let _ = self.prefs.remember(&choice);
        self.renewal = Some(renewal);
        self.choice = Some(choice);
        self.place = Some(place);
        self.clock = Some(clock);
        *lock(&self.last_clock) = Some(clock);
        Ok(clock_view(&clock))
    }

    /// Screen 5 【OK】: the current card among the readers, checked before its PIN. Logged in already (after
    /// 【戻る】 on screen 9), it must be the card that logged in, and no PIN follows.
    pub async fn locate_current_card(&mut self) -> Result<CardView, AppError> {
        let pcsc = Pcsc::establish()?;
        let renewal = self.lead()?;
        let found = if renewal.stage() == Stage::LoggedIn {
            locate_logged_in_card(&pcsc, renewal).await?
        } else {
            locate_current_card(&pcsc, renewal, None).await?
        };
        let view = card_view(&found.reader, &found.reading, self.now());
        self.current_reader = Some(found.reader);
        Ok(view)
    }

    /// Screen 6 【OK】: the current card logs in with the PIN typed (one VERIFY, never repeated); 担当者 as
    /// typed beside it goes with the renewal.
    pub async fn login_current(
        &mut self,
        reader: &str,
        pin: &PinInput,
        operator: &str,
    ) -> Result<MenuView, AppError> {
        let mut connection = connect(reader)?;
        let mut card = open(&mut connection)?;
        let renewal = self.renewal_mut()?;
        renewal.set_operator(operator);
        let menu = renewal.login_current(card.as_mut(), &pin.pin()).await?;
        self.current_reader = Some(reader.to_owned());
        let place = self.place()?;
        Ok(menu_view(&menu, &place.organization, &place.category))
    }

    /// Screen 7: the new card, another reader's at once or after the swap; what happens meanwhile goes to
    /// `progress`.
    pub fn wait_new_card(&mut self, progress: ProgressSink) -> Result<CardView, AppError> {
        let current_reader = self.current_reader.clone().ok_or(WaitError::NotLoggedIn)?;
        let pcsc = Pcsc::establish()?;
        let wait = NewCardWait::start(&pcsc, self.lead()?, &current_reader)?;
        *lock(&self.wait) = Some(WaitHandles {
            canceller: wait.canceller(),
            glance: wait.glance(),
        });
        let waited = wait.wait(|event| progress(SwapProgress::from(event)));
        *lock(&self.wait) = None;
        let found = waited?;
        Ok(card_view(&found.reader, &found.reading, self.now()))
    }

    /// Screen 8 【OK】: the new card proves itself in the session; 電子証明書更新確認 comes back.
    pub async fn prove_new_card(
        &mut self,
        reader: &str,
        pin: &PinInput,
    ) -> Result<ConfirmationView, AppError> {
        let mut connection = connect(reader)?;
        let mut card = open(&mut connection)?;
        let confirmation = self
            .renewal_mut()?
            .prove_new_card(card.as_mut(), &pin.pin())
            .await?;
        Ok(confirmation_view(&confirmation))
    }

    /// Screen 9 【戻る】.
    pub fn back(&mut self) -> Result<(), AppError> {
        if let Some(pass) = &mut self.pass {
            return Ok(pass.back()?);
        }
        Ok(self.renewal_mut()?.back()?)
    }

    /// Screen 9 【更新】 (sent again by the workflow's policy while its outcome is open).
    pub async fn commit(&mut self) -> Result<ResultView, AppError> {
        let renewal = self.renewal_mut()?;
        let result = renewal.commit().await?;
        let history_problem = renewal.history_problem().map(ToString::to_string);
        // The old card is replaced: its reminders stop, the new card's begin.
        if let Some(reminders) = &self.reminders {
            reminders.poke();
        }
        Ok(result_view(
            &result,
            &self.place()?.organization,
            history_problem,
        ))
    }

    /// What the card in `reader` shows before its PIN (the tries left for the next PIN dialog).
    pub fn read_card(&self, reader: &str) -> Result<CardView, AppError> {
        let mut connection = connect(reader)?;
        let reading = read_card(open(&mut connection)?.as_mut())?;
        Ok(card_view(reader, &reading, self.now()))
    }

    /// Screen 11: 登録者情報, logged in with the new card.
    pub async fn registration_info(
        &mut self,
        reader: &str,
        pin: &PinInput,
    ) -> Result<InfoView, AppError> {
        let mut connection = connect(reader)?;
        let mut card = open(&mut connection)?;
        let info = self
            .renewal_mut()?
            .registration_info(card.as_mut(), &pin.pin())
            .await?;
        Ok(info_view(&info, &self.place()?.organization))
    }

    /// 利用者登録メニュー's 【登録者情報】: at any time while logged in, over the session (no card, no PIN).
    pub async fn registration_info_now(&mut self) -> Result<InfoView, AppError> {
        let info = self.renewal_mut()?.registration_info_now().await?;
        Ok(info_view(&info, &self.place()?.organization))
    }

    /// 【登録】's form, checked before any card is read or PIN asked: each wrong field named.
    pub fn check_registration(&self, details: &RegistrationDetails) -> Result<(), AppError> {
        let problems = details.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(RenewalError::Form(problems).into())
        }
    }

    /// 【登録】 with the card in `reader` at the organization and category chosen (screen 3): the card is
    /// checked by the server's time before its PIN, then one VERIFY and the application.
    pub async fn register(
        &mut self,
        reader: &str,
        pin: &PinInput,
        details: &RegistrationDetails,
    ) -> Result<ReceiptView, AppError> {
        let choice = self.choice.as_ref().ok_or_else(not_begun)?;
        let mut registering = Registering::new(
            self.client()?.clone(),
            &choice.organization,
            &choice.category,
        );
        let mut connection = connect(reader)?;
        let mut card = open(&mut connection)?;
        let receipt = registering
            .register(card.as_mut(), &pin.pin(), details)
            .await?;
        Ok(receipt_view(&receipt, &self.place()?.organization))
    }

    /// 【変更】's form as registered now, for the logged-in user to edit.
    pub async fn change_form(&mut self) -> Result<RegistrationChange, AppError> {
        Ok(self.renewal_mut()?.change_form().await?)
    }

    /// 【変更】 sent: 登録者情報 as it now stands.
    pub async fn change_registration(
        &mut self,
        change: &RegistrationChange,
    ) -> Result<InfoView, AppError> {
        let info = self.renewal_mut()?.change_registration(change).await?;
        Ok(info_view(&info, &self.place()?.organization))
    }

    /// 【PDFで保存】 on screen 9 or 10: the paper of what the screen shows, by the server's clock.
    pub fn save_paper(&mut self, kind: PaperKind) -> Result<SavedPaper, AppError> {
        let now = self.now();
        let renewal = self.renewal()?;
        let place = self.place()?;
        let context = SheetContext {
            place,
            operator: renewal.operator(),
            printed_at: now,
        };
        let sheet = match kind {
            PaperKind::Confirmation => renewal
                .confirmation()
                .map(|confirmation| confirmation_sheet(confirmation, &context)),
            PaperKind::Completion => renewal
                .result()
                .map(|result| completion_sheet(result, &context)),
        }
        .ok_or_else(|| AppError::new(ErrorCode::WrongState, messages::NO_PAPER))?;
        let organization = place.organization.clone();
        let folder = paper::papers_folder()?;
        let font = match self.font.take() {
            Some(font) => font,
            None => JapaneseFont::find_system().map_err(PaperError::from)?,
        };
        let written = paper::write_paper(&folder, &sheet, &organization, now, &font);
        self.font = Some(font);
        Ok(SavedPaper {
            path: written?.display().to_string(),
        })
    }

    /// Whether a renewal (or まとめて更新) is under way, which an app update must not interrupt.
    pub fn renewal_under_way(&self) -> bool {
        let single = self.renewal.as_ref().map(|r| r.stage());
        let pass = self.pass.as_ref().and_then(|p| p.lead()).map(|r| r.stage());
        single
            .into_iter()
            .chain(pass)
            .any(|stage| stage.under_way())
    }

    /// Ends the server session, if one is open, and forgets the renewal.
    pub async fn end(&mut self) -> Result<(), AppError> {
        self.current_reader = None;
        self.choice = None;
        self.place = None;
        if let Some(mut pass) = self.pass.take() {
            pass.end().await?;
        }
        match self.renewal.take() {
            Some(mut renewal) => Ok(renewal.end().await?),
            None => Ok(()),
        }
    }

    /// Records the card read, where its certificate could be read without the PIN. The history is a
    /// convenience here: a failure is logged, and the screen shows the card all the same.
    async fn remember_card(&self, reading: &CardReading) {
        let (Some(history), Some(certificate)) = (&self.history, &reading.certificate) else {
            return;
        };
        if let Err(error) = remember_card(history, certificate, OffsetDateTime::now_utc()).await {
            tracing::warn!(%error, "the card read could not be recorded in the history");
        }
    }

    /// Now, by the server's clock once it answered (this renewal's, else the last measured), else by the PC's.
    fn now(&self) -> OffsetDateTime {
        self.server_clock()
            .as_ref()
            .map_or_else(OffsetDateTime::now_utc, ServerClock::now)
    }

    fn server_clock(&self) -> Option<ServerClock> {
        self.clock.or_else(|| *lock(&self.last_clock))
    }

    fn client(&self) -> Result<&Client, AppError> {
        self.connection
            .as_ref()
            .map(|c| &c.client)
            .ok_or_else(AppError::server_not_configured)
    }

    fn renewal(&self) -> Result<&Renewal, AppError> {
        self.renewal.as_ref().ok_or_else(not_begun)
    }

    /// The renewal whose checks the card steps use: the one place's, or the pass's first place's.
    fn lead(&self) -> Result<&Renewal, AppError> {
        match (&self.renewal, &self.pass) {
            (Some(renewal), _) => Ok(renewal),
            (None, Some(pass)) => pass.lead().ok_or_else(not_begun),
            (None, None) => Err(not_begun()),
        }
    }

    fn renewal_mut(&mut self) -> Result<&mut Renewal, AppError> {
        self.renewal.as_mut().ok_or_else(not_begun)
    }

    fn place(&self) -> Result<&Place, AppError> {
        self.place.as_ref().ok_or_else(not_begun)
    }
}

/// The card in `reader`, for one step: the connection lives as long as the step.
fn connect(reader: &str) -> Result<PcscCard, AppError> {
    Ok(Pcsc::establish()?.connect(reader)?)
}

/// The card's profile opened in a transaction, which ends (and the card is reset) when it is dropped.
fn open(connection: &mut PcscCard) -> Result<Box<dyn SigningCard + '_>, AppError> {
    Ok(ebid_card::open(connection.transaction()?).map_err(RenewalError::from)?)
}

fn not_begun() -> AppError {
    AppError::new(ErrorCode::WrongState, messages::NOT_BEGUN)
}

/// A lock shared with the UI thread; a panic elsewhere while holding it leaves a value that is still usable.
fn lock<T>(shared: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
