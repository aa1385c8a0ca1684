-- Referral tracking schema, version 3 (H2 2.x): a reward's next attempt, apart from the end of its holding period,
-- and the index the scheduled run reads due rewards by, which replaces the one on the holding period. Rewards stored
-- before take the end of their holding period as their next attempt, as the run did. Every statement may run again.

ALTER TABLE ${prefix}reward ADD COLUMN IF NOT EXISTS next_attempt_at TIMESTAMP(6) WITH TIME ZONE;
UPDATE ${prefix}reward SET next_attempt_at = hold_until WHERE next_attempt_at IS NULL;
ALTER TABLE ${prefix}reward ALTER COLUMN next_attempt_at SET NOT NULL;
CREATE INDEX IF NOT EXISTS ${prefix}reward_next_attempt_ix ON ${prefix}reward (status, next_attempt_at, id);
DROP INDEX IF EXISTS ${prefix}reward_due_ix;
