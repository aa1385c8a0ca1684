-- Referral tracking schema, version 1 (MariaDB 10.11+). ${prefix} is the configured table prefix. Every statement
-- may run again: DDL commits itself on MariaDB, and a migration stopped halfway resumes on the next start.
-- Times are DATETIME(6) holding UTC wall-clock values, written and read as UTC by the store whatever the session
-- or JVM time zone. Tables use the binary no-pad collation: exact, case-sensitive matching and byte ordering.
-- Bodies hold the full value as JSON; the other columns serve constraints and queries.

CREATE TABLE IF NOT EXISTS ${prefix}program (
    id          VARCHAR(128) NOT NULL,
    name        VARCHAR(500) NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    version     BIGINT       NOT NULL,
    body        LONGTEXT         NOT NULL,
    CONSTRAINT ${prefix}program_pk PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS ${prefix}advocate (
    id            VARCHAR(128) NOT NULL,
    external_id   VARCHAR(255) NOT NULL,
    registered_at DATETIME(6) NOT NULL,
    version       BIGINT       NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    opted_out     BOOLEAN      NOT NULL,
    body          LONGTEXT         NOT NULL,
    CONSTRAINT ${prefix}advocate_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}advocate_ext_uk UNIQUE (external_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- One row per segment of an advocate, for the segment filter and breakdown of program insights.
CREATE TABLE IF NOT EXISTS ${prefix}advocate_segment (
    advocate_id VARCHAR(128) NOT NULL,
    segment     VARCHAR(255) NOT NULL,
    CONSTRAINT ${prefix}advocate_segment_pk PRIMARY KEY (advocate_id, segment)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX IF NOT EXISTS ${prefix}advocate_segment_ix ON ${prefix}advocate_segment (segment, advocate_id);

CREATE TABLE IF NOT EXISTS ${prefix}enrolment (
    advocate_id VARCHAR(128) NOT NULL,
    program_id  VARCHAR(128) NOT NULL,
    enrolled_at DATETIME(6) NOT NULL,
    CONSTRAINT ${prefix}enrolment_pk PRIMARY KEY (advocate_id, program_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS ${prefix}code (
    code_key          VARCHAR(64)  NOT NULL,
    code              VARCHAR(128) NOT NULL,
    advocate_id       VARCHAR(128) NOT NULL,
    program_id        VARCHAR(128) NOT NULL,
    vanity            BOOLEAN      NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    issued_at         DATETIME(6) NOT NULL,
    status_changed_at DATETIME(6) NOT NULL,
    CONSTRAINT ${prefix}code_pk PRIMARY KEY (code_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX IF NOT EXISTS ${prefix}code_advocate_ix ON ${prefix}code (advocate_id, issued_at, code_key);

CREATE TABLE IF NOT EXISTS ${prefix}referral (
    id              VARCHAR(128) NOT NULL,
    program_id      VARCHAR(128) NOT NULL,
    advocate_id     VARCHAR(128) NOT NULL,
    stage           VARCHAR(40)  NOT NULL,
    channel         VARCHAR(32)  NOT NULL,
    idempotency_key VARCHAR(255),
    submitted_at    DATETIME(6) NOT NULL,
    updated_at      DATETIME(6) NOT NULL,
    version         BIGINT       NOT NULL,
    review          VARCHAR(16)  NOT NULL,
    outcome         VARCHAR(16),
    deal_amount     DECIMAL(38, 12),
    deal_currency   CHAR(3),
    email_key       VARCHAR(64),
    domain_key      VARCHAR(64),
    body            LONGTEXT         NOT NULL,
    CONSTRAINT ${prefix}referral_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}referral_idem_uk UNIQUE (idempotency_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX IF NOT EXISTS ${prefix}referral_program_ix ON ${prefix}referral (program_id, id);
CREATE INDEX IF NOT EXISTS ${prefix}referral_advocate_ix ON ${prefix}referral (advocate_id, id);
CREATE INDEX IF NOT EXISTS ${prefix}referral_stage_ix ON ${prefix}referral (stage, id);
CREATE INDEX IF NOT EXISTS ${prefix}referral_review_ix ON ${prefix}referral (review, program_id, id);
CREATE INDEX IF NOT EXISTS ${prefix}referral_email_key_ix ON ${prefix}referral (email_key);
CREATE INDEX IF NOT EXISTS ${prefix}referral_domain_key_ix ON ${prefix}referral (domain_key);
CREATE INDEX IF NOT EXISTS ${prefix}referral_cohort_ix ON ${prefix}referral (program_id, submitted_at);

CREATE TABLE IF NOT EXISTS ${prefix}timeline (
    referral_id  VARCHAR(128) NOT NULL,
    seq          INTEGER      NOT NULL,
    from_stage   VARCHAR(40)  NOT NULL,
    to_stage     VARCHAR(40)  NOT NULL,
    moved_at     DATETIME(6) NOT NULL,
    cause_kind   VARCHAR(16)  NOT NULL,
    cause_actor  VARCHAR(255) NOT NULL,
    reason       LONGTEXT         NOT NULL,
    external_ref VARCHAR(255) NOT NULL,
    CONSTRAINT ${prefix}timeline_pk PRIMARY KEY (referral_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS ${prefix}stream_seq (
    stream VARCHAR(255) NOT NULL,
    last_seq BIGINT       NOT NULL,
    CONSTRAINT ${prefix}stream_seq_pk PRIMARY KEY (stream)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS ${prefix}event (
    pos             BIGINT NOT NULL AUTO_INCREMENT,
    id              VARCHAR(128) NOT NULL,
    stream          VARCHAR(255) NOT NULL,
    seq             BIGINT       NOT NULL,
    event_type      VARCHAR(255) NOT NULL,
    occurred_at     DATETIME(6) NOT NULL,
    status          CHAR(1)      NOT NULL,
    attempts        INTEGER      NOT NULL,
    next_attempt_at DATETIME(6) NOT NULL,
    last_error      VARCHAR(1000) NOT NULL,
    body            LONGTEXT         NOT NULL,
    CONSTRAINT ${prefix}event_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}event_stream_uk UNIQUE (stream, seq),
    CONSTRAINT ${prefix}event_pos_uk UNIQUE (pos)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX IF NOT EXISTS ${prefix}event_due_ix ON ${prefix}event (status, next_attempt_at, pos);
CREATE INDEX IF NOT EXISTS ${prefix}event_parked_ix ON ${prefix}event (status, pos);

CREATE TABLE IF NOT EXISTS ${prefix}reward (
    id          VARCHAR(128) NOT NULL,
    dedupe_key  VARCHAR(700) NOT NULL,
    advocate_id VARCHAR(128) NOT NULL,
    source_kind VARCHAR(16)  NOT NULL,
    source_id   VARCHAR(128) NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    hold_until  DATETIME(6) NOT NULL,
    program_id  VARCHAR(128) NOT NULL,
    incentive   VARCHAR(16)  NOT NULL,
    points      BIGINT,
    amount      DECIMAL(38, 12),
    currency    CHAR(3),
    version     BIGINT       NOT NULL,
    body        LONGTEXT         NOT NULL,
    CONSTRAINT ${prefix}reward_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}reward_dedupe_uk UNIQUE (dedupe_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX IF NOT EXISTS ${prefix}reward_source_ix ON ${prefix}reward (source_kind, source_id, created_at);
CREATE INDEX IF NOT EXISTS ${prefix}reward_advocate_ix ON ${prefix}reward (advocate_id, created_at);
CREATE INDEX IF NOT EXISTS ${prefix}reward_due_ix ON ${prefix}reward (status, hold_until);
CREATE INDEX IF NOT EXISTS ${prefix}reward_program_ix ON ${prefix}reward (program_id, created_at);

CREATE TABLE IF NOT EXISTS ${prefix}ledger (
    id              VARCHAR(128) NOT NULL,
    advocate_id     VARCHAR(128) NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    points          BIGINT       NOT NULL,
    reward_id       VARCHAR(128) NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    entry_at        DATETIME(6) NOT NULL,
    reason          LONGTEXT         NOT NULL,
    CONSTRAINT ${prefix}ledger_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}ledger_idem_uk UNIQUE (advocate_id, idempotency_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX IF NOT EXISTS ${prefix}ledger_advocate_ix ON ${prefix}ledger (advocate_id, entry_at);

CREATE TABLE IF NOT EXISTS ${prefix}balance (
    advocate_id VARCHAR(128) NOT NULL,
    points      BIGINT       NOT NULL,
    CONSTRAINT ${prefix}balance_pk PRIMARY KEY (advocate_id),
    CONSTRAINT ${prefix}balance_nonneg_ck CHECK (points >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE IF NOT EXISTS ${prefix}counter (
    counter_key VARCHAR(255) NOT NULL,
    amount      BIGINT       NOT NULL,
    CONSTRAINT ${prefix}counter_pk PRIMARY KEY (counter_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Moments of delight reported by the host, and asks for referrals with their outcome.
CREATE TABLE IF NOT EXISTS ${prefix}moment (
    id          VARCHAR(128) NOT NULL,
    advocate_id VARCHAR(128) NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    nps_score   INTEGER,
    occurred_at DATETIME(6) NOT NULL,
    note        LONGTEXT NOT NULL,
    CONSTRAINT ${prefix}moment_pk PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX IF NOT EXISTS ${prefix}moment_advocate_ix ON ${prefix}moment (advocate_id, occurred_at, id);
CREATE INDEX IF NOT EXISTS ${prefix}moment_time_ix ON ${prefix}moment (occurred_at);

CREATE TABLE IF NOT EXISTS ${prefix}ask (
    id          VARCHAR(128) NOT NULL,
    program_id  VARCHAR(128) NOT NULL,
    advocate_id VARCHAR(128) NOT NULL,
    asked_by    LONGTEXT NOT NULL,
    trigger_id  VARCHAR(128),
    asked_at    DATETIME(6) NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    resolved_at DATETIME(6),
    referral_id VARCHAR(128),
    version     BIGINT       NOT NULL,
    CONSTRAINT ${prefix}ask_pk PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX IF NOT EXISTS ${prefix}ask_advocate_ix ON ${prefix}ask (program_id, advocate_id, asked_at);
CREATE INDEX IF NOT EXISTS ${prefix}ask_status_ix ON ${prefix}ask (program_id, status, asked_at);
