//! `ebid renew`: ICカード更新 without a window, in the manual's steps and words, against a registration server
//! and the cards in the PC/SC readers. Exits 0 only on 更新完了.

use std::path::Path;

use anyhow::{anyhow, bail};
use ebid_card::Pcsc;
use ebid_protocol::RenewalResult;
use ebid_workflow::messages::{self, renewal_error};
use ebid_workflow::readers::{NewCardWait, locate_current_card};
use ebid_workflow::{Renewal, RenewalError, ServerClock, jst_minutes};

use crate::card_pin_step::CardStep;
use crate::connect_args::{ConnectArgs, runtime};
use crate::narration::Narration;
use crate::workflow_messages::fail;
use crate::{card_slot, clock_view, confirmation_view, console, history_file};

pub struct RenewArgs<'a> {
    pub connect: &'a ConnectArgs,
    pub reader: Option<&'a str>,
    pub new_reader: Option<&'a str>,
    pub pin_stdin: bool,
    /// `--history`: the history file, else the default one.
    pub history: Option<&'a Path>,
}

pub fn run(args: &RenewArgs<'_>) -> anyhow::Result<()> {
    runtime()?.block_on(renew(args))
}

async fn renew(args: &RenewArgs<'_>) -> anyhow::Result<()> {
    let connection = args.connect.connect()?;
    let place = connection.place().await?;
    println!("電子入札システム 利用者登録 ICカード更新");
    println!("調達機関: {}  【{}】", place.organization, place.category);
    let mut renewal = Renewal::new(
        connection.client,
        connection.organization,
        connection.category,
    );
    if let Some(history) = history_file::for_renewal(args.history).await {
        renewal = renewal.with_history(history);
    }
    let outcome = run_renewal(&mut renewal, &place.organization, args).await;
    // Said once, whatever the outcome: the renewal went on without the entries.
    if let Some(problem) = renewal.history_problem() {
        eprintln!("{problem}");
        eprintln!("今回の更新は、履歴に一部記録できませんでした。");
    }
    outcome
}

async fn run_renewal(
    renewal: &mut Renewal,
    organization: &str,
    args: &RenewArgs<'_>,
) -> anyhow::Result<()> {
    let clock = renewal.fetch_server_time().await.map_err(fail)?;
    clock_view::print(&clock, Narration::Stdout);

    let pcsc = card_slot::establish()?;
    card_slot::print_overview(&pcsc)?;
    let new_reader = args
        .new_reader
        .map(|wanted| card_slot::choose(&pcsc, Some(wanted)))
        .transpose()?;
    let current_reader = match args.reader {
        Some(wanted) => card_slot::choose(&pcsc, Some(wanted))?,
        None => {
            locate_current_card(&pcsc, renewal, new_reader.as_deref())
                .await
                .map_err(fail)?
                .reader
        }
    };
    if new_reader.as_deref() == Some(current_reader.as_str()) {
        bail!("--reader と --new-reader に同じICカードリーダーが指定されています。");
    }
    println!();
    println!("利用者登録メニュー 【ICカード更新】");
    let readers = Readers {
        pcsc: &pcsc,
        current: &current_reader,
        new: new_reader.as_deref(),
    };
    let outcome = steps(renewal, &readers, &clock, args.pin_stdin).await;
    // The session ends whatever happened (the manual: 【X】ボタンで必ず全てのブラウザを閉じてください).
    let ended = renewal.end().await;
    let result = outcome?;
    print_result(organization, &result);
    match ended {
        Ok(()) => println!("ログアウトしました。"),
        // 更新 is done; a session left open idles out on the server.
        Err(error) => eprintln!("ログアウトできませんでした: {}", renewal_error(&error)),
    }
    Ok(())
}

struct Readers<'a> {
    pcsc: &'a Pcsc,
    current: &'a str,
    /// The second reader holding the new card; `None`: the new card replaces the current one in its reader.
    new: Option<&'a str>,
}

async fn steps(
    renewal: &mut Renewal,
    readers: &Readers<'_>,
    clock: &ServerClock,
    pin_stdin: bool,
) -> anyhow::Result<RenewalResult> {
    println!("現在使用しているICカードが挿入されていることを確認して、【OK】をクリックします。");
    println!("（新しく取得したICカードを挿入していた場合はここで挿し替えてください。）");
    console::ok(pin_stdin)?;
    let current_step = CardStep {
        pcsc: readers.pcsc,
        reader: readers.current,
        clock,
        pin_stdin,
        narration: Narration::Stdout,
    };
    let menu = current_step
        .run(renewal, Renewal::check_card, async |renewal, card, pin| {
            renewal.login_current(card, pin).await
        })
        .await?;
    println!(
        "ログインしました: {}  {}",
        menu.company.name, menu.user.holder
    );
    println!();

    let new_reader = match readers.new {
        Some(reader) => reader.to_owned(),
        None => wait_for_new_card(renewal, readers)?,
    };
    println!("新しいICカード: {new_reader}");
    let new_step = CardStep {
        pcsc: readers.pcsc,
        reader: &new_reader,
        clock,
        pin_stdin,
        narration: Narration::Stdout,
    };
    let confirmation = new_step
        .run(renewal, Renewal::check_card, async |renewal, card, pin| {
            renewal.prove_new_card(card, pin).await
        })
        .await?;
    println!();
    confirmation_view::print(&confirmation);

    if !confirmation.violations.is_empty() {
        println!("【戻る】");
        renewal.back().map_err(fail)?;
        return Err(fail(RenewalError::Violations(confirmation.violations)));
    }
    if !console::renew_or_back()? {
        renewal.back().map_err(fail)?;
        bail!("【戻る】が選ばれました。更新は行っていません。");
    }
    commit(renewal).await
}

/// The manual's swap, noticed by itself: the same card put back is refused and the wait goes on; a new card
/// already in another reader is taken as it is. Returns the new card's reader.
fn wait_for_new_card(renewal: &Renewal, readers: &Readers<'_>) -> anyhow::Result<String> {
    // Watching starts before the instruction, so that no swap is missed.
    let wait = NewCardWait::start(readers.pcsc, renewal, readers.current)
        .map_err(|e| anyhow!(messages::wait_error(&e)))?;
    for line in messages::SWAP_STEPS {
        println!("{line}");
    }
    wait.wait(|event| println!("{}", messages::swap_event(&event)))
        .map(|found| found.reader)
        .map_err(|e| anyhow!(messages::wait_error(&e)))
}

/// 【更新】: the workflow sends it again while its outcome is open, and says so here.
async fn commit(renewal: &mut Renewal) -> anyhow::Result<RenewalResult> {
    let committed = renewal
        .commit_reporting(|resend| {
            eprintln!("{}", renewal_error(resend.cause));
            println!("{}", messages::COMMIT_RESENT);
        })
        .await;
    match committed {
        Ok(result) => Ok(result),
        Err(error @ RenewalError::Client(_)) => bail!(
            "{}\n更新が完了したか確認できません。`ebid info` で登録利用者一覧を確認してください。",
            renewal_error(&error)
        ),
        Err(error) => Err(fail(error)),
    }
}

fn print_result(organization: &str, result: &RenewalResult) {
    println!("更新完了");
    println!("  調達機関              : {organization}");
    println!("  更新前の証明書        : {}", result.old_serial);
    println!("  更新後の証明書        : {}", result.new_serial);
    println!(
        "  更新日時              : {}",
        jst_minutes(result.committed_at)
    );
    println!(
        "新しいICカードでログインすると、【登録者情報】で登録内容を確認できます（ebid info）。"
    );
}
