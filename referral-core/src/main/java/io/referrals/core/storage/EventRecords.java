package io.referrals.core.storage;

import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.ReferralEvent;
import java.time.Instant;
import java.util.List;

/**
 * The event log area of a {@link StoreTransaction}: every event, per stream, with a gapless sequence. Delivery state
 * is the {@link OutboxRecords} area's. Checked by {@code EventRecordsContract} in the contract kit.
 */
public interface EventRecords {

    /**
     * Reserves the next sequence number of {@code stream}: 1 for a new stream, then one more than the last reserved.
     * The reservation is part of the transaction: rolled back, it is handed out again, so committed sequences have no
     * gaps. Two transactions reserving on the same stream are serialised (the second waits or fails), never given the
     * same number.
     *
     * <p>A referral's stream ({@code EventStreams.of(referral.id())}) starts with the referral: callers reserve on it
     * only after inserting the referral, and a store may rely on that, answering 1 for it in the transaction that
     * inserted the referral without asking the database (a stream that has sequences already then fails the
     * transaction with a {@code StorageException} rather than reuse a number).
     */
    long nextSequence(String stream);

    /**
     * Stores an event. A {@code pending} event waits in the outbox for {@link OutboxRecords#claimDue}; otherwise it is
     * stored as already delivered (in-process delivery after commit). A store may hold this write back (see
     * {@link StoreTransaction}).
     *
     * @throws DuplicateKeyException {@link UniqueKey#EVENT} for a known event id, or stream and sequence
     */
    void append(ReferralEvent event, boolean pending, Instant dueAt);

    /** A stream's events with their delivery state, ordered by sequence; empty for an unknown stream. */
    List<OutboxEntry> ofStream(String stream);

    /**
     * Replaces the payload of a stored event with {@code event}, which has the same {@link EventMetadata} (id, stream,
     * sequence and time): used by erasure to scrub personal data from stored events, including events still pending in
     * the outbox, which are then delivered with the replacement. The delivery state (status, attempts, next attempt,
     * last error) and the event's place in its stream do not change. Returns {@code false}, writing nothing, if no
     * event with that id is stored.
     *
     * @throws IllegalArgumentException if the stored event's stream, sequence or time differ from {@code event}'s
     */
    boolean replace(ReferralEvent event);
}
