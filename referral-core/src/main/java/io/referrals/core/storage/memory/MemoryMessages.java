package io.referrals.core.storage.memory;

import io.referrals.core.messages.MessageItem;
import io.referrals.core.messages.MessageStatus;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.MessageRecords;
import io.referrals.core.storage.UniqueKey;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link MessageRecords} of an in-memory transaction. Reads scan the store's items, which is fine at its scale. */
final class MemoryMessages implements MessageRecords {
    private static final Comparator<MessageItem> BY_OCCURRENCE = Comparator.comparing(MessageItem::occurredAt)
            .thenComparing(MessageItem::key);

    private final MemoryState state;
    private final UndoLog undo;

    MemoryMessages(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public void insert(MessageItem item) {
        Objects.requireNonNull(item, "item");
        undo.check();
        if (state.messages.containsKey(item.key())) {
            throw new DuplicateKeyException(UniqueKey.MESSAGE);
        }
        undo.put(state.messages, item.key(), item);
    }

    @Override
    public Optional<MessageItem> get(String key) {
        Objects.requireNonNull(key, "key");
        undo.check();
        return Optional.ofNullable(state.messages.get(key));
    }

    @Override
    public boolean update(MessageItem item) {
        Objects.requireNonNull(item, "item");
        undo.check();
        MessageItem stored = state.messages.get(item.key());
        if (stored == null || stored.version() != item.version() - 1) {
            return false;
        }
        undo.put(state.messages, item.key(), item);
        return true;
    }

    @Override
    public List<MessageItem> due(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        positive(limit);
        undo.check();
        return state.messages.values().stream()
                .filter(m -> m.status() == MessageStatus.PENDING && !m.nextAttemptAt().isAfter(now))
                .sorted(Comparator.comparing(MessageItem::nextAttemptAt).thenComparing(BY_OCCURRENCE))
                .limit(limit).toList();
    }

    @Override
    public List<MessageItem> unbatched(AdvocateId advocateId, ProgramId programId, int limit) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        positive(limit);
        undo.check();
        return state.messages.values().stream()
                .filter(m -> m.status() == MessageStatus.PENDING && m.batchId().isEmpty()
                        && m.advocateId().equals(advocateId) && m.programId().equals(programId))
                .sorted(BY_OCCURRENCE).limit(limit).toList();
    }

    @Override
    public List<MessageItem> batch(String batchId, int limit) {
        Objects.requireNonNull(batchId, "batchId");
        if (batchId.isEmpty()) {
            throw new IllegalArgumentException("batchId must not be empty");
        }
        positive(limit);
        undo.check();
        return state.messages.values().stream().filter(m -> m.batchId().equals(batchId)).sorted(BY_OCCURRENCE)
                .limit(limit).toList();
    }

    @Override
    public Optional<Instant> lastSent(AdvocateId advocateId, ProgramId programId) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        undo.check();
        return state.messages.values().stream()
                .filter(m -> m.status() == MessageStatus.SENT && m.advocateId().equals(advocateId)
                        && m.programId().equals(programId))
                .map(MessageItem::updatedAt).max(Comparator.naturalOrder());
    }

    @Override
    public List<MessageItem> ofAdvocate(AdvocateId advocateId, int limit) {
        Objects.requireNonNull(advocateId, "advocateId");
        positive(limit);
        undo.check();
        return state.messages.values().stream().filter(m -> m.advocateId().equals(advocateId))
                .sorted(BY_OCCURRENCE.reversed()).limit(limit).toList();
    }

    @Override
    public int deleteFinished(Instant updatedBefore, int limit) {
        Objects.requireNonNull(updatedBefore, "updatedBefore");
        positive(limit);
        undo.check();
        List<MessageItem> old = state.messages.values().stream()
                .filter(m -> m.status() != MessageStatus.PENDING && m.updatedAt().isBefore(updatedBefore))
                .sorted(Comparator.comparing(MessageItem::updatedAt).thenComparing(MessageItem::key))
                .limit(limit).toList();
        for (MessageItem m : old) {
            undo.remove(state.messages, m.key());
        }
        return old.size();
    }

    @Override
    public int deleteOfAdvocate(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        undo.check();
        List<String> keys = state.messages.values().stream().filter(m -> m.advocateId().equals(advocateId))
                .map(MessageItem::key).toList();
        for (String k : keys) {
            undo.remove(state.messages, k);
        }
        return keys.size();
    }

    private static void positive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
    }
}
