-- Referral tracking schema, version 6 (PostgreSQL 15+): indexes for reading an advocate's referrals, rewards and
-- points ledger newest first (a backward range scan), page by page after a (time, id) cursor. The two on
-- (advocate, time) of version 1 are replaced.

CREATE INDEX ${prefix}referral_advocate_page_ix ON ${prefix}referral (advocate_id, submitted_at, id);
CREATE INDEX ${prefix}reward_advocate_page_ix ON ${prefix}reward (advocate_id, created_at, id);
DROP INDEX ${prefix}reward_advocate_ix;
CREATE INDEX ${prefix}ledger_advocate_page_ix ON ${prefix}ledger (advocate_id, entry_at, id);
DROP INDEX ${prefix}ledger_advocate_ix;
