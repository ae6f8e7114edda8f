//! The user's answers besides PINs: the manual's 【OK】 and the choice of 【更新】 or 【戻る】. With
//! `--pin-stdin` the script's lines come from standard input, after the PINs.

use std::io::{BufRead, Write};

use anyhow::Context;

/// 【OK】: waits for Enter in a terminal; a script (`--pin-stdin`) is not asked.
pub fn ok(scripted: bool) -> anyhow::Result<()> {
    if scripted {
        return Ok(());
    }
    print!("【OK】 Enterキーを押してください: ");
    std::io::stdout().flush()?;
    read_line().map(drop)
}

/// 【更新】 or 【戻る】: only the word 更新 renews; anything else, or no answer, is 戻る.
pub fn renew_or_back() -> anyhow::Result<bool> {
    print!("【更新】する場合は「更新」、【戻る】場合はそれ以外を入力してください: ");
    std::io::stdout().flush()?;
    let answer = read_line()?;
    println!();
    Ok(answer.trim() == "更新")
}

fn read_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("標準入力を読めません")?;
    Ok(line)
}
