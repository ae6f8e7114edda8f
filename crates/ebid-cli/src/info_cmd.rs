//! `ebid info`: 登録者情報 (業者概要 and 登録利用者一覧), logged in with the card in the reader.

use ebid_workflow::{RenewalError, ServerClock, check_current_card, fetch_server_clock};

use crate::card_pin_step::CardStep;
use crate::connect_args::{ConnectArgs, Connection, runtime};
use crate::narration::Narration;
use crate::workflow_messages::fail;
use crate::{card_slot, clock_view, registration_view};

pub fn run(connect: &ConnectArgs, reader: Option<&str>, pin_stdin: bool) -> anyhow::Result<()> {
    runtime()?.block_on(info(connect, reader, pin_stdin))
}

/// What the card step works on: the server to ask, and where.
struct Target {
    connection: Connection,
    clock: ServerClock,
}

async fn info(connect: &ConnectArgs, reader: Option<&str>, pin_stdin: bool) -> anyhow::Result<()> {
    let connection = connect.connect()?;
    let place = connection.place().await?;
    println!("登録者情報");
    println!("調達機関: {}  【{}】", place.organization, place.category);
    let clock = fetch_server_clock(&connection.client).await.map_err(fail)?;
    clock_view::print(&clock, Narration::Stdout);

    let pcsc = card_slot::establish()?;
    let reader = card_slot::choose(&pcsc, reader)?;
    let step = CardStep {
        pcsc: &pcsc,
        reader: &reader,
        clock: &clock,
        pin_stdin,
        narration: Narration::Stdout,
    };
    let mut target = Target { connection, clock };
    let (menu, info) = step
        .run(
            &mut target,
            async |target, reading| not_expired(target, reading),
            async |target, card, pin| {
                ebid_workflow::registration_info(
                    &target.connection.client,
                    &target.connection.organization,
                    &target.connection.category,
                    &target.clock,
                    card,
                    pin,
                )
                .await
            },
        )
        .await?;
    println!();
    println!("ログイン: {}  {}", menu.company.name, menu.user.holder);
    println!();
    registration_view::print(&info);
    Ok(())
}

/// An expired card is refused at the server's time before its PIN is asked.
fn not_expired(target: &Target, reading: &ebid_workflow::CardReading) -> Result<(), RenewalError> {
    match &reading.certificate {
        Some(certificate) => check_current_card(certificate.der(), target.clock.now()).map(drop),
        None => Ok(()),
    }
}
