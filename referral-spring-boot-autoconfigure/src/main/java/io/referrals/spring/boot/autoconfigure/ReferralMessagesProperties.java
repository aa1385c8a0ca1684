package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.AdvocateMessages;
import io.referrals.core.extension.Extension;
import io.referrals.core.messages.Delivery;
import io.referrals.core.messages.MessagePolicy;
import io.referrals.core.messages.MessageSender;
import io.referrals.core.messages.MessageTemplates;
import io.referrals.core.messages.MessageTopic;
import io.referrals.core.model.ProgramId;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationStyle;

/**
 * The {@code referrals.messages.*} properties: messages to advocates ({@link AdvocateMessages}), configured when the
 * application defines a {@link MessageSender} bean.
 */
@ConfigurationProperties(prefix = "referrals.messages")
public class ReferralMessagesProperties {
    private static final String PREFIX = "referrals.messages.";

    /** Whether messages are recorded and sent; only with a MessageSender bean. */
    private boolean enabled = true;

    /** How often due messages are sent (AdvocateMessages.runOnce()). */
    private Duration pollInterval = Duration.ofMinutes(1);

    /** The language of advocates without a "locale" attribute, as a tag such as "de" or "de-CH"; unset: English. */
    private Locale defaultLocale;

    /**
     * Per program id: which events become messages, and when they leave. A program not named here gets every topic,
     * delivered immediately.
     */
    private final Map<String, ProgramMessages> programs = new LinkedHashMap<>();

    /**
     * CRM loss reasons (compared ignoring case) mapped to the advocate-safe wording a message shows: timing, budget,
     * no_decision, competitor, not_a_fit, unresponsive, or a loss.<wording> template of your own. Use the bracket
     * form for reasons with spaces: loss-reasons.[Went with competitor]=competitor. An unmapped reason reads as the
     * default wording; the CRM's own text never reaches an advocate.
     */
    private final Map<String, String> lossReasons = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Locale getDefaultLocale() {
        return defaultLocale;
    }

    public void setDefaultLocale(Locale defaultLocale) {
        this.defaultLocale = defaultLocale;
    }

    public Map<String, ProgramMessages> getPrograms() {
        return programs;
    }

    public Map<String, String> getLossReasons() {
        return lossReasons;
    }

    /** The messages of one program. */
    public static class ProgramMessages {
        /**
         * When messages leave: "immediate" (one per event), "interval:<duration>" (at most one per advocate per
         * interval, for example interval:1h; what piles up goes out as one digest), or "digest:<HH:mm>@<zone>" (one
         * daily digest, for example digest:09:00@Europe/Berlin). Unset: immediate.
         */
        private String delivery;

        /**
         * The topics that become messages: referral-received, referral-progressed, referral-won, referral-lost,
         * reward-earned, reward-approved, reward-fulfilled, points-changed; or "none". Unset: all of them.
         */
        private List<String> topics;

        public String getDelivery() {
            return delivery;
        }

        public void setDelivery(String delivery) {
            this.delivery = delivery;
        }

        public List<String> getTopics() {
            return topics;
        }

        public void setTopics(List<String> topics) {
            this.topics = topics;
        }
    }

    /** The poll interval, checked. */
    Duration checkedPollInterval() {
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "poll-interval", pollInterval,
                    "it must be a positive duration, for example 1m");
        }
        return pollInterval;
    }

    /**
     * The extension these properties describe, sending through {@code sender} with {@code templates}.
     *
     * @throws InvalidConfigurationPropertyValueException naming the first property with a value that is not valid
     */
    Extension<AdvocateMessages> extension(MessageSender sender, MessageTemplates templates) {
        checkedPollInterval();
        AdvocateMessages.Builder b = AdvocateMessages.builder(sender).templates(templates);
        Locale locale = defaultLocale == null ? Locale.ENGLISH : defaultLocale;
        if (defaultLocale != null) {
            if (defaultLocale.getLanguage().isEmpty()) {
                throw new InvalidConfigurationPropertyValueException(PREFIX + "default-locale", defaultLocale,
                        "it must be a language tag such as en, de or de-CH");
            }
            b.defaultLocale(defaultLocale);
        }
        programs.forEach((id, p) -> b.policy(programId(id), policy(id, p)));
        lossReasons.forEach((reason, wording) -> {
            String property = PREFIX + "loss-reasons[" + reason + "]";
            String w = wording == null ? "" : wording.strip();
            try {
                b.lossReason(reason, w);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(property, wording,
                        "a wording is 1-64 characters of a-z, 0-9 and _, such as competitor or budget");
            }
            if (templates.text(locale, "loss." + w).isEmpty()) {
                throw new InvalidConfigurationPropertyValueException(property, wording, "there is no template loss."
                        + w + " in " + locale.toLanguageTag() + "; the shipped wordings are timing, budget,"
                        + " no_decision, competitor, not_a_fit and unresponsive");
            }
        });
        return b.build();
    }

    private static ProgramId programId(String id) {
        try {
            return ProgramId.of(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "programs", id,
                    "not a program id: " + e.getMessage());
        }
    }

    private static MessagePolicy policy(String id, ProgramMessages p) {
        return new MessagePolicy(topics(PREFIX + "programs." + id + ".topics", p.getTopics()),
                delivery(PREFIX + "programs." + id + ".delivery", p.getDelivery()));
    }

    /** Reads "none", or topic names in any case with - or _. */
    static Set<MessageTopic> topics(String property, List<String> values) {
        if (values == null) {
            return EnumSet.allOf(MessageTopic.class);
        }
        Set<MessageTopic> topics = EnumSet.noneOf(MessageTopic.class);
        for (String v : values) {
            String name = v == null ? "" : v.strip().replace('-', '_').toUpperCase(Locale.ROOT);
            if (name.equals("NONE") && values.size() == 1) {
                return Set.of();
            }
            try {
                topics.add(MessageTopic.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(property, v, "not a topic; the topics are"
                        + " referral-received, referral-progressed, referral-won, referral-lost, reward-earned,"
                        + " reward-approved, reward-fulfilled and points-changed, or none alone");
            }
        }
        if (topics.isEmpty()) {
            throw new InvalidConfigurationPropertyValueException(property, values,
                    "name at least one topic, or none; leave it unset for every topic");
        }
        return topics;
    }

    /** Reads "immediate", "interval:<duration>" or "digest:<HH:mm>@<zone>". */
    static Delivery delivery(String property, String value) {
        if (value == null) {
            return Delivery.immediate();
        }
        String v = value.strip();
        String lower = v.toLowerCase(Locale.ROOT);
        try {
            if (lower.equals("immediate")) {
                return Delivery.immediate();
            }
            if (lower.startsWith("interval:")) {
                Duration d = DurationStyle.detectAndParse(v.substring("interval:".length()).strip());
                return Delivery.minimumInterval(d);
            }
            if (lower.startsWith("digest:")) {
                String rest = v.substring("digest:".length()).strip();
                int at = rest.indexOf('@');
                if (at > 0) {
                    return Delivery.dailyDigest(LocalTime.parse(rest.substring(0, at).strip()),
                            ZoneId.of(rest.substring(at + 1).strip()));
                }
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            // reported below, with what is expected
        }
        throw new InvalidConfigurationPropertyValueException(property, value, "expected immediate,"
                + " interval:<positive duration> (for example interval:1h) or digest:<HH:mm>@<zone> (for example"
                + " digest:09:00@Europe/Berlin)");
    }
}
