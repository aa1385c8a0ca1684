package io.referrals.storage.jdbc.internal;

import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.UniqueKey;
import io.referrals.storage.jdbc.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A statement's text and its arguments, built together so that placeholders and values stay in step: for statements
 * assembled piece by piece (program statistics) or binding values that may be absent (moments and asks). It runs
 * straight on the transaction's connection, so its caller sends the writes held back first
 * ({@link TxContext#direct}).
 */
final class BoundSql {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    /** SQL NULL of a {@link Types} type, as an argument. */
    record Null(int type) {
    }

    /** A row handler. */
    @FunctionalInterface
    interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }

    /** A statement of {@code text} with {@code values} for its placeholders. */
    static BoundSql of(String text, Object... values) {
        return new BoundSql().add(text, values);
    }

    /**
     * Appends text and the values of its placeholders: strings, instants, longs, integers, booleans or {@link Null}.
     */
    BoundSql add(String s, Object... values) {
        text.append(s);
        args.addAll(List.of(values));
        return this;
    }

    /** {@code value}, or SQL NULL of type VARCHAR for null. */
    static Object orNull(String value) {
        return value == null ? new Null(Types.VARCHAR) : value;
    }

    /** Runs the query, handing each row to {@code handler}. */
    void forEach(TxContext tx, RowHandler handler) throws SQLException {
        try (PreparedStatement ps = tx.connection.prepareStatement(text.toString())) {
            bind(ps, tx.dialect);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.accept(rs);
                }
            }
        }
    }

    /** Runs the query and maps each row. */
    <T> List<T> list(TxContext tx, TxContext.Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        forEach(tx, rs -> out.add(row.map(rs)));
        return out;
    }

    /** Runs the query and maps its first row, if any. */
    <T> Optional<T> first(TxContext tx, TxContext.Row<T> row) throws SQLException {
        List<T> all = list(tx, row);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Runs a write and returns its update count. */
    int update(TxContext tx) throws SQLException {
        try (PreparedStatement ps = tx.connection.prepareStatement(text.toString())) {
            bind(ps, tx.dialect);
            return ps.executeUpdate();
        }
    }

    /**
     * Runs an insert whose clash (an exception, or on PostgreSQL, where {@code ON CONFLICT DO NOTHING} is appended, an
     * update count of 0) is a duplicate {@code key}.
     */
    void insert(TxContext tx, UniqueKey key) throws SQLException {
        String statement = tx.dialect == Dialect.POSTGRESQL ? text + " ON CONFLICT DO NOTHING" : text.toString();
        try (PreparedStatement ps = tx.connection.prepareStatement(statement)) {
            bind(ps, tx.dialect);
            if (ps.executeUpdate() == 0) {
                throw new DuplicateKeyException(key);
            }
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                throw new DuplicateKeyException(key);
            }
            throw e;
        }
    }

    private void bind(PreparedStatement ps, Dialect dialect) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            int index = i + 1;
            if (a instanceof String s) {
                ps.setString(index, s);
            } else if (a instanceof Instant t) {
                Db.setInstant(ps, index, t, dialect);
            } else if (a instanceof Long l) {
                ps.setLong(index, l);
            } else if (a instanceof Integer n) {
                ps.setInt(index, n);
            } else if (a instanceof Null n) {
                ps.setNull(index, n.type());
            } else if (a instanceof Boolean b) {
                ps.setBoolean(index, b);
            } else {
                throw new IllegalArgumentException("cannot bind " + a.getClass());
            }
        }
    }
}
