//! The readers, as the renewal needs them: which card is in which reader (identified by its certificate),
//! and waiting for the swap to the new card (the manual's 新しいICカードが…挿入されていることを確認して) without
//! the user having to say when.
//!
//! A card is told apart by its certificate's fingerprint. A JPKI card gives its signing certificate only
//! after the signing password, so before the PIN it is known only by its profile and tries left: a JPKI
//! card put in counts as a different card here, and the workflow's check after VERIFY (before signing)
//! refuses it if it is the same card after all.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ebid_card::monitor::MonitorCanceller;
use ebid_card::{CardError, Pcsc, ReaderEvent, ReaderMonitor, TransportError};
use time::OffsetDateTime;

use crate::logged::Failure;
use crate::swap_glance::SwapGlance;
use crate::{CardReading, Renewal, RenewalError, read_card};

/// How long the swap to the new card is waited for before the user is asked again (the CLI and the app
/// alike): long enough to find the new card in a drawer, short enough not to hold a reader for ever.
pub const SWAP_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// A reader with a card in it, and what the card showed without its PIN.
#[derive(Debug)]
pub struct ReaderCard {
    pub reader: String,
    pub card: Result<CardReading, RenewalError>,
}

/// A card found in a reader, as it read before its PIN.
#[derive(Debug)]
pub struct CardIn {
    pub reader: String,
    pub reading: CardReading,
}

/// The current card among the readers, checked before its PIN at the renewal's stage (not the new card,
/// not expired at the server's time), `except` a reader the caller reserved for the new card. With cards
/// in two readers the one that passes and expires first is the current one: a new card always outlives it.
pub async fn locate_current_card(
    pcsc: &Pcsc,
    renewal: &Renewal,
    except: Option<&str>,
) -> Result<CardIn, RenewalError> {
    locate(pcsc, except, async |reading| {
        renewal.check_card(reading).await
    })
    .await
}

/// The logged-in card among the readers, found again after 【戻る】 on 電子証明書更新確認: 【ICカード更新】
/// starts over at 現在使用しているICカードが挿入されていることを確認して, and the card in the reader must be the
/// one that logged in (not the new card), though the session still holds its login and no PIN is asked.
pub async fn locate_logged_in_card(pcsc: &Pcsc, renewal: &Renewal) -> Result<CardIn, RenewalError> {
    locate(pcsc, None, async |reading| renewal.check_logged_in(reading)).await
}

/// The first card among the readers (`except` one) that passes `check`, the one that expires first when
/// several do; else the first refusal, else [`RenewalError::NoCurrentCard`].
async fn locate(
    pcsc: &Pcsc,
    except: Option<&str>,
    check: impl AsyncFn(&CardReading) -> Result<(), RenewalError>,
) -> Result<CardIn, RenewalError> {
    let mut passed: Vec<CardIn> = Vec::new();
    let mut refused: Option<RenewalError> = None;
    let readers = pcsc.readers().map_err(CardError::from)?;
    for reader in readers
        .into_iter()
        .filter(|r| r.card_atr.is_some() && Some(r.name.as_str()) != except)
    {
        let checked = match identify(pcsc, &reader.name) {
            Ok(reading) => check(&reading).await.map(|()| reading),
            Err(error) => Err(error),
        };
        match checked {
            Ok(reading) => passed.push(CardIn {
                reader: reader.name,
                reading,
            }),
            Err(error) => {
                tracing::debug!(reader = %reader.name, failure = %Failure(&error), "not the current card");
                refused = refused.or(Some(error));
            }
        }
    }
    passed.sort_by_key(|found| {
        found
            .reading
            .certificate
            .as_ref()
            .map_or(OffsetDateTime::UNIX_EPOCH, |c| c.facts().not_after)
    });
    match (passed.into_iter().next(), refused) {
        (Some(found), _) => {
            tracing::info!(reader = %found.reader, fingerprint = found.reading.fingerprint(), "the current card located");
            Ok(found)
        }
        (None, Some(error)) => Err(error),
        (None, None) => Err(RenewalError::NoCurrentCard),
    }
}

/// Every reader that holds a card, in the service's order, with each card read.
pub fn find_cards(pcsc: &Pcsc) -> Result<Vec<ReaderCard>, TransportError> {
    Ok(pcsc
        .readers()?
        .into_iter()
        .filter(|reader| reader.card_atr.is_some())
        .map(|reader| ReaderCard {
            card: identify(pcsc, &reader.name),
            reader: reader.name,
        })
        .collect())
}

/// Reads the card in `reader` (no PIN): profile, tries left, and its certificate where free to read.
pub fn identify(pcsc: &Pcsc, reader: &str) -> Result<CardReading, RenewalError> {
    let mut connection = pcsc.connect(reader).map_err(CardError::from)?;
    let transaction = connection.transaction().map_err(CardError::from)?;
    let mut card = ebid_card::open(transaction)?;
    read_card(card.as_mut())
}

/// What happened while waiting for the new card, for the screen to say.
#[derive(Debug)]
pub enum SwapEvent {
    /// The card was taken out.
    CardRemoved,
    /// The same card went back in: still waiting for the new one.
    SameCard,
    /// A card went in that could not be read: still waiting.
    Unreadable(RenewalError),
}

#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// No card has logged in yet: there is no current card to swap.
    #[error("現在使用しているICカードでログインしていません。")]
    NotLoggedIn,
    #[error("新しいICカードが挿入されないまま時間が過ぎました。")]
    TimedOut,
    #[error("新しいICカードの待機を取り消しました。")]
    Cancelled,
    #[error("ICカードリーダーが取り外されました。接続を確認してください。")]
    ReaderGone,
    #[error(transparent)]
    Transport(TransportError),
}

/// The wait for the new card (the manual's 新しいICカードが…挿入されていることを確認して): a different card
/// already in another reader is taken at once (two readers, no swap); otherwise the current card's reader
/// is watched until a card other than the logged-in one is put in, for at most [`SWAP_TIMEOUT`].
pub struct NewCardWait {
    pcsc: Pcsc,
    watch: SwapWatch,
    current_reader: String,
    /// The logged-in card's certificate fingerprint.
    current: String,
}

impl NewCardWait {
    /// Starts watching the readers. Call it before telling the user to swap, so that no swap is missed.
    pub fn start(pcsc: &Pcsc, renewal: &Renewal, current_reader: &str) -> Result<Self, WaitError> {
        let current = renewal
            .registered_card()
            .map(|c| c.facts().fingerprint_sha256.clone())
            .ok_or(WaitError::NotLoggedIn)?;
        Ok(Self {
            pcsc: pcsc.clone(),
            watch: SwapWatch::new(pcsc).map_err(WaitError::Transport)?,
            current_reader: current_reader.to_owned(),
            current,
        })
    }

    /// Stops [`NewCardWait::wait`] from another thread (the screen's キャンセル).
    pub fn canceller(&self) -> SwapCanceller {
        self.watch.canceller()
    }

    /// Looks at the readers from another thread while [`NewCardWait::wait`] runs (the screen's 【OK】).
    pub fn glance(&self) -> SwapGlance {
        SwapGlance::new(&self.pcsc, &self.current_reader, &self.current)
    }

    /// The new card and its reader, what happens meanwhile reported through `on_event`.
    pub fn wait(mut self, mut on_event: impl FnMut(SwapEvent)) -> Result<CardIn, WaitError> {
        if let Some(found) = self.in_another_reader()? {
            tracing::info!(reader = %found.reader, fingerprint = found.reading.fingerprint(), "the new card is in another reader: no swap");
            return Ok(found);
        }
        tracing::info!(reader = %self.current_reader, timeout = ?SWAP_TIMEOUT, "waiting for the swap to the new card");
        let reading = self.watch.wait_for_card_change(
            &self.current_reader,
            &self.current,
            SWAP_TIMEOUT,
            |event| {
                tracing::debug!(?event, "while waiting for the new card");
                on_event(event);
            },
        );
        match &reading {
            Ok(reading) => {
                tracing::info!(fingerprint = reading.fingerprint(), "the new card put in")
            }
            Err(error) => tracing::info!(%error, "no new card"),
        }
        Ok(CardIn {
            reader: self.current_reader,
            reading: reading?,
        })
    }

    /// A reader other than the current card's holding a card that is not the logged-in one.
    fn in_another_reader(&self) -> Result<Option<CardIn>, WaitError> {
        let readers = self.pcsc.readers().map_err(WaitError::Transport)?;
        for reader in readers {
            if reader.name == self.current_reader || reader.card_atr.is_none() {
                continue;
            }
            if let Ok(reading) = identify(&self.pcsc, &reader.name)
                && reading.fingerprint() != Some(self.current.as_str())
            {
                return Ok(Some(CardIn {
                    reader: reader.name,
                    reading,
                }));
            }
        }
        Ok(None)
    }
}

/// How often a wait wakes to look at its cancel flag: the service's own cancel wakes it at once, this only
/// covers a cancel that came between two waits.
const CANCEL_CHECK: Duration = Duration::from_secs(1);

/// Watches the readers from its creation on, so that a swap made after it exists is never missed.
pub struct SwapWatch {
    pcsc: Pcsc,
    monitor: ReaderMonitor,
    cancelled: Arc<AtomicBool>,
}

/// Stops a [`SwapWatch::wait_for_card_change`] from another thread (the screen's キャンセル).
#[derive(Clone)]
pub struct SwapCanceller {
    cancelled: Arc<AtomicBool>,
    monitor: MonitorCanceller,
}

impl SwapCanceller {
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        // Wakes a wait in progress; one not yet begun sees the flag.
        let _ = self.monitor.cancel();
    }
}

impl SwapWatch {
    pub fn new(pcsc: &Pcsc) -> Result<Self, TransportError> {
        Ok(Self {
            pcsc: pcsc.clone(),
            monitor: pcsc.monitor()?,
            cancelled: Arc::new(AtomicBool::new(false)),
        })
    }

    pub fn canceller(&self) -> SwapCanceller {
        SwapCanceller {
            cancelled: self.cancelled.clone(),
            monitor: self.monitor.canceller(),
        }
    }

    /// Blocks until `reader` holds a card other than the one whose certificate fingerprint is `current`
    /// (at most `timeout`), and returns what that card shows before its PIN. The same card put back is
    /// reported through `on_event` and the wait goes on.
    pub fn wait_for_card_change(
        &mut self,
        reader: &str,
        current: &str,
        timeout: Duration,
        mut on_event: impl FnMut(SwapEvent),
    ) -> Result<CardReading, WaitError> {
        let deadline = Instant::now() + timeout;
        // A card swapped before the wait began counts.
        let holds_card = self
            .monitor
            .readers()
            .iter()
            .any(|r| r.name == reader && r.card_atr.is_some());
        if holds_card
            && let Ok(reading) = identify(&self.pcsc, reader)
            && reading.fingerprint().is_some_and(|found| found != current)
        {
            return Ok(reading);
        }
        loop {
            if self.cancelled.load(Ordering::SeqCst) {
                return Err(WaitError::Cancelled);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(WaitError::TimedOut);
            }
            let events = match self.monitor.wait(Some(left.min(CANCEL_CHECK))) {
                Ok(events) => events,
                Err(TransportError::Cancelled) => return Err(WaitError::Cancelled),
                Err(error) => return Err(WaitError::Transport(error)),
            };
            for event in events {
                match event {
                    ReaderEvent::ReaderRemoved { reader: gone } if gone == reader => {
                        return Err(WaitError::ReaderGone);
                    }
                    ReaderEvent::CardRemoved { reader: at } if at == reader => {
                        on_event(SwapEvent::CardRemoved);
                    }
                    ReaderEvent::CardInserted { reader: at, .. } if at == reader => {
                        match identify(&self.pcsc, reader) {
                            Ok(reading) if reading.fingerprint() == Some(current) => {
                                on_event(SwapEvent::SameCard);
                            }
                            Ok(reading) => return Ok(reading),
                            Err(error) => on_event(SwapEvent::Unreadable(error)),
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
