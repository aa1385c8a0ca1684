-- Referral tracking schema, version 4 (H2 2.x): the kind of each timeline entry, MOVED or REOPENED (a lost referral
-- brought back to an open stage). Entries written before it are ordinary moves. Every statement may run again.

ALTER TABLE ${prefix}timeline ADD COLUMN IF NOT EXISTS kind VARCHAR(16) DEFAULT 'MOVED' NOT NULL;
