// Generated from Rust (crates/ebid-app) by `cargo xtask bindings`. Do not edit: a test fails when stale.

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

export type CardProfile = "piv" | "jpki";

/**
 * A reader and the card in it, if any (screen 0).
 */
export type ReaderSlot = { reader: string, card: CardView | null, 
/**
 * Why the card in it could not be read, in Japanese.
 */
problem: string | null, };

export type Overview = { readers: Array<ReaderSlot>, serverUrl: string, };

export type CategoryView = { id: string, name: string, };

export type OrganizationView = { id: string, name: string, categories: Array<CategoryView>, };

/**
 * An organization and category, by their server ids.
 */
export type Choice = { organization: string, category: string, };

/**
 * Screen 1: the organizations the server lists, and the last choice made on this PC.
 */
export type Organizations = { organizations: Array<OrganizationView>, last: Choice | null, };

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
 * The rows of 電子証明書更新確認, named as the columns' fields.
 */
export type FieldKey = "companyName" | "companyAddress" | "cardCompany" | "cardHolder" | "cardAddress" | "serial" | "issuer" | "notAfterJst";

/**
 * One column of 電子証明書更新確認.
 */
export type ColumnView = { companyName: string, companyAddress: string, cardCompany: string | null, cardHolder: string | null, cardAddress: string | null, serial: string, issuer: string, notAfterJst: string, };

export type NextStepKind = "new_registration" | "change" | "retry" | "login" | "contact_issuer";

export type NextStepView = { kind: NextStepKind, text: string, };

/**
 * A rule that refused, as the server (or the workflow, first) named it.
 */
export type RuleView = { code: string, message: string, nextStep: NextStepView | null, };

/**
 * 電子証明書更新確認.
 */
export type ConfirmationView = { current: ColumnView, new: ColumnView, 
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
committedAt: string, };

export type CertificateStatusView = "active" | "superseded";

export type CertificateRow = { serial: string, issuer: string, notAfterJst: string, status: CertificateStatusView, 
/**
 * 使用中 / 更新済み（使用不可）.
 */
statusText: string, registeredAt: string, };

export type UserRow = { holder: string, certificates: Array<CertificateRow>, };

/**
 * 業者概要.
 */
export type CompanyView = { vendorNumber: string, name: string, address: string, representative: string, phone: string, };

/**
 * 登録者情報: 業者概要 and 登録利用者一覧.
 */
export type InfoView = { organizationName: string, company: CompanyView, users: Array<UserRow>, };

/**
 * While waiting for the new card (event "swap-progress").
 */
export type SwapProgress = { kind: SwapProgressKind, message: string, };

export type SwapProgressKind = "card_removed" | "same_card" | "unreadable";

export type ErrorCode = "wrong_pin" | "pin_blocked" | "pin_format" | "no_reader" | "no_card" | "card_removed" | "card_unreadable" | "reader_gone" | "same_card" | "new_card_in_reader" | "not_the_current_card" | "old_card_in_reader" | "untrusted_challenge" | "refused" | "violations" | "server_unreachable" | "answer_lost" | "wait_cancelled" | "wait_timed_out" | "wrong_state" | "internal";

/**
 * Every command's error: a stable code, the Japanese message, and what to do next.
 */
export type AppError = { code: ErrorCode, 
/**
 * The rule's code when the server (or the workflow, first) refused, e.g. "current_card_expired".
 */
refusal: string | null, message: string, nextStep: NextStepView | null, 
/**
 * After a wrong PIN.
 */
triesLeft: number | null, };
