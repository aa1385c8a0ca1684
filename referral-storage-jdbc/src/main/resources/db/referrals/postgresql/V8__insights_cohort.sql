-- Referral tracking schema, version 8 (PostgreSQL 15+): a covering index of a program's cohort for program insights.
-- The statistics queries (JdbcInsights) read a program's referrals submitted in a period and only these columns;
-- with them in the index PostgreSQL answers from the index alone (an index-only scan, once VACUUM, autovacuum's by
-- default, has marked the pages all-visible) instead of reading the referral rows, whose JSON body makes the table
-- several times wider. It replaces referral_cohort_ix of version 1, which has the same key.

CREATE INDEX ${prefix}referral_insights_ix ON ${prefix}referral (program_id, submitted_at)
    INCLUDE (id, advocate_id, stage, channel, outcome, deal_amount, deal_currency);
DROP INDEX ${prefix}referral_cohort_ix;
