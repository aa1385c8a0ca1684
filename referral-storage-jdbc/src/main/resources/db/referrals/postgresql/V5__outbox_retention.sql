-- Referral tracking schema, version 5 (PostgreSQL 15+): an index for outbox retention, which deletes delivered events
-- oldest first in bounded batches (OutboxRecords.deleteDelivered).

CREATE INDEX ${prefix}event_delivered_ix ON ${prefix}event (pos) WHERE status = 'D';
