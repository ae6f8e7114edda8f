//! One card step of `ebid renew` / `ebid info`: the card in a reader is opened, shown, checked before its
//! PIN, then the PIN is asked (tries left first) and the step runs. In a terminal a wrong or malformed PIN
//! is asked again, with the tries left; a script (`--pin-stdin`) gives each PIN once, so it stops there.

use anyhow::anyhow;
use ebid_card::{CardError, Pcsc, Pin, SigningCard};
use ebid_workflow::{CardReading, RenewalError, ServerClock, read_card};

use crate::workflow_messages::fail;
use ebid_workflow::messages;

use crate::narration::Narration;
use crate::{card_slot, pin_prompt};

pub struct CardStep<'a> {
    pub pcsc: &'a Pcsc,
    pub reader: &'a str,
    pub clock: &'a ServerClock,
    pub pin_stdin: bool,
    /// Where the card and the PIN's request are shown.
    pub narration: Narration,
}

impl CardStep<'_> {
    /// Runs `act` with the card in the reader and the PIN typed, after `check` passed on what the card
    /// shows without a PIN. `state` is what both work on (the renewal, or the server to ask).
    pub async fn run<S, T>(
        &self,
        state: &mut S,
        check: impl AsyncFn(&S, &CardReading) -> Result<(), RenewalError>,
        mut act: impl AsyncFnMut(&mut S, &mut dyn SigningCard, &Pin) -> Result<T, RenewalError>,
    ) -> anyhow::Result<T> {
        let mut connection = self
            .pcsc
            .connect(self.reader)
            .map_err(|e| anyhow!(messages::transport_error(&e)))?;
        let transaction = connection
            .transaction()
            .map_err(|e| anyhow!(messages::transport_error(&e)))?;
        let mut card =
            ebid_card::open(transaction).map_err(|e| anyhow!(messages::card_error(&e)))?;
        let reading = read_card(card.as_mut()).map_err(fail)?;
        card_slot::print_card(self.reader, &reading, self.clock, self.narration);
        check(state, &reading).await.map_err(fail)?;
        let label = messages::pin_label(reading.profile);
        let mut status = reading.pin;
        loop {
            self.narration
                .line(format_args!("{label}を入力してください。"));
            let pin = pin_prompt::ask(label, status, self.pin_stdin)?;
            match act(state, card.as_mut(), &pin).await {
                Err(RenewalError::Card(
                    error @ (CardError::WrongPin { .. }
                    | CardError::WrongPinTriesUnknown
                    | CardError::PinFormat(_)),
                )) if !self.pin_stdin => {
                    eprintln!("{}", messages::card_error(&error));
                    status = card
                        .pin_status()
                        .map_err(|e| anyhow!(messages::card_error(&e)))?;
                }
                outcome => return outcome.map_err(fail),
            }
        }
    }
}
