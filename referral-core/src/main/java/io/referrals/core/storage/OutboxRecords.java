package io.referrals.core.storage;

import io.referrals.core.model.EventId;
import java.time.Instant;
import java.util.List;

/**
 * The outbox area of a {@link StoreTransaction}: delivery state of pending events, for the
 * {@link io.referrals.core.outbox.OutboxDispatcher}. Checked by {@code OutboxRecordsContract} in the contract kit.
 */
public interface OutboxRecords {

    /**
     * Claims up to {@code limit} due events and moves their next attempt to {@code leaseUntil}, so that other
     * dispatchers pass them over until then. Per stream, a claim takes a run of the stream's undelivered events in
     * sequence order: its earliest undelivered event, if that is pending and due at {@code now}, then the pending
     * events after it that are due too, stopping at the first that is not. A stream whose earliest undelivered event is
     * parked, not yet due or leased gives nothing, so delivery per stream stays in order, and a dispatcher delivers in
     * one pass all that a stream has due (a stage change that pays points puts several events on one stream).
     *
     * <p>The earliest events of streams are taken before the later events of any stream, oldest first, so that a long
     * stream never holds back the others; the result is ordered oldest first, which keeps each stream's events in
     * sequence order. Two transactions claiming at once never both receive the same event, nor events of one stream.
     */
    List<OutboxEntry> claimDue(Instant now, int limit, Instant leaseUntil);

    /**
     * Ends the claim of a pending event that was claimed but not attempted (a dispatcher passes over the rest of a
     * stream after a failed delivery): its next attempt moves to {@code dueAt}; its attempts and last error stay.
     * Returns {@code false} if it is unknown or not pending.
     */
    boolean release(EventId id, Instant dueAt);

    /** Marks a pending event delivered, claimed or not. Returns {@code false} if it is unknown or not pending. */
    boolean markDelivered(EventId id);

    /**
     * Records a failed delivery: one more attempt, the error, and either a retry at {@code retryAt} or, with
     * {@code park}, the {@link OutboxStatus#PARKED} state. Returns {@code false} if it is unknown or not pending.
     */
    boolean markFailed(EventId id, String error, Instant retryAt, boolean park);

    /** Parked events, oldest first, at most {@code limit}. */
    List<OutboxEntry> parked(int limit);

    /** Moves a parked event back to pending, due at {@code dueAt}. Returns {@code false} if it is not parked. */
    boolean requeue(EventId id, Instant dueAt);

    /**
     * The outbox as this transaction sees it: the number of {@link OutboxStatus#PENDING} events (due or not, claimed
     * or not), the number of {@link OutboxStatus#PARKED} events, and the {@link
     * io.referrals.core.event.EventMetadata#occurredAt() occurrence time} of the oldest pending event. Delivered
     * events count for neither. Writes nothing.
     */
    OutboxStatistics statistics();

    /**
     * Deletes at most {@code limit} {@link OutboxStatus#DELIVERED} events that occurred strictly before
     * {@code occurredBefore}, oldest first, and returns how many it deleted (fewer than {@code limit} only when no
     * more are eligible). Never deletes a pending or parked event. A deleted event is gone from
     * {@link EventRecords#ofStream}; the sequence numbers of its stream are not handed out again
     * ({@link EventRecords#nextSequence} still continues after the last one reserved), and later events of its stream
     * stay claimable.
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    int deleteDelivered(Instant occurredBefore, int limit);
}
