package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.Referral;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.CounterRecords;
import io.referrals.core.storage.ScreeningReads;
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
        TxContext.Bound upsert = oneStatement(consumptions);
        if (upsert == null) {
            return oneByOne(consumptions);
        }
        return applied(consumptions, tx.list(upsert.statement(), upsert.binder(), rs -> rs.getString(1),
                "tryConsumeEach"));
    }

    /**
     * {@link #tryConsumeEach}, then {@code lookup}: on PostgreSQL, when the consumptions fit one statement, both in
     * one round trip ({@link TxContext#listBoth}); otherwise one after the other.
     */
    ScreeningReads thenFind(List<Consumption> consumptions, TxContext.Bound lookup) {
        tx.checkOpen(); // writes held go ahead of the two statements, in the same request
        TxContext.Bound upsert = oneStatement(consumptions);
        if (upsert == null || lookup == null) {
            List<Boolean> applied = tryConsumeEach(consumptions);
            return new ScreeningReads(applied, lookup == null ? List.of()
                    : tx.list(lookup.statement(), lookup.binder(), JdbcReferralRecords::read, "screeningReads"));
        }
        TxContext.Both<String, Referral> both = tx.listBoth(upsert, rs -> rs.getString(1), lookup,
                JdbcReferralRecords::read, "screeningReads");
        return new ScreeningReads(applied(consumptions, both.first()), both.second());
    }

    /**
     * PostgreSQL's one conditional upsert of every consumption that can apply, or null where it does not serve: on
     * other dialects, when none can apply, or when a key is named twice (one row updated twice by one statement, which
     * PostgreSQL refuses; successive calls then).
     */
    private TxContext.Bound oneStatement(List<Consumption> consumptions) {
        List<Consumption> possible = consumptions.stream().filter(c -> c.amount() <= c.capacity()).toList();
        Set<String> keys = new HashSet<>();
        boolean distinct = consumptions.stream().allMatch(c -> keys.add(c.key().value()));
        if (tx.dialect != Dialect.POSTGRESQL || !distinct || possible.isEmpty()) {
            return null;
        }
        int n = possible.size();
        return new TxContext.Bound(tx.sql.tryConsumeEach(n), ps -> {
            for (int i = 0; i < n; i++) {
                Consumption c = possible.get(i);
                ps.setString(1 + 2 * i, c.key().value());
                ps.setLong(2 + 2 * i, c.amount());
                ps.setString(1 + 2 * n + 2 * i, c.key().value());
                ps.setLong(2 + 2 * n + 2 * i, c.capacity());
            }
        });
    }

    private List<Boolean> oneByOne(List<Consumption> consumptions) {
        List<Boolean> applied = new ArrayList<>(consumptions.size());
        for (Consumption c : consumptions) {
            applied.add(tryConsume(c.key(), c.amount(), c.capacity()));
        }
        return List.copyOf(applied);
    }

    /** Whether each consumption was applied, from the keys the upsert returned. */
    private static List<Boolean> applied(List<Consumption> consumptions, List<String> appliedKeys) {
        Set<String> done = new HashSet<>(appliedKeys);
        return consumptions.stream().map(c -> c.amount() <= c.capacity() && done.contains(c.key().value())).toList();
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
