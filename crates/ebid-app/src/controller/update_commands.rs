//! アプリの更新's commands: the state with its later changes, 【更新を確認】 and 【今すぐ更新】. None is queued
//! to the card thread: an update is checked and downloaded whatever a renewal is doing, and only installed
//! when none is under way.

use super::Controller;
use crate::error::AppError;
use crate::views::UpdateView;

impl Controller {
    /// The update's state now; `updates` hears every change from now on (progress included).
    pub async fn watch_updates(
        &self,
        updates: Box<dyn Fn(UpdateView) + Send>,
    ) -> Result<UpdateView, AppError> {
        Ok(self.updates.watch(updates))
    }

    /// 【更新を確認】.
    pub async fn check_for_update(&self) -> Result<UpdateView, AppError> {
        Ok(self.updates.check_now().await)
    }

    /// 【今すぐ更新】: download, verify, install, restart; refused while a renewal is under way.
    pub async fn install_update(&self) -> Result<(), AppError> {
        self.updates.install_now().await
    }
}
