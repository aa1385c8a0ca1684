package io.referrals.core.messages;

/** Where a {@link MessageItem} stands. */
public enum MessageStatus {
    /** Waiting to be sent, or to be sent again after a failure. */
    PENDING,
    /** Handed to the sender, which returned normally. */
    SENT,
    /**
     * Not sent and never will be: the advocate opted out or was erased before it left, or the sender kept failing
     * until the retries gave up.
     */
    DROPPED
}
