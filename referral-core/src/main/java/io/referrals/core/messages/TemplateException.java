package io.referrals.core.messages;

import io.referrals.core.error.ReferralException;
import java.util.Objects;

/**
 * A message template is unusable: it uses a placeholder its key does not offer, or a brace is not closed. Thrown when
 * the templates are built, never while messages are sent.
 */
public final class TemplateException extends ReferralException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String placeholder;

    /**
     * @param key the template's bundle key, such as {@code topic.referral_won.line}
     * @param placeholder the offending placeholder, or empty for a malformed template
     * @param message what is wrong
     */
    public TemplateException(String key, String placeholder, String message) {
        super(message);
        this.key = Objects.requireNonNull(key, "key");
        this.placeholder = Objects.requireNonNull(placeholder, "placeholder");
    }

    /** The template's bundle key. */
    public String key() {
        return key;
    }

    /** The unknown placeholder, or empty when the template is malformed. */
    public String placeholder() {
        return placeholder;
    }
}
