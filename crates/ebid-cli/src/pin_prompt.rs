//! Asking the PIN: from the terminal without echo, or one line of standard input for scripts. The text
//! goes straight into a zeroizing buffer and from there into [`ebid_card::Pin`].

use std::io::BufRead;

use anyhow::{Context, bail};
use ebid_card::{Pin, PinStatus};
use zeroize::Zeroizing;

/// Shows the tries left, then asks. Refuses to ask for a blocked PIN: any entry would be wasted.
pub fn ask(label: &str, status: PinStatus, from_stdin: bool) -> anyhow::Result<Pin> {
    match status {
        PinStatus::Blocked => {
            bail!("PIN番号がロックされています。ICカードの発行元（認証局）にお問い合わせください。")
        }
        PinStatus::TriesLeft(1) => {
            eprintln!("{label}: 残り1回です。間違えるとICカードがロックされます。")
        }
        PinStatus::TriesLeft(n) => eprintln!("{label}: 残り{n}回"),
        PinStatus::TriesUnknown { low: true } => {
            eprintln!("{label}: 前回の入力に間違いがありました。残り回数はICカードが示しません。")
        }
        PinStatus::Verified | PinStatus::TriesUnknown { low: false } => {}
    }
    let typed = if from_stdin {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("PIN番号を標準入力から読めません")?;
        line
    } else {
        Zeroizing::new(rpassword::prompt_password(format!("{label}: ")).context(
            "PIN番号を端末から読めません（スクリプトからは --pin-stdin を使ってください）",
        )?)
    };
    Ok(Pin::new(&typed))
}
