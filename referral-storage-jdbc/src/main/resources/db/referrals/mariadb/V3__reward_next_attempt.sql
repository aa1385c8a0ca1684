-- Referral tracking schema, version 3 (MariaDB 10.11+): a reward's next attempt, apart from the end of its holding
-- period, and the index the scheduled run reads due rewards by, which replaces the one on the holding period. Rewards
-- stored before take the end of their holding period as their next attempt, as the run did. Every statement may run
-- again.

ALTER TABLE ${prefix}reward ADD COLUMN IF NOT EXISTS next_attempt_at DATETIME(6) NULL;
UPDATE ${prefix}reward SET next_attempt_at = hold_until WHERE next_attempt_at IS NULL;
ALTER TABLE ${prefix}reward MODIFY next_attempt_at DATETIME(6) NOT NULL;
CREATE INDEX IF NOT EXISTS ${prefix}reward_next_attempt_ix ON ${prefix}reward (status, next_attempt_at, id);
DROP INDEX IF EXISTS ${prefix}reward_due_ix ON ${prefix}reward;
