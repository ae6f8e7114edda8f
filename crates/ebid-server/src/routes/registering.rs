//! 登録 (新規登録): a card not registered here (or whose registration lapsed) applies with its proof over a
//! registration challenge and the details the organization asks. No session: the card cannot log in yet.

use axum::Json;
use axum::extract::State;
use ebid_cert::Certificate;
use ebid_protocol::{
    Challenge, RefusalCode, RegistrationApplication, RegistrationReceipt, RegistrationState,
};

use crate::audited;
use crate::challenge_store::Expected;
use crate::db::applications::{self, ApplicationState, NewApplication};
use crate::db::audit::Action;
use crate::db::organizations::{self, RegistrationMode};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::form::ApplicationForm;
use crate::registering::{self, Activation, Plan};
use crate::state::SharedState;
use crate::{proof, random};

/// `POST` [`ebid_protocol::routes::REGISTRATIONS`]. The form first, before the challenge is used, so that a
/// mistake typed can be corrected and sent again with the same signature; then the challenge, the signature
/// and the trust checks a login's card passes (at the server's time: an expired card is refused); then, in
/// the writer's transaction, the company, the card and its holder ([`crate::registering`]). An immediate
/// organization registers the card at once; an approval organization keeps it pending (仮登録) for its
/// administrator. Every application is audited, accepted or refused.
pub(super) async fn register(
    State(state): State<SharedState>,
    ApiJson(application): ApiJson<RegistrationApplication>,
) -> Result<Json<RegistrationReceipt>, ApiError> {
    let now = state.now();
    let form = ApplicationForm::check(&application.details);
    let proven = form.as_ref().ok().map(|_| {
        let challenge = state
            .challenges
            .consume(&application.proof.challenge_id, Expected::Registration, now)
            .map(|stored| stored.challenge);
        let card = challenge.as_ref().ok().map(|challenge| {
            proof::verify_card(challenge, &application.proof).and_then(|card| {
                // The same trust decisions as a login's, but about a card becoming registered, not the one in use.
                state
                    .trust
                    .validate(card.der(), now)
                    .map(|_| card)
                    .map_err(|error| proof::trust_refusal(&error))
            })
        });
        (challenge, card)
    });

    let receipt = audited::transaction(&state, Action::Registration, now, move |conn, audit| {
        Box::pin(async move {
            let form = form?;
            audit.subject.operator = Some(form.operator.clone());
            let (challenge, card) =
                proven.ok_or_else(|| anyhow::anyhow!("a form without its proof"))?;
            let Challenge {
                organization,
                category,
                ..
            } = challenge?;
            audit.subject.organization = Some(organization.clone());
            let card: Certificate =
                card.ok_or_else(|| anyhow::anyhow!("a challenge without its card"))??;
            audit.subject.serial = Some(card.facts().serial.clone());

            let mode = organizations::registration_mode(conn, &organization)
                .await?
                .ok_or(RefusalCode::UnknownOrganization)?;
            let listed = registering::listed_company(
                conn,
                &organization,
                &form.vendor_number,
                &form.company_name,
                &card,
            )
            .await?;
            let holder = registering::holder_of(&card)?;
            registering::check_card_new(conn, &organization, &card).await?;
            let plan = Plan::find(conn, listed.id, &category, &holder, now).await?;
            let replaced_serial = plan.replaced_serial();

            let (state, became) = match mode {
                RegistrationMode::Immediate => {
                    let activation = Activation {
                        organization: &organization,
                        category: &category,
                        company_id: listed.id,
                        holder: &holder,
                        card: &card,
                        contact: &form.contact,
                    };
                    let became = registering::activate(conn, plan, &activation, now).await?;
                    (ApplicationState::Approved, Some(became))
                }
                RegistrationMode::Approval => (ApplicationState::Pending, None),
            };
            let application_id = random::application_id()?;
            applications::insert(
                conn,
                &NewApplication {
                    id: &application_id,
                    organization: &organization,
                    category: &category,
                    company_id: listed.id,
                    holder: &holder,
                    certificate: &card,
                    contact: &form.contact,
                    operator: &form.operator,
                    state,
                    applied_at: now,
                    became,
                },
            )
            .await?;
            audit.subject.application_id = Some(application_id.clone());
            audit.subject.detail = Some(state.as_str().to_owned());
            Ok(RegistrationReceipt {
                application_id,
                organization,
                category,
                state: match state {
                    ApplicationState::Pending => RegistrationState::Pending,
                    _ => RegistrationState::Active,
                },
                holder,
                serial: card.facts().serial.clone(),
                replaced_serial,
                company: listed.company,
                applied_at: now,
            })
        })
    })
    .await?;
    Ok(Json(receipt))
}
