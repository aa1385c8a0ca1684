package io.referrals.storage.jdbc;

import java.util.Locale;
import java.util.Optional;

/**
 * The SQL dialects the store speaks. Each has its own schema scripts under {@code db/referrals/<dialect>/} in the jar
 * and its own statements for upserts, conditional counters and outbox claims.
 */
public enum Dialect {
    /** H2 2.x, embedded (memory or file) or server: the embedded default. */
    H2("h2"),
    /** PostgreSQL 15 or later. */
    POSTGRESQL("postgresql"),
    /** MariaDB 10.11 or later (outbox claims use {@code SKIP LOCKED}, available since 10.6). */
    MARIADB("mariadb");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The folder of this dialect's scripts: {@code db/referrals/<folder>/V<n>__<description>.sql}. */
    public String folder() {
        return folder;
    }

    /**
     * The dialect of a database as JDBC describes it ({@code DatabaseMetaData#getDatabaseProductName()} and
     * {@code getDatabaseProductVersion()}), or empty when it is not supported. A MariaDB server reached through a
     * MySQL driver calls itself MySQL, with "MariaDB" in its version; MySQL itself is not supported (the schema
     * scripts use MariaDB's collations).
     */
    public static Optional<Dialect> of(String productName, String productVersion) {
        String p = productName.toLowerCase(Locale.ROOT);
        if (p.contains("h2")) {
            return Optional.of(H2);
        }
        if (p.contains("postgres")) {
            return Optional.of(POSTGRESQL);
        }
        boolean mariaDbAsMySql = p.contains("mysql") && productVersion.toLowerCase(Locale.ROOT).contains("mariadb");
        if (p.contains("mariadb") || mariaDbAsMySql) {
            return Optional.of(MARIADB);
        }
        return Optional.empty();
    }
}
