// What the UI offers after an error. The Japanese error text itself comes from Rust and is shown as is;
// this file only decides which button follows it.
import type { AppError, ErrorCode, NextStep, NextStepView } from './bindings';

/** Where a next-step button leads. `retry` stays on the screen; `home` ends the session. */
export type Move = 'register' | 'change' | 'renew' | 'retry' | 'login' | 'home' | 'settings';

export type NextAction = { move: Move; label: string };

const LABELS: Record<Move, string> = {
  register: '新規登録',
  change: '変更',
  renew: 'ICカード更新',
  retry: 'もう一度',
  login: 'ログインし直す',
  home: 'トップへ戻る',
  settings: '接続先設定',
};

const BY_STEP: Record<NextStep, Move> = {
  new_registration: 'register',
  change: 'change',
  retry: 'retry',
  login: 'login',
  // Nothing this app can do: the card's issuer must act, so the renewal ends here.
  contact_issuer: 'home',
  renew: 'renew',
  // The form that was sent is still on screen: correcting it there is the retry.
  correct: 'retry',
};

/** Used when Rust sent no nextStep. A Record, so a new ErrorCode in bindings.ts fails `npm run check`. */
const BY_CODE: Record<ErrorCode, Move | null> = {
  wrong_pin: 'retry',
  // まとめて更新: the same new card goes to every place; put it back and prove again.
  not_the_new_card: 'retry',
  pin_blocked: 'home',
  pin_format: 'retry',
  no_reader: 'retry',
  no_card: 'retry',
  card_removed: 'retry',
  card_unreadable: 'retry',
  reader_gone: 'retry',
  same_card: 'retry',
  new_card_in_reader: 'retry',
  not_the_current_card: 'retry',
  old_card_in_reader: 'retry',
  // Not a server to sign for: nothing to retry there.
  untrusted_challenge: 'home',
  refused: 'home',
  // The confirmation screen lists each violation with its own next step.
  violations: null,
  server_unreachable: 'retry',
  answer_lost: 'retry',
  // Only ever seen by the screen that cancelled, which has already moved on.
  wait_cancelled: null,
  wait_timed_out: 'retry',
  server_not_configured: 'settings',
  // A file the message names must be fixed (or made writable) first; the screen keeps its own buttons.
  configuration: null,
  // The history's message says what to do with its file; the renewal is not affected.
  history: null,
  // Starting at login could not be set: the screen keeps its own buttons.
  desktop: null,
  // Each field's problem is shown beside it; the form stays to be corrected.
  form: null,
  // The message says what to fix (a font, the folder); the screen keeps its own buttons.
  paper: null,
  // アプリの更新: the banner shows the message and its own 【更新を確認】; the running version stays.
  renewal_under_way: null,
  update_unreachable: null,
  update_tampered: null,
  update_wrong_key: null,
  update_version_mismatch: null,
  update_downgrade: null,
  update_install_failed: null,
  wrong_state: 'home',
  internal: 'home',
};

/** Errors after which the server session is of no further use: the flow ends them at once. */
const ENDS_FLOW: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'refused',
  'untrusted_challenge',
  'pin_blocked',
  'wrong_state',
  'internal',
]);

export function stepAction(step: NextStepView): NextAction {
  const move = BY_STEP[step.kind];
  return { move, label: LABELS[move] };
}

export function nextAction(error: AppError): NextAction | null {
  if (error.nextStep) return stepAction(error.nextStep);
  const move = BY_CODE[error.code];
  return move ? { move, label: LABELS[move] } : null;
}

/** Every command rejects with an AppError; anything else is the shell's own failure. */
export function isAppError(value: unknown): value is AppError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['code'] === 'string' && typeof candidate['message'] === 'string';
}

export function endsFlow(error: AppError): boolean {
  return ENDS_FLOW.has(error.code);
}

/** A rejection that is not an AppError (e.g. the shell lacks a command) still gets shown, never swallowed. */
export function unexpectedError(reason: unknown): AppError {
  return {
    code: 'internal',
    refusal: null,
    message: `予期しないエラーが発生しました。（${String(reason)}）`,
    nextStep: null,
    triesLeft: null,
    problems: [],
  };
}

/** Inline progress lines: what the app is doing while a command runs. */
export const PROGRESS = {
  readCard: 'ICカードを読み取っています…',
  verifyPin: 'ICカードで認証しています…',
  server: 'サーバに接続しています…',
  clock: 'サーバの時刻を取得しています…',
  newCard: '新しいICカードを待っています…',
  commit: '更新しています…',
  history: '履歴を読み込んでいます…',
  save: '保存しています…',
  paper: 'PDFを作成しています…',
} as const;

/** Above a form whose fields the rules found wrong (each named beside its field). */
export const FORM_PROBLEMS = '入力内容に誤りがあります。各項目の表示を確認して、訂正してください。';

/** The manual's steer for an expired card, shown on screens 0 and 4. */
export const EXPIRED_NOTE = '※現在使用しているICカードが有効期限を過ぎている場合は、新規登録処理を行ってください。';
