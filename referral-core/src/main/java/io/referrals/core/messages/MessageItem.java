package io.referrals.core.messages;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event's part in a message to one advocate, stored until it is sent: the unit that
 * {@link io.referrals.core.storage.MessageRecords} keeps and that a message (one item, or a digest of several) is
 * composed from. Items are written in the engine's transaction together with the event they come from, so none is
 * lost, and an item's {@link #key()} makes it exactly-once.
 *
 * @param key unique, at most 300 characters: for an item from an event, the event's position in its unit of work
 *     (four digits, so that items of one unit of work sort in event order), its id and the advocate's id
 *     ({@code 0001/eventId/advocateId})
 * @param advocateId who the message is for
 * @param programId the program it is about
 * @param topic what it is about
 * @param values the placeholder values fixed when the event happened (company name, stage, loss-wording key, reward
 *     amount, points); never a prospect's personal data beyond the company name
 * @param occurredAt when the event happened
 * @param status pending, sent or dropped
 * @param batchId the message this item was put into when first attempted (its delivery key), or empty before
 * @param nextAttemptAt when the item is next due: its delivery time at first, then the end of a claim's lease or of a
 *     failure's backoff
 * @param attempts failed sending attempts so far
 * @param lastError the last sender error (its class and message, cut to 500 characters), or empty
 * @param updatedAt when the item last changed; the sending time once {@link MessageStatus#SENT}
 * @param version optimistic version, from 1
 */
public record MessageItem(String key, AdvocateId advocateId, ProgramId programId, MessageTopic topic,
        Map<String, String> values, Instant occurredAt, MessageStatus status, String batchId, Instant nextAttemptAt,
        int attempts, String lastError, Instant updatedAt, long version) {

    /** The longest {@link #key()}. */
    public static final int MAX_KEY = 300;
    /** The longest {@link #lastError()}. */
    public static final int MAX_ERROR = 500;

    public MessageItem {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_KEY) {
            throw new IllegalArgumentException("key must be 1-" + MAX_KEY + " characters");
        }
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(topic, "topic");
        values = Map.copyOf(Objects.requireNonNull(values, "values"));
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(batchId, "batchId");
        if (batchId.length() > MAX_KEY) {
            throw new IllegalArgumentException("batchId must be at most " + MAX_KEY + " characters");
        }
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative: " + attempts);
        }
        Objects.requireNonNull(lastError, "lastError");
        if (lastError.length() > MAX_ERROR) {
            throw new IllegalArgumentException("lastError must be at most " + MAX_ERROR + " characters");
        }
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    /** A new pending item, due at {@code dueAt}, version 1. */
    public static MessageItem pending(String key, AdvocateId advocateId, ProgramId programId, MessageTopic topic,
            Map<String, String> values, Instant occurredAt, Instant dueAt) {
        return new MessageItem(key, advocateId, programId, topic, values, occurredAt, MessageStatus.PENDING, "", dueAt,
                0, "", occurredAt, 1);
    }

    /** This item claimed into batch {@code batch} until {@code leaseUntil}, next version. */
    public MessageItem claimed(String batch, Instant leaseUntil, Instant at) {
        return new MessageItem(key, advocateId, programId, topic, values, occurredAt, status, batch, leaseUntil,
                attempts, lastError, at, version + 1);
    }

    /** This item sent at {@code at}, next version. */
    public MessageItem sent(Instant at) {
        return new MessageItem(key, advocateId, programId, topic, values, occurredAt, MessageStatus.SENT, batchId, at,
                attempts, lastError, at, version + 1);
    }

    /** This item dropped at {@code at} (never to be sent), next version. */
    public MessageItem dropped(Instant at, String error) {
        return new MessageItem(key, advocateId, programId, topic, values, occurredAt, MessageStatus.DROPPED, batchId,
                at, attempts, cut(error), at, version + 1);
    }

    /** This item after a failed attempt that is not tried again: dropped, next version. */
    public MessageItem gaveUp(String error, Instant at) {
        return new MessageItem(key, advocateId, programId, topic, values, occurredAt, MessageStatus.DROPPED, batchId,
                at, attempts + 1, cut(error), at, version + 1);
    }

    /** This item after a failed attempt, due again at {@code retryAt}, next version. */
    public MessageItem failed(String error, Instant retryAt, Instant at) {
        return new MessageItem(key, advocateId, programId, topic, values, occurredAt, status, batchId, retryAt,
                attempts + 1, cut(error), at, version + 1);
    }

    private static String cut(String error) {
        String e = Objects.requireNonNull(error, "error");
        return e.length() <= MAX_ERROR ? e : e.substring(0, MAX_ERROR);
    }
}
