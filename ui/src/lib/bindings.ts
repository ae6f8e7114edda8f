// Generated from Rust (crates/ebid-app, crates/ebid-protocol) by `cargo xtask bindings`. Do not edit: a test fails when stale.

export type ConnectionView = { 
/**
 * None until a file or the command line names a server: the screen then asks for one.
 */
serverUrl: string | null, 
/**
 * `--server` decides for this run, over the files, until the user saves another address.
 */
fromCommandLine: boolean, 
/**
 * The user's configuration file, where 【保存】 writes.
 */
userFile: string | null, };

/**
 * What a card shows without a PIN try being spent.
 */
export type CardView = { 
/**
 * The PC/SC reader it is in.
 */
reader: string, profile: CardProfile, 
/**
 * ICカード取得者氏名; null for a JPKI card (read only after its password).
 */
holder: string | null, 
/**
 * ICカード企業名称.
 */
company: string | null, 
/**
 * 証明書シリアル番号.
 */
serial: string | null, 
/**
 * 証明書有効期限, YYYY/MM/DD in JST.
 */
notAfterJst: string | null, 
/**
 * Whole days to expiry at the server's time (the PC's before the server answered); negative once
 * expired.
 */
daysLeft: number | null, expired: boolean, 
/**
 * Tries left of the signing PIN; null when the card does not tell.
 */
triesLeft: number | null, pinBlocked: boolean, 
/**
 * "PIN番号", or "署名用パスワード" for JPKI.
 */
pinLabel: string, };

export type CardProfile = "piv" | "jpki" | "pkcs11";

/**
 * A reader and the card in it, if any (screen 0).
 */
export type ReaderSlot = { reader: string, card: CardView | null, 
/**
 * Why the card in it could not be read, in Japanese.
 */
problem: string | null, };

export type Overview = { readers: Array<ReaderSlot>, 
/**
 * None until a server is configured.
 */
serverUrl: string | null, 
/**
 * Whether days left were counted by the server's clock (else by this PC's, the server not having
 * answered yet).
 */
byServerClock: boolean, };

/**
 * 工事・業務, 物品・役務.
 */
export type Category = { id: string, name: string, };

/**
 * A procurement organization (調達機関) and its categories.
 */
export type Organization = { id: string, 
/**
 * 「長崎県」.
 */
name: string, categories: Array<Category>, };

/**
 * An organization and category, by their server ids.
 */
export type Choice = { organization: string, category: string, };

/**
 * Screen 1: the organizations the server lists, and the last choice made on this PC.
 */
export type Organizations = { organizations: Array<Organization>, last: Choice | null, };

/**
 * The header's 『年月日時分』.
 */
export type ClockView = { 
/**
 * "2011年04月22日 14時33分", the server's time in JST.
 */
serverTime: string, 
/**
 * Set when the PC's clock differs from the server's by more than a few minutes.
 */
skewWarning: string | null, };

/**
 * 利用者登録メニュー after the current card logged in.
 */
export type MenuView = { organizationName: string, categoryName: string, companyName: string, holder: string, };

/**
 * The rows of 電子証明書更新確認, named as the fields of [`CardColumn`].
 */
export type FieldKey = "company_name" | "company_address" | "card_company" | "card_holder" | "card_address" | "serial" | "issuer" | "not_after_jst";

/**
 * One column of 電子証明書更新確認.
 */
export type CardColumn = { 
/**
 * 企業名称, from the registration.
 */
company_name: string, 
/**
 * 企業住所, from the registration.
 */
company_address: string, 
/**
 * ICカード企業名称, from the certificate (JPKI has none).
 */
card_company: string | null, 
/**
 * ICカード取得者氏名.
 */
card_holder: string | null, 
/**
 * ICカード取得者住所.
 */
card_address: string | null, 
/**
 * 証明書シリアル番号.
 */
serial: string, 
/**
 * 証明書発行者.
 */
issuer: string, not_after: string, 
/**
 * 証明書有効期限, `YYYY/MM/DD` in JST.
 */
not_after_jst: string, };

/**
 * What the user should do next.
 */
export type NextStep = "new_registration" | "change" | "retry" | "login" | "contact_issuer" | "renew" | "correct";

/**
 * A next step and its words.
 */
export type NextStepView = { kind: NextStep, text: string, };

/**
 * Why the server said no. Stable: the UI and scripts match on these.
 */
export type RefusalCode = "current_card_expired" | "current_card_not_registered" | "untrusted_issuer" | "certificate_expired" | "certificate_not_yet_valid" | "certificate_revoked" | "issuer_expired" | "revocation_unavailable" | "revocation_list_out_of_date" | "no_signing_key_usage" | "new_card_already_registered" | "new_card_not_newer" | "company_differs" | "holder_differs" | "new_card_company_missing" | "new_card_holder_missing" | "bad_signature" | "challenge_expired" | "challenge_replayed" | "challenge_mismatch" | "session_expired" | "session_ended" | "bad_certificate" | "registration_pending" | "vendor_not_found" | "company_name_mismatch" | "card_company_differs" | "card_already_registered" | "holder_already_registered" | "form_incomplete" | "unknown_organization" | "renewal_not_found" | "bad_request" | "request_too_large" | "request_timeout" | "unknown_route" | "method_not_allowed" | "rate_limited" | "storage_unavailable" | "server_error";

/**
 * A rule that refused, as the server (or the workflow, first) named it, with its next step's words.
 */
export type RuleView = { code: RefusalCode, message: string, nextStep: NextStepView | null, };

/**
 * 電子証明書更新確認.
 */
export type ConfirmationView = { current: CardColumn, new: CardColumn, 
/**
 * Fields of the new column that differ from the registration: highlight them.
 */
differences: Array<FieldKey>, 
/**
 * Rules 【更新】 would break; with any, 【更新】 is blocked.
 */
violations: Array<RuleView>, canRenew: boolean, };

/**
 * 更新完了.
 */
export type ResultView = { organizationName: string, oldSerial: string, newSerial: string, 
/**
 * "2011年04月22日 14時33分".
 */
committedAt: string, 
/**
 * Why this renewal could not be (fully) recorded in the local history, said once; the renewal itself
 * is done.
 */
historyProblem: string | null, };

export type CertificateStatus = "active" | "superseded";

export type CertificateRow = { serial: string, issuer: string, notAfterJst: string, status: CertificateStatus, 
/**
 * 使用中 / 更新済み（使用不可）.
 */
statusText: string, registeredAt: string, };

/**
 * 連絡先: whom the organization contacts about this user's bids and card (the ICカード利用部署).
 */
export type Contact = { 
/**
 * 連絡先名称（部署名等）.
 */
department: string, 
/**
 * 連絡先氏名.
 */
name: string, 
/**
 * 連絡先住所.
 */
address: string, 
/**
 * 連絡先電話番号.
 */
phone: string, 
/**
 * 連絡先E-mail.
 */
email: string, };

export type UserRow = { holder: string, certificates: Array<CertificateRow>, 
/**
 * 連絡先 as registered (what 変更 changes).
 */
contact: Contact, };

/**
 * Whether a company is registered as a corporation (法人) or a sole proprietor (個人事業主). It decides, not
 * the card, whether a new card must name the company: a corporation's card always does, while a sole
 * proprietor may renew with a personal card (a マイナンバーカード's signing certificate names no company).
 */
export type CompanyKind = "corporate" | "sole_proprietor";

/**
 * 業者概要: the company as the organization registered it.
 */
export type Company = { 
/**
 * 業者番号.
 */
vendor_number: string, 
/**
 * 企業名称.
 */
name: string, 
/**
 * 企業住所.
 */
address: string, 
/**
 * 代表者氏名.
 */
representative: string, 
/**
 * 電話番号.
 */
phone: string, 
/**
 * 法人 or 個人事業主: whether a card must name the company.
 */
kind: CompanyKind, };

/**
 * 登録者情報: 業者概要 and 登録利用者一覧.
 */
export type InfoView = { organizationName: string, 
/**
 * 業者概要.
 */
company: Company, users: Array<UserRow>, };

/**
 * Where one place of the pass stands.
 */
export type PassPlaceState = "waiting" | "logged_in" | "refused" | "confirming" | "committed" | "commit_failed";

/**
 * One place of the pass.
 */
export type PassPlaceView = { 
/**
 * The server's ids, to renew this place alone.
 */
organization: string, category: string, organizationName: string, categoryName: string, state: PassPlaceState, 
/**
 * One line: the place and what happened there.
 */
summary: string, 
/**
 * Why this place was refused or its 【更新】 failed, with the next step.
 */
error: AppError | null, confirmation: ConfirmationView | null, result: ResultView | null, };

/**
 * The pass after a step.
 */
export type PassView = { places: Array<PassPlaceView>, 
/**
 * The card's PIN is needed again before the next place: the PIN dialog's words.
 */
pinAgain: string | null, 
/**
 * Why the renewals could not be (fully) recorded in the local history, said once.
 */
historyProblem: string | null, };

/**
 * While waiting for the new card: what happened (the wait's channel), or what 【OK】 found.
 */
export type SwapProgress = { kind: SwapProgressKind, message: string, };

export type SwapProgressKind = "card_removed" | "same_card" | "unreadable" | "new_card_in" | "current_card_still_in" | "no_card";

/**
 * How urgent a card is, for the card's colour.
 */
export type Urgency = "ok" | "soon" | "expired";

/**
 * One server's answer about one card.
 */
export type RegistrationView = { 
/**
 * The 調達機関's id (named by the screen from the server's list when it has it).
 */
organization: string, category: string, registered: boolean, 
/**
 * 登録あり / 登録なし.
 */
answer: string, 
/**
 * When the server said so, in JST.
 */
answeredAt: string, };

/**
 * One card on the dashboard.
 */
export type CardStandingView = { 
/**
 * SHA-256 of its certificate: the card's identity (a notification opens the app on it).
 */
fingerprint: string, 
/**
 * 証明書シリアル番号.
 */
serial: string, 
/**
 * ICカード取得者氏名.
 */
holder: string | null, 
/**
 * ICカード企業名称.
 */
company: string | null, 
/**
 * 証明書発行者.
 */
issuer: string, 
/**
 * 証明書有効期限, YYYY/MM/DD in JST.
 */
expiryDate: string, 
/**
 * JST calendar days left at the server's time; negative once expired.
 */
daysLeft: number, urgency: Urgency, 
/**
 * The card's state in one sentence (days left, or 新規登録が必要です).
 */
status: string, 
/**
 * Where a server said it is (or is not) registered.
 */
registrations: Array<RegistrationView>, 
/**
 * When the next reminder falls, e.g. "2027/03/01（有効期限の30日前）"; none once nothing is left to remind.
 */
nextReminder: string | null, 
/**
 * The last time this PC read the card, in JST.
 */
lastSeen: string, };

/**
 * The dashboard.
 */
export type DashboardView = { 
/**
 * The soonest to expire first.
 */
cards: Array<CardStandingView>, 
/**
 * Why the history cannot be read or written, once (the app goes on without it).
 */
historyProblem: string | null, };

/**
 * A notification about a card was clicked: the dashboard opens on it.
 */
export type OpenCard = { fingerprint: string, };

/**
 * How an attempt ended, for the filter and the row's colour.
 */
export type OutcomeKind = "committed" | "refused" | "cancelled" | "in_progress" | "interrupted";

/**
 * The screen's filters; each one left empty selects everything.
 */
export type HistoryQuery = { organization: string | null, 
/**
 * Begun on or after this JST date, YYYY-MM-DD.
 */
since: string | null, outcome: OutcomeKind | null, };

export type OutcomeChoice = { kind: OutcomeKind, label: string, };

export type StepView = { at: string, 
/**
 * The step in words (現在のICカードでログイン …).
 */
step: string, 
/**
 * `ok`, or the refusal's code.
 */
outcomeCode: string, };

export type AttemptView = { id: bigint, 
/**
 * When it began, in JST.
 */
startedAt: string, organization: string, category: string, 
/**
 * 担当者.
 */
holder: string | null, oldSerial: string, newSerial: string | null, outcome: OutcomeKind, 
/**
 * The outcome in words (更新完了, 中断, 拒否（code） …).
 */
outcomeLabel: string, 
/**
 * The refusal's code, when refused.
 */
outcomeCode: string | null, steps: Array<StepView>, };

export type HistoryView = { 
/**
 * The newest first.
 */
attempts: Array<AttemptView>, 
/**
 * Every 調達機関 in the history, for the filter's list.
 */
organizations: Array<string>, 
/**
 * The outcome filter's choices, in words.
 */
outcomeChoices: Array<OutcomeChoice>, };

export type ReminderSettingsView = { 
/**
 * The days before expiry, the farthest first.
 */
days: Array<number>, 
/**
 * The administrator's (or the built-in) days, which 【初期値に戻す】 restores.
 */
defaultDays: Array<number>, 
/**
 * Desktop notifications on; off, the reminders show in the app only.
 */
notify: boolean, 
/**
 * The app starts when the user logs in; none where the OS does not tell.
 */
startsAtLogin: boolean | null, 
/**
 * The user's configuration file, where 【保存】 writes.
 */
userFile: string | null, };

/**
 * What 【保存】 sends.
 */
export type ReminderSettingsInput = { 
/**
 * As typed ("90, 60, 30"); read and checked (1–366, none twice) before anything is saved.
 */
days: string, notify: boolean, startsAtLogin: boolean, };

/**
 * Which paper.
 */
export type PaperKind = "confirmation" | "completion";

/**
 * A paper written.
 */
export type SavedPaper = { 
/**
 * Where the PDF is, to say on the screen.
 */
path: string, };

/**
 * What 新規登録 asks beside the card, as the user types it.
 */
export type RegistrationDetails = { 
/**
 * 業者番号, as the organization's list of qualified companies (入札参加資格者名簿) has it.
 */
vendor_number: string, 
/**
 * 商号又は名称, which must be that company's in the list.
 */
company_name: string, contact: Contact, 
/**
 * 担当者: who applies (the PIN dialog's field), recorded with the application.
 */
operator: string, };

/**
 * 変更: what a logged-in user may change of the registration. The company's name (商号) and the card's
 * holder are not here: a new name is the organization's to record (after its 変更届), and another holder
 * registers with their own card (新規登録).
 */
export type RegistrationChange = { 
/**
 * 企業住所.
 */
company_address: string, 
/**
 * 代表者氏名.
 */
representative: string, 
/**
 * 電話番号.
 */
phone: string, 
/**
 * The logged-in user's 連絡先.
 */
contact: Contact, 
/**
 * 担当者: who made the change, recorded with it.
 */
operator: string, };

/**
 * Where a registration stands.
 */
export type RegistrationState = "active" | "pending";

/**
 * The answer to 新規登録.
 */
export type ReceiptView = { organizationName: string, state: RegistrationState, 
/**
 * 登録完了 / 仮登録.
 */
stateText: string, 
/**
 * What the state means and what to do next.
 */
note: string, 
/**
 * 受付番号: what the organization's administrator approves by.
 */
applicationId: string, companyName: string, holder: string, serial: string, 
/**
 * The lapsed card this registration replaces, for a re-registration.
 */
replacedSerial: string | null, 
/**
 * "2011年04月22日 14時33分".
 */
appliedAt: string, };

/**
 * A detail the user types.
 */
export type FormField = "vendor_number" | "company_name" | "company_address" | "representative" | "phone" | "contact_department" | "contact_name" | "contact_address" | "contact_phone" | "contact_email" | "operator";

/**
 * One field's problem, in words the user reads beside it.
 */
export type FieldProblem = { field: FormField, message: string, };

export type OfferView = { version: string, notes: string, 
/**
 * 公開日, as a JST date.
 */
published: string | null, 
/**
 * Below the organization's minimum: installed without asking.
 */
mandatory: boolean, };

export type UpdateStateView = { "kind": "idle" } | { "kind": "checking" } | { "kind": "up_to_date" } | { "kind": "available" } & OfferView | { "kind": "downloading", offer: OfferView, received: number, total: number | null, } | { "kind": "waiting", offer: OfferView, } | { "kind": "installing", offer: OfferView, } | { "kind": "failed", error: AppError, offer: OfferView | null, };

export type UpdateView = { currentVersion: string, state: UpdateStateView, 
/**
 * A renewal is under way: why 【今すぐ更新】 waits for it; null when none is.
 */
renewalUnderWay: string | null, };

export type ErrorCode = "wrong_pin" | "pin_blocked" | "pin_format" | "no_reader" | "no_card" | "card_removed" | "card_unreadable" | "reader_gone" | "same_card" | "new_card_in_reader" | "not_the_current_card" | "old_card_in_reader" | "untrusted_challenge" | "refused" | "violations" | "server_unreachable" | "answer_lost" | "wait_cancelled" | "wait_timed_out" | "server_not_configured" | "configuration" | "history" | "desktop" | "paper" | "form" | "not_the_new_card" | "renewal_under_way" | "update_unreachable" | "update_tampered" | "update_wrong_key" | "update_version_mismatch" | "update_downgrade" | "update_install_failed" | "wrong_state" | "internal";

/**
 * Every command's error: a stable code, the Japanese message, and what to do next.
 */
export type AppError = { code: ErrorCode, 
/**
 * The rule's code when the server (or the workflow, first) refused, e.g. "current_card_expired".
 */
refusal: RefusalCode | null, message: string, nextStep: NextStepView | null, 
/**
 * After a wrong PIN.
 */
triesLeft: number | null, 
/**
 * With [`ErrorCode::Form`]: each field typed wrong, for the form to show beside it.
 */
problems: Array<FieldProblem>, };

/** Each form field's label on the screens, the most characters it takes, and whether it must be typed. */
export const FORM_FIELDS: Record<FormField, { label: string; maxChars: number; required: boolean }> = {
  "vendor_number": { label: "業者番号", maxChars: 100, required: true },
  "company_name": { label: "商号又は名称", maxChars: 100, required: true },
  "company_address": { label: "企業住所", maxChars: 200, required: true },
  "representative": { label: "代表者氏名", maxChars: 100, required: true },
  "phone": { label: "電話番号", maxChars: 100, required: true },
  "contact_department": { label: "連絡先名称（部署名等）", maxChars: 100, required: false },
  "contact_name": { label: "連絡先氏名", maxChars: 100, required: true },
  "contact_address": { label: "連絡先住所", maxChars: 200, required: true },
  "contact_phone": { label: "連絡先電話番号", maxChars: 100, required: true },
  "contact_email": { label: "連絡先E-mail", maxChars: 254, required: true },
  "operator": { label: "担当者", maxChars: 100, required: false },
};

/** 電子証明書更新確認's words, as the paper (ebid-workflow's sheets) has them. */
export const CONFIRMATION_WORDS = {
  title: "電子証明書更新確認",
  columns: ["現在使用しているICカード", "新規に使用するICカード"],
  rows: [
    { key: "company_name", label: "企業名称" },
    { key: "company_address", label: "企業住所" },
    { key: "card_company", label: "ICカード企業名称" },
    { key: "card_holder", label: "ICカード取得者氏名" },
    { key: "card_address", label: "ICカード取得者住所" },
    { key: "serial", label: "証明書シリアル番号" },
    { key: "issuer", label: "証明書発行者" },
    { key: "not_after_jst", label: "証明書有効期限" },
  ] as ReadonlyArray<{ key: FieldKey; label: string }>,
  sentences: ["新規に使用するICカードの企業名称とICカード企業名称が御社の企業名称であることを確認してください。", "この内容でよろしければ更新ボタンを押してください"],
  differs: "（登録内容と異なります）",
  notStated: "—",
} as const;
