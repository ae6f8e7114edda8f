//! The screens' commands: each one line onto [`Controller`]. Arguments arrive as JSON from the webview;
//! the PIN goes straight into [`PinInput`]'s zeroizing buffer.

use ebid_app::views::{
    CardView, Choice, ClockView, ConfirmationView, InfoView, MenuView, Organizations, Overview,
    ResultView,
};
use ebid_app::{AppError, Controller, PinInput};
use tauri::State;

type Answer<T> = Result<T, AppError>;

#[tauri::command]
pub async fn overview(app: State<'_, Controller>) -> Answer<Overview> {
    app.overview().await
}

#[tauri::command]
pub async fn organizations(app: State<'_, Controller>) -> Answer<Organizations> {
    app.organizations().await
}

#[tauri::command]
pub async fn server_time(app: State<'_, Controller>) -> Answer<ClockView> {
    app.server_time().await
}

#[tauri::command]
pub async fn begin(
    app: State<'_, Controller>,
    organization: String,
    category: String,
) -> Answer<ClockView> {
    app.begin(Choice {
        organization,
        category,
    })
    .await
}

#[tauri::command]
pub async fn locate_current_card(app: State<'_, Controller>) -> Answer<CardView> {
    app.locate_current_card().await
}

#[tauri::command]
pub async fn login_current(
    app: State<'_, Controller>,
    reader: String,
    pin: PinInput,
) -> Answer<MenuView> {
    app.login_current(reader, pin).await
}

#[tauri::command]
pub async fn wait_new_card(app: State<'_, Controller>) -> Answer<CardView> {
    app.wait_new_card().await
}

#[tauri::command]
pub fn cancel_wait(app: State<'_, Controller>) {
    app.cancel_wait();
}

#[tauri::command]
pub async fn prove_new_card(
    app: State<'_, Controller>,
    reader: String,
    pin: PinInput,
) -> Answer<ConfirmationView> {
    app.prove_new_card(reader, pin).await
}

#[tauri::command]
pub async fn back(app: State<'_, Controller>) -> Answer<()> {
    app.back().await
}

#[tauri::command]
pub async fn commit(app: State<'_, Controller>) -> Answer<ResultView> {
    app.commit().await
}

#[tauri::command]
pub async fn read_card(app: State<'_, Controller>, reader: String) -> Answer<CardView> {
    app.read_card(reader).await
}

#[tauri::command]
pub async fn registration_info(
    app: State<'_, Controller>,
    reader: String,
    pin: PinInput,
) -> Answer<InfoView> {
    app.registration_info(reader, pin).await
}

#[tauri::command]
pub async fn end(app: State<'_, Controller>) -> Answer<()> {
    app.end().await
}
