// The screen state machine: which screen shows, and what the renewal has gathered so far.
// Screens call the commands themselves (lib/api.ts) and report results here through the transitions below.
import { api } from './api';
import { clock } from './clock.svelte';
import type {
  AppError,
  CardView,
  Category,
  ConfirmationView,
  ConnectionView,
  InfoView,
  MenuView,
  PassPlaceView,
  PassView,
  Organization,
  Overview,
  ResultView,
} from './bindings';
import { endsFlow, isAppError, unexpectedError, type Move } from './messages';

/** The manual's screens by name (its number after each), and the guides behind 【登録】 and 【変更】. */
export type Screen =
  | 'starting' // the configuration not read yet: nothing to show
  | 'connection' // 接続先設定 (not in the manual): no server configured yet, or changing it
  | 'home' // 0 電子入札ホームページ (長崎県's in the manual)
  | 'organizations' // 1 調達機関の選択
  | 'system-select' // 2 システムの選択
  | 'registration' // 3 利用者登録
  | 'menu' // 4 利用者登録メニュー
  | 'confirm-current' // 5 現在のICカードの確認
  | 'login-current' // 6 現在のICカードのPIN番号
  | 'wait-new-card' // 7 ICカードの挿し替え
  | 'prove-new-card' // 8 新しいICカードのPIN番号
  | 'confirmation' // 9 電子証明書更新確認
  | 'done' // 10 更新完了
  | 'info' // 11 登録者情報
  | 'register' // 新規登録 (the menu's 【登録】)
  | 'change' // 変更 (the menu's 【変更】), once logged in
  | 'pass' // まとめてICカード更新 (not in the manual): several 調達機関 with the same two cards
  | 'cards' // ICカードの有効期限 (not in the manual): every card seen, its days left and reminders
  | 'history' // 更新履歴 (not in the manual): every renewal begun on this PC
  | 'reminder-settings'; // 通知設定 (not in the manual)

/** The dialogs over 利用者登録メニュー. */
const DIALOGS: ReadonlySet<Screen> = new Set<Screen>(['confirm-current', 'login-current', 'wait-new-card', 'prove-new-card']);
/** Where 【利用者登録処理】 may (re)open the menu. */
const MENU_REACHABLE_FROM: ReadonlySet<Screen> = new Set<Screen>(['registration', 'menu', 'register', 'change']);
/** Before the renewal is opened (screens 0–2), the page has no side menu. */
const BEFORE_SIDE_MENU: ReadonlySet<Screen> = new Set<Screen>([
  'starting',
  'connection',
  'home',
  'organizations',
  'system-select',
  'cards',
  'history',
  'reminder-settings',
]);

export type Selection = { organization: Organization; category: Category };

class Flow {
  screen = $state<Screen>('starting');
  /** The registration server in force (接続先設定). */
  connection = $state<ConnectionView | null>(null);
  /** Calls to Rust in flight: the page is `aria-busy` meanwhile, as its content is about to change. */
  working = $state(0);
  /** Screen 0's reading of the readers, kept so screen 4 can steer an expired card to 新規登録. */
  overview = $state<Overview | null>(null);
  selection = $state<Selection | null>(null);
  /** `begin` succeeded and `end` has not been called: the server holds a renewal for us. */
  sessionOpen = $state(false);
  /** Set once the current card logged in (screen 6); screen 5 then leads straight to screen 7. */
  menu = $state<MenuView | null>(null);
  currentCard = $state<CardView | null>(null);
  newCard = $state<CardView | null>(null);
  confirmation = $state<ConfirmationView | null>(null);
  result = $state<ResultView | null>(null);
  /** The card a notification was about: the dashboard shows it first. */
  focusedCard = $state<string | null>(null);
  /** 担当者: optional, kept for the session only, shown on 更新完了. */
  operator = $state('');
  /** Where the current card's login (screens 5–6) leads: the swap of ICカード更新, or the 変更 form. */
  afterLogin = $state<'renew' | 'change'>('renew');
  /** 登録者情報 as a 変更 left it: shown as answered, not asked again. */
  changedInfo = $state<InfoView | null>(null);
  /** まとめて更新 is open: screens 5–8 serve every 調達機関 ticked; its own page is under them. */
  passMode = $state(false);
  /** The 調達機関 ticked for まとめて更新, by name, until the first step answers with their states. */
  passNames = $state<string[]>([]);
  /** Each place's state after the pass's last step. */
  pass = $state<PassView | null>(null);

  /** Screens 5–8 are dialogs over 利用者登録メニュー. */
  get dialogOpen(): boolean {
    return DIALOGS.has(this.screen);
  }

  /** The CALS/EC side menu shows from 利用者登録 on. */
  get withSideMenu(): boolean {
    return !BEFORE_SIDE_MENU.has(this.screen);
  }

  /** 【登録者情報】: after 更新 (with the new card), or at any time while logged in (over the session). */
  get infoReachable(): boolean {
    return this.result !== null || (this.sessionOpen && this.menu !== null);
  }

  /** 【利用者登録処理】 may (re)open the menu: not mid-renewal (9 must go through `back`), not after it. */
  get menuReachable(): boolean {
    return this.sessionOpen && MENU_REACHABLE_FROM.has(this.screen);
  }

  /** At start: home, or 接続先設定 when no configuration names a server. */
  async start(): Promise<void> {
    try {
      this.connection = await api.connectionSettings();
    } catch (reason) {
      // Reading settings already read at start cannot fail; if it ever does, asking for the server is safe.
      this.failed(reason);
    }
    this.screen = this.connection?.serverUrl == null ? 'connection' : 'home';
  }

  toConnection(): void {
    this.screen = 'connection';
  }

  /** The dashboard, on `card` when a notification about it was clicked. Not during a renewal's dialogs. */
  toCards(card: string | null = null): void {
    this.focusedCard = card;
    if (!this.dialogOpen) this.screen = 'cards';
  }

  toHistory(): void {
    this.screen = 'history';
  }

  toReminderSettings(): void {
    this.screen = 'reminder-settings';
  }

  /** 接続先設定 saved: a new server, so anything begun on the old one is over. */
  async connected(connection: ConnectionView): Promise<void> {
    this.connection = connection;
    // The new server's session was never opened: forget the old one's without calling it.
    this.sessionOpen = false;
    void clock.refresh();
    await this.home();
  }

  cardsRead(overview: Overview): void {
    this.overview = overview;
  }

  /** 【電子入札 ログイン】, and 戻る from screen 2. */
  toOrganizations(): void {
    this.screen = 'organizations';
  }

  choose(selection: Selection): void {
    this.selection = selection;
    this.screen = 'system-select';
  }

  toRegistration(): void {
    this.screen = 'registration';
  }

  begun(): void {
    this.sessionOpen = true;
  }

  /** Back to 利用者登録メニュー (まとめて更新's page in a pass), or home when the session is gone. */
  async toMenu(): Promise<void> {
    if (this.sessionOpen) this.screen = this.passMode ? 'pass' : 'menu';
    else await this.home();
  }

  /** 【まとめてICカード更新】 opened the pass: the current card's check first, as for one place. */
  passBegun(names: string[]): void {
    this.sessionOpen = true;
    this.passMode = true;
    this.passNames = names;
    this.pass = null;
    this.menu = null;
    this.screen = 'confirm-current';
  }

  /**
   * A PIN step of the pass answered. The PIN asked again for the next place keeps its dialog; else the
   * current card's login leads to the swap (where any place let it in), the new card's proof to the page.
   */
  passStepped(view: PassView, step: 'login' | 'prove'): void {
    this.pass = view;
    if (view.pinAgain !== null) return;
    const loggedIn = view.places.some((place) => place.state === 'logged_in');
    this.screen = step === 'login' && loggedIn ? 'wait-new-card' : 'pass';
  }

  /** 【このICカードだけ…】: one place of a pass alone, as the manual does it, from its screen 3. */
  async renewAlone(place: PassPlaceView): Promise<void> {
    await this.home();
    const category = { id: place.category, name: place.categoryName };
    this.selection = {
      organization: { id: place.organization, name: place.organizationName, categories: [category] },
      category,
    };
    this.screen = 'registration';
  }

  /** 【ICカード更新】 always starts at screen 5, the current card's check (also after 【戻る】 on screen 9). */
  startRenewal(): void {
    this.afterLogin = 'renew';
    this.screen = 'confirm-current';
  }

  /** 【変更】: its form once logged in; before, the current card's check and PIN first (screens 5–6). */
  startChange(): void {
    if (this.menu) {
      this.screen = 'change';
      return;
    }
    this.afterLogin = 'change';
    this.screen = 'confirm-current';
  }

  /** Screen 5 found the current card: its PIN next, unless it has logged in already (then the swap). */
  located(card: CardView): void {
    this.currentCard = card;
    this.screen = this.menu ? 'wait-new-card' : 'login-current';
  }

  loggedIn(menu: MenuView): void {
    this.menu = menu;
    this.screen = this.afterLogin === 'change' ? 'change' : 'wait-new-card';
    this.afterLogin = 'renew';
  }

  newCardFound(card: CardView): void {
    this.newCard = card;
    this.screen = 'prove-new-card';
  }

  proven(confirmation: ConfirmationView): void {
    this.confirmation = confirmation;
    this.screen = 'confirmation';
  }

  /** After `back` on screen 9: the server keeps the login, so the menu is logged in. */
  leftConfirmation(): void {
    this.confirmation = null;
    this.screen = 'menu';
  }

  committed(result: ResultView): void {
    this.result = result;
    this.confirmation = null;
    this.screen = 'done';
  }

  showInfo(): void {
    this.changedInfo = null;
    this.screen = 'info';
  }

  /** 【変更】 answered: 登録者情報 as it now stands, to check. */
  changed(info: InfoView): void {
    this.changedInfo = info;
    this.screen = 'info';
  }

  closeInfo(): void {
    this.changedInfo = null;
    if (this.result) this.screen = 'done';
    else void this.toMenu();
  }

  /** A next-step button (lib/messages.ts). `retry` is the screen's own business. */
  async follow(move: Exclude<Move, 'retry'>): Promise<void> {
    switch (move) {
      case 'register':
        this.screen = 'register';
        return;
      case 'change':
        this.startChange();
        return;
      case 'renew':
        this.startRenewal();
        return;
      case 'login':
        // Log in again from the start: confirm the current card first.
        this.menu = null;
        this.screen = this.sessionOpen ? 'confirm-current' : 'home';
        return;
      case 'home':
        await this.home();
        return;
      case 'settings':
        this.screen = 'connection';
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
    this.afterLogin = 'renew';
    this.changedInfo = null;
    this.passMode = false;
    this.passNames = [];
    this.pass = null;
    this.screen = 'home';
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
