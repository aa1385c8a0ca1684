package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.AdvocateMessages;
import io.referrals.core.ReferralEngine;
import io.referrals.core.messages.MessageSender;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Stops the start-up when advocate messages are enabled and the application defines several {@link MessageSender}
 * beans, none of them primary. {@link ReferralsAdvocateMessagesAutoConfiguration} needs a single candidate; without
 * this check it would stand aside and advocates would silently get no messages.
 */
@AutoConfiguration(after = ReferralsAutoConfiguration.class)
@ConditionalOnClass(AdvocateMessages.class)
@ConditionalOnBean({ ReferralEngine.class, MessageSender.class })
@ConditionalOnProperty(prefix = "referrals.messages", name = "enabled", matchIfMissing = true)
public class ReferralsMessageSenderCheckAutoConfiguration {

    /**
     * Checks, once every singleton exists, that one {@link MessageSender} is the one to use.
     *
     * @throws IllegalStateException naming the sender beans when none of several is primary
     */
    @Bean
    static SmartInitializingSingleton referralsMessageSenderCheck(ObjectProvider<MessageSender> senders,
            ListableBeanFactory beans) {
        return () -> {
            if (senders.getIfUnique() == null) {
                String[] names = beans.getBeanNamesForType(MessageSender.class);
                throw new IllegalStateException("advocate messages are enabled but the application defines "
                        + names.length + " MessageSender beans (" + String.join(", ", names) + ") and none is"
                        + " primary: mark the one advocate messages should use @Primary, or set"
                        + " referrals.messages.enabled=false");
            }
        };
    }
}
