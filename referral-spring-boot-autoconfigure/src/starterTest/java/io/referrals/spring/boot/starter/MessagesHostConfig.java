package io.referrals.spring.boot.starter;

import io.referrals.core.ReferralEngine;
import io.referrals.core.messages.Message;
import io.referrals.core.messages.MessageSender;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Added to {@link HostApp} by the messages tests: a {@link MessageSender} bean that records what it is handed, and
 * that depends on the engine (as a sender looking up addresses would), which the starter must allow without a cycle.
 */
@Configuration(proxyBeanMethods = false)
public class MessagesHostConfig {

    @Bean
    public RecordingSender recordingSender(ReferralEngine engine) {
        return new RecordingSender(engine);
    }

    /** Keeps every message it is handed. */
    public static final class RecordingSender implements MessageSender {
        final List<Message> sent = new CopyOnWriteArrayList<>();
        private final ReferralEngine engine;

        RecordingSender(ReferralEngine engine) {
            this.engine = engine;
        }

        @Override
        public void send(Message message) {
            // what a real sender does first: the advocate it writes to
            engine.advocate(message.advocateId()).orElseThrow();
            sent.add(message);
        }
    }
}
