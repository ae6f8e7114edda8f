-- 登録 (新規登録), 仮登録 and its approval, 変更, and who did each (担当者).

-- Whether a new registration at this organization waits for its administrator's approval (仮登録:
-- 'approval') or logs in at once ('immediate').
ALTER TABLE organizations ADD COLUMN registration TEXT NOT NULL DEFAULT 'immediate'
    CHECK (registration IN ('immediate', 'approval'));

-- The registered user's 連絡先 (the ICカード利用部署), shown by 登録者情報 and changed by 変更. Users registered
-- before this migration have none yet ('').
ALTER TABLE registered_users ADD COLUMN contact_department TEXT NOT NULL DEFAULT '';
ALTER TABLE registered_users ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE registered_users ADD COLUMN contact_address TEXT NOT NULL DEFAULT '';
ALTER TABLE registered_users ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE registered_users ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';

-- Every 新規登録 accepted by the rules, kept: what was applied for, where it stands, and what it became. An
-- immediate organization's is approved as it is made; an approval organization's waits ('pending') until
-- `ebid-server admin approve` or `reject`.
CREATE TABLE registration_applications (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    category_id TEXT NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    -- 取得者氏名, from the card.
    holder TEXT NOT NULL,
    der BLOB NOT NULL,
    serial TEXT NOT NULL,
    issuer TEXT NOT NULL,
    -- SHA-256 of the DER, upper-case hex, as certificates.fingerprint.
    fingerprint TEXT NOT NULL,
    not_before BIGINT NOT NULL,
    not_after BIGINT NOT NULL,
    contact_department TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_address TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    -- 担当者: who applied.
    operator TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
    applied_at BIGINT NOT NULL,
    decided_at BIGINT,
    -- Once approved: the user it registered (or re-registered), the certificate it became, and the lapsed
    -- certificate it superseded, if any.
    user_id BIGINT REFERENCES registered_users (id),
    certificate_id BIGINT REFERENCES certificates (id),
    replaced_certificate_id BIGINT REFERENCES certificates (id),
    FOREIGN KEY (organization_id, category_id) REFERENCES categories (organization_id, id)
);

-- A card waits for approval at most once per organization.
CREATE UNIQUE INDEX registration_applications_one_pending_card
    ON registration_applications (organization_id, fingerprint) WHERE state = 'pending';
CREATE INDEX registration_applications_state ON registration_applications (state, applied_at);

-- 担当者 of 【更新】 (may be empty: the field is optional on the PIN dialog).
ALTER TABLE renewals ADD COLUMN operator TEXT;

-- Who acted, as typed (担当者), and the registration application an entry is about.
ALTER TABLE audit_log ADD COLUMN operator TEXT;
ALTER TABLE audit_log ADD COLUMN application_id TEXT;
