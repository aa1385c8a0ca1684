package io.referrals.storage.jdbc.internal;

import io.referrals.core.messages.MessageItem;
import io.referrals.core.messages.MessageStatus;
import io.referrals.core.messages.MessageTopic;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.MessageRecords;
import io.referrals.core.storage.UniqueKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The advocate message items of a {@link JdbcTransaction}: table {@code message_item} (version 7). The placeholder
 * values are a small JSON document.
 */
final class JdbcMessageRecords implements MessageRecords {
    private static final String COLS = "item_key, advocate_id, program_id, topic, item_values, occurred_at, status,"
            + " batch_id, next_attempt_at, attempts, last_error, updated_at, version";

    private final TxContext tx;

    JdbcMessageRecords(TxContext tx) {
        this.tx = tx;
    }

    /** The stored document of an item's values. */
    record Values(Map<String, String> values) {
        Values {
            values = values == null ? Map.of() : Map.copyOf(values);
        }
    }

    private String table() {
        return tx.sql.t("message_item");
    }

    @Override
    public void insert(MessageItem m) {
        Objects.requireNonNull(m, "item");
        tx.direct(() -> {
            BoundSql.of("INSERT INTO " + table() + " (" + COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    m.key(), m.advocateId().value(), m.programId().value(), m.topic().name(),
                    Json.write(new Values(m.values())), m.occurredAt(), m.status().name(), m.batchId(),
                    m.nextAttemptAt(), m.attempts(), m.lastError(), m.updatedAt(), m.version())
                    .insert(tx, UniqueKey.MESSAGE);
            return null;
        }, "insertMessageItem");
    }

    @Override
    public Optional<MessageItem> get(String key) {
        Objects.requireNonNull(key, "key");
        return tx.direct(() -> BoundSql.of("SELECT " + COLS + " FROM " + table() + " WHERE item_key = ?", key)
                .first(tx, this::row), "messageItem");
    }

    @Override
    public boolean update(MessageItem m) {
        Objects.requireNonNull(m, "item");
        return tx.direct(() -> BoundSql.of("UPDATE " + table() + " SET advocate_id = ?, program_id = ?, topic = ?,"
                + " item_values = ?, occurred_at = ?, status = ?, batch_id = ?, next_attempt_at = ?, attempts = ?,"
                + " last_error = ?, updated_at = ?, version = ? WHERE item_key = ? AND version = ?",
                m.advocateId().value(), m.programId().value(), m.topic().name(), Json.write(new Values(m.values())),
                m.occurredAt(), m.status().name(), m.batchId(), m.nextAttemptAt(), m.attempts(), m.lastError(),
                m.updatedAt(), m.version(), m.key(), m.version() - 1).update(tx) == 1, "updateMessageItem");
    }

    @Override
    public List<MessageItem> due(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        positive(limit);
        return tx.direct(() -> BoundSql.of("SELECT " + COLS + " FROM " + table() + " WHERE status = 'PENDING'"
                + " AND next_attempt_at <= ? ORDER BY next_attempt_at, occurred_at, item_key LIMIT ?", now, limit)
                .list(tx, this::row), "dueMessageItems");
    }

    @Override
    public List<MessageItem> unbatched(AdvocateId advocateId, ProgramId programId, int limit) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        positive(limit);
        return tx.direct(() -> BoundSql.of("SELECT " + COLS + " FROM " + table() + " WHERE advocate_id = ?"
                + " AND program_id = ? AND status = 'PENDING' AND batch_id = '' ORDER BY occurred_at, item_key"
                + " LIMIT ?", advocateId.value(), programId.value(), limit).list(tx, this::row),
                "unbatchedMessageItems");
    }

    @Override
    public List<MessageItem> batch(String batchId, int limit) {
        Objects.requireNonNull(batchId, "batchId");
        if (batchId.isEmpty()) {
            throw new IllegalArgumentException("batchId must not be empty");
        }
        positive(limit);
        return tx.direct(() -> BoundSql.of("SELECT " + COLS + " FROM " + table() + " WHERE batch_id = ?"
                + " ORDER BY occurred_at, item_key LIMIT ?", batchId, limit).list(tx, this::row), "messageBatch");
    }

    @Override
    public Optional<Instant> lastSent(AdvocateId advocateId, ProgramId programId) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        return tx.direct(() -> {
            List<Instant> latest = new java.util.ArrayList<>(1);
            BoundSql.of("SELECT MAX(updated_at) FROM " + table() + " WHERE advocate_id = ? AND program_id = ?"
                    + " AND status = 'SENT'", advocateId.value(), programId.value()).forEach(tx, rs -> {
                        if (rs.getObject(1) != null) {
                            latest.add(tx.instant(rs, 1));
                        }
                    });
            return latest.stream().findFirst();
        }, "lastSentMessage");
    }

    @Override
    public List<MessageItem> ofAdvocate(AdvocateId advocateId, int limit) {
        Objects.requireNonNull(advocateId, "advocateId");
        positive(limit);
        return tx.direct(() -> BoundSql.of("SELECT " + COLS + " FROM " + table() + " WHERE advocate_id = ?"
                + " ORDER BY occurred_at DESC, item_key DESC LIMIT ?", advocateId.value(), limit)
                .list(tx, this::row), "messageItemsOfAdvocate");
    }

    @Override
    public int deleteFinished(Instant updatedBefore, int limit) {
        Objects.requireNonNull(updatedBefore, "updatedBefore");
        positive(limit);
        String t = table();
        String where = " WHERE status IN ('SENT', 'DROPPED') AND updated_at < ? ORDER BY updated_at, item_key LIMIT ?";
        // MariaDB deletes with ORDER BY and LIMIT; the others through a subquery (PostgreSQL skipping rows a
        // concurrent retention run holds)
        String statement = switch (tx.dialect) {
            case MARIADB -> "DELETE FROM " + t + where;
            case POSTGRESQL -> "DELETE FROM " + t + " WHERE item_key IN (SELECT item_key FROM " + t + where
                    + " FOR UPDATE SKIP LOCKED)";
            case H2 -> "DELETE FROM " + t + " WHERE item_key IN (SELECT item_key FROM " + t + where + ")";
        };
        return tx.direct(() -> BoundSql.of(statement, updatedBefore, limit).update(tx), "deleteFinishedMessages");
    }

    @Override
    public int deleteOfAdvocate(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return tx.direct(() -> BoundSql.of("DELETE FROM " + table() + " WHERE advocate_id = ?", advocateId.value())
                .update(tx), "deleteMessagesOfAdvocate");
    }

    private static void positive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
    }

    private MessageItem row(ResultSet rs) throws SQLException {
        return new MessageItem(rs.getString(1), AdvocateId.of(rs.getString(2)), ProgramId.of(rs.getString(3)),
                MessageTopic.valueOf(rs.getString(4)), Json.read(rs.getString(5), Values.class).values(),
                tx.instant(rs, 6), MessageStatus.valueOf(rs.getString(7)), rs.getString(8), tx.instant(rs, 9),
                rs.getInt(10), rs.getString(11), tx.instant(rs, 12), rs.getLong(13));
    }
}
