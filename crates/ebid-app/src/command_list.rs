// The app's commands, declared once: name, arguments as the webview sends them, and what each answers
// (every one may also reject with an `AppError`). Everything else follows from this list:
// - the shell's Tauri commands and its `generate_handler!` (`src-tauri/src/commands.rs` expands the list),
// - the commands `src-tauri/build.rs` declares to Tauri's ACL (it `include!`s this file),
// - `src-tauri/capabilities/default.json` and `ui/src/lib/api.ts`, written by `cargo xtask bindings`
//   (`crate::bindings`), which a test keeps current.
// Each command is a method of `Controller` with the same name and arguments, which the compiler checks
// where the shell expands the list. The types are named as the shell sees them; a `Channel<T>` is a
// Tauri channel the webview passes to hear progress.
//
// This file holds only the macro (no `//!` doc, no `use`): the build script includes it as it is.

/// Calls `$callback!` with every command of the app, one `name(arg: Type, …) -> Answer;` each.
#[macro_export]
macro_rules! with_app_commands {
    ($callback:ident) => {
        $callback! {
            connection_settings() -> ConnectionView;
            save_server(server_url: String) -> ConnectionView;
            overview() -> Overview;
            organizations() -> Organizations;
            server_time() -> ClockView;
            begin(organization: String, category: String) -> ClockView;
            locate_current_card() -> CardView;
            login_current(reader: String, pin: PinInput, operator: String) -> MenuView;
            wait_new_card(progress: Channel<SwapProgress>) -> CardView;
            cancel_wait() -> ();
            check_new_card() -> SwapProgress;
            prove_new_card(reader: String, pin: PinInput) -> ConfirmationView;
            back() -> ();
            commit() -> ResultView;
            save_paper(paper: PaperKind) -> SavedPaper;
            read_card(reader: String) -> CardView;
            registration_info(reader: String, pin: PinInput) -> InfoView;
            registration_info_now() -> InfoView;
            check_registration(details: RegistrationDetails) -> ();
            register(reader: String, pin: PinInput, details: RegistrationDetails) -> ReceiptView;
            change_form() -> RegistrationChange;
            change_registration(change: RegistrationChange) -> InfoView;
            pass_candidates() -> Vec<Choice>;
            begin_pass(places: Vec<Choice>) -> ClockView;
            pass_login(reader: String, pin: PinInput, operator: String) -> PassView;
            pass_prove(reader: String, pin: PinInput) -> PassView;
            pass_commit() -> PassView;
            end() -> ();
            dashboard() -> DashboardView;
            card_requests(requests: Channel<OpenCard>) -> ();
            history(query: HistoryQuery) -> HistoryView;
            reminder_settings() -> ReminderSettingsView;
            save_reminder_settings(settings: ReminderSettingsInput) -> ReminderSettingsView;
            watch_updates(updates: Channel<UpdateView>) -> UpdateView;
            check_for_update() -> UpdateView;
            install_update() -> ();
        }
    };
}
