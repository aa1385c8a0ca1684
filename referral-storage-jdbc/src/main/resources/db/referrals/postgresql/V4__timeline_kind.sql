-- Referral tracking schema, version 4 (PostgreSQL 15+): the kind of each timeline entry, MOVED or REOPENED (a lost
-- referral brought back to an open stage). Entries written before it are ordinary moves.

ALTER TABLE ${prefix}timeline ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'MOVED';
