// The server's 『年月日時分』 for the header. The server's clock is the one that judges certificate validity.
import { api } from './api';
import type { ClockView } from './bindings';
import { isAppError } from './messages';

const REFRESH_MS = 30_000;

class Clock {
  view = $state<ClockView | null>(null);
  /** The last refresh failed; the header says so instead of showing a stale time as current. */
  unavailable = $state(false);
  /** No server is configured yet (接続先設定): nothing to ask the time of. */
  noServer = $state(false);

  set(view: ClockView): void {
    this.view = view;
    this.unavailable = false;
    this.noServer = false;
  }

  async refresh(): Promise<void> {
    try {
      this.set(await api.serverTime());
    } catch (reason) {
      // The header is informative only: screens that need the server report their own errors.
      this.unavailable = true;
      this.noServer = isAppError(reason) && reason.code === 'server_not_configured';
    }
  }

  /** Refreshes now and every 30 s; returns the stop function. */
  start(): () => void {
    void this.refresh();
    const timer = setInterval(() => void this.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }
}

export const clock = new Clock();
