package io.referrals.spring.boot.starter;

import io.referrals.core.AdvocateMessages;
import io.referrals.core.ReferralEngine;
import io.referrals.core.extension.Extension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Added with {@link OwnEngineHostConfig}: the host's own advocate messages, on its own engine, sending through its own
 * sender bean. A top-level class: nested in that configuration, Spring would always import it.
 */
@Configuration(proxyBeanMethods = false)
public class OwnMessagesHostConfig {

    @Bean
    public OwnEngineHostConfig.ListSender listSender() {
        return new OwnEngineHostConfig.ListSender();
    }

    @Bean
    public Extension<AdvocateMessages> ownMessagesExtension(OwnEngineHostConfig.ListSender sender) {
        return AdvocateMessages.builder(sender).build();
    }

    @Bean
    public AdvocateMessages ownAdvocateMessages(ReferralEngine engine, Extension<AdvocateMessages> extension) {
        return engine.extension(extension);
    }
}
