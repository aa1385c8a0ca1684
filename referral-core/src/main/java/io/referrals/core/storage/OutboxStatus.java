package io.referrals.core.storage;

/** Delivery state of a stored event. */
public enum OutboxStatus {
    /** Waiting for delivery (or for a retry after a failure). */
    PENDING,
    /** Delivered to listeners. */
    DELIVERED,
    /** Failed too often; waits for the host to requeue it. */
    PARKED
}
