//! まとめて更新 on the card thread: ICカード更新 at several 調達機関 with the same two cards, over the
//! workflow's [`RenewalPass`]. Screens 5–8 are those of one place: the current card's search and the new
//! card's wait go through the pass's first place ([`RenewalPass::lead`]); the PIN steps answer with every
//! place's state and, where the card needs it, the words asking its PIN again for the next place.

use ebid_card::{Pcsc, Profile};
use ebid_workflow::messages;
use ebid_workflow::pass::{PassPlace, PassStep, RenewalPass, candidate_places};
use ebid_workflow::readers::identify;
use ebid_workflow::{RenewalError, find_place};

use super::{Flow, connect, lock, not_begun, open};
use crate::error::AppError;
use crate::pin_input::PinInput;
use crate::views::{Choice, ClockView, PassView, clock_view, pass_place_view};

impl Flow {
    /// The places where a valid card in the readers is registered, as the local history knows it and the
    /// server still lists it: preticked for まとめて更新. A card whose certificate needs its PIN first
    /// (JPKI) is not known here: the user ticks its places.
    pub async fn pass_candidates(&self) -> Result<Vec<Choice>, AppError> {
        let Some(history) = &self.history else {
            return Ok(Vec::new());
        };
        let client = self.client()?;
        let pcsc = Pcsc::establish()?;
        let now = self.now();
        let mut choices: Vec<Choice> = Vec::new();
        for reader in pcsc.readers()? {
            if reader.card_atr.is_none() {
                continue;
            }
            // A card that cannot be read here is shown as such on the first screen; it has no candidates.
            let Ok(reading) = identify(&pcsc, &reader.name) else {
                continue;
            };
            let Some(certificate) = &reading.certificate else {
                continue;
            };
            if certificate.facts().not_after < now {
                continue;
            }
            let fingerprint = &certificate.facts().fingerprint_sha256;
            for place in candidate_places(client, history, fingerprint).await? {
                let choice = Choice {
                    organization: place.organization,
                    category: place.category,
                };
                if !choices.contains(&choice) {
                    choices.push(choice);
                }
            }
        }
        Ok(choices)
    }

    /// 【まとめてICカード更新】: a pass over `places`, opened with the server's time. Anything still open is
    /// ended first.
    pub async fn begin_pass(&mut self, places: Vec<Choice>) -> Result<ClockView, AppError> {
        self.end().await?;
        let client = self.client()?.clone();
        let organizations = client.organizations().await?;
        let places = places
            .into_iter()
            .map(|choice| {
                let names = find_place(&organizations, &choice.organization, &choice.category)?;
                Ok(PassPlace {
                    organization: choice.organization,
                    category: choice.category,
                    names,
                })
            })
            .collect::<Result<Vec<_>, RenewalError>>()?;
        if places.is_empty() {
            return Err(not_begun());
        }
        let mut pass = RenewalPass::new(client, places);
        if let Some(history) = &self.history {
            pass = pass.with_history(history.clone());
        }
        let clock = pass.fetch_server_time().await?;
        self.pass = Some(pass);
        self.clock = Some(clock);
        *lock(&self.last_clock) = Some(clock);
        Ok(clock_view(&clock))
    }

    /// Screen 6 of a pass: the current card logs in at every place, its PIN verified once where the card
    /// allows it.
    pub async fn pass_login(
        &mut self,
        reader: &str,
        pin: &PinInput,
        operator: &str,
    ) -> Result<PassView, AppError> {
        let mut connection = connect(reader)?;
        let mut card = open(&mut connection)?;
        let profile = card.profile();
        let pass = self.pass_mut()?;
        pass.set_operator(operator);
        let step = pass.login_current(card.as_mut(), &pin.pin()).await?;
        self.current_reader = Some(reader.to_owned());
        self.pass_view(&step, Some(profile))
    }

    /// Screen 8 of a pass: the new card proves itself at every place logged in.
    pub async fn pass_prove(&mut self, reader: &str, pin: &PinInput) -> Result<PassView, AppError> {
        let mut connection = connect(reader)?;
        let mut card = open(&mut connection)?;
        let profile = card.profile();
        let step = self
            .pass_mut()?
            .prove_new_card(card.as_mut(), &pin.pin())
            .await?;
        self.pass_view(&step, Some(profile))
    }

    /// 【更新】 of a pass: every place on 電子証明書更新確認, each on its own.
    pub async fn pass_commit(&mut self) -> Result<PassView, AppError> {
        self.pass_mut()?.commit().await?;
        // The old card is replaced: its reminders stop, the new card's begin.
        if let Some(reminders) = &self.reminders {
            reminders.poke();
        }
        self.pass_view(&PassStep::Done, None)
    }

    fn pass_view(&self, step: &PassStep, profile: Option<Profile>) -> Result<PassView, AppError> {
        let pass = self.pass.as_ref().ok_or_else(not_begun)?;
        let pin_again = match (step, profile) {
            (PassStep::PinAgain { next }, Some(profile)) => {
                Some(messages::pin_again(profile, next))
            }
            _ => None,
        };
        Ok(PassView {
            places: pass.outcomes().iter().map(pass_place_view).collect(),
            pin_again,
            history_problem: pass.history_problem().map(ToString::to_string),
        })
    }

    fn pass_mut(&mut self) -> Result<&mut RenewalPass, AppError> {
        self.pass.as_mut().ok_or_else(not_begun)
    }
}
