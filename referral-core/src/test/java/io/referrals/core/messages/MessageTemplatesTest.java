package io.referrals.core.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Message templates and delivery")
class MessageTemplatesTest {

    private static Set<String> keys(Locale locale) {
        return new TreeSet<>(ResourceBundle.getBundle(MessageTemplates.BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)).keySet());
    }

    @Test
    @DisplayName("the English and German bundles have the same keys, a subject and a line for every topic")
    void bundlesComplete() {
        assertThat(keys(Locale.GERMAN)).isEqualTo(keys(Locale.ENGLISH));
        MessageTemplates t = MessageTemplates.shipped();
        for (MessageTopic topic : MessageTopic.values()) {
            for (Locale l : MessageTemplates.SHIPPED) {
                assertThat(t.text(l, topic.key() + ".subject")).as(topic + " subject in " + l).isPresent();
                assertThat(t.text(l, topic.key() + ".line")).as(topic + " line in " + l).isPresent();
            }
        }
    }

    @Test
    @DisplayName("a template using a placeholder its key does not offer is refused when built, naming both")
    void unknownPlaceholder() {
        assertThatThrownBy(() -> MessageTemplates.builder().template(Locale.ENGLISH, "topic.referral_won.subject",
                "{company} signed; their contact was {prospectEmail}"))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.key()).isEqualTo("topic.referral_won.subject");
                    assertThat(e.placeholder()).isEqualTo("prospectEmail");
                })
                .hasMessageContaining("{prospectEmail}").hasMessageContaining("company");
        assertThatThrownBy(() -> MessageTemplates.builder().template(Locale.ENGLISH, "greeting", "Hi {company}"))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    @DisplayName("an open brace and an unknown key are refused too")
    void malformed() {
        assertThatThrownBy(() -> MessageTemplates.builder().template(Locale.ENGLISH, "greeting", "Hi {advocateName"))
                .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.placeholder()).isEmpty());
        assertThatThrownBy(() -> MessageTemplates.builder().template(Locale.ENGLISH, "topic.nothing.subject", "x"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("topic.nothing.subject");
    }

    @Test
    @DisplayName("overrides apply per locale, then per language; other languages fall back to English, never to the "
            + "JVM's default locale")
    void lookupOrder() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMAN);
        try {
            MessageTemplates t = MessageTemplates.builder()
                    .template(Locale.forLanguageTag("de-CH"), "greeting", "Grüezi {advocateName},")
                    .template(Locale.FRENCH, "greeting", "Bonjour {advocateName},")
                    .template(Locale.ENGLISH, "loss.price", "the price was too high for them.")
                    .build();
            Map<String, String> v = Map.of("advocateName", "Jane");
            assertThat(t.render(Locale.forLanguageTag("de-CH"), "greeting", v)).isEqualTo("Grüezi Jane,");
            assertThat(t.render(Locale.forLanguageTag("de-AT"), "greeting", v)).isEqualTo("Hallo Jane,");
            assertThat(t.render(Locale.forLanguageTag("fr-BE"), "greeting", v)).isEqualTo("Bonjour Jane,");
            assertThat(t.render(Locale.ENGLISH, "greeting", v)).isEqualTo("Hi Jane,");
            assertThat(t.render(Locale.JAPANESE, "greeting", v)).isEqualTo("Hi Jane,");
            assertThat(t.text(Locale.ENGLISH, "loss.price")).contains("the price was too high for them.");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    @DisplayName("a minimum interval waits for the end of the interval after the last message")
    void minimumInterval() {
        Delivery hourly = Delivery.minimumInterval(Duration.ofHours(1));
        Instant t = Instant.parse("2025-03-03T09:00:00Z");
        assertThat(hourly.dueAt(t, null)).isEqualTo(t);
        assertThat(hourly.dueAt(t, t.minusSeconds(600))).isEqualTo(t.plusSeconds(3000));
        assertThat(hourly.dueAt(t, t.minusSeconds(7200))).isEqualTo(t);
        assertThatThrownBy(() -> Delivery.minimumInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
