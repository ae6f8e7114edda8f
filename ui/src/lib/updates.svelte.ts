// アプリの更新 as the window follows it: the state Rust keeps (checked at start and every few hours, even with
// the window closed), each change heard over one Channel, and the user's two actions.
import { Channel } from '@tauri-apps/api/core';
import { api } from './api';
import type { AppError, UpdateView } from './bindings';

class Updates {
  view = $state<UpdateView | null>(null);
  /** 【今すぐ更新】 refused before it began (a renewal under way): shown beside the button. */
  refusal = $state<AppError | null>(null);
  checking = $state(false);
  /** 【あとで】: the offer of this version is not shown again in this window. */
  laterFor = $state<string | null>(null);

  start(): void {
    const updates = new Channel<UpdateView>();
    updates.onmessage = (view) => (this.view = view);
    api
      .watchUpdates({ updates })
      .then((view) => (this.view = view))
      .catch((reason: unknown) => (this.refusal = reason as AppError));
  }

  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    this.laterFor = null;
    try {
      this.view = await api.checkForUpdate();
    } finally {
      this.checking = false;
    }
  }

  async install(): Promise<void> {
    this.refusal = null;
    try {
      await api.installUpdate();
    } catch (reason) {
      // A refused download or install is shown by the state already; a refusal before it began is not.
      if (this.view?.state.kind !== 'failed') this.refusal = reason as AppError;
    }
  }
}

export const updates = new Updates();
