//! 登録 (新規登録): a card that is not registered at an organization (never, or no longer: its holder's
//! earlier card lapsed) registers there with the details the organization asks. The same steps as a
//! login: the server's time first (validity is judged by it), the details checked before the card is
//! touched, a registration challenge checked before the card signs it, the card checked before its PIN,
//! one VERIFY and one signature, then the application. The server decides; an organization may hold the
//! registration as 仮登録 until its administrator approves it.

use ebid_card::{Pin, SigningCard};
use ebid_cert::Certificate;
use ebid_client::Client;
use ebid_protocol::{
    Purpose, Refusal, RefusalCode, RegistrationApplication, RegistrationDetails,
    RegistrationReceipt,
};

use crate::card_step::{Unlock, check_before_pin, verify_and_sign};
use crate::session::Target;
use crate::{CardReading, RenewalError, ServerClock, fetch_server_clock};

/// 新規登録 at one organization and category.
pub struct Registering {
    client: Client,
    organization: String,
    category: String,
    clock: Option<ServerClock>,
}

impl Registering {
    pub fn new(
        client: Client,
        organization: impl Into<String>,
        category: impl Into<String>,
    ) -> Self {
        Self {
            client,
            organization: organization.into(),
            category: category.into(),
            clock: None,
        }
    }

    /// The server's time, by which the card's validity is judged. First, as for ICカード更新.
    pub async fn fetch_server_time(&mut self) -> Result<ServerClock, RenewalError> {
        let clock = fetch_server_clock(&self.client).await?;
        self.clock = Some(clock);
        Ok(clock)
    }

    /// What the card in the reader shows before its PIN must allow a registration: valid at the server's
    /// time. (A card whose certificate is not free to read is checked after VERIFY, before it signs.)
    pub fn check_card(&self, reading: &CardReading) -> Result<(), RenewalError> {
        match &reading.certificate {
            Some(certificate) => self.valid_now(certificate),
            None => Ok(()),
        }
    }

    /// Registers the card in the reader with `details`: nothing touches the card while a detail is wrong
    /// ([`RenewalError::Form`]). Sent once; the answer says whether the card logs in now or waits for the
    /// organization's approval ([`ebid_protocol::RegistrationState::Pending`]).
    pub async fn register(
        &mut self,
        card: &mut dyn SigningCard,
        pin: &Pin,
        details: &RegistrationDetails,
    ) -> Result<RegistrationReceipt, RenewalError> {
        let problems = details.problems();
        if !problems.is_empty() {
            return Err(RenewalError::Form(problems));
        }
        let clock = match self.clock {
            Some(clock) => clock,
            None => self.fetch_server_time().await?,
        };
        let target = Target {
            client: &self.client,
            organization: &self.organization,
            category: &self.category,
            clock: &clock,
        };
        let challenge = target.challenge(Purpose::Registration, None).await?;
        let check = |certificate: &Certificate| self.valid_now(certificate);
        let reading = check_before_pin(card, &check)?;
        let (proof, certificate) =
            verify_and_sign(card, &mut Unlock::Pin(pin), reading, &challenge, &check)?;
        tracing::info!(organization = %self.organization, category = %self.category, serial = %certificate.facts().serial, "新規登録: application sent");
        let receipt = self
            .client
            .register(&RegistrationApplication {
                proof,
                details: details.clone(),
            })
            .await?;
        tracing::info!(application = %receipt.application_id, state = ?receipt.state, "新規登録: answered");
        Ok(receipt)
    }

    fn valid_now(&self, certificate: &Certificate) -> Result<(), RenewalError> {
        let Some(clock) = &self.clock else {
            return Ok(());
        };
        if clock.now() > certificate.facts().not_after {
            return Err(RenewalError::Refused(Refusal::from(
                RefusalCode::CertificateExpired,
            )));
        }
        Ok(())
    }
}
