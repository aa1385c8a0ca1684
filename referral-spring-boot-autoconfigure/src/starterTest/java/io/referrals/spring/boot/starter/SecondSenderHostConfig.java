package io.referrals.spring.boot.starter;

import io.referrals.core.messages.MessageSender;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Added with {@link MessagesHostConfig} by the messages tests: a second {@link MessageSender} bean (a Slack sender
 * beside the e-mail one, say), neither of them primary.
 */
@Configuration(proxyBeanMethods = false)
public class SecondSenderHostConfig {

    @Bean
    public MessageSender slackSender() {
        return message -> {
        };
    }
}
