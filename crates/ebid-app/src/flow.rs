//! The app's renewal, on the thread that owns the cards: each method is one command of the screens, over
//! the same [`Renewal`] the CLI drives. It finds the cards in the readers, opens the one a step needs for
//! that step only, and keeps what the screens cannot: the renewal's state, which reader holds which card.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ebid_card::{Pcsc, PcscCard, SigningCard};
use ebid_client::Client;
use ebid_protocol::Organization;
use ebid_workflow::readers::{SwapCanceller, SwapWatch, identify};
use ebid_workflow::{CardReading, Renewal, RenewalError, ServerClock, read_card};
use time::OffsetDateTime;

use crate::error::{AppError, ErrorCode};
use crate::pin_input::PinInput;
use crate::prefs::Prefs;
use crate::views::{
    CardView, Choice, ClockView, ConfirmationView, InfoView, MenuView, Organizations, Overview,
    ReaderSlot, ResultView, SwapProgress, card_view, clock_view, confirmation_view, info_view,
    menu_view, organization_view, result_view,
};

/// How long screen 7 waits for the new card.
const SWAP_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// 【更新】 is sent at most this many times when its answer is lost (the server's commit is idempotent).
const COMMIT_ATTEMPTS: u32 = 3;
/// The pause before sending 【更新】 again, to let a network hiccup pass.
const COMMIT_PAUSE: Duration = Duration::from_secs(2);

/// Where the screens send swap progress (screen 7).
pub type ProgressSink = Arc<dyn Fn(SwapProgress) + Send + Sync>;
/// The wait of screen 7, cancellable from the UI thread while the card thread is blocked in it.
pub type SharedCanceller = Arc<Mutex<Option<SwapCanceller>>>;

/// The organization and category of the renewal, as the server names them.
struct Place {
    organization: String,
    category: String,
}

pub struct Flow {
    client: Client,
    server_url: String,
    prefs: Prefs,
    progress: ProgressSink,
    canceller: SharedCanceller,
    renewal: Option<Renewal>,
    place: Option<Place>,
    clock: Option<ServerClock>,
    /// The reader of the card that logged in.
    current_reader: Option<String>,
}

impl Flow {
    pub fn new(
        client: Client,
        server_url: String,
        prefs: Prefs,
        progress: ProgressSink,
        canceller: SharedCanceller,
    ) -> Self {
        Self {
            client,
            server_url,
            prefs,
            progress,
            canceller,
            renewal: None,
            place: None,
            clock: None,
            current_reader: None,
        }
    }

    /// Screen 0: every reader, and what its card shows before any PIN.
    pub fn overview(&self) -> Result<Overview, AppError> {
        let pcsc = Pcsc::establish()?;
        let now = self.now();
        let readers = pcsc
            .readers()?
            .into_iter()
            .map(|reader| {
                let (card, problem) = match reader.card_atr {
                    None => (None, None),
                    Some(_) => match identify(&pcsc, &reader.name) {
                        Ok(reading) => (Some(card_view(&reader.name, &reading, now)), None),
                        Err(error) => (None, Some(AppError::from(error).message)),
                    },
                };
                ReaderSlot {
                    reader: reader.name,
                    card,
                    problem,
                }
            })
            .collect();
        Ok(Overview {
            readers,
            server_url: self.server_url.clone(),
        })
    }

    /// Screen 1: the server's organizations, and the choice made last time on this PC.
    pub async fn organizations(&self) -> Result<Organizations, AppError> {
        let organizations = self.client.organizations().await?;
        Ok(Organizations {
            organizations: organizations.iter().map(organization_view).collect(),
            last: self.prefs.last_choice(),
        })
    }

    /// Screen 3: a renewal at the chosen organization and category, opened with the server's time. Any
    /// renewal still open is ended first.
    pub async fn begin(&mut self, choice: Choice) -> Result<ClockView, AppError> {
        self.end().await?;
        let organizations = self.client.organizations().await?;
        let place = find_place(&organizations, &choice)?;
        let mut renewal = Renewal::new(self.client.clone(), &choice.organization, &choice.category);
        let clock = renewal.fetch_server_time().await?;
        // Remembering is a convenience: a read-only data folder must not stop the renewal.
        let _ = self.prefs.remember(&choice);
        self.renewal = Some(renewal);
        self.place = Some(place);
        self.clock = Some(clock);
        Ok(clock_view(&clock))
    }

    /// Screen 5 【OK】: the current card among the readers, checked before its PIN (not the new card, not
    /// expired at the server's time). With cards in two readers the one that passes and expires first is
    /// the current one: a new card always outlives it.
    pub fn locate_current_card(&mut self) -> Result<CardView, AppError> {
        let renewal = self.renewal()?;
        let pcsc = Pcsc::establish()?;
        let mut passed: Vec<(String, CardReading)> = Vec::new();
        let mut refused: Option<RenewalError> = None;
        for reader in pcsc.readers()?.into_iter().filter(|r| r.card_atr.is_some()) {
            let checked = identify(&pcsc, &reader.name)
                .and_then(|reading| renewal.check_card(&reading).map(|()| reading));
            match checked {
                Ok(reading) => passed.push((reader.name, reading)),
                Err(error) => refused = refused.or(Some(error)),
            }
        }
        passed.sort_by_key(|(_, reading)| {
            reading
                .certificate
                .as_ref()
                .map(|c| c.facts().not_after)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        });
        match (passed.into_iter().next(), refused) {
            (Some((reader, reading)), _) => {
                let view = card_view(&reader, &reading, self.now());
                self.current_reader = Some(reader);
                Ok(view)
            }
            (None, Some(error)) => Err(error.into()),
            (None, None) => Err(AppError::new(
                ErrorCode::NoCard,
                "ICカードが挿入されていません。現在使用しているICカードをICカードリーダーに挿入してください。",
            )),
        }
    }

    /// Screen 6 【OK】: the current card logs in with the PIN typed (one VERIFY, never repeated).
    pub async fn login_current(
        &mut self,
        reader: &str,
        pin: &PinInput,
    ) -> Result<MenuView, AppError> {
        let mut connection = connect(reader)?;
        let mut card = open(&mut connection)?;
        let menu = self
            .renewal_mut()?
            .login_current(card.as_mut(), &pin.pin())
            .await?;
        self.current_reader = Some(reader.to_owned());
        let place = self.place()?;
        Ok(menu_view(&menu, &place.organization, &place.category))
    }

    /// Screen 7: the new card. Another reader already holding a different card is taken at once (two
    /// readers: no swap); otherwise the current card's reader is watched until a different card is put in,
    /// the same card put back being reported and waited past.
    pub fn wait_new_card(&mut self) -> Result<CardView, AppError> {
        let current_reader = self.current_reader.clone().ok_or_else(|| {
            AppError::new(
                ErrorCode::WrongState,
                "現在のICカードでログインしていません。",
            )
        })?;
        let current = self
            .renewal()?
            .registered_card()
            .map(|c| c.facts().fingerprint_sha256.clone())
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::WrongState,
                    "ログインしたICカードが分かりません。",
                )
            })?;
        let pcsc = Pcsc::establish()?;
        // Watching starts before the other readers are looked at, so that no swap is missed.
        let mut watch = SwapWatch::new(&pcsc)?;
        if let Some((reader, reading)) =
            self.card_in_another_reader(&pcsc, &current_reader, &current)?
        {
            return Ok(card_view(&reader, &reading, self.now()));
        }
        *lock(&self.canceller) = Some(watch.canceller());
        let progress = self.progress.clone();
        let waited = watch.wait_for_card_change(&current_reader, &current, SWAP_TIMEOUT, |event| {
            progress(SwapProgress::from(event));
        });
        *lock(&self.canceller) = None;
        let reading = waited?;
        Ok(card_view(&current_reader, &reading, self.now()))
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
        Ok(self.renewal_mut()?.back()?)
    }

    /// Screen 9 【更新】, sent again when its answer was lost: the server commits once and repeats its answer.
    pub async fn commit(&mut self) -> Result<ResultView, AppError> {
        let mut attempt = 1;
        let result = loop {
            match self.renewal_mut()?.commit().await {
                Ok(result) => break result,
                Err(RenewalError::Client(error))
                    if error.is_retryable() && attempt < COMMIT_ATTEMPTS =>
                {
                    attempt += 1;
                    tokio::time::sleep(COMMIT_PAUSE).await;
                }
                Err(error) => return Err(error.into()),
            }
        };
        Ok(result_view(&result, &self.place()?.organization))
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

    /// Ends the server session, if one is open, and forgets the renewal.
    pub async fn end(&mut self) -> Result<(), AppError> {
        self.current_reader = None;
        self.place = None;
        match self.renewal.take() {
            Some(mut renewal) => Ok(renewal.end().await?),
            None => Ok(()),
        }
    }

    /// A reader other than `current_reader` holding a card that is not the logged-in one.
    fn card_in_another_reader(
        &self,
        pcsc: &Pcsc,
        current_reader: &str,
        current: &str,
    ) -> Result<Option<(String, CardReading)>, AppError> {
        for reader in pcsc.readers()? {
            if reader.name == current_reader || reader.card_atr.is_none() {
                continue;
            }
            if let Ok(reading) = identify(pcsc, &reader.name)
                && reading.fingerprint() != Some(current)
            {
                return Ok(Some((reader.name, reading)));
            }
        }
        Ok(None)
    }

    /// Now, by the server's clock once it answered, else by the PC's.
    fn now(&self) -> OffsetDateTime {
        self.clock
            .as_ref()
            .map_or_else(OffsetDateTime::now_utc, ServerClock::now)
    }

    fn renewal(&self) -> Result<&Renewal, AppError> {
        self.renewal.as_ref().ok_or_else(not_begun)
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
    AppError::new(
        ErrorCode::WrongState,
        "利用者登録が始まっていません。調達機関を選択してください。",
    )
}

fn find_place(organizations: &[Organization], choice: &Choice) -> Result<Place, AppError> {
    let organization = organizations
        .iter()
        .find(|o| o.id == choice.organization)
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::WrongState,
                "選択した調達機関がサーバにありません。調達機関を選択し直してください。",
            )
        })?;
    let category = organization
        .categories
        .iter()
        .find(|c| c.id == choice.category)
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::WrongState,
                "選択した区分がこの調達機関にありません。選択し直してください。",
            )
        })?;
    Ok(Place {
        organization: organization.name.clone(),
        category: category.name.clone(),
    })
}

/// The canceller's lock; a panic elsewhere while holding it leaves a value that is still usable.
fn lock(canceller: &SharedCanceller) -> std::sync::MutexGuard<'_, Option<SwapCanceller>> {
    canceller
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
