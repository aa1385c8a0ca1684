package io.referrals.core.storage;

import io.referrals.core.messages.MessageItem;
import io.referrals.core.messages.MessageStatus;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The advocate messages area of a {@link StoreTransaction}: {@link MessageItem}s waiting to be sent, being sent, and
 * sent, for {@link io.referrals.core.AdvocateMessages}. Every read is bounded. Checked by
 * {@code MessageRecordsContract} in the contract kit.
 */
public interface MessageRecords {

    /**
     * Stores a new item.
     *
     * @throws DuplicateKeyException {@link UniqueKey#MESSAGE} if an item with the same key is stored
     */
    void insert(MessageItem item);

    /** The item with {@code key}. */
    Optional<MessageItem> get(String key);

    /**
     * Replaces the stored item with the same key by {@code item} if the stored one's version is
     * {@code item.version() - 1}; returns {@code false}, writing nothing, otherwise (it was changed concurrently, or is
     * unknown). Of two transactions updating the same version, at most one succeeds.
     */
    boolean update(MessageItem item);

    /**
     * Up to {@code limit} {@link MessageStatus#PENDING} items whose next attempt is at or before {@code now}, ordered
     * by next attempt, then occurrence, then key. Writes nothing.
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    List<MessageItem> due(Instant now, int limit);

    /**
     * Up to {@code limit} {@link MessageStatus#PENDING} items of {@code advocateId} in {@code programId} that are not
     * in a batch yet ({@link MessageItem#batchId()} empty), whatever their next attempt, ordered by occurrence, then
     * key: what a digest gathers.
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    List<MessageItem> unbatched(AdvocateId advocateId, ProgramId programId, int limit);

    /**
     * Up to {@code limit} items of batch {@code batchId} (any status), ordered by occurrence, then key.
     *
     * @throws IllegalArgumentException if {@code batchId} is empty or {@code limit} is less than 1
     */
    List<MessageItem> batch(String batchId, int limit);

    /**
     * When the last item of {@code advocateId} in {@code programId} was {@link MessageStatus#SENT} (the latest
     * {@link MessageItem#updatedAt()} among its sent items), or empty if none is stored.
     */
    Optional<Instant> lastSent(AdvocateId advocateId, ProgramId programId);

    /**
     * Up to {@code limit} items of {@code advocateId}, any status, newest occurrence first (then key, descending).
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    List<MessageItem> ofAdvocate(AdvocateId advocateId, int limit);

    /**
     * Deletes at most {@code limit} {@link MessageStatus#SENT} or {@link MessageStatus#DROPPED} items last updated
     * strictly before {@code updatedBefore}, oldest first, and returns how many it deleted (fewer than {@code limit}
     * only when no more are eligible). Never deletes a pending item.
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    int deleteFinished(Instant updatedBefore, int limit);

    /**
     * Deletes every item of {@code advocateId}, whatever its status, and returns how many: for the erasure of an
     * advocate.
     */
    int deleteOfAdvocate(AdvocateId advocateId);
}
