package io.referrals.core.messages;

/**
 * Sends composed messages to advocates: the host's e-mail, Slack or in-app channel. Called by
 * {@link io.referrals.core.AdvocateMessages#runOnce()} outside any store transaction.
 *
 * <p>At least once: a message is recorded as sent only after {@link #send} returned normally. When it throws, or the
 * process stops before the sending is recorded, the same message (same {@link Message#deliveryKey()}, same items) is
 * handed over again later; a sender that must not repeat itself keeps the keys it has sent (for as long as
 * {@code AdvocateMessages.Builder#retry} retries) and drops a repeated one. Must be thread-safe if several
 * {@code runOnce} calls can run at once.
 */
@FunctionalInterface
public interface MessageSender {

    /**
     * Sends {@code message}. Throwing any runtime exception counts as a failed attempt, retried after the retry
     * delay; the exception's class and message are stored with the items, so they must not carry personal
     * data.
     */
    void send(Message message);
}
