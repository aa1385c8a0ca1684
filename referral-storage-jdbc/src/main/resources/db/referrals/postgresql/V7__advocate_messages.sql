-- Referral tracking schema, version 7 (PostgreSQL 15+): messages to advocates (MessageRecords). One row per event and
-- advocate, written in the engine's transaction; the key makes it exactly-once. Sent and dropped rows are deleted by
-- retention; the due and retention indexes are partial, so they stay as small as the backlog.
CREATE TABLE ${prefix}message_item (
    item_key        VARCHAR(300) COLLATE "C" NOT NULL,
    advocate_id     VARCHAR(128) COLLATE "C" NOT NULL,
    program_id      VARCHAR(128) COLLATE "C" NOT NULL,
    topic           VARCHAR(40)  NOT NULL,
    item_values     TEXT         NOT NULL,
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    batch_id        VARCHAR(300) COLLATE "C" NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts        INTEGER      NOT NULL,
    last_error      VARCHAR(500) NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    version         BIGINT       NOT NULL,
    CONSTRAINT ${prefix}message_item_pk PRIMARY KEY (item_key)
);
CREATE INDEX ${prefix}message_item_due_ix ON ${prefix}message_item (next_attempt_at, occurred_at, item_key)
    WHERE status = 'PENDING';
CREATE INDEX ${prefix}message_item_advocate_ix ON ${prefix}message_item (advocate_id, program_id, status, updated_at);
CREATE INDEX ${prefix}message_item_batch_ix ON ${prefix}message_item (batch_id) WHERE batch_id <> '';
CREATE INDEX ${prefix}message_item_finished_ix ON ${prefix}message_item (updated_at, item_key)
    WHERE status IN ('SENT', 'DROPPED');
