package io.referrals.benchmarks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A database of its own for one benchmark trial, with a HikariCP pool on it: an in-memory H2 database, or a PostgreSQL
 * schema {@code bench_<random>} on {@code 127.0.0.1:5432} (user {@code postgres}, database {@code test}; override with
 * the {@code REF_BENCH_PG_URL}, {@code REF_BENCH_PG_USER} and {@code REF_BENCH_PG_PASSWORD} environment variables),
 * dropped by {@link #close()}.
 */
final class BenchDatabase implements AutoCloseable {
    /** The databases a benchmark's {@code db} parameter names. */
    static final String H2 = "h2";
    static final String POSTGRESQL = "postgresql";

    final String kind;
    final String name;
    final HikariDataSource pool;

    private BenchDatabase(String kind, String name, HikariDataSource pool) {
        this.kind = kind;
        this.name = name;
        this.pool = pool;
    }

    /**
     * Creates the database and a pool of {@code poolSize} on it.
     *
     * @param urlOptions extra JDBC URL options ({@code reWriteBatchedInserts=true}), or ""
     */
    static BenchDatabase create(String kind, int poolSize, String urlOptions) {
        String name = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = switch (kind) {
            case H2 -> "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
            case POSTGRESQL -> {
                admin("CREATE SCHEMA " + name);
                String base = pgUrl();
                yield base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name
                        + (urlOptions.isEmpty() ? "" : "&" + urlOptions);
            }
            default -> throw new IllegalArgumentException("unknown database '" + kind + "': h2 or postgresql");
        };
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(kind.equals(H2) ? "sa" : pgUser());
        config.setPassword(kind.equals(H2) ? "" : pgPassword());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setPoolName(name);
        return new BenchDatabase(kind, name, new HikariDataSource(config));
    }

    private static String env(String name, String fallback) {
        return Objects.requireNonNullElse(System.getenv(name), fallback);
    }

    private static String pgUrl() {
        return env("REF_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    private static String pgUser() {
        return env("REF_BENCH_PG_USER", "postgres");
    }

    private static String pgPassword() {
        return env("REF_BENCH_PG_PASSWORD", "");
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(pgUrl(), pgUser(), pgPassword());
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on PostgreSQL", e);
        }
    }

    /** Runs plain SQL on a pooled connection in auto-commit. */
    void execute(String sql) {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "'", e);
        }
    }

    /**
     * Renews the planner's statistics of every table of this database, as autovacuum does on a PostgreSQL server
     * that runs it (the benchmark machine's does not); PostgreSQL then plans cached statements again. H2 too.
     */
    void analyze() {
        if (kind.equals(H2)) {
            execute("ANALYZE");
            return;
        }
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '"
                    + name + "'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                st.execute("ANALYZE " + name + "." + table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot analyse " + name, e);
        }
    }

    @Override
    public void close() {
        pool.close();
        if (kind.equals(H2)) {
            try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + name, "sa", "");
                    Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot shut the H2 database down", e);
            }
        }
        if (kind.equals(POSTGRESQL)) {
            admin("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
