-- Referral tracking schema, version 6 (H2 2.x): indexes for reading an advocate's referrals, rewards and points ledger
-- newest first, page by page after a (time, id) cursor. H2 reads an index in one direction only, so these are kept
-- newest first; the two on (advocate, time) of version 1 are replaced. Every statement may run again.

CREATE INDEX IF NOT EXISTS ${prefix}referral_advocate_page_ix
    ON ${prefix}referral (advocate_id, submitted_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ${prefix}reward_advocate_page_ix ON ${prefix}reward (advocate_id, created_at DESC, id DESC);
DROP INDEX IF EXISTS ${prefix}reward_advocate_ix;
CREATE INDEX IF NOT EXISTS ${prefix}ledger_advocate_page_ix ON ${prefix}ledger (advocate_id, entry_at DESC, id DESC);
DROP INDEX IF EXISTS ${prefix}ledger_advocate_ix;
