package io.referrals.spring.boot.starter;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A database of its own for one test class: a named in-memory H2 database that lives until the JVM ends, or a
 * PostgreSQL schema {@code ref_boot_<random>} dropped by {@link #close()}. A missing PostgreSQL server skips the class
 * with the reason printed, and fails it when {@code CI=true}, as in referral-storage-jdbc.
 */
final class TestDb implements AutoCloseable {
    static final String PG_URL = env("REF_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = env("REF_TEST_PG_USER", "postgres");
    static final String PG_PASSWORD = env("REF_TEST_PG_PASSWORD", "");
    private static String pgProblem;

    final String kind;
    final String url;
    final String user;
    final String password;
    private final String schema;

    private TestDb(String kind, String url, String user, String password, String schema) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    static TestDb h2() {
        String name = "boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return new TestDb("H2", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", null);
    }

    static TestDb postgres() {
        requirePostgres();
        String schema = "ref_boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE SCHEMA " + schema);
        String sep = PG_URL.contains("?") ? "&" : "?";
        return new TestDb("PostgreSQL", PG_URL + sep + "currentSchema=" + schema, PG_USER, PG_PASSWORD, schema);
    }

    private static synchronized void requirePostgres() {
        if (pgProblem == null) {
            DriverManager.setLoginTimeout(3);
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
                pgProblem = c.isValid(3) ? "" : "the server at " + PG_URL + " did not answer";
            } catch (SQLException e) {
                pgProblem = "cannot connect to " + PG_URL + ": " + e.getMessage();
            }
        }
        if (pgProblem.isEmpty()) {
            return;
        }
        String reason = "PostgreSQL Spring Boot suite skipped: " + pgProblem + " (start PostgreSQL on 127.0.0.1:5432,"
                + " or set REF_TEST_PG_URL)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true, so a missing database fails the build: " + reason);
        }
        System.err.println("[referral-spring-boot] " + reason);
        Assumptions.abort(reason);
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Spring properties for this database (a small Hikari pool that gives up on a connection within 2 seconds). */
    List<String> properties() {
        List<String> p = new ArrayList<>();
        p.add("spring.datasource.url=" + url);
        p.add("spring.datasource.username=" + user);
        p.add("spring.datasource.password=" + password);
        p.add("spring.datasource.hikari.maximum-pool-size=6");
        p.add("spring.datasource.hikari.connection-timeout=2000");
        return p;
    }

    /** Runs a query returning one number. */
    long count(String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (schema != null) {
            admin("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Override
    public String toString() {
        return kind;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
