//! `ebid register`: 新規登録 of the card in the reader at a 調達機関, with the details the organization asks
//! (業者番号, 商号又は名称, 連絡先, 担当者). The details are checked before the card is touched; the card is shown,
//! checked at the server's time and its tries left said before its PIN. Exits 0 once the server took the
//! application: 登録完了, or 仮登録 awaiting the organization's approval.

use ebid_protocol::{RegistrationDetails, RegistrationReceipt};
use ebid_workflow::registering::Registering;
use ebid_workflow::{Place, jst_minutes, messages};

use crate::card_pin_step::CardStep;
use crate::connect_args::{ConnectArgs, runtime};
use crate::narration::Narration;
use crate::registration_form::form_refused;
use crate::workflow_messages::fail;
use crate::{card_slot, clock_view};

pub struct RegisterArgs<'a> {
    pub connect: &'a ConnectArgs,
    pub reader: Option<&'a str>,
    pub pin_stdin: bool,
    pub json: bool,
    pub details: RegistrationDetails,
}

pub fn run(args: &RegisterArgs<'_>) -> anyhow::Result<()> {
    // Nothing is asked of the server or the card while a detail is wrong.
    let problems = args.details.problems();
    if !problems.is_empty() {
        return Err(form_refused(&problems));
    }
    runtime()?.block_on(register(args))
}

async fn register(args: &RegisterArgs<'_>) -> anyhow::Result<()> {
    let narration = Narration::beside_json(args.json);
    let connection = args.connect.connect()?;
    let place = connection.place().await?;
    narration.line("電子入札システム 利用者登録 新規登録");
    narration.line(format_args!(
        "調達機関: {}  【{}】",
        place.organization, place.category
    ));
    let mut registering = Registering::new(
        connection.client,
        connection.organization,
        connection.category,
    );
    let clock = registering.fetch_server_time().await.map_err(fail)?;
    clock_view::print(&clock, narration);

    let pcsc = card_slot::establish()?;
    let reader = card_slot::choose(&pcsc, args.reader)?;
    let step = CardStep {
        pcsc: &pcsc,
        reader: &reader,
        clock: &clock,
        pin_stdin: args.pin_stdin,
        narration,
    };
    let receipt = step
        .run(
            &mut registering,
            async |registering, reading| registering.check_card(reading),
            async |registering, card, pin| registering.register(card, pin, &args.details).await,
        )
        .await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&receipt)?);
    } else {
        println!();
        print_receipt(&place, &receipt);
    }
    Ok(())
}

fn print_receipt(place: &Place, receipt: &RegistrationReceipt) {
    println!("{}", messages::registration_state(receipt.state));
    println!("{}", messages::registration_state_note(receipt.state));
    println!("  受付番号              : {}", receipt.application_id);
    println!(
        "  調達機関              : {}  【{}】",
        place.organization, place.category
    );
    println!(
        "  業者番号              : {}",
        receipt.company.vendor_number
    );
    println!("  企業名称              : {}", receipt.company.name);
    println!("  ICカード取得者氏名    : {}", receipt.holder);
    println!("  証明書シリアル番号    : {}", receipt.serial);
    if let Some(replaced) = &receipt.replaced_serial {
        println!("  置き換えた証明書      : {replaced}（有効期限が切れたICカード）");
    }
    println!(
        "  申請日時              : {}",
        jst_minutes(receipt.applied_at)
    );
}
