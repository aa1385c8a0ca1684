package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.UniqueKey;
import io.referrals.storage.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the areas of one {@link JdbcTransaction} share: its connection, dialect and statements, the caches and the
 * entries the transaction wrote (bypassed now, invalidated when it ends), the writes held back on PostgreSQL, and the
 * runner that every statement of the areas goes through. Used by one thread; every {@link SQLException} of a
 * statement run here leaves as a library exception.
 */
final class TxContext {
    /** Rows per JDBC batch of a bulk insert. */
    static final int BATCH = 500;
    /** Tries of an H2 {@code MERGE} whose first insert of a row raced with another transaction's. */
    static final int MERGE_ATTEMPTS = 10;

    final Connection connection;
    final Sql sql;
    final Dialect dialect;
    final Caches caches;
    /** False inside a host's transaction, whose uncommitted writes must never reach a cache. */
    final boolean fillCaches;
    /** True when each statement reads the latest committed rows (READ COMMITTED or weaker). */
    final boolean readCommitted;
    final Set<ProgramId> wrotePrograms = new HashSet<>(2);
    final Set<String> wroteCodes = new HashSet<>(2);
    final Set<String> wroteEnrolments = new HashSet<>(2);
    /** PostgreSQL only, else null: writes held until the next other statement or the commit. */
    final WriteBehind later;
    /** Streams of the referrals this transaction inserted, which have no sequence yet. */
    final Set<String> newStreams = new HashSet<>(2);
    /** Streams whose sequence write {@link #later} holds; forgotten whenever the held writes are sent. */
    final Set<String> heldSequences = new HashSet<>(2);
    private boolean open = true;

    TxContext(Connection connection, Sql sql, Caches caches, boolean fillCaches, boolean readCommitted) {
        this.connection = connection;
        this.sql = sql;
        this.dialect = sql.dialect;
        this.caches = caches;
        this.fillCaches = fillCaches;
        this.readCommitted = readCommitted;
        this.later = dialect == Dialect.POSTGRESQL ? new WriteBehind() : null;
    }

    /** Ends the transaction's use and invalidates what it wrote in the caches (after commit or rollback). */
    void close() {
        open = false;
        if (later != null) {
            later.discard();
        }
        caches.invalidatePrograms(wrotePrograms);
        caches.invalidateCodes(wroteCodes);
        caches.invalidateEnrolments(wroteEnrolments);
    }

    /** Fails once the transaction is over; then sends the writes held, so that what follows sees them. */
    void check() {
        checkOpen();
        flush();
    }

    void checkOpen() {
        if (!open) {
            throw new IllegalStateException("the transaction is over");
        }
    }

    /**
     * Sends the writes held back (PostgreSQL): before any other statement, and by the store before it commits.
     *
     * @throws DuplicateKeyException when a held insert met a unique key
     */
    void flush() {
        if (later == null || later.isEmpty()) {
            return;
        }
        heldSequences.clear();
        try {
            later.flush(connection);
        } catch (SQLException e) {
            throw Db.translate(e, "flush");
        }
    }

    // ---- the runner -----------------------------------------------------------------------------------------------

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface Outcome<T> {
        T read(PreparedStatement ps, boolean hasRows) throws SQLException;
    }

    /** Work on the connection itself, for {@link #direct}. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /** Tells, after an insert changed no row, whether the primary key was the one taken. */
    @FunctionalInterface
    interface PrimaryProbe {
        boolean taken() throws SQLException;
    }

    <T> Optional<T> one(String statement, Binder binder, Row<T> row, String what) {
        checkOpen();
        try {
            return query(statement, binder, rs -> rs.next() ? Optional.of(row.map(rs)) : Optional.empty());
        } catch (SQLException e) {
            throw Db.translate(e, what);
        }
    }

    <T> List<T> list(String statement, Binder binder, Row<T> row, String what) {
        checkOpen();
        try {
            return query(statement, binder, rs -> {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            });
        } catch (SQLException e) {
            throw Db.translate(e, what);
        }
    }

    /** Runs a query and reads its rows; on PostgreSQL the writes held go ahead of it (see {@link #run}). */
    private <T> T query(String statement, Binder binder, Rows<T> rows) throws SQLException {
        return run(statement, binder, (ps, hasRows) -> {
            if (!hasRows) {
                throw new IllegalStateException("a query returned no rows: " + statement);
            }
            try (ResultSet rs = ps.getResultSet()) {
                return rows.read(rs);
            }
        });
    }

    /** Runs a write and returns its update count; on PostgreSQL the writes held go ahead of it (see {@link #run}). */
    int exec(String statement, Binder binder) throws SQLException {
        return run(statement, binder, (ps, hasRows) -> {
            if (hasRows) {
                throw new IllegalStateException("a write returned rows: " + statement);
            }
            return ps.getUpdateCount();
        });
    }

    /**
     * Runs one statement. On PostgreSQL the writes held go ahead of it in the same round trip, as the first of two
     * statements in one JDBC statement, which the server runs in order: the statement sees their rows, and a held
     * write's clash is thrown once both have run.
     */
    private <T> T run(String statement, Binder binder, Outcome<T> outcome) throws SQLException {
        WriteBehind.Held held = takeHeld();
        int[] counts = null;
        T result;
        try (PreparedStatement ps = connection.prepareStatement(held == null ? statement
                : held.sql() + ";\n" + statement)) {
            if (held == null) {
                binder.bind(ps);
            } else {
                held.bind(ps);
                binder.bind(WriteBehind.shifted(ps, held.parameters()));
            }
            boolean hasRows = ps.execute();
            if (held != null) {
                try (ResultSet rs = ps.getResultSet()) {
                    counts = held.counts(rs);
                }
                hasRows = ps.getMoreResults();
            }
            result = outcome.read(ps, hasRows);
        }
        if (held != null) {
            held.check(counts);
        }
        return result;
    }

    /** A statement with its binder; {@code parameters} is its number of placeholders. */
    record Bound(String statement, Binder binder) {
        int parameters() {
            return WriteBehind.parameters(statement);
        }
    }

    /** The rows of two queries run by {@link #listBoth}. */
    record Both<A, B>(List<A> first, List<B> second) {
    }

    /**
     * Runs two queries in one round trip, {@code first} then {@code second}, as two statements of one JDBC statement
     * (with the writes held ahead of them, see {@link #run}). The server runs them in order and, at READ COMMITTED,
     * takes a new snapshot for each: the second sees what the transactions the first waited for committed.
     */
    <A, B> Both<A, B> listBoth(Bound first, Row<A> firstRow, Bound second, Row<B> secondRow, String what) {
        checkOpen();
        try {
            WriteBehind.Held held = takeHeld();
            int[] counts = null;
            Both<A, B> result;
            String both = first.statement() + ";\n" + second.statement();
            try (PreparedStatement ps = connection.prepareStatement(held == null ? both : held.sql() + ";\n" + both)) {
                int offset = 0;
                if (held != null) {
                    held.bind(ps);
                    offset = held.parameters();
                }
                first.binder().bind(offset == 0 ? ps : WriteBehind.shifted(ps, offset));
                second.binder().bind(WriteBehind.shifted(ps, offset + first.parameters()));
                boolean hasRows = ps.execute();
                if (held != null) {
                    try (ResultSet rs = ps.getResultSet()) {
                        counts = held.counts(rs);
                    }
                    hasRows = ps.getMoreResults();
                }
                List<A> a = rows(ps, hasRows, firstRow, first.statement());
                List<B> b = rows(ps, ps.getMoreResults(), secondRow, second.statement());
                result = new Both<>(a, b);
            }
            if (held != null) {
                held.check(counts);
            }
            return result;
        } catch (SQLException e) {
            throw Db.translate(e, what);
        }
    }

    private static <T> List<T> rows(PreparedStatement ps, boolean hasRows, Row<T> row, String statement)
            throws SQLException {
        if (!hasRows) {
            throw new IllegalStateException("a query returned no rows: " + statement);
        }
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.getResultSet()) {
            while (rs.next()) {
                out.add(row.map(rs));
            }
        }
        return out;
    }

    /**
     * The writes held, taken out to go ahead of the next statement; null when none (or not PostgreSQL). More than one
     * statement takes go ahead alone first, in order.
     */
    private WriteBehind.Held takeHeld() throws SQLException {
        if (later == null || later.isEmpty()) {
            return null;
        }
        heldSequences.clear();
        later.sendAllButOneStatement(connection);
        return later.take();
    }

    int update(String statement, Binder binder, String what) {
        checkOpen();
        try {
            return exec(statement, binder);
        } catch (SQLException e) {
            throw Db.translate(e, what);
        }
    }

    /**
     * Runs an insert guarded by unique keys. A clash (an exception, or on PostgreSQL an update count of 0 from
     * {@code ON CONFLICT DO NOTHING}, which keeps the transaction usable) becomes a {@link DuplicateKeyException}
     * naming the key: {@code other} when the driver's message names {@code otherConstraint} or {@code isPrimary}
     * says the primary key is free, otherwise {@code primary}.
     */
    void insert(String statement, Binder binder, String what, UniqueKey primary, String otherConstraint,
            UniqueKey other, PrimaryProbe isPrimary) {
        checkOpen();
        try {
            if (exec(statement, binder) == 0) {
                throw new DuplicateKeyException(other == null || isPrimary == null || isPrimary.taken()
                        ? primary : other);
            }
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                boolean isOther = other != null && message.contains(sql.constraint(otherConstraint));
                throw new DuplicateKeyException(isOther ? other : primary);
            }
            throw Db.translate(e, what);
        }
    }

    void insert(String statement, Binder binder, String what, UniqueKey key) {
        insert(statement, binder, what, key, null, null, null);
    }

    /** Holds back an insert guarded by one unique key on PostgreSQL ({@link WriteBehind}); elsewhere runs it now. */
    void insertOrHold(String statement, WriteBehind.Params params, String what, UniqueKey key) {
        if (later == null) {
            insert(statement, ps -> params.bind(ps, 1), what, key);
            return;
        }
        checkOpen();
        later.add(statement, params, () -> new DuplicateKeyException(key));
    }

    /** Whether a row with this id exists: a plain query on the connection, ahead of nothing held. */
    boolean exists(String statement, String id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(statement)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Sends the writes held, then runs {@code work}, whose statements go straight to the connection (the moment, ask
     * and statistics statements).
     */
    <T> T direct(Work<T> work, String what) {
        check();
        try {
            return work.run();
        } catch (SQLException e) {
            throw Db.translate(e, what);
        }
    }

    /**
     * A newest-first page of an advocate's rows, one statement of {@code page}.
     *
     * @throws IllegalArgumentException if {@code limit} is out of range (see {@link Before#checkLimit})
     */
    <T> List<T> newestFirst(Sql.NewestFirst page, AdvocateId advocateId, Before before, int limit, Row<T> row,
            String what) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(before, "before");
        Before.checkLimit(limit);
        if (before.isFirst()) {
            return list(page.first(), ps -> {
                ps.setString(1, advocateId.value());
                ps.setInt(2, limit);
            }, row, what);
        }
        return list(page.before(), ps -> {
            int i = 1;
            ps.setString(i++, advocateId.value());
            if (!page.rowValue()) {
                ps.setString(i++, advocateId.value());
            }
            setInstant(ps, i++, before.at());
            if (!page.rowValue()) {
                setInstant(ps, i++, before.at());
            }
            ps.setString(i++, before.id());
            ps.setInt(i, limit);
        }, row, what);
    }

    void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        Db.setInstant(ps, index, value, dialect);
    }

    Instant instant(ResultSet rs, int index) throws SQLException {
        return Db.getInstant(rs, index, dialect);
    }
}
