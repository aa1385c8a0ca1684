package io.referrals.storage.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place that decides whether a database server suite runs. A reachable server runs; an unreachable one
 * skips the suite with the reason printed on stderr on a developer's machine, and fails it when {@code CI=true}.
 */
final class DatabaseAvailability {
    private static final Map<Dialect, String> PROBLEMS = new ConcurrentHashMap<>();

    private DatabaseAvailability() {
    }

    /** Skips (or under CI fails) the calling test class unless the server of {@code dialect} answers. */
    static void require(Dialect dialect) {
        if (dialect == Dialect.H2) {
            return;
        }
        String problem = PROBLEMS.computeIfAbsent(dialect, DatabaseAvailability::probe);
        if (problem.isEmpty()) {
            return;
        }
        String reason = dialect + " server suite skipped: " + problem
                + " (start the server described in DEVELOPERS.md, or set " + TestDatabase.urlVariable(dialect) + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true, so a missing database fails the build: " + reason);
        }
        System.err.println("[referral-storage-jdbc] " + reason);
        Assumptions.abort(reason);
    }

    private static String probe(Dialect dialect) {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(TestDatabase.adminUrl(dialect), TestDatabase.user(dialect),
                TestDatabase.password(dialect))) {
            return c.isValid(3) ? "" : "the server at " + TestDatabase.adminUrl(dialect) + " did not answer";
        } catch (SQLException e) {
            return "cannot connect to " + TestDatabase.adminUrl(dialect) + ": " + e.getMessage();
        }
    }
}
