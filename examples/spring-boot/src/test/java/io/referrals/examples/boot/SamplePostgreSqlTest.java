package io.referrals.examples.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;

/**
 * The sample on PostgreSQL (the "postgres" profile's database, in a schema of its own). A missing server skips the
 * class with the reason printed, and fails it when {@code CI=true}.
 */
@DisplayName("Spring Boot sample on PostgreSQL")
class SamplePostgreSqlTest extends SampleContract {
    private static final String URL = env("REF_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = env("REF_TEST_PG_USER", "postgres");
    private static final String PASSWORD = env("REF_TEST_PG_PASSWORD", "");
    private final String schema = "ref_sample_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    List<String> datasource() {
        admin("CREATE SCHEMA " + schema);
        return List.of("spring.profiles.active=postgres",
                "spring.datasource.url=" + URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                "spring.datasource.username=" + USER, "spring.datasource.password=" + PASSWORD);
    }

    @Override
    void dropDatabase() {
        admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void admin(String sql) {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            String reason = "PostgreSQL sample suite skipped: cannot run '" + sql + "' on " + URL + ": "
                    + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true, so a missing database fails the build: " + reason, e);
            }
            System.err.println("[examples-spring-boot] " + reason);
            Assumptions.abort(reason);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
