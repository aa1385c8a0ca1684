package io.referrals.storage.jdbc;

/** What {@link JdbcReferralStore.Builder#build()} does about the schema. */
public enum MigrationMode {
    /**
     * Applies the shipped scripts the database lacks, recording each in the history table, and checks the checksums
     * of those already applied. Safe when several instances start at once: a database lock serialises them.
     */
    MIGRATE,
    /**
     * Applies nothing; fails unless every shipped script is recorded as applied with a matching checksum. For schemas
     * a DBA applies by hand from {@link JdbcReferralStore#ddl(Dialect, String)}.
     */
    VALIDATE,
    /** Neither applies nor checks anything; the host manages the schema (with Flyway, say). */
    NONE
}
