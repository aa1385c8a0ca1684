package io.referrals.core.messages;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which events of a program become messages to its advocates, and how they are delivered. Immutable.
 *
 * @param topics the topics that become messages; others are not recorded at all
 * @param delivery when they leave
 */
public record MessagePolicy(Set<MessageTopic> topics, Delivery delivery) {

    /** Every topic, delivered at once. */
    public static final MessagePolicy DEFAULT = new MessagePolicy(EnumSet.allOf(MessageTopic.class),
            Delivery.immediate());

    /** No messages at all. */
    public static final MessagePolicy NONE = new MessagePolicy(Set.of(), Delivery.immediate());

    public MessagePolicy {
        topics = Set.copyOf(Objects.requireNonNull(topics, "topics"));
        Objects.requireNonNull(delivery, "delivery");
    }

    /** {@code topics} delivered as {@code delivery}. */
    public static MessagePolicy of(Delivery delivery, MessageTopic... topics) {
        return new MessagePolicy(Set.of(topics), delivery);
    }

    /** True when events of {@code topic} become messages. */
    public boolean covers(MessageTopic topic) {
        return topics.contains(topic);
    }
}
