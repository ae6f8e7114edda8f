// The screen state machine: which screen shows, and what the renewal has gathered so far.
// Screens call the commands themselves (lib/api.ts) and report results here through the transitions below.
import { api, isAppError } from './api';
import type {
  AppError,
  CardView,
  CategoryView,
  ConfirmationView,
  MenuView,
  OrganizationView,
  Overview,
  ResultView,
} from './bindings';
import { endsFlow, unexpectedError, type Move } from './messages';

/** The manual's screens 0–11, and the guides behind 【登録】 and 【変更】. */
export type Screen = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 'register' | 'change';

export type Selection = { organization: OrganizationView; category: CategoryView };

class Flow {
  screen = $state<Screen>(0);
  /** Calls to Rust in flight: the page is `aria-busy` meanwhile, as its content is about to change. */
  working = $state(0);
  /** Screen 0's reading of the readers, kept so screen 4 can steer an expired card to 新規登録. */
  overview = $state<Overview | null>(null);
  selection = $state<Selection | null>(null);
  /** `begin` succeeded and `end` has not been called: the server holds a renewal for us. */
  sessionOpen = $state(false);
  /** Set once the current card logged in (screen 6); 【ICカード更新】 then goes straight to screen 7. */
  menu = $state<MenuView | null>(null);
  currentCard = $state<CardView | null>(null);
  newCard = $state<CardView | null>(null);
  confirmation = $state<ConfirmationView | null>(null);
  result = $state<ResultView | null>(null);
  /** 担当者: optional, kept for the session only, shown on 更新完了. */
  operator = $state('');

  /** Screens 5–8 are dialogs over 利用者登録メニュー. */
  get dialogOpen(): boolean {
    return typeof this.screen === 'number' && this.screen >= 5 && this.screen <= 8;
  }

  /** 【利用者登録処理】 may (re)open the menu: not mid-renewal (9 must go through `back`), not after it. */
  get menuReachable(): boolean {
    return this.sessionOpen && (this.screen === 3 || this.screen === 4 || this.screen === 'register' || this.screen === 'change');
  }

  cardsRead(overview: Overview): void {
    this.overview = overview;
  }

  /** 【電子入札 ログイン】, and 戻る from screen 2. */
  toOrganizations(): void {
    this.screen = 1;
  }

  choose(selection: Selection): void {
    this.selection = selection;
    this.screen = 2;
  }

  toRegistration(): void {
    this.screen = 3;
  }

  begun(): void {
    this.sessionOpen = true;
  }

  /** Back to 利用者登録メニュー, or home when the session is gone (the menu would only fail then). */
  async toMenu(): Promise<void> {
    if (this.sessionOpen) this.screen = 4;
    else await this.home();
  }

  startRenewal(): void {
    this.screen = this.menu ? 7 : 5;
  }

  located(card: CardView): void {
    this.currentCard = card;
    this.screen = 6;
  }

  loggedIn(menu: MenuView): void {
    this.menu = menu;
    this.screen = 7;
  }

  newCardFound(card: CardView): void {
    this.newCard = card;
    this.screen = 8;
  }

  proven(confirmation: ConfirmationView): void {
    this.confirmation = confirmation;
    this.screen = 9;
  }

  /** After `back` on screen 9: the server keeps the login, so the menu is logged in. */
  leftConfirmation(): void {
    this.confirmation = null;
    this.screen = 4;
  }

  committed(result: ResultView): void {
    this.result = result;
    this.confirmation = null;
    this.screen = 10;
  }

  showInfo(): void {
    this.screen = 11;
  }

  closeInfo(): void {
    this.screen = 10;
  }

  /** A next-step button (lib/messages.ts). `retry` is the screen's own business. */
  async follow(move: Exclude<Move, 'retry'>): Promise<void> {
    switch (move) {
      case 'register':
      case 'change':
        this.screen = move;
        return;
      case 'login':
        // Log in again from the start: confirm the current card first.
        this.menu = null;
        this.screen = this.sessionOpen ? 5 : 0;
        return;
      case 'home':
        await this.home();
        return;
    }
  }

  /** Ends the server session if one is open and starts over at screen 0. */
  async home(): Promise<void> {
    await this.endSession();
    this.selection = null;
    this.menu = null;
    this.currentCard = null;
    this.newCard = null;
    this.confirmation = null;
    this.result = null;
    this.operator = '';
    this.screen = 0;
  }

  /** Every rejected command passes through here: errors that end the flow end the server session too. */
  failed(reason: unknown): AppError {
    const error = isAppError(reason) ? reason : unexpectedError(reason);
    if (endsFlow(error)) void this.endSession();
    return error;
  }

  private async endSession(): Promise<void> {
    if (!this.sessionOpen) return;
    this.sessionOpen = false;
    try {
      await api.end();
    } catch {
      // Nothing left to do: the server drops an idle session by itself, and the user has already moved on.
    }
  }
}

export const flow = new Flow();
