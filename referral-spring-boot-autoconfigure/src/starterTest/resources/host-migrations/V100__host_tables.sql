-- The host's own migration, beside the referral scripts in one Flyway history.
CREATE TABLE host_note (email VARCHAR(200) NOT NULL);
