-- The host's own table: leads it passes to its CRM, written in the same transaction as the referral.
CREATE TABLE IF NOT EXISTS lead (
    referral_id VARCHAR(128) NOT NULL,
    company     VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP
);
