-- Whether the company is a corporation (法人) or a sole proprietor (個人事業主): the registration, never the
-- card, decides whether a new card must name the company. Existing companies are corporations, as every
-- registration was compared as one when a card named a company.
ALTER TABLE companies ADD COLUMN kind TEXT NOT NULL DEFAULT 'corporate'
    CHECK (kind IN ('corporate', 'sole_proprietor'));

-- Every session of a certificate ends when it is superseded: found by certificate.
CREATE INDEX sessions_certificate ON sessions (certificate_id);

-- Challenges live in the server's memory now (src/challenge_store.rs): issuing one writes nothing.
DROP TABLE challenges;

-- Refused logins, counted per hour, organization and refusal code rather than one row each: a stranger's
-- attempts leave a bounded trace (organizations × codes × hours, pruned), and the server's log has the details.
CREATE TABLE login_refusals (
    -- Unix seconds of the hour's start, UTC.
    hour BIGINT NOT NULL,
    -- '' when the attempt named no challenge this server issued.
    organization_id TEXT NOT NULL,
    code TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (hour, organization_id, code)
);
