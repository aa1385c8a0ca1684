-- Referral tracking schema, version 6 (MariaDB 10.11+): indexes for reading an advocate's referrals, rewards and
-- points ledger newest first (a backward range scan), page by page after a (time, id) cursor. The two on
-- (advocate, time) of version 1 are replaced. Every statement may run again.

CREATE INDEX IF NOT EXISTS ${prefix}referral_advocate_page_ix ON ${prefix}referral (advocate_id, submitted_at, id);
CREATE INDEX IF NOT EXISTS ${prefix}reward_advocate_page_ix ON ${prefix}reward (advocate_id, created_at, id);
DROP INDEX IF EXISTS ${prefix}reward_advocate_ix ON ${prefix}reward;
CREATE INDEX IF NOT EXISTS ${prefix}ledger_advocate_page_ix ON ${prefix}ledger (advocate_id, entry_at, id);
DROP INDEX IF EXISTS ${prefix}ledger_advocate_ix ON ${prefix}ledger;
