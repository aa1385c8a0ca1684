package io.referrals.storage.jdbc.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
 * statement or its commit and then sent together: one statement however many writes.
 *
 * <p>The writes go as data-modifying {@code WITH} queries, {@code WITH w0 AS (INSERT ... RETURNING 1), w1 AS (...)
 * SELECT (SELECT COUNT(*) FROM w0), ...}, which PostgreSQL runs in one snapshot, all or none. Ahead of a query or a
 * write ({@link #take}) they are the first of two statements in one JDBC statement, which the driver sends in one
 * round trip and the server runs in order, so the second sees their rows; before the commit ({@link #flush}) they go
 * alone. A write whose count is 0 (an {@code INSERT ... ON CONFLICT DO NOTHING} that met a unique key, or a conditional
 * write whose condition failed) is reported by its {@link Clash}, after which the caller's transaction is rolled back.
 * No two writes held at once may change the same row: PostgreSQL would apply only one of them.
 *
 * <p>One statement holds at most {@link #MAX_WRITES} writes and {@link #MAX_PARAMETERS} bind parameters: PostgreSQL
 * refuses a select list of more than 1,664 entries (one per write here) and a statement of more than 65,535
 * parameters. A transaction holding more sends them as several statements, in the order written, each alone but the
 * last, which goes ahead of the next statement as usual; a transaction of normal size still sends one.
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

    /** A held write; {@code parameters} is the number of its statement's placeholders. */
    record Write(String statement, int parameters, Params params, Clash clash) {
    }

    /** Writes in one statement, well below PostgreSQL's 1,664 entries of a select list (one per write). */
    static final int MAX_WRITES = 500;
    /** Bind parameters of one statement, well below PostgreSQL's (and its driver's) 65,535. */
    static final int MAX_PARAMETERS = 30_000;

    /** Combined statements by the statements they combine; the same few short combinations recur. */
    private static final Map<List<String>, String> COMBINED = new ConcurrentHashMap<>();
    private static final int MAX_COMBINED = 256;
    /** Longer combinations are built each time: they rarely recur, and would crowd out the short ones. */
    private static final int MAX_CACHED_WRITES = 32;

    private final List<Write> writes = new ArrayList<>(4);

    /** Holds a write: {@code statement} is one INSERT without RETURNING, whose update count is 1 when it applies. */
    void add(String statement, Params params, Clash clash) {
        writes.add(new Write(statement, parameters(statement), params, clash));
    }

    boolean isEmpty() {
        return writes.isEmpty();
    }

    /** Forgets the writes held (the transaction is rolled back). */
    void discard() {
        writes.clear();
    }

    /**
     * The first writes held, as many as fit one statement, taken out (and forgotten here), for example to go ahead of
     * another statement in the same round trip, as the first of two statements in one JDBC statement: the second
     * sees their rows. Null when none is held.
     */
    Held take() {
        if (writes.isEmpty()) {
            return null;
        }
        List<Write> first = writes.subList(0, fitting());
        List<Write> taken = List.copyOf(first);
        first.clear();
        return new Held(combined(taken), taken);
    }

    /** True when the writes held are more than one statement takes. */
    boolean exceedsOneStatement() {
        return fitting() < writes.size();
    }

    /** How many of the first writes held fit one statement: at least one. */
    private int fitting() {
        int parameters = 0;
        for (int i = 0; i < writes.size(); i++) {
            parameters += writes.get(i).parameters;
            if (i == MAX_WRITES || i > 0 && parameters > MAX_PARAMETERS) {
                return i;
            }
        }
        return writes.size();
    }

    /** Writes taken out by {@link #take}: one statement whose only result row holds each write's count. */
    record Held(String sql, List<Write> writes) {
        int parameters() {
            return writes.stream().mapToInt(Write::parameters).sum();
        }

        void bind(PreparedStatement ps) throws SQLException {
            int from = 1;
            for (Write w : writes) {
                w.params.bind(ps, from);
                from += w.parameters;
            }
        }

        /** Each write's count, read from the statement's result. */
        int[] counts(ResultSet rs) throws SQLException {
            int[] counts = new int[writes.size()];
            rs.next();
            for (int i = 0; i < counts.length; i++) {
                counts[i] = rs.getInt(i + 1);
            }
            return counts;
        }

        /** @throws RuntimeException the {@link Clash} of the first write that changed no row */
        void check(int[] counts) throws SQLException {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    throw writes.get(i).clash.explain();
                }
            }
        }
    }

    /**
     * {@code ps} as a statement whose parameters start at {@code offset + 1}: for the binder of the statement that
     * follows held writes in one JDBC statement, written for that statement alone.
     */
    static PreparedStatement shifted(PreparedStatement ps, int offset) {
        return (PreparedStatement) Proxy.newProxyInstance(WriteBehind.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (args != null && args.length >= 2 && method.getName().startsWith("set")
                            && method.getParameterTypes()[0] == int.class) {
                        args[0] = (Integer) args[0] + offset;
                    }
                    try {
                        return method.invoke(ps, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * Sends the writes held, in one statement (several for more than one takes), and forgets them.
     *
     * @throws RuntimeException the {@link Clash} of the first write that changed no row
     */
    void flush(Connection connection) throws SQLException {
        while (!writes.isEmpty()) {
            send(connection, take());
        }
    }

    /**
     * Sends the first writes held, alone, until the rest fit one statement: what then goes ahead of the next
     * statement.
     *
     * @throws RuntimeException the {@link Clash} of the first write that changed no row
     */
    void sendAllButOneStatement(Connection connection) throws SQLException {
        while (exceedsOneStatement()) {
            send(connection, take());
        }
    }

    private static void send(Connection connection, Held held) throws SQLException {
        int[] counts;
        try (PreparedStatement ps = connection.prepareStatement(held.sql)) {
            held.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                counts = held.counts(rs);
            }
        }
        held.check(counts);
    }

    private static String combined(List<Write> writes) {
        List<String> statements = writes.stream().map(Write::statement).toList();
        String known = statements.size() <= MAX_CACHED_WRITES ? COMBINED.get(statements) : null;
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
        if (statements.size() <= MAX_CACHED_WRITES && COMBINED.size() < MAX_COMBINED) {
            COMBINED.put(statements, sql);
        }
        return sql;
    }

    static int parameters(String statement) {
        int n = 0;
        for (int i = 0; i < statement.length(); i++) {
            if (statement.charAt(i) == '?') {
                n++;
            }
        }
        return n;
    }
}
