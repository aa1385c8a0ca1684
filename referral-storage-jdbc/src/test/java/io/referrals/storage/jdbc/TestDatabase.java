package io.referrals.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A database of its own for one test class: a fresh in-memory H2 database, a PostgreSQL schema
 * {@code ref_test_<random>} or a MariaDB database {@code ref_test_<random>}, dropped by {@link #close()}. Sessions run
 * in a time zone different from the JVM's (the module's tests run the JVM in America/Los_Angeles): PostgreSQL in
 * Asia/Kathmandu, MariaDB at +09:30. Public so that the tests of subpackages ({@code ...jdbc.rules}) use it too.
 */
public final class TestDatabase implements AutoCloseable {
    static final String PG_SESSION_ZONE = "Asia/Kathmandu";
    static final String MARIADB_SESSION_ZONE = "+09:30";

    /** Every table of the schema, children first. */
    static final List<String> TABLES = List.of("program", "advocate", "enrolment", "code", "referral", "timeline",
            "stream_seq", "event", "reward", "ledger", "balance", "counter", "advocate_segment", "moment", "ask",
            "message_item");

    public final Dialect dialect;
    public final String name;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private TestDatabase(Dialect dialect, String name) {
        this.dialect = dialect;
        this.name = name;
    }

    /** Creates a database of its own; the caller must have passed {@link DatabaseAvailability#require}. */
    public static TestDatabase create(Dialect dialect) {
        DatabaseAvailability.require(dialect);
        String name = "ref_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestDatabase db = new TestDatabase(dialect, name);
        switch (dialect) {
            case POSTGRESQL -> db.admin("CREATE SCHEMA " + name);
            case MARIADB -> db.admin("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
            case H2 -> { }
        }
        return db;
    }

    /**
     * Skips the calling test (or under {@code CI=true} fails it) unless the server of {@code dialect} answers: for the
     * tests of subpackages, which cannot see {@link DatabaseAvailability}.
     */
    public static void requireServer(Dialect dialect) {
        DatabaseAvailability.require(dialect);
    }

    static String urlVariable(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? "REF_TEST_PG_URL" : "REF_TEST_MARIADB_URL";
    }

    static String adminUrl(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> env(urlVariable(dialect), "jdbc:postgresql://127.0.0.1:5432/test");
            case MARIADB -> env(urlVariable(dialect), "jdbc:mariadb://127.0.0.1:3306/test");
            case H2 -> "jdbc:h2:mem:";
        };
    }

    public static String user(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> env("REF_TEST_PG_USER", "postgres");
            case MARIADB -> env("REF_TEST_MARIADB_USER", "root");
            case H2 -> "sa";
        };
    }

    public static String password(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> env("REF_TEST_PG_PASSWORD", "");
            case MARIADB -> env("REF_TEST_MARIADB_PASSWORD", "");
            case H2 -> "";
        };
    }

    private static String env(String name, String fallback) {
        return Objects.requireNonNullElse(System.getenv(name), fallback);
    }

    /** The JDBC URL of this database. */
    public String url() {
        return switch (dialect) {
            case POSTGRESQL -> adminUrl(dialect) + (adminUrl(dialect).contains("?") ? "&" : "?") + "currentSchema="
                    + name;
            case MARIADB -> adminUrl(dialect).replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
            // H2 gives up on a row lock after 10 s by default; on a loaded 2-core build machine the contention tests'
            // queues of writers on one counter row have waited longer than that
            case H2 -> "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=60000";
        };
    }

    /** A new HikariCP pool on this database; closed by {@link #close()}. */
    public HikariDataSource pool(int size) {
        return pool(size, c -> { });
    }

    public HikariDataSource pool(int size, Consumer<HikariConfig> customize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setUsername(user(dialect));
        config.setPassword(password(dialect));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(30_000);
        config.setPoolName(name + "-" + pools.size());
        switch (dialect) {
            case POSTGRESQL -> config.setConnectionInitSql("SET TIME ZONE '" + PG_SESSION_ZONE + "'");
            case MARIADB -> config.setConnectionInitSql("SET time_zone = '" + MARIADB_SESSION_ZONE + "'");
            case H2 -> { }
        }
        customize.accept(config);
        HikariDataSource ds = new HikariDataSource(config);
        synchronized (pools) {
            pools.add(ds);
        }
        return ds;
    }

    /** A plain connection (not pooled) on this database. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(dialect), password(dialect));
    }

    /** Empties every table of the schema with {@code prefix}. */
    void truncate(String prefix) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                List<String> names = new ArrayList<>();
                TABLES.forEach(t -> names.add(prefix + t));
                st.execute("TRUNCATE TABLE " + String.join(", ", names));
            } else {
                for (String t : TABLES) {
                    st.execute((dialect == Dialect.MARIADB ? "DELETE FROM " : "TRUNCATE TABLE ") + prefix + t);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the test tables", e);
        }
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl(dialect), user(dialect), password(dialect));
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + dialect, e);
        }
    }

    /** Closes every pool opened so far. */
    void closePools() {
        synchronized (pools) {
            pools.forEach(HikariDataSource::close);
            pools.clear();
        }
    }

    @Override
    public void close() {
        closePools();
        switch (dialect) {
            case POSTGRESQL -> admin("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            case MARIADB -> admin("DROP DATABASE IF EXISTS " + name);
            case H2 -> {
                try (Connection c = connect(); Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN");
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot shut the H2 test database down", e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return dialect.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
}
