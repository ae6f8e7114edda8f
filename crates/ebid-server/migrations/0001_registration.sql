-- The registration server's tables.
--
-- Kept portable to PostgreSQL: no SQLite-only syntax, app-generated ids (random, below 2^53 so that
-- JavaScript reads them exactly), timestamps as BIGINT unix seconds (UTC). The one exception is BLOB, which
-- PostgreSQL spells BYTEA: a PostgreSQL migration changes that word and nothing else.

-- 調達機関.
CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);

-- 工事・業務, 物品・役務: registration is per organization and category.
CREATE TABLE categories (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id)
);

-- 業者, as each organization registered it (業者概要).
CREATE TABLE companies (
    id BIGINT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    vendor_number TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    representative TEXT NOT NULL,
    phone TEXT NOT NULL,
    UNIQUE (organization_id, vendor_number)
);

-- 登録利用者: a person of a company who logs in with a card, per category.
CREATE TABLE registered_users (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    organization_id TEXT NOT NULL,
    category_id TEXT NOT NULL,
    holder TEXT NOT NULL,
    FOREIGN KEY (organization_id, category_id) REFERENCES categories (organization_id, id)
);

-- Every certificate a registered user has had. 更新 supersedes the active one and keeps it as history.
CREATE TABLE certificates (
    id BIGINT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES registered_users (id),
    -- The user's organization, repeated so that a card is registered at most once per organization.
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    der BLOB NOT NULL,
    serial TEXT NOT NULL,
    issuer TEXT NOT NULL,
    -- SHA-256 of the DER, upper-case hex.
    fingerprint TEXT NOT NULL,
    not_before BIGINT NOT NULL,
    not_after BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'superseded')),
    registered_at BIGINT NOT NULL,
    superseded_at BIGINT,
    UNIQUE (organization_id, fingerprint)
);

-- One active certificate per user: a renewal that would leave two fails as a whole.
CREATE UNIQUE INDEX certificates_one_active_per_user ON certificates (user_id) WHERE status = 'active';

-- Sessions opened by a card login. Only a hash of the token is kept: a copy of the database opens no session.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    organization_id TEXT NOT NULL,
    category_id TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES registered_users (id),
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ended_at BIGINT,
    -- 'logout' or 'renewed'.
    end_reason TEXT
);

-- Challenges a card signs: single use, short-lived; a renewal challenge belongs to its session.
CREATE TABLE challenges (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    category_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    nonce BLOB NOT NULL,
    session_id TEXT REFERENCES sessions (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- The new card's proof inside a session, with what 電子証明書更新確認 showed; committed at most once.
CREATE TABLE renewals (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    user_id BIGINT NOT NULL REFERENCES registered_users (id),
    old_certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    new_certificate_der BLOB NOT NULL,
    -- RenewalConfirmation as JSON.
    confirmation TEXT NOT NULL,
    -- The refusal codes found at proof time, as a JSON array.
    violations TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    committed_at BIGINT,
    new_certificate_id BIGINT REFERENCES certificates (id),
    -- RenewalResult as JSON, answered again to a repeated commit.
    result TEXT
);

-- Every login, logout, renewal proof and commit, accepted or refused.
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    organization_id TEXT,
    serial TEXT,
    action TEXT NOT NULL,
    -- 'ok' or the refusal code.
    outcome TEXT NOT NULL,
    session_id TEXT,
    renewal_id TEXT,
    -- More for the reader: the violations a confirmation listed.
    detail TEXT
);

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX renewals_session ON renewals (session_id);
