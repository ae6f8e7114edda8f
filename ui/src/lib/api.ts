// Generated from crates/ebid-app/src/command_list.rs by `cargo xtask bindings`. Do not edit: a test fails when stale.
// Every command of the shell, typed. Each rejects with an AppError (lib/messages.ts: isAppError).
import { invoke, type Channel } from '@tauri-apps/api/core';
import type { CardView, ClockView, ConfirmationView, ConnectionView, DashboardView, HistoryQuery, HistoryView, InfoView, MenuView, OpenCard, Organizations, Overview, PaperKind, ReceiptView, RegistrationChange, RegistrationDetails, ReminderSettingsInput, ReminderSettingsView, ResultView, SavedPaper, SwapProgress } from './bindings';

export const api = {
  connectionSettings: () => invoke<ConnectionView>('connection_settings'),
  saveServer: (args: { serverUrl: string }) => invoke<ConnectionView>('save_server', args),
  overview: () => invoke<Overview>('overview'),
  organizations: () => invoke<Organizations>('organizations'),
  serverTime: () => invoke<ClockView>('server_time'),
  begin: (args: { organization: string; category: string }) => invoke<ClockView>('begin', args),
  locateCurrentCard: () => invoke<CardView>('locate_current_card'),
  loginCurrent: (args: { reader: string; pin: string; operator: string }) => invoke<MenuView>('login_current', args),
  waitNewCard: (args: { progress: Channel<SwapProgress> }) => invoke<CardView>('wait_new_card', args),
  cancelWait: () => invoke<null>('cancel_wait'),
  checkNewCard: () => invoke<SwapProgress>('check_new_card'),
  proveNewCard: (args: { reader: string; pin: string }) => invoke<ConfirmationView>('prove_new_card', args),
  back: () => invoke<null>('back'),
  commit: () => invoke<ResultView>('commit'),
  savePaper: (args: { paper: PaperKind }) => invoke<SavedPaper>('save_paper', args),
  readCard: (args: { reader: string }) => invoke<CardView>('read_card', args),
  registrationInfo: (args: { reader: string; pin: string }) => invoke<InfoView>('registration_info', args),
  registrationInfoNow: () => invoke<InfoView>('registration_info_now'),
  checkRegistration: (args: { details: RegistrationDetails }) => invoke<null>('check_registration', args),
  register: (args: { reader: string; pin: string; details: RegistrationDetails }) => invoke<ReceiptView>('register', args),
  changeForm: () => invoke<RegistrationChange>('change_form'),
  changeRegistration: (args: { change: RegistrationChange }) => invoke<InfoView>('change_registration', args),
  end: () => invoke<null>('end'),
  dashboard: () => invoke<DashboardView>('dashboard'),
  cardRequests: (args: { requests: Channel<OpenCard> }) => invoke<null>('card_requests', args),
  history: (args: { query: HistoryQuery }) => invoke<HistoryView>('history', args),
  reminderSettings: () => invoke<ReminderSettingsView>('reminder_settings'),
  saveReminderSettings: (args: { settings: ReminderSettingsInput }) => invoke<ReminderSettingsView>('save_reminder_settings', args),
};
