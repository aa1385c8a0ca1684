package io.referrals.core.messages;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A composed message to one advocate, handed to the host's {@link MessageSender}.
 *
 * @param deliveryKey stable for this message: if it is handed over again (the sender failed, or the process crashed
 *     before the sending was recorded), it carries the same key and the same items, so the sender can drop duplicates
 * @param advocateId the recipient; the sender looks up the address (e-mail, Slack user, in-app inbox) by it or uses
 *     {@code email}
 * @param email the advocate's own e-mail address as registered, or empty
 * @param programId the program the message is about
 * @param locale the language it is written in
 * @param subject a one-line subject
 * @param body plain text, lines separated by {@code \n}
 * @param topics the topics of the items in it, in the order they appear (one for a single message, several for a
 *     digest)
 */
public record Message(String deliveryKey, AdvocateId advocateId, String email, ProgramId programId, Locale locale,
        String subject, String body, List<MessageTopic> topics) {

    public Message {
        Objects.requireNonNull(deliveryKey, "deliveryKey");
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a message has at least one topic");
        }
    }

    /** True when the message gathers several events (a digest). */
    public boolean isDigest() {
        return topics.size() > 1;
    }
}
