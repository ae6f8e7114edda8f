//! `ebid change`: 変更 of the registration (企業住所, 代表者氏名, 電話番号, the user's 連絡先), logged in with the
//! card. Only the fields given change; the fields given are checked before the card is touched. Prints
//! 登録者情報 as it stands after the change, for 「変更内容を確認してください」.

use anyhow::bail;
use ebid_workflow::Renewal;
use ebid_workflow::messages::renewal_error;

use crate::card_pin_step::CardStep;
use crate::connect_args::{ConnectArgs, runtime};
use crate::narration::Narration;
use crate::registration_form::{ChangeForm, form_refused};
use crate::workflow_messages::fail;
use crate::{card_slot, clock_view, registration_view};

pub struct ChangeArgs<'a> {
    pub connect: &'a ConnectArgs,
    pub reader: Option<&'a str>,
    pub pin_stdin: bool,
    pub json: bool,
    pub form: &'a ChangeForm,
}

pub fn run(args: &ChangeArgs<'_>) -> anyhow::Result<()> {
    if !args.form.changes_anything() {
        bail!(
            "変更する項目を指定してください（--company-address、--representative、--phone、--department、--contact-name、--contact-address、--contact-phone、--email）。"
        );
    }
    // The card is not touched while a field given is wrong.
    let problems = args.form.problems();
    if !problems.is_empty() {
        return Err(form_refused(&problems));
    }
    runtime()?.block_on(change(args))
}

async fn change(args: &ChangeArgs<'_>) -> anyhow::Result<()> {
    let narration = Narration::beside_json(args.json);
    let connection = args.connect.connect()?;
    let place = connection.place().await?;
    narration.line("電子入札システム 利用者登録 変更");
    narration.line(format_args!(
        "調達機関: {}  【{}】",
        place.organization, place.category
    ));
    // No history: a change is not a renewal attempt.
    let mut renewal = Renewal::new(
        connection.client,
        connection.organization,
        connection.category,
    );
    let clock = renewal.fetch_server_time().await.map_err(fail)?;
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
    let menu = step
        .run(
            &mut renewal,
            Renewal::check_card,
            async |renewal, card, pin| renewal.login_current(card, pin).await,
        )
        .await?;
    narration.line(format_args!(
        "ログインしました: {}  {}",
        menu.company.name, menu.user.holder
    ));
    // What is registered now, with the flags given over it (the server's 変更 replaces every detail).
    let changed = match renewal.change_form().await {
        Ok(registered) => {
            renewal
                .change_registration(&args.form.over(&registered))
                .await
        }
        Err(error) => Err(error),
    };
    // The session ends whatever the change's outcome.
    let ended = renewal.end().await;
    let info = changed.map_err(fail)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&info)?);
    } else {
        println!();
        println!("変更完了");
        println!("変更内容を確認してください。");
        println!();
        registration_view::print(&info);
    }
    match ended {
        Ok(()) => narration.line("ログアウトしました。"),
        // The change is done; a session left open idles out on the server.
        Err(error) => eprintln!("ログアウトできませんでした: {}", renewal_error(&error)),
    }
    Ok(())
}
