package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.EventId;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxRecords;
import io.referrals.core.storage.OutboxStatistics;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.storage.jdbc.Dialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The outbox of a {@link JdbcTransaction}. A claim first takes pending, due events with no earlier undelivered event
 * in their stream, locked {@code FOR UPDATE SKIP LOCKED}, and leases them: one {@code UPDATE ... RETURNING} on
 * PostgreSQL, a locking select and a batched update elsewhere. Then, with room left, it takes the pending, due events
 * that follow those in their streams (one query per {@value #STREAMS_PER_QUERY} streams) and leases them too: no
 * other claim can take them, since an earlier event of their stream is undelivered.
 */
final class JdbcOutboxRecords implements OutboxRecords {
    private static final int MAX_ERROR_LENGTH = 1000;
    /** Streams per query for the events that follow the claimed ones. */
    private static final int STREAMS_PER_QUERY = 100;

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
        List<Claimed> claimed = new ArrayList<>(claimEarliest(now, limit, leaseUntil));
        if (!claimed.isEmpty() && claimed.size() < limit) {
            claimed.addAll(claimFollowing(claimed, now, limit - claimed.size(), leaseUntil));
        }
        return oldestFirst(claimed);
    }

    /**
     * The claims ordered by position, each stream's in sequence order: positions follow sequences within a stream
     * (a stream's next event is appended after the previous one committed), and this holds it even if they did not.
     */
    private static List<OutboxEntry> oldestFirst(List<Claimed> claimed) {
        claimed.sort(Comparator.comparingLong(Claimed::pos));
        Map<String, Deque<Claimed>> inSequence = new HashMap<>();
        for (Claimed c : claimed) {
            inSequence.computeIfAbsent(c.stream(), k -> new ArrayDeque<>()).add(c);
        }
        inSequence.replaceAll((k, v) -> {
            List<Claimed> sorted = new ArrayList<>(v);
            sorted.sort(Comparator.comparingLong(Claimed::sequence));
            return new ArrayDeque<>(sorted);
        });
        List<OutboxEntry> out = new ArrayList<>(claimed.size());
        for (Claimed c : claimed) {
            out.add(inSequence.get(c.stream()).poll().entry());
        }
        return out;
    }

    /** A claimed event and its position in the order of appends. */
    private record Claimed(long pos, OutboxEntry entry) {
        String stream() {
            return entry.event().metadata().stream();
        }

        long sequence() {
            return entry.event().metadata().sequence();
        }

        Claimed leased(Instant until) {
            OutboxEntry e = entry;
            return new Claimed(pos, new OutboxEntry(e.event(), e.status(), e.attempts(), until, e.lastError()));
        }
    }

    /**
     * Claims the earliest undelivered event of streams where it is pending and due, locked {@code SKIP LOCKED}: no
     * two claims take the same one, and while one is claimed (locked, then leased) its stream is another claim's to
     * pass over.
     */
    private List<Claimed> claimEarliest(Instant now, int limit, Instant leaseUntil) {
        if (tx.dialect == Dialect.POSTGRESQL) {
            return tx.list(tx.sql.claimAndLease, ps -> {
                tx.setInstant(ps, 1, leaseUntil);
                tx.setInstant(ps, 2, now);
                ps.setInt(3, limit);
            }, rs -> new Claimed(rs.getLong(1), JdbcEventRecords.entryRow(tx, rs, 2)).leased(leaseUntil),
                    "claimDueEvents");
        }
        List<Claimed> due = tx.list(tx.sql.claim, ps -> {
            tx.setInstant(ps, 1, now);
            ps.setInt(2, limit);
        }, rs -> new Claimed(rs.getLong(1), JdbcEventRecords.entryRow(tx, rs, 2)), "claimDueEvents");
        return lease(due, leaseUntil);
    }

    /**
     * Claims, for the streams whose earliest event was just claimed, the pending and due events after it, up to
     * {@code room}, oldest first; a stream's run stops at its first event that is not. No other claim can take these:
     * an earlier event of their stream is undelivered.
     */
    private List<Claimed> claimFollowing(List<Claimed> earliest, Instant now, int room, Instant leaseUntil) {
        Map<String, Long> firstOf = new HashMap<>();
        earliest.forEach(c -> firstOf.put(c.stream(), c.sequence()));
        List<String> streams = new ArrayList<>(firstOf.keySet());
        List<Claimed> following = new ArrayList<>();
        for (int from = 0; from < streams.size(); from += STREAMS_PER_QUERY) {
            List<String> some = streams.subList(from, Math.min(streams.size(), from + STREAMS_PER_QUERY));
            List<Claimed> rows = tx.list(tx.sql.undeliveredOfStreams(some.size()), ps -> {
                for (int i = 0; i < some.size(); i++) {
                    ps.setString(i + 1, some.get(i));
                }
                ps.setInt(some.size() + 1, room + some.size());
            }, rs -> new Claimed(rs.getLong(1), JdbcEventRecords.entryRow(tx, rs, 2)), "claimFollowingEvents");
            Set<String> stopped = new HashSet<>();
            for (Claimed c : rows) {
                if (c.sequence() <= firstOf.get(c.stream()) || stopped.contains(c.stream())) {
                    continue;
                }
                OutboxEntry e = c.entry();
                if (e.status() != OutboxStatus.PENDING || e.nextAttemptAt().isAfter(now)) {
                    stopped.add(c.stream());
                } else {
                    following.add(c);
                }
            }
        }
        following.sort(Comparator.comparingLong(Claimed::pos));
        return lease(following.subList(0, Math.min(room, following.size())), leaseUntil);
    }

    /**
     * Leases {@code claims} (oldest first) in one batch; one that is no longer pending is dropped, with the later
     * ones of its stream.
     */
    private List<Claimed> lease(List<Claimed> claims, Instant leaseUntil) {
        List<Claimed> leased = new ArrayList<>(claims.size());
        if (claims.isEmpty()) {
            return leased;
        }
        tx.check();
        try (PreparedStatement ps = tx.connection.prepareStatement(tx.sql.lease)) {
            for (Claimed c : claims) {
                tx.setInstant(ps, 1, leaseUntil);
                ps.setString(2, c.entry().event().metadata().id().value());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            Set<String> dropped = new HashSet<>();
            for (int i = 0; i < claims.size(); i++) {
                Claimed c = claims.get(i);
                if (counts.length > i && counts[i] == 0 || dropped.contains(c.stream())) {
                    dropped.add(c.stream());
                } else {
                    leased.add(c.leased(leaseUntil));
                }
            }
            return leased;
        } catch (SQLException e) {
            throw Db.translate(e, "claimDueEvents");
        }
    }

    @Override
    public boolean release(EventId id, Instant dueAt) {
        Objects.requireNonNull(dueAt, "dueAt");
        return tx.update(tx.sql.lease, ps -> {
            tx.setInstant(ps, 1, dueAt);
            ps.setString(2, id.value());
        }, "releaseEvent") == 1;
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
