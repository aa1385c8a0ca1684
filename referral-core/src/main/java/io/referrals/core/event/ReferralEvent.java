package io.referrals.core.event;

/**
 * An event the engine emitted. Implementations are immutable records of this package.
 */
public interface ReferralEvent {
    /** Id, stream, sequence and time. */
    EventMetadata metadata();

    /** Calls the listener method for this event's type. */
    void dispatchTo(ReferralListener listener);
}
