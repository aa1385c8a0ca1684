-- Referral tracking schema, version 3 (PostgreSQL 15+): a reward's next attempt, apart from the end of its holding
-- period, and the index the scheduled run reads due rewards by, which replaces the one on the holding period. Rewards
-- stored before take the end of their holding period as their next attempt, as the run did.

ALTER TABLE ${prefix}reward ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;
UPDATE ${prefix}reward SET next_attempt_at = hold_until;
ALTER TABLE ${prefix}reward ALTER COLUMN next_attempt_at SET NOT NULL;
CREATE INDEX ${prefix}reward_next_attempt_ix ON ${prefix}reward (status, next_attempt_at, id);
DROP INDEX ${prefix}reward_due_ix;
