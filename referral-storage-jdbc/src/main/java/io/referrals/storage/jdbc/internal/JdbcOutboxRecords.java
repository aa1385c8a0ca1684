package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.EventId;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxRecords;
import io.referrals.core.storage.OutboxStatistics;
import io.referrals.storage.jdbc.Dialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The outbox of a {@link JdbcTransaction}. A claim takes pending, due events with no earlier undelivered event in
 * their stream, locked {@code FOR UPDATE SKIP LOCKED}, and leases them: one {@code UPDATE ... RETURNING} on
 * PostgreSQL, a locking select and a batched update elsewhere.
 */
final class JdbcOutboxRecords implements OutboxRecords {
    private static final int MAX_ERROR_LENGTH = 1000;

    private final TxContext tx;

    JdbcOutboxRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public List<OutboxEntry> claimDue(Instant now, int limit, Instant leaseUntil) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        if (tx.dialect == Dialect.POSTGRESQL) {
            List<long[]> order = new ArrayList<>();
            List<OutboxEntry> claimed = tx.list(tx.sql.claimAndLease, ps -> {
                tx.setInstant(ps, 1, leaseUntil);
                tx.setInstant(ps, 2, now);
                ps.setInt(3, limit);
            }, rs -> {
                order.add(new long[] {rs.getLong(1), order.size()});
                OutboxEntry e = JdbcEventRecords.entryRow(tx, rs, 2);
                return new OutboxEntry(e.event(), e.status(), e.attempts(), leaseUntil, e.lastError());
            }, "claimDueEvents");
            order.sort(Comparator.comparingLong(o -> o[0]));
            List<OutboxEntry> oldestFirst = new ArrayList<>(claimed.size());
            order.forEach(o -> oldestFirst.add(claimed.get((int) o[1])));
            return oldestFirst;
        }
        List<OutboxEntry> due = tx.list(tx.sql.claim, ps -> {
            tx.setInstant(ps, 1, now);
            ps.setInt(2, limit);
        }, rs -> JdbcEventRecords.entryRow(tx, rs, 2), "claimDueEvents");
        if (due.isEmpty()) {
            return due;
        }
        try (PreparedStatement ps = tx.connection.prepareStatement(tx.sql.lease)) {
            for (OutboxEntry e : due) {
                tx.setInstant(ps, 1, leaseUntil);
                ps.setString(2, e.event().metadata().id().value());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            List<OutboxEntry> claimed = new ArrayList<>(due.size());
            for (int i = 0; i < due.size(); i++) {
                if (counts.length <= i || counts[i] != 0) {
                    OutboxEntry e = due.get(i);
                    claimed.add(new OutboxEntry(e.event(), e.status(), e.attempts(), leaseUntil, e.lastError()));
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw Db.translate(e, "claimDueEvents");
        }
    }

    @Override
    public boolean markDelivered(EventId id) {
        return tx.update(tx.sql.delivered, ps -> ps.setString(1, id.value()), "markEventDelivered") == 1;
    }

    @Override
    public boolean markFailed(EventId id, String error, Instant retryAt, boolean park) {
        Objects.requireNonNull(retryAt, "retryAt");
        String e = error == null ? "" : error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH)
                : error;
        return tx.update(tx.sql.failed, ps -> {
            ps.setString(1, e);
            tx.setInstant(ps, 2, retryAt);
            ps.setString(3, park ? "X" : "P");
            ps.setString(4, id.value());
        }, "markEventFailed") == 1;
    }

    @Override
    public List<OutboxEntry> parked(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return tx.list(tx.sql.parked, ps -> ps.setInt(1, limit), rs -> JdbcEventRecords.entryRow(tx, rs, 1),
                "parkedEvents");
    }

    @Override
    public boolean requeue(EventId id, Instant dueAt) {
        Objects.requireNonNull(dueAt, "dueAt");
        return tx.update(tx.sql.requeue, ps -> {
            tx.setInstant(ps, 1, dueAt);
            ps.setString(2, id.value());
        }, "requeueEvent") == 1;
    }

    @Override
    public OutboxStatistics statistics() {
        long[] counts = new long[2];
        Instant[] oldest = new Instant[1];
        tx.list(tx.sql.outboxStatistics, ps -> { }, rs -> {
            String status = rs.getString(1);
            if ("P".equals(status)) {
                counts[0] = rs.getLong(2);
                oldest[0] = tx.instant(rs, 3);
            } else {
                counts[1] = rs.getLong(2);
            }
            return status;
        }, "outboxStatistics");
        return counts[0] == 0 ? OutboxStatistics.nonePending(counts[1])
                : OutboxStatistics.of(counts[0], counts[1], oldest[0]);
    }

    @Override
    public int deleteDelivered(Instant occurredBefore, int limit) {
        Objects.requireNonNull(occurredBefore, "occurredBefore");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return tx.update(tx.sql.deleteDelivered, ps -> {
            tx.setInstant(ps, 1, occurredBefore);
            ps.setInt(2, limit);
        }, "deleteDeliveredEvents");
    }
}
