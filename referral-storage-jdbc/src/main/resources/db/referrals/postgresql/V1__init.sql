-- Referral tracking schema, version 1 (PostgreSQL 15+). ${prefix} is the configured table prefix.
-- Times are TIMESTAMP WITH TIME ZONE (UTC instants). Identifiers use the "C" collation so that ORDER BY id follows
-- String.compareTo. Bodies hold the full value as JSON; the other columns serve constraints and queries.

CREATE TABLE ${prefix}program (
    id          VARCHAR(128) COLLATE "C" NOT NULL,
    name        VARCHAR(500) NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    version     BIGINT       NOT NULL,
    body        TEXT         NOT NULL,
    CONSTRAINT ${prefix}program_pk PRIMARY KEY (id)
);

CREATE TABLE ${prefix}advocate (
    id            VARCHAR(128) COLLATE "C" NOT NULL,
    external_id   VARCHAR(255) COLLATE "C" NOT NULL,
    registered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    version       BIGINT       NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    opted_out     BOOLEAN      NOT NULL,
    body          TEXT         NOT NULL,
    CONSTRAINT ${prefix}advocate_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}advocate_ext_uk UNIQUE (external_id)
);

-- One row per segment of an advocate, for the segment filter and breakdown of program insights.
CREATE TABLE ${prefix}advocate_segment (
    advocate_id VARCHAR(128) COLLATE "C" NOT NULL,
    segment     VARCHAR(255) COLLATE "C" NOT NULL,
    CONSTRAINT ${prefix}advocate_segment_pk PRIMARY KEY (advocate_id, segment)
);
CREATE INDEX ${prefix}advocate_segment_ix ON ${prefix}advocate_segment (segment, advocate_id);

CREATE TABLE ${prefix}enrolment (
    advocate_id VARCHAR(128) COLLATE "C" NOT NULL,
    program_id  VARCHAR(128) COLLATE "C" NOT NULL,
    enrolled_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}enrolment_pk PRIMARY KEY (advocate_id, program_id)
);

CREATE TABLE ${prefix}code (
    code_key          VARCHAR(64)  COLLATE "C" NOT NULL,
    code              VARCHAR(128) NOT NULL,
    advocate_id       VARCHAR(128) COLLATE "C" NOT NULL,
    program_id        VARCHAR(128) COLLATE "C" NOT NULL,
    vanity            BOOLEAN      NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    issued_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    status_changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}code_pk PRIMARY KEY (code_key)
);
CREATE INDEX ${prefix}code_advocate_ix ON ${prefix}code (advocate_id, issued_at, code_key);

CREATE TABLE ${prefix}referral (
    id              VARCHAR(128) COLLATE "C" NOT NULL,
    program_id      VARCHAR(128) COLLATE "C" NOT NULL,
    advocate_id     VARCHAR(128) COLLATE "C" NOT NULL,
    stage           VARCHAR(40)  COLLATE "C" NOT NULL,
    channel         VARCHAR(32)  NOT NULL,
    idempotency_key VARCHAR(255) COLLATE "C",
    submitted_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    version         BIGINT       NOT NULL,
    review          VARCHAR(16)  NOT NULL,
    outcome         VARCHAR(16),
    deal_amount     NUMERIC(38, 12),
    deal_currency   CHAR(3),
    email_key       VARCHAR(64) COLLATE "C",
    domain_key      VARCHAR(64) COLLATE "C",
    body            TEXT         NOT NULL,
    CONSTRAINT ${prefix}referral_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}referral_idem_uk UNIQUE (idempotency_key)
);
CREATE INDEX ${prefix}referral_program_ix ON ${prefix}referral (program_id, id);
CREATE INDEX ${prefix}referral_advocate_ix ON ${prefix}referral (advocate_id, id);
CREATE INDEX ${prefix}referral_stage_ix ON ${prefix}referral (stage, id);
CREATE INDEX ${prefix}referral_review_ix ON ${prefix}referral (review, program_id, id);
CREATE INDEX ${prefix}referral_email_key_ix ON ${prefix}referral (email_key);
CREATE INDEX ${prefix}referral_domain_key_ix ON ${prefix}referral (domain_key);
CREATE INDEX ${prefix}referral_cohort_ix ON ${prefix}referral (program_id, submitted_at);

CREATE TABLE ${prefix}timeline (
    referral_id  VARCHAR(128) COLLATE "C" NOT NULL,
    seq          INTEGER      NOT NULL,
    from_stage   VARCHAR(40)  NOT NULL,
    to_stage     VARCHAR(40)  NOT NULL,
    moved_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    cause_kind   VARCHAR(16)  NOT NULL,
    cause_actor  VARCHAR(255) NOT NULL,
    reason       TEXT         NOT NULL,
    external_ref VARCHAR(255) NOT NULL,
    CONSTRAINT ${prefix}timeline_pk PRIMARY KEY (referral_id, seq)
);

CREATE TABLE ${prefix}stream_seq (
    stream VARCHAR(255) COLLATE "C" NOT NULL,
    last_seq BIGINT       NOT NULL,
    CONSTRAINT ${prefix}stream_seq_pk PRIMARY KEY (stream)
);

CREATE TABLE ${prefix}event (
    pos             BIGINT GENERATED ALWAYS AS IDENTITY,
    id              VARCHAR(128) COLLATE "C" NOT NULL,
    stream          VARCHAR(255) COLLATE "C" NOT NULL,
    seq             BIGINT       NOT NULL,
    event_type      VARCHAR(255) NOT NULL,
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    status          CHAR(1)      NOT NULL,
    attempts        INTEGER      NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_error      VARCHAR(1000) NOT NULL,
    body            TEXT         NOT NULL,
    CONSTRAINT ${prefix}event_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}event_stream_uk UNIQUE (stream, seq)
);
CREATE INDEX ${prefix}event_due_ix ON ${prefix}event (next_attempt_at, pos) WHERE status = 'P';
CREATE INDEX ${prefix}event_parked_ix ON ${prefix}event (pos) WHERE status = 'X';

CREATE TABLE ${prefix}reward (
    id          VARCHAR(128) COLLATE "C" NOT NULL,
    dedupe_key  VARCHAR(700) COLLATE "C" NOT NULL,
    advocate_id VARCHAR(128) COLLATE "C" NOT NULL,
    source_kind VARCHAR(16)  NOT NULL,
    source_id   VARCHAR(128) COLLATE "C" NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    hold_until  TIMESTAMP WITH TIME ZONE NOT NULL,
    program_id  VARCHAR(128) COLLATE "C" NOT NULL,
    incentive   VARCHAR(16)  NOT NULL,
    points      BIGINT,
    amount      NUMERIC(38, 12),
    currency    CHAR(3),
    version     BIGINT       NOT NULL,
    body        TEXT         NOT NULL,
    CONSTRAINT ${prefix}reward_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}reward_dedupe_uk UNIQUE (dedupe_key)
);
CREATE INDEX ${prefix}reward_source_ix ON ${prefix}reward (source_kind, source_id, created_at);
CREATE INDEX ${prefix}reward_advocate_ix ON ${prefix}reward (advocate_id, created_at);
CREATE INDEX ${prefix}reward_due_ix ON ${prefix}reward (status, hold_until);
CREATE INDEX ${prefix}reward_program_ix ON ${prefix}reward (program_id, created_at);

CREATE TABLE ${prefix}ledger (
    id              VARCHAR(128) COLLATE "C" NOT NULL,
    advocate_id     VARCHAR(128) COLLATE "C" NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    points          BIGINT       NOT NULL,
    reward_id       VARCHAR(128) NOT NULL,
    idempotency_key VARCHAR(255) COLLATE "C" NOT NULL,
    entry_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    reason          TEXT         NOT NULL,
    CONSTRAINT ${prefix}ledger_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}ledger_idem_uk UNIQUE (advocate_id, idempotency_key)
);
CREATE INDEX ${prefix}ledger_advocate_ix ON ${prefix}ledger (advocate_id, entry_at);

CREATE TABLE ${prefix}balance (
    advocate_id VARCHAR(128) COLLATE "C" NOT NULL,
    points      BIGINT       NOT NULL,
    CONSTRAINT ${prefix}balance_pk PRIMARY KEY (advocate_id),
    CONSTRAINT ${prefix}balance_nonneg_ck CHECK (points >= 0)
);

CREATE TABLE ${prefix}counter (
    counter_key VARCHAR(255) COLLATE "C" NOT NULL,
    amount      BIGINT       NOT NULL,
    CONSTRAINT ${prefix}counter_pk PRIMARY KEY (counter_key)
);

-- Moments of delight reported by the host, and asks for referrals with their outcome.
CREATE TABLE ${prefix}moment (
    id          VARCHAR(128) COLLATE "C" NOT NULL,
    advocate_id VARCHAR(128) COLLATE "C" NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    nps_score   INTEGER,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    note        TEXT NOT NULL,
    CONSTRAINT ${prefix}moment_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}moment_advocate_ix ON ${prefix}moment (advocate_id, occurred_at, id);
CREATE INDEX ${prefix}moment_time_ix ON ${prefix}moment (occurred_at);

CREATE TABLE ${prefix}ask (
    id          VARCHAR(128) COLLATE "C" NOT NULL,
    program_id  VARCHAR(128) COLLATE "C" NOT NULL,
    advocate_id VARCHAR(128) COLLATE "C" NOT NULL,
    asked_by    TEXT NOT NULL,
    trigger_id  VARCHAR(128),
    asked_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    resolved_at TIMESTAMP WITH TIME ZONE,
    referral_id VARCHAR(128),
    version     BIGINT       NOT NULL,
    CONSTRAINT ${prefix}ask_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}ask_advocate_ix ON ${prefix}ask (program_id, advocate_id, asked_at);
CREATE INDEX ${prefix}ask_status_ix ON ${prefix}ask (program_id, status, asked_at);
