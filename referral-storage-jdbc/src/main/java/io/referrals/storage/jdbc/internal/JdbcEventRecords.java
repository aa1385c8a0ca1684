package io.referrals.storage.jdbc.internal;

import io.referrals.core.error.StorageException;
import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.storage.EventRecords;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.UniqueKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The event log of a {@link JdbcTransaction}: gapless sequences (a counter row per stream, upserted and returned in
 * one statement) and the events. On PostgreSQL an appended event is held back, and so is a sequence the transaction
 * already knows: the next one of a stream whose row it holds, or the first of a referral it has just inserted.
 */
final class JdbcEventRecords implements EventRecords {
    private final TxContext tx;
    /** The last sequence this transaction reserved per stream: it holds the stream's row, so the next is known. */
    private final Map<String, Long> reserved = new HashMap<>(4);

    JdbcEventRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public long nextSequence(String stream) {
        Objects.requireNonNull(stream, "stream");
        tx.checkOpen();
        if (tx.later != null) {
            Long last = reserved.get(stream);
            if (last == null && tx.newStreams.contains(stream)) {
                last = 0L;
            }
            if (last != null) {
                return holdSequence(stream, last + 1);
            }
        }
        tx.check();
        try {
            switch (tx.dialect) {
                case MARIADB -> {
                    try (PreparedStatement ps = tx.connection.prepareStatement(tx.sql.nextSequence,
                            Statement.RETURN_GENERATED_KEYS)) {
                        ps.setString(1, stream);
                        ps.executeUpdate();
                        try (ResultSet rs = ps.getGeneratedKeys()) {
                            if (!rs.next()) {
                                throw new IllegalStateException("the database returned no sequence for a stream");
                            }
                            return rs.getLong(1);
                        }
                    }
                }
                case POSTGRESQL -> {
                    long next = querySequence(stream);
                    reserved.put(stream, next);
                    return next;
                }
                default -> {
                    for (int attempt = 1; ; attempt++) {
                        try {
                            return querySequence(stream);
                        } catch (SQLException e) {
                            // two first reservations of a new stream raced; the loser now finds the row
                            if (!Db.isUniqueViolation(e) || attempt == TxContext.MERGE_ATTEMPTS) {
                                throw e;
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw Db.translate(e, "nextSequence");
        }
    }

    /**
     * Reserves {@code next}, known to be the stream's next sequence (the transaction holds the stream's row, or
     * inserted the stream's referral), with a write held back; one write per stream, set to its latest value.
     */
    private long holdSequence(String stream, long next) {
        reserved.put(stream, next);
        if (tx.heldSequences.add(stream)) {
            long expected = next - 1;
            tx.later.add(tx.sql.setSequence, (ps, from) -> {
                ps.setString(from, stream);
                ps.setLong(from + 1, reserved.get(stream));
                ps.setLong(from + 2, expected);
            }, () -> new StorageException("the last sequence of stream " + stream + " was not " + expected
                    + " as this transaction expected", null));
        }
        return next;
    }

    private long querySequence(String stream) throws SQLException {
        try (PreparedStatement ps = tx.connection.prepareStatement(tx.sql.nextSequence)) {
            ps.setString(1, stream);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void append(ReferralEvent event, boolean pending, Instant dueAt) {
        Objects.requireNonNull(dueAt, "dueAt");
        tx.insertOrHold(tx.sql.insertEvent, (ps, from) -> bindEvent(ps, from, event, pending, dueAt), "appendEvent",
                UniqueKey.EVENT);
    }

    /** Binds every column of {@link Sql#insertEvent}, the first at {@code from}. */
    private void bindEvent(PreparedStatement ps, int from, ReferralEvent event, boolean pending, Instant dueAt)
            throws SQLException {
        ps.setString(from, event.metadata().id().value());
        ps.setString(from + 1, event.metadata().stream());
        ps.setLong(from + 2, event.metadata().sequence());
        ps.setString(from + 3, Json.eventType(event));
        tx.setInstant(ps, from + 4, event.metadata().occurredAt());
        ps.setString(from + 5, pending ? "P" : "D");
        ps.setInt(from + 6, 0);
        tx.setInstant(ps, from + 7, dueAt);
        ps.setString(from + 8, "");
        ps.setString(from + 9, Json.write(event));
    }

    /**
     * An event with its delivery state, read from columns {@code event_type, body, status, attempts,
     * next_attempt_at, last_error} starting at {@code from}.
     */
    static OutboxEntry entryRow(TxContext tx, ResultSet rs, int from) throws SQLException {
        ReferralEvent event = Json.readEvent(rs.getString(from), rs.getString(from + 1));
        OutboxStatus status = switch (rs.getString(from + 2)) {
            case "P" -> OutboxStatus.PENDING;
            case "D" -> OutboxStatus.DELIVERED;
            default -> OutboxStatus.PARKED;
        };
        return new OutboxEntry(event, status, rs.getInt(from + 3), tx.instant(rs, from + 4), rs.getString(from + 5));
    }

    @Override
    public List<OutboxEntry> ofStream(String stream) {
        return tx.list(tx.sql.events, ps -> ps.setString(1, stream), rs -> entryRow(tx, rs, 1), "events");
    }

    @Override
    public boolean replace(ReferralEvent event) {
        EventMetadata m = event.metadata();
        Optional<Boolean> same = tx.one(tx.sql.eventHead, ps -> ps.setString(1, m.id().value()),
                rs -> rs.getString(1).equals(m.stream()) && rs.getLong(2) == m.sequence()
                        && tx.instant(rs, 3).equals(m.occurredAt()), "replaceEvent");
        if (same.isEmpty()) {
            return false;
        }
        if (!same.get()) {
            throw new IllegalArgumentException("a replacement must keep the event's stream, sequence and time");
        }
        return tx.update(tx.sql.replaceEvent, ps -> {
            ps.setString(1, Json.write(event));
            ps.setString(2, Json.eventType(event));
            ps.setString(3, m.id().value());
        }, "replaceEvent") == 1;
    }
}
