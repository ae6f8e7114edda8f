-- A card replaced by a committed renewal: the new card's fingerprint and when (unix seconds, UTC). Its
-- reminders stop, the dashboard says 更新済み, and the renewal refuses it before its PIN where it was replaced.
ALTER TABLE cards ADD COLUMN replaced_by TEXT;
ALTER TABLE cards ADD COLUMN replaced_at BIGINT;
