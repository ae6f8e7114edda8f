// The one place that knows the shell's command and event names. Every command rejects with an AppError.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  AppError,
  CardView,
  Choice,
  ClockView,
  ConfirmationView,
  InfoView,
  MenuView,
  Organizations,
  Overview,
  ResultView,
  SwapProgress,
} from './bindings';

/** A card and the PIN that unlocks it; the caller drops the PIN as soon as the promise settles. */
export type PinArgs = { reader: string; pin: string };

export const api = {
  overview: () => invoke<Overview>('overview'),
  organizations: () => invoke<Organizations>('organizations'),
  serverTime: () => invoke<ClockView>('server_time'),
  begin: (choice: Choice) => invoke<ClockView>('begin', choice),
  locateCurrentCard: () => invoke<CardView>('locate_current_card'),
  loginCurrent: (args: PinArgs) => invoke<MenuView>('login_current', args),
  waitNewCard: () => invoke<CardView>('wait_new_card'),
  cancelWait: () => invoke<null>('cancel_wait'),
  proveNewCard: (args: PinArgs) => invoke<ConfirmationView>('prove_new_card', args),
  back: () => invoke<null>('back'),
  commit: () => invoke<ResultView>('commit'),
  readCard: (reader: string) => invoke<CardView>('read_card', { reader }),
  registrationInfo: (args: PinArgs) => invoke<InfoView>('registration_info', args),
  end: () => invoke<null>('end'),
};

/** Live messages while wait_new_card runs (card removed, same card, unreadable). */
export function onSwapProgress(handler: (progress: SwapProgress) => void): Promise<UnlistenFn> {
  return listen<SwapProgress>('swap-progress', (event) => handler(event.payload));
}

export function isAppError(value: unknown): value is AppError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['code'] === 'string' && typeof candidate['message'] === 'string';
}
