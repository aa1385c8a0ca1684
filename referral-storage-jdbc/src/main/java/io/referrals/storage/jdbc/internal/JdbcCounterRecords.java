package io.referrals.storage.jdbc.internal;

import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.CounterRecords;
import io.referrals.storage.jdbc.Dialect;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The bounded counters of a {@link JdbcTransaction}, a row per {@link CounterKey#value()}: on PostgreSQL one
 * conditional upsert (several counters in one statement), on H2 one conditional {@code MERGE}, on MariaDB an
 * insert-if-absent then {@code UPDATE ... WHERE amount + ? <= ?}.
 */
final class JdbcCounterRecords implements CounterRecords {
    private final TxContext tx;

    JdbcCounterRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public boolean tryConsume(CounterKey key, long amount, long capacity) {
        Objects.requireNonNull(key, "key");
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive: " + amount);
        }
        tx.check();
        if (amount > capacity) {
            return false;
        }
        String k = key.value();
        try {
            if (tx.dialect == Dialect.POSTGRESQL) {
                return tx.exec(tx.sql.tryConsume, ps -> {
                    ps.setString(1, k);
                    ps.setLong(2, amount);
                    ps.setLong(3, capacity);
                }) == 1;
            }
            if (tx.dialect == Dialect.H2) {
                for (int attempt = 1; ; attempt++) {
                    try {
                        return tx.exec(tx.sql.tryConsume, ps -> {
                            ps.setString(1, k);
                            ps.setLong(2, amount);
                            ps.setLong(3, capacity);
                        }) == 1;
                    } catch (SQLException e) {
                        // two first uses of one counter raced; the row exists now
                        if (!Db.isUniqueViolation(e) || attempt == TxContext.MERGE_ATTEMPTS) {
                            throw e;
                        }
                    }
                }
            }
            tx.exec(tx.sql.ensureCounter, ps -> ps.setString(1, k));
            return tx.exec(tx.sql.consume, ps -> {
                ps.setLong(1, amount);
                ps.setString(2, k);
                ps.setLong(3, amount);
                ps.setLong(4, capacity);
            }) == 1;
        } catch (SQLException e) {
            throw Db.translate(e, "tryConsume");
        }
    }

    @Override
    public List<Boolean> tryConsumeEach(List<Consumption> consumptions) {
        tx.check();
        // One statement on PostgreSQL; a key named twice would be one row updated twice by it, which PostgreSQL
        // refuses, and other dialects take two statements per counter anyway: successive calls then.
        List<Consumption> possible = consumptions.stream().filter(c -> c.amount() <= c.capacity()).toList();
        Set<String> keys = new HashSet<>();
        boolean distinct = consumptions.stream().allMatch(c -> keys.add(c.key().value()));
        if (tx.dialect != Dialect.POSTGRESQL || !distinct || possible.isEmpty()) {
            List<Boolean> applied = new ArrayList<>(consumptions.size());
            for (Consumption c : consumptions) {
                applied.add(tryConsume(c.key(), c.amount(), c.capacity()));
            }
            return List.copyOf(applied);
        }
        int n = possible.size();
        Set<String> done = new HashSet<>(tx.list(tx.sql.tryConsumeEach(n), ps -> {
            for (int i = 0; i < n; i++) {
                Consumption c = possible.get(i);
                ps.setString(1 + 2 * i, c.key().value());
                ps.setLong(2 + 2 * i, c.amount());
                ps.setString(1 + 2 * n + 2 * i, c.key().value());
                ps.setLong(2 + 2 * n + 2 * i, c.capacity());
            }
        }, rs -> rs.getString(1), "tryConsumeEach"));
        return consumptions.stream().map(c -> c.amount() <= c.capacity() && done.contains(c.key().value()))
                .toList();
    }

    @Override
    public void release(CounterKey key, long amount) {
        tx.update(tx.sql.release, ps -> {
            ps.setLong(1, amount);
            ps.setLong(2, amount);
            ps.setString(3, key.value());
        }, "release");
    }

    @Override
    public long value(CounterKey key) {
        return tx.one(tx.sql.counter, ps -> ps.setString(1, key.value()), rs -> rs.getLong(1), "counter")
                .orElse(0L);
    }
}
