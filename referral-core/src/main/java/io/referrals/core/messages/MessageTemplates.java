package io.referrals.core.messages;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The texts messages are composed from: the shipped bundles ({@code io/referrals/core/messages/messages.properties},
 * English, and {@code messages_de.properties}, German) and the host's overrides, per locale. Immutable and
 * thread-safe; built with {@link #builder()}, which checks every template.
 *
 * <p>Keys and the placeholders each may use ({@code {name}} in the text):
 * <ul>
 *   <li>{@code topic.<topic>.subject}, the subject of a message with one event, and {@code topic.<topic>.line}, the
 *       event's line in a message or a digest: {@code advocateName}, {@code programName} and the topic's own
 *       ({@link MessageTopic#placeholders()});</li>
 *   <li>{@code digest.subject}: {@code advocateName}, {@code programName}, {@code count};</li>
 *   <li>{@code greeting} and {@code signoff}, the first and last line of every message: {@code advocateName},
 *       {@code programName};</li>
 *   <li>{@code reward.<kind>} ({@code points}, {@code cash}, {@code credit}, {@code discount}, {@code gift_card},
 *       {@code donation}, {@code perk}, {@code custom}), how a reward reads: {@code amount}, {@code name};</li>
 *   <li>{@code stage.<name>}, a stage's label for advocates, and {@code loss.<wording>}, an advocate-safe loss
 *       wording ({@code loss.default} when a CRM reason is not mapped), and {@code company.unknown}, what stands for
 *       a company that is not known or was erased: no placeholders.</li>
 * </ul>
 *
 * <p>A locale's text is looked up in the host's overrides for that locale, then for its language, then in the
 * bundles (the locale's, its language's, then English); never in the JVM's default locale.
 */
public final class MessageTemplates {
    /** The base name of the shipped bundles. */
    public static final String BUNDLE = "io.referrals.core.messages.messages";
    /** The languages the library ships templates for. */
    public static final Set<Locale> SHIPPED = Set.of(Locale.ENGLISH, Locale.GERMAN);

    private static final Pattern STAGE_OR_LOSS = Pattern.compile("(stage|loss)\\.[a-z0-9_]+|company\\.unknown");
    private static final Set<String> COMMON = Set.of("advocateName", "programName");
    private static final Set<String> REWARD_KINDS = Set.of("points", "cash", "credit", "discount", "gift_card",
            "donation", "perk", "custom");
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final Map<Locale, Map<String, String>> overrides;

    private MessageTemplates(Map<Locale, Map<String, String>> overrides) {
        this.overrides = overrides;
    }

    /** The shipped templates, without overrides. */
    public static MessageTemplates shipped() {
        return builder().build();
    }

    /** A builder starting from the shipped templates. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The placeholders {@code key} may use, or empty when the key is unknown.
     */
    public static Set<String> placeholders(String key) {
        Objects.requireNonNull(key, "key");
        for (MessageTopic t : MessageTopic.values()) {
            if (key.equals(t.key() + ".subject") || key.equals(t.key() + ".line")) {
                Set<String> s = new HashSet<>(COMMON);
                s.addAll(t.placeholders());
                return Set.copyOf(s);
            }
        }
        if (key.equals("digest.subject")) {
            return Set.of("advocateName", "programName", "count");
        }
        if (key.equals("greeting") || key.equals("signoff")) {
            return COMMON;
        }
        if (key.startsWith("reward.") && REWARD_KINDS.contains(key.substring("reward.".length()))) {
            return Set.of("amount", "name");
        }
        return Set.of();
    }

    private static boolean known(String key) {
        return !placeholders(key).isEmpty() || STAGE_OR_LOSS.matcher(key).matches();
    }

    /** The text of {@code key} in {@code locale}, if there is one. */
    public java.util.Optional<String> text(Locale locale, String key) {
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(key, "key");
        String s = lookup(overrides.get(locale), key);
        if (s == null) {
            s = lookup(overrides.get(Locale.forLanguageTag(locale.getLanguage())), key);
        }
        if (s == null) {
            try {
                ResourceBundle b = ResourceBundle.getBundle(BUNDLE, locale, MessageTemplates.class.getClassLoader(),
                        NO_FALLBACK);
                s = b.containsKey(key) ? b.getString(key) : null;
            } catch (MissingResourceException e) {
                s = null;
            }
        }
        return java.util.Optional.ofNullable(s);
    }

    private static String lookup(Map<String, String> m, String key) {
        return m == null ? null : m.get(key);
    }

    /**
     * Renders {@code key} in {@code locale} with {@code values}; a placeholder without a value renders empty.
     *
     * @throws IllegalArgumentException if no template has the key
     */
    public String render(Locale locale, String key, Map<String, String> values) {
        String t = text(locale, key).orElseThrow(() -> new IllegalArgumentException("no template " + key));
        StringBuilder out = new StringBuilder(t.length() + 32);
        int i = 0;
        while (i < t.length()) {
            int open = t.indexOf('{', i);
            if (open < 0) {
                out.append(t, i, t.length());
                break;
            }
            int close = t.indexOf('}', open);
            out.append(t, i, open);
            out.append(values.getOrDefault(t.substring(open + 1, close), ""));
            i = close + 1;
        }
        return out.toString();
    }

    /** The placeholders {@code text} uses, in order. */
    static List<String> used(String key, String text) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (true) {
            int open = text.indexOf('{', i);
            if (open < 0) {
                return names;
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new TemplateException(key, "", "template " + key + " has a '{' without its '}'");
            }
            names.add(text.substring(open + 1, close));
            i = close + 1;
        }
    }

    private static void check(String key, String text) {
        Set<String> allowed = placeholders(key);
        for (String name : used(key, text)) {
            if (!allowed.contains(name)) {
                throw new TemplateException(key, name, "template " + key + " uses the placeholder {" + name
                        + "}, which it does not offer; it may use " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    /** Configures {@link MessageTemplates}. Not thread-safe. */
    public static final class Builder {
        private final Map<Locale, Map<String, String>> overrides = new HashMap<>();

        private Builder() {
        }

        /**
         * Replaces (or, for another language, supplies) the template {@code key} in {@code locale}. A locale with a
         * country applies to it only; a language-only locale to every country of the language.
         *
         * @throws TemplateException at once if the key is unknown, or the text uses a placeholder the key does not
         *     offer or leaves a brace open
         */
        public Builder template(Locale locale, String key, String text) {
            Objects.requireNonNull(locale, "locale");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(text, "text");
            if (!known(key)) {
                throw new TemplateException(key, "", "no template has the key " + key);
            }
            check(key, text);
            overrides.computeIfAbsent(locale, l -> new HashMap<>()).put(key, text);
            return this;
        }

        /**
         * The templates; the shipped bundles are checked too.
         *
         * @throws TemplateException if a shipped template is unusable (a packaging error)
         */
        public MessageTemplates build() {
            for (Locale l : SHIPPED) {
                ResourceBundle b = ResourceBundle.getBundle(BUNDLE, l, MessageTemplates.class.getClassLoader(),
                        NO_FALLBACK);
                for (String key : b.keySet()) {
                    if (!known(key)) {
                        throw new TemplateException(key, "", "shipped bundle has an unknown key " + key);
                    }
                    check(key, b.getString(key));
                }
            }
            Map<Locale, Map<String, String>> copy = new HashMap<>();
            overrides.forEach((l, m) -> copy.put(l, Map.copyOf(m)));
            return new MessageTemplates(Map.copyOf(copy));
        }
    }
}
