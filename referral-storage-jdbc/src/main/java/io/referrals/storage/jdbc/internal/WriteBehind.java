package io.referrals.storage.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writes of one PostgreSQL transaction that return nothing to their caller, held until the transaction's next
 * other statement or its commit and then sent together: one statement, and so one round trip, however many writes.
 *
 * <p>Two or more writes go as data-modifying {@code WITH} queries, {@code WITH w0 AS (INSERT ... RETURNING 1), w1 AS
 * (...) SELECT (SELECT COUNT(*) FROM w0), ...}, which PostgreSQL runs in one snapshot, all or none. A write whose
 * count is 0 (an {@code INSERT ... ON CONFLICT DO NOTHING} that met a unique key, or a conditional write whose
 * condition failed) is reported by its {@link Clash}, after which the caller's transaction is rolled back. No two
 * writes held at once may change the same row: PostgreSQL would apply only one of them.
 */
final class WriteBehind {
    /** Binds a write's parameters, the first at index {@code from}. */
    @FunctionalInterface
    interface Params {
        void bind(PreparedStatement ps, int from) throws SQLException;
    }

    /** What a write that changed no row means: an exception to throw. */
    @FunctionalInterface
    interface Clash {
        RuntimeException explain() throws SQLException;
    }

    private record Write(String statement, Params params, Clash clash) {
    }

    /** Combined statements by the statements they combine; the same few combinations recur. */
    private static final Map<List<String>, String> COMBINED = new ConcurrentHashMap<>();
    private static final int MAX_COMBINED = 256;

    private final List<Write> writes = new ArrayList<>(4);

    /** Holds a write: {@code statement} is one INSERT without RETURNING, whose update count is 1 when it applies. */
    void add(String statement, Params params, Clash clash) {
        writes.add(new Write(statement, params, clash));
    }

    boolean isEmpty() {
        return writes.isEmpty();
    }

    /** Forgets the writes held (the transaction is rolled back). */
    void discard() {
        writes.clear();
    }

    /**
     * Sends the writes held, in one statement, and forgets them.
     *
     * @throws RuntimeException the {@link Clash} of the first write that changed no row
     */
    void flush(Connection connection) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        List<Write> sent = List.copyOf(writes);
        writes.clear();
        if (sent.size() == 1) {
            Write w = sent.get(0);
            try (PreparedStatement ps = connection.prepareStatement(w.statement)) {
                w.params.bind(ps, 1);
                if (ps.executeUpdate() == 0) {
                    throw w.clash.explain();
                }
            }
            return;
        }
        int[] counts = new int[sent.size()];
        try (PreparedStatement ps = connection.prepareStatement(combined(sent))) {
            int from = 1;
            for (Write w : sent) {
                w.params.bind(ps, from);
                from += parameters(w.statement);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = rs.getInt(i + 1);
                }
            }
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                throw sent.get(i).clash.explain();
            }
        }
    }

    private static String combined(List<Write> writes) {
        List<String> statements = writes.stream().map(Write::statement).toList();
        String known = COMBINED.get(statements);
        if (known != null) {
            return known;
        }
        StringBuilder with = new StringBuilder("WITH ");
        StringBuilder select = new StringBuilder(" SELECT ");
        for (int i = 0; i < statements.size(); i++) {
            with.append(i == 0 ? "" : ", ").append('w').append(i).append(" AS (").append(statements.get(i))
                    .append(" RETURNING 1)");
            select.append(i == 0 ? "" : ", ").append("(SELECT COUNT(*) FROM w").append(i).append(')');
        }
        String sql = with.append(select).toString();
        if (COMBINED.size() < MAX_COMBINED) {
            COMBINED.put(statements, sql);
        }
        return sql;
    }

    private static int parameters(String statement) {
        int n = 0;
        for (int i = 0; i < statement.length(); i++) {
            if (statement.charAt(i) == '?') {
                n++;
            }
        }
        return n;
    }
}
