//! The screens' commands, expanded from the app's command list (`ebid_app::with_app_commands!`): each one
//! line onto the [`Controller`] method of the same name and arguments, and `generate_handler!` over all of
//! them. Arguments arrive as JSON from the webview; the PIN goes straight into [`PinInput`]'s zeroizing
//! buffer, and a progress [`Channel`] becomes a plain callback (ebid-app knows no Tauri).

use ebid_app::paper::{PaperKind, SavedPaper};
use ebid_app::views::{
    CardView, Choice, ClockView, ConfirmationView, ConnectionView, DashboardView, HistoryQuery,
    HistoryView, InfoView, MenuView, OpenCard, Organizations, Overview, PassView, ReceiptView,
    RegistrationChange, RegistrationDetails, ReminderSettingsInput, ReminderSettingsView,
    ResultView, SwapProgress, UpdateView,
};
use ebid_app::{AppError, Controller, PinInput};
use tauri::ipc::{Channel, Invoke};
use tauri::{State, Wry};

/// What an argument from the webview becomes for the [`Controller`].
trait ForController {
    type Arg;
    fn for_controller(self) -> Self::Arg;
}

/// Arguments the controller takes as they arrive.
macro_rules! as_they_arrive {
    ($($ty:ty),*) => {
        $(
            impl ForController for $ty {
                type Arg = Self;
                fn for_controller(self) -> Self {
                    self
                }
            }
        )*
    };
}

as_they_arrive!(
    String,
    PinInput,
    HistoryQuery,
    ReminderSettingsInput,
    PaperKind,
    RegistrationDetails,
    RegistrationChange,
    Vec<Choice>
);

impl ForController for Channel<OpenCard> {
    type Arg = Box<dyn Fn(OpenCard) + Send>;
    fn for_controller(self) -> Self::Arg {
        // The window may be reloading; the dashboard is reached from the home screen all the same.
        Box::new(move |request| drop(self.send(request)))
    }
}

impl ForController for Channel<UpdateView> {
    type Arg = Box<dyn Fn(UpdateView) + Send>;
    fn for_controller(self) -> Self::Arg {
        // A window reloaded stops hearing; it asks again when it comes back.
        Box::new(move |update| drop(self.send(update)))
    }
}

impl ForController for Channel<SwapProgress> {
    type Arg = Box<dyn Fn(SwapProgress) + Send>;
    fn for_controller(self) -> Self::Arg {
        // The window may be closing; a lost progress line is harmless.
        Box::new(move |progress| drop(self.send(progress)))
    }
}

macro_rules! commands {
    ($($name:ident ($($arg:ident : $ty:ty),*) -> $answer:ty;)*) => {
        $(
            #[tauri::command]
            async fn $name(
                app: State<'_, Controller>,
                $($arg: $ty),*
            ) -> Result<$answer, AppError> {
                app.$name($($arg.for_controller()),*).await
            }
        )*

        /// Every command of the list, for [`tauri::Builder::invoke_handler`].
        pub fn handler() -> impl Fn(Invoke<Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

ebid_app::with_app_commands!(commands);
