package io.referrals.spring.boot.starter;

import io.referrals.core.AdvocateMessages;
import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.core.extension.Extension;
import io.referrals.core.messages.Message;
import io.referrals.core.messages.MessageSender;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.storage.OutboxSignal;
import io.referrals.core.storage.ReferralStore;
import io.referrals.rules.RewardsEngine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Added to {@link HostApp} by the messages tests: an engine bean of the host's own (which the starter's customizers do
 * not reach), defining the "customers" program itself; with {@link OwnMessagesHostConfig}, it installs advocate
 * messages itself.
 */
@Configuration(proxyBeanMethods = false)
public class OwnEngineHostConfig {

    @Bean
    public ReferralEngine referralEngine(ReferralStore store, OutboxSignal signal, RewardsEngine rewards,
            ObjectProvider<Extension<AdvocateMessages>> messages) {
        ReferralEngine.Builder b = ReferralEngine.builder().store(store).outbox(signal)
                .matchKeySecret("a-secret-of-at-least-16-bytes".getBytes(StandardCharsets.UTF_8)).install(rewards)
                .install(ProgramInsights.extension());
        messages.ifAvailable(b::install);
        ReferralEngine engine = b.build();
        engine.defineProgram(Program.builder(ProgramId.of("customers"), "Customer referrals", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build());
        return engine;
    }

    /** Keeps every message it is handed. */
    public static final class ListSender implements MessageSender {
        final List<Message> sent = new CopyOnWriteArrayList<>();

        @Override
        public void send(Message message) {
            sent.add(message);
        }
    }
}
