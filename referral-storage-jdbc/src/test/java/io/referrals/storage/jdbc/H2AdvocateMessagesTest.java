package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.AdvocateMessages;
import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.extension.Extension;
import io.referrals.core.messages.Delivery;
import io.referrals.core.messages.Message;
import io.referrals.core.messages.MessagePolicy;
import io.referrals.core.messages.MessageStatus;
import io.referrals.core.messages.MessageTopic;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.storage.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Advocate messages on an H2 database")
class H2AdvocateMessagesTest {
    private final MutableClock clock = MutableClock.at(Instant.parse("2025-03-03T09:00:00Z"));
    private final List<Message> sent = new CopyOnWriteArrayList<>();
    private final List<String> attempts = new CopyOnWriteArrayList<>();
    private volatile boolean crash;
    private final JdbcDataSource ds = new JdbcDataSource();

    H2AdvocateMessagesTest() {
        ds.setURL("jdbc:h2:mem:messages-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
    }

    /** An engine with the messages extension over the one database, as a process (re)started would build it. */
    private record Process(ReferralEngine engine, AdvocateMessages messages) {
    }

    private Process start(MessagePolicy policy) {
        Extension<AdvocateMessages> extension = AdvocateMessages.builder(m -> {
            attempts.add(m.deliveryKey());
            if (crash) {
                throw new AssertionError("the process died while sending");
            }
            sent.add(m);
        }).defaultPolicy(policy).lossReason("Budget", "budget").build();
        ReferralEngine engine = ReferralEngine.builder().store(JdbcReferralStore.builder(ds).build()).clock(clock)
                .matchKeySecret(JdbcStoreSuite.SECRET).outbox().install(extension).build();
        return new Process(engine, engine.extension(extension));
    }

    private static Referral capture(ReferralEngine engine, Advocate advocate, ProgramId program, String company) {
        CaptureResult r = engine.capture(CaptureRequest.builder().advocate(advocate.id()).program(program)
                .prospect(Prospect.builder().fullName("Peter Gibbons").email("peter@" + company + ".example")
                        .company(company).build())
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).build());
        return ((CaptureResult.Accepted) r).referral();
    }

    @Test
    @DisplayName("events become German messages in the engine's transaction; a run that dies while sending is "
            + "repeated by the next process with the same delivery key")
    void durableAcrossRestart() {
        Process first = start(MessagePolicy.DEFAULT);
        ProgramId program = first.engine().defineProgram(Program.builder(ProgramId.of("customers"), "Kundenempfehlung",
                ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE).build()).id();
        Advocate hans = first.engine().registerAdvocate(AdvocateRegistration.of("ext-1", "Hans", "hans@acme.example",
                AdvocateKind.CUSTOMER).withAttributes(Map.of("locale", "de")));
        first.engine().enrol(hans.id(), program);
        Referral r = capture(first.engine(), hans, program, "Initech");
        clock.advance(Duration.ofSeconds(1));
        first.engine().transition(new TransitionRequest(r.id(), Stage.LOST, TransitionCause.crm("salesforce"),
                "Budget", ""));

        crash = true;
        assertThatThrownBy(first.messages()::runOnce).isInstanceOf(AssertionError.class);
        crash = false;

        Process second = start(MessagePolicy.DEFAULT);
        assertThat(second.messages().runOnce()).as("still leased").isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(second.messages().runOnce()).isEqualTo(2);

        assertThat(sent).extracting(Message::subject).containsExactly("Ihre Empfehlung von Initech ist eingegangen",
                "Neuigkeiten zu Ihrer Empfehlung von Initech");
        assertThat(sent.get(1).body()).contains("dafür gab es im Moment kein Budget.").doesNotContain("Peter");
        assertThat(attempts.get(0)).isEqualTo(sent.get(0).deliveryKey());
        assertThat(second.messages().items(hans.id(), 10)).extracting(i -> i.status())
                .containsOnly(MessageStatus.SENT);
    }

    @Test
    @DisplayName("a daily digest gathers a day's events from the database into one message")
    void dailyDigest() {
        Process p = start(MessagePolicy.of(Delivery.dailyDigest(java.time.LocalTime.of(17, 0),
                java.time.ZoneOffset.UTC), MessageTopic.values()));
        ProgramId program = p.engine().defineProgram(Program.builder(ProgramId.of("partners"), "Partners",
                ProgramKind.PARTNER).status(ProgramStatus.ACTIVE).build()).id();
        Advocate jane = p.engine().registerAdvocate(AdvocateRegistration.of("ext-2", "Jane", "jane@acme.example",
                AdvocateKind.PARTNER));
        p.engine().enrol(jane.id(), program);
        capture(p.engine(), jane, program, "Initech");
        clock.advance(Duration.ofMinutes(1));
        capture(p.engine(), jane, program, "Hooli");

        assertThat(p.messages().runOnce()).isZero();
        clock.set(Instant.parse("2025-03-03T17:00:00Z"));
        assertThat(p.messages().runOnce()).isEqualTo(1);
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.subject()).isEqualTo("2 updates from Partners");
            assertThat(m.body()).contains("- We received your referral of Initech.")
                    .contains("- We received your referral of Hooli.");
        });
    }
}
