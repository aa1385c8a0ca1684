package io.referrals.storage.jdbc.internal;

import io.referrals.core.error.StorageException;
import io.referrals.storage.jdbc.Dialect;
import io.referrals.storage.jdbc.MigrationMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies and checks the versioned scripts shipped under {@code db/referrals/<dialect>/}. Applied versions are recorded
 * in {@code <prefix>schema_history} with a CRC32 checksum of the script as shipped (placeholders unreplaced). Several
 * instances starting at once are serialised by a database lock: {@code pg_advisory_xact_lock} on PostgreSQL (and the
 * scripts run in one transaction), {@code GET_LOCK} on MariaDB, and on H2, whose DDL commits and which an embedded
 * database shares only within one JVM, a lock per database URL and prefix held in this JVM.
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
    /** The shipped scripts, in version order (Flyway names: {@code V<version>__<description>.sql}). */
    private static final List<String> FILES = List.of("V1__init.sql", "V2__program_pages.sql",
            "V3__reward_next_attempt.sql", "V4__timeline_kind.sql", "V5__outbox_retention.sql",
            "V6__advocate_pages.sql", "V7__advocate_messages.sql",
            "V8__insights_cohort.sql");
    private static final Map<String, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final int LOCK_TIMEOUT_SECONDS = 120;

    private Migrator() {
    }

    /** A shipped script. */
    record Script(int version, String description, String file, String text, int checksum) {
        String rendered(String prefix) {
            return text.replace("${prefix}", prefix);
        }
    }

    static List<Script> scripts(Dialect dialect) {
        List<Script> out = new ArrayList<>();
        for (String file : FILES) {
            String path = "db/referrals/" + dialect.folder() + "/" + file;
            try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing schema script " + path);
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
                CRC32 crc = new CRC32();
                crc.update(text.getBytes(StandardCharsets.UTF_8));
                int sep = file.indexOf("__");
                int version = Integer.parseInt(file.substring(1, sep));
                String description = file.substring(sep + 2, file.length() - 4).replace('_', ' ');
                out.add(new Script(version, description, file, text, (int) crc.getValue()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The SQL statements of a script: comment lines dropped, split at semicolons ending a line. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String s = current.toString().strip();
                out.add(s.substring(0, s.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    static String historyTable(Dialect dialect, String prefix) {
        String t = prefix + "schema_history";
        return switch (dialect) {
            case POSTGRESQL -> "CREATE TABLE IF NOT EXISTS " + t + " (version INTEGER NOT NULL, description"
                    + " VARCHAR(200) NOT NULL, script VARCHAR(200) NOT NULL, checksum INTEGER NOT NULL, installed_at"
                    + " TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT " + t
                    + "_pk PRIMARY KEY (version))";
            case MARIADB -> "CREATE TABLE IF NOT EXISTS " + t + " (version INT NOT NULL, description VARCHAR(200)"
                    + " NOT NULL, script VARCHAR(200) NOT NULL, checksum INT NOT NULL, installed_at DATETIME(6) NOT"
                    + " NULL DEFAULT CURRENT_TIMESTAMP(6), CONSTRAINT " + t + "_pk PRIMARY KEY (version))"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
            case H2 -> "CREATE TABLE IF NOT EXISTS " + t + " (version INTEGER NOT NULL, description VARCHAR(200)"
                    + " NOT NULL, script VARCHAR(200) NOT NULL, checksum INTEGER NOT NULL, installed_at"
                    + " TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, CONSTRAINT " + t
                    + "_pk PRIMARY KEY (version))";
        };
    }

    private static String historyInsert(String prefix) {
        return "INSERT INTO " + prefix + "schema_history (version, description, script, checksum) VALUES (?, ?, ?, ?)";
    }

    /** Everything a DBA runs by hand to install the schema, history rows included, as one SQL text. */
    public static String ddl(Dialect dialect, String prefix) {
        StringBuilder sb = new StringBuilder();
        sb.append("-- Referral tracking schema for ").append(dialect).append(", table prefix '").append(prefix)
                .append("'.\n-- Apply in order; then build the store with MigrationMode.VALIDATE (or MIGRATE).\n\n");
        sb.append(historyTable(dialect, prefix)).append(";\n\n");
        for (Script s : scripts(dialect)) {
            sb.append("-- ").append(s.file()).append('\n');
            for (String st : statements(s.rendered(prefix))) {
                sb.append(st).append(";\n\n");
            }
            sb.append("INSERT INTO ").append(prefix).append("schema_history (version, description, script, checksum)")
                    .append(" VALUES (").append(s.version()).append(", '").append(s.description()).append("', '")
                    .append(s.file()).append("', ").append(s.checksum()).append(");\n\n");
        }
        return sb.toString();
    }

    /**
     * Brings the schema up to date, or checks it, as {@code mode} says.
     *
     * @throws StorageException if the database fails, or a recorded checksum differs from the shipped script, or
     *     (in {@link MigrationMode#VALIDATE}) a shipped script was not applied
     */
    public static void run(Connection c, Dialect dialect, String prefix, MigrationMode mode) {
        if (mode == MigrationMode.NONE) {
            return;
        }
        List<Script> scripts = scripts(dialect);
        try {
            if (mode == MigrationMode.VALIDATE) {
                validate(applied(c, prefix, true), scripts, prefix, true);
                return;
            }
            switch (dialect) {
                case POSTGRESQL -> migratePostgres(c, prefix, scripts);
                case MARIADB -> migrateMariaDb(c, prefix, scripts);
                case H2 -> migrateH2(c, prefix, scripts);
            }
        } catch (SQLException e) {
            throw Db.translate(e, "schema " + mode.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static void migratePostgres(Connection c, String prefix, List<Script> scripts) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                ps.setLong(1, lockKey(prefix));
                ps.executeQuery().close();
            }
            apply(c, Dialect.POSTGRESQL, prefix, scripts);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void migrateMariaDb(Connection c, String prefix, List<Script> scripts) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        String name = "CONCAT('referrals:', COALESCE(DATABASE(), ''), ':', ?)";
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(" + name + ", ?)")) {
                ps.setString(1, prefix);
                ps.setInt(2, LOCK_TIMEOUT_SECONDS);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) != 1) {
                        throw new StorageException("timed out waiting for the schema migration lock", null);
                    }
                }
            }
            try {
                apply(c, Dialect.MARIADB, prefix, scripts);
            } finally {
                try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(" + name + ")")) {
                    ps.setString(1, prefix);
                    ps.executeQuery().close();
                }
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void migrateH2(Connection c, String prefix, List<Script> scripts) throws SQLException {
        String key = c.getMetaData().getURL() + "|" + c.getSchema() + "|" + prefix;
        ReentrantLock lock = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        boolean autoCommit = c.getAutoCommit();
        lock.lock();
        try {
            c.setAutoCommit(true);
            apply(c, Dialect.H2, prefix, scripts);
        } finally {
            c.setAutoCommit(autoCommit);
            lock.unlock();
        }
    }

    private static void apply(Connection c, Dialect dialect, String prefix, List<Script> scripts)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(historyTable(dialect, prefix));
        }
        Map<Integer, Integer> applied = applied(c, prefix, false);
        validate(applied, scripts, prefix, false);
        for (Script s : scripts) {
            if (applied.containsKey(s.version())) {
                continue;
            }
            LOG.info("applying schema script {} with table prefix '{}'", s.file(), prefix);
            try (Statement st = c.createStatement()) {
                for (String sql : statements(s.rendered(prefix))) {
                    st.execute(sql);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(historyInsert(prefix))) {
                ps.setInt(1, s.version());
                ps.setString(2, s.description());
                ps.setString(3, s.file());
                ps.setInt(4, s.checksum());
                ps.executeUpdate();
            }
        }
    }

    /** Applied versions and their checksums. */
    private static Map<Integer, Integer> applied(Connection c, String prefix, boolean mustExist)
            throws SQLException {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, checksum FROM " + prefix
                        + "schema_history ORDER BY version")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            if (mustExist) {
                throw new StorageException("the referral schema (table prefix '" + prefix + "') is not installed:"
                        + " no readable " + prefix + "schema_history table", e.getSQLState(), e);
            }
            throw e;
        }
        return out;
    }

    private static void validate(Map<Integer, Integer> applied, List<Script> scripts, String prefix,
            boolean requireAll) {
        for (Script s : scripts) {
            Integer checksum = applied.get(s.version());
            if (checksum == null) {
                if (requireAll) {
                    throw new StorageException("the referral schema (table prefix '" + prefix + "') lacks "
                            + s.file() + "; apply it (see JdbcReferralStore.ddl) or use MigrationMode.MIGRATE", null);
                }
            } else if (checksum != s.checksum()) {
                throw new StorageException("schema script " + s.file() + " was applied with checksum " + checksum
                        + " but the shipped script has checksum " + s.checksum() + " (table prefix '" + prefix
                        + "'); the schema was changed by hand or by another version", null);
            }
        }
    }

    private static long lockKey(String prefix) {
        CRC32 crc = new CRC32();
        crc.update(("io.referrals.storage.jdbc:" + prefix).getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
