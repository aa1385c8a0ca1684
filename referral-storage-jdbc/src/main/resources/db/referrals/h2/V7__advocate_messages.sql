-- Referral tracking schema, version 7: messages to advocates (MessageRecords). One row per event and advocate, written
-- in the engine's transaction; the key makes it exactly-once. Sent and dropped rows are deleted by retention.
CREATE TABLE IF NOT EXISTS ${prefix}message_item (
    item_key        VARCHAR(300) NOT NULL,
    advocate_id     VARCHAR(128) NOT NULL,
    program_id      VARCHAR(128) NOT NULL,
    topic           VARCHAR(40)  NOT NULL,
    item_values     CHARACTER VARYING NOT NULL,
    occurred_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    batch_id        VARCHAR(300) NOT NULL,
    next_attempt_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    attempts        INTEGER      NOT NULL,
    last_error      VARCHAR(500) NOT NULL,
    updated_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    version         BIGINT       NOT NULL,
    CONSTRAINT ${prefix}message_item_pk PRIMARY KEY (item_key)
);
CREATE INDEX IF NOT EXISTS ${prefix}message_item_due_ix ON ${prefix}message_item (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS ${prefix}message_item_advocate_ix
    ON ${prefix}message_item (advocate_id, program_id, status, updated_at);
CREATE INDEX IF NOT EXISTS ${prefix}message_item_batch_ix ON ${prefix}message_item (batch_id);
CREATE INDEX IF NOT EXISTS ${prefix}message_item_finished_ix ON ${prefix}message_item (status, updated_at);
