package io.referrals.spring.boot.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.referrals.core.AdvocateMessages;
import io.referrals.core.ReferralEngine;
import io.referrals.core.extension.Extension;
import io.referrals.core.messages.MessageSender;
import io.referrals.core.messages.MessageTemplates;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * Messages to advocates ({@link AdvocateMessages}), when the application defines one {@link MessageSender} bean (or
 * one marked primary) and {@code referrals.messages.enabled} is not false: the extension is installed on the starter's
 * engine through a {@link ReferralEngineCustomizer}, exposed as a bean, and run every
 * {@code referrals.messages.poll-interval} by a lifecycle bean. Policies, the default language and loss-reason
 * wordings come from {@code referrals.messages.*}; templates from a {@link MessageTemplates} bean, else the shipped
 * ones. The sender bean is looked up when a message leaves, so it may depend on the engine. A host with an engine bean
 * of its own installs the extension there itself and defines the {@link AdvocateMessages} bean; the starter then only
 * runs it.
 */
@AutoConfiguration(after = ReferralsAutoConfiguration.class)
@ConditionalOnClass(AdvocateMessages.class)
@ConditionalOnBean(ReferralEngine.class)
@ConditionalOnSingleCandidate(MessageSender.class)
@ConditionalOnProperty(prefix = "referrals.messages", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ReferralMessagesProperties.class)
public class ReferralsAdvocateMessagesAutoConfiguration {

    /** Installs the messages on the engine; not when the host defines its own {@link AdvocateMessages} bean. */
    @Bean
    @ConditionalOnMissingBean(AdvocateMessages.class)
    ReferralEngineCustomizer referralsAdvocateMessagesInstaller(AdvocateMessagesExtension messages) {
        return b -> b.install(messages.extension());
    }

    /**
     * The extension the installer puts on the engine; the handle of {@link #referralAdvocateMessages}.
     *
     * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException naming a
     *     {@code referrals.messages.*} property whose value is not valid
     */
    @Bean
    @ConditionalOnMissingBean({ AdvocateMessagesExtension.class, AdvocateMessages.class })
    AdvocateMessagesExtension referralsAdvocateMessagesExtension(ReferralMessagesProperties properties,
            ObjectProvider<MessageSender> sender, ObjectProvider<MessageTemplates> templates) {
        MessageSender lazySender = message -> sender.getObject().send(message);
        return new AdvocateMessagesExtension(properties.extension(lazySender,
                templates.getIfAvailable(MessageTemplates::shipped)));
    }

    /**
     * Messages to advocates: their policies, their items, and {@code runOnce()}, which the starter's lifecycle bean
     * calls. Lazy like the advocate's view; with an engine bean of the host's own, the lifecycle needs it, so such a
     * host installs the extension itself and defines this bean, or sets {@code referrals.messages.enabled=false}.
     *
     * @throws IllegalStateException if the engine bean is the host's own and lacks the extension
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public AdvocateMessages referralAdvocateMessages(ReferralEngine engine, AdvocateMessagesExtension messages) {
        try {
            return engine.extension(messages.extension());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the ReferralEngine bean is your own, so the starter could not install"
                    + " advocate messages on it: install AdvocateMessages.builder(sender).build() on your engine and"
                    + " define an AdvocateMessages bean from it, or set referrals.messages.enabled=false", e);
        }
    }

    /** Sends due messages every {@code referrals.messages.poll-interval}, from start-up to shutdown. */
    @Bean
    PeriodicRun<Integer> referralsAdvocateMessagesLifecycle(AdvocateMessages messages,
            ReferralMessagesProperties properties, ReferralsProperties referrals,
            ObjectProvider<ObservationRegistry> observations) {
        return new PeriodicRun<>(new PeriodicRun.Job<>("sending advocate messages", "referrals-messages",
                "referrals.messages.send-due", "referrals send advocate messages", messages::runOnce,
                sent -> sent > 0 ? Optional.of(sent + " advocate messages sent") : Optional.empty()),
                properties.checkedPollInterval(), referrals.getOutbox().getShutdownTimeout(),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    /** The advocate-messages extension built from the properties. */
    static final class AdvocateMessagesExtension {
        private final Extension<AdvocateMessages> extension;

        AdvocateMessagesExtension(Extension<AdvocateMessages> extension) {
            this.extension = extension;
        }

        Extension<AdvocateMessages> extension() {
            return extension;
        }
    }
}
