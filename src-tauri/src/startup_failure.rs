//! A start that fails must be seen: a release build on Windows has no console, so the reason goes to a native
//! dialog (and to the log, and to stderr for a terminal).

/// Tells the user why the app could not start, and waits for them to close the message.
pub fn report(reason: &str) {
    log::error!("start-up failed: {reason}");
    eprintln!("ebid-desktop: {reason}");
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("電子入札 ICカード更新")
        .set_description(format!(
            "アプリを起動できませんでした。\n\n{reason}\n\n解決しない場合は、この内容をシステムの管理者にお伝えください。"
        ))
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}
