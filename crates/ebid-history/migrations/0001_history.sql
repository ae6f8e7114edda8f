-- The contractor's local history. Only the facts of a certificate are kept (fingerprint, serial, issuer,
-- holder, company, notAfter): never a key, a PIN or the certificate itself. Timestamps are unix seconds, UTC.

-- Every card this PC has read.
CREATE TABLE cards (
    -- SHA-256 of the whole certificate, upper-case hex.
    fingerprint TEXT PRIMARY KEY,
    serial TEXT NOT NULL,
    issuer TEXT NOT NULL,
    holder TEXT,
    company TEXT,
    not_after BIGINT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);

-- Where a card is registered, as the server of each 調達機関 last answered.
CREATE TABLE registrations (
    fingerprint TEXT NOT NULL REFERENCES cards (fingerprint),
    organization TEXT NOT NULL,
    category TEXT NOT NULL,
    registered BOOLEAN NOT NULL,
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (fingerprint, organization, category)
);

-- Every renewal begun. Unfinished (no outcome) means interrupted, unless the process that began it is still
-- running it.
CREATE TABLE renewal_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at BIGINT NOT NULL,
    organization TEXT NOT NULL,
    category TEXT NOT NULL,
    -- 担当者: the holder of the current card.
    holder TEXT,
    old_fingerprint TEXT NOT NULL,
    old_serial TEXT NOT NULL,
    new_fingerprint TEXT,
    new_serial TEXT,
    finished_at BIGINT,
    -- committed, refused or cancelled.
    outcome TEXT,
    -- The refusal's code (ebid-protocol's RefusalCode, or the app's error code).
    outcome_code TEXT,
    CHECK ((finished_at IS NULL) = (outcome IS NULL))
);

-- Each step of an attempt as it happened.
CREATE TABLE renewal_steps (
    attempt_id INTEGER NOT NULL REFERENCES renewal_attempts (id),
    position INTEGER NOT NULL,
    at BIGINT NOT NULL,
    step TEXT NOT NULL,
    outcome_code TEXT NOT NULL,
    PRIMARY KEY (attempt_id, position)
);

-- Reminders delivered: each milestone once per card.
CREATE TABLE reminder_deliveries (
    fingerprint TEXT NOT NULL REFERENCES cards (fingerprint),
    -- Days before expiry; 0 is the expiry notice.
    milestone INTEGER NOT NULL,
    delivered_at BIGINT NOT NULL,
    PRIMARY KEY (fingerprint, milestone)
);

-- The server's clock minus the PC's, as last measured at each server.
CREATE TABLE server_clock (
    server TEXT PRIMARY KEY,
    offset_ms BIGINT NOT NULL,
    measured_at BIGINT NOT NULL
);
