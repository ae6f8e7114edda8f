-- The desktop app's updates the organization publishes (`ebid-server release publish`) and the feed offers.

-- One published version. A version is published once: a rolled-back one is never published again (the app
-- refuses downgrades, so a fix is a new, higher version).
CREATE TABLE releases (
    -- The semver text, as the feed announces it and the signatures' trusted comments name it.
    version TEXT PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('stable', 'beta')),
    -- The administrator's release notes, in Japanese.
    notes TEXT NOT NULL,
    -- Installs below this version must update (the feed's `mandatory`).
    min_version TEXT,
    -- The share of installs (by install id) offered this release when no minimum version forces it.
    rollout_percent INTEGER NOT NULL CHECK (rollout_percent BETWEEN 0 AND 100),
    -- 'active': offered; 'paused': not offered until resumed; 'rolled_back': withdrawn for good.
    state TEXT NOT NULL CHECK (state IN ('active', 'paused', 'rolled_back')),
    published_at BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);

-- A release's files, one a platform key (`windows-x86_64-nsis`, `linux-x86_64`, …), stored under the server's
-- data folder as releases/VERSION/PLATFORM/FILE_NAME with FILE_NAME.sig beside it.
CREATE TABLE release_artifacts (
    version TEXT NOT NULL REFERENCES releases (version),
    platform TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size BIGINT NOT NULL,
    -- SHA-256 of the file, lower-case hex.
    sha256 TEXT NOT NULL,
    -- The minisign signature file's text, base64, as the feed carries it.
    signature TEXT NOT NULL,
    PRIMARY KEY (version, platform)
);

-- Which release an administrator's release command acted on.
ALTER TABLE audit_log ADD COLUMN release_version TEXT;
