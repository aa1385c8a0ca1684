-- Referral tracking schema, version 4 (MariaDB 10.11+): the kind of each timeline entry, MOVED or REOPENED (a lost
-- referral brought back to an open stage). Entries written before it are ordinary moves. Every statement may run
-- again.

ALTER TABLE ${prefix}timeline ADD COLUMN IF NOT EXISTS kind VARCHAR(16) NOT NULL DEFAULT 'MOVED';
