package io.referrals.spring.boot.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.AdvocateMessages;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.messages.Delivery;
import io.referrals.core.messages.Message;
import io.referrals.core.messages.MessagePolicy;
import io.referrals.core.messages.MessageTemplates;
import io.referrals.core.messages.MessageTopic;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.spring.boot.starter.HostApp.HostService;
import io.referrals.spring.boot.starter.MessagesHostConfig.RecordingSender;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Messages to advocates through the starter, on a real Spring Boot application: each Spring Boot line proves it with a
 * subclass per database. Every test starts its own host on a database of its own.
 */
public abstract class MessagesContract {
    private static final String LIFECYCLE = "referralsAdvocateMessagesLifecycle";

    /** A fresh database. */
    protected abstract TestDb database();

    /** Starts {@link HostApp}, with the recording sender when {@code sender}, and the given extra properties. */
    private static ConfigurableApplicationContext start(TestDb db, boolean sender, String... properties) {
        return start(db, sender ? List.of(HostApp.class, MessagesHostConfig.class) : List.of(HostApp.class),
                properties);
    }

    /** Starts an application of {@code sources}, with the given extra properties. */
    private static ConfigurableApplicationContext start(TestDb db, List<Class<?>> sources, String... properties) {
        List<String> p = new ArrayList<>(db.properties());
        p.add("referrals.match-key-secret=a-secret-of-at-least-16-bytes");
        p.add("referrals.outbox.poll-interval=1h");
        p.add("referrals.rewards.processing-interval=1h");
        p.add("referrals.programs.customers.name=Customer referrals");
        p.add("spring.flyway.enabled=false");
        p.add("spring.liquibase.enabled=false");
        p.addAll(List.of(properties));
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE).properties(p.toArray(String[]::new))
                .run();
    }

    private static String email() {
        return "p-" + UUID.randomUUID().toString().substring(0, 8) + "@initech.example";
    }

    @Test
    @DisplayName("with a MessageSender bean, the advocate gets a message when a referral is captured and when it "
            + "moves, in the default language, and a lost deal reads as the mapped wording, never the CRM's reason")
    void capturedAndMovedReferralsBecomeMessages() {
        TestDb db = database();
        try (ConfigurableApplicationContext app = start(db, true, "referrals.messages.poll-interval=50ms",
                "referrals.messages.default-locale=de",
                "referrals.messages.loss-reasons.[Went with competitor]=competitor")) {
            HostService host = app.getBean(HostService.class);
            ReferralEngine engine = app.getBean(ReferralEngine.class);
            RecordingSender sender = app.getBean(RecordingSender.class);
            host.advocateWithCode("crm-1", "customers", "JANE-ACME");

            ReferralId moved = host.refer("jane-acme", email(), false);
            engine.transition(TransitionRequest.of(moved, Stage.MEETING_HELD, TransitionCause.crm("salesforce")));
            ReferralId lost = host.refer("jane-acme", email(), false);
            engine.transition(new TransitionRequest(lost, Stage.LOST, TransitionCause.crm("salesforce"),
                    "Went with competitor", ""));

            StarterContract.await("four messages", () -> sender.sent.size() >= 4);
            assertThat(sender.sent).extracting(Message::topics).containsExactlyInAnyOrder(
                    List.of(MessageTopic.REFERRAL_RECEIVED), List.of(MessageTopic.REFERRAL_PROGRESSED),
                    List.of(MessageTopic.REFERRAL_RECEIVED), List.of(MessageTopic.REFERRAL_LOST));
            assertThat(sender.sent).allSatisfy(m -> {
                assertThat(m.locale()).isEqualTo(Locale.GERMAN);
                assertThat(m.email()).isEqualTo("crm-1@acme.example");
                assertThat(m.subject() + m.body()).contains("Initech").doesNotContain("Peter");
            });
            Message lostMessage = sender.sent.stream()
                    .filter(m -> m.topics().contains(MessageTopic.REFERRAL_LOST)).findFirst().orElseThrow();
            assertThat(lostMessage.body()).contains(MessageTemplates.shipped().text(Locale.GERMAN, "loss.competitor")
                    .orElseThrow()).doesNotContain("Went with competitor");
            assertThat(app.getBean(LIFECYCLE, SmartLifecycle.class).isRunning()).isTrue();
        } finally {
            db.close();
        }
    }

    @Test
    @DisplayName("referrals.messages.* bind to each program's policy and the loss-reason wordings")
    void propertiesBind() {
        TestDb db = database();
        try (ConfigurableApplicationContext app = start(db, true,
                "referrals.programs.partners.name=Partners", "referrals.programs.partners.kind=PARTNER",
                "referrals.programs.quiet.name=Quiet",
                "referrals.messages.programs.customers.delivery=interval:10m",
                "referrals.messages.programs.customers.topics=referral-won,REWARD_EARNED",
                "referrals.messages.programs.partners.delivery=digest:18:30@Europe/Berlin",
                "referrals.messages.programs.quiet.topics=none",
                "referrals.messages.loss-reasons.no-budget=budget",
                "referrals.messages.loss-reasons.[Chose a competitor]=competitor")) {
            AdvocateMessages messages = app.getBean(AdvocateMessages.class);

            assertThat(messages.policy(ProgramId.of("customers"))).isEqualTo(new MessagePolicy(
                    Set.of(MessageTopic.REFERRAL_WON, MessageTopic.REWARD_EARNED),
                    Delivery.minimumInterval(Duration.ofMinutes(10))));
            assertThat(messages.policy(ProgramId.of("partners"))).isEqualTo(new MessagePolicy(
                    Set.of(MessageTopic.values()), Delivery.dailyDigest(LocalTime.of(18, 30),
                            ZoneId.of("Europe/Berlin"))));
            assertThat(messages.policy(ProgramId.of("quiet")).topics()).isEmpty();
            assertThat(messages.policy(ProgramId.of("unnamed"))).isEqualTo(MessagePolicy.DEFAULT);
            assertThat(messages.lossWording("No-Budget")).isEqualTo("budget");
            assertThat(messages.lossWording("chose a competitor")).isEqualTo("competitor");
            assertThat(messages.lossWording("something else")).isEqualTo("default");
        } finally {
            db.close();
        }
    }

    @Test
    @DisplayName("a bad delivery, topic, wording or poll interval stops the start-up with a message naming the "
            + "property")
    void badValuesRefused() {
        String[][] cases = {
                { "referrals.messages.programs.customers.delivery=weekly",
                        "referrals.messages.programs.customers.delivery" },
                { "referrals.messages.programs.customers.delivery=digest:25:00@Europe/Berlin",
                        "referrals.messages.programs.customers.delivery" },
                { "referrals.messages.programs.customers.delivery=interval:-5m",
                        "referrals.messages.programs.customers.delivery" },
                { "referrals.messages.programs.customers.topics=referral-won,gossip",
                        "referrals.messages.programs.customers.topics" },
                { "referrals.messages.loss-reasons.no-budget=Budget Cuts", "referrals.messages.loss-reasons[no-budget]" },
                { "referrals.messages.loss-reasons.no-budget=no_such_wording",
                        "referrals.messages.loss-reasons[no-budget]" },
                { "referrals.messages.poll-interval=0s", "referrals.messages.poll-interval" } };
        for (String[] c : cases) {
            TestDb db = database();
            try {
                assertThatThrownBy(() -> start(db, true, c[0]).close()).as(c[0])
                        .hasStackTraceContaining("Property " + c[1] + " with value");
            } finally {
                db.close();
            }
        }
    }

    @Test
    @DisplayName("without a MessageSender bean, or with referrals.messages.enabled=false, there is no AdvocateMessages "
            + "bean and no lifecycle")
    void noSenderNoMessages() {
        TestDb db = database();
        try {
            try (ConfigurableApplicationContext app = start(db, false)) {
                assertThat(app.getBeanNamesForType(AdvocateMessages.class)).isEmpty();
                assertThat(app.containsBean(LIFECYCLE)).isFalse();
            }
            try (ConfigurableApplicationContext app = start(db, true, "referrals.messages.enabled=false")) {
                assertThat(app.getBeanNamesForType(AdvocateMessages.class)).isEmpty();
                assertThat(app.containsBean(LIFECYCLE)).isFalse();
                // and nothing is recorded for a later instance to send
                HostService host = app.getBean(HostService.class);
                host.advocateWithCode("crm-2", "customers", "JOE-ACME");
                host.refer("joe-acme", email(), false);
                assertThat(db.count("SELECT COUNT(*) FROM ref_message_item")).isZero();
            }
        } finally {
            db.close();
        }
    }

    @Test
    @DisplayName("with two MessageSender beans and neither primary, start-up stops naming both, instead of leaving "
            + "advocates without messages")
    void twoSendersRefused() {
        TestDb db = database();
        try {
            assertThatThrownBy(() -> start(db, List.of(HostApp.class, MessagesHostConfig.class,
                    SecondSenderHostConfig.class)).close())
                    .hasStackTraceContaining("2 MessageSender beans (")
                    .hasStackTraceContaining("recordingSender")
                    .hasStackTraceContaining("slackSender")
                    .hasStackTraceContaining("@Primary, or set referrals.messages.enabled=false");
            try (ConfigurableApplicationContext app = start(db, List.of(HostApp.class, MessagesHostConfig.class,
                    SecondSenderHostConfig.class), "referrals.messages.enabled=false")) {
                assertThat(app.getBeanNamesForType(AdvocateMessages.class)).isEmpty();
            }
        } finally {
            db.close();
        }
    }

    @Test
    @DisplayName("with an engine bean of the host's own, start-up stops and says to install the messages there; once "
            + "the host installs them and defines the AdvocateMessages bean, the starter runs it")
    void hostsOwnEngine() {
        TestDb db = database();
        try {
            assertThatThrownBy(() -> start(db, List.of(HostApp.class, OwnEngineHostConfig.class,
                    MessagesHostConfig.class)).close())
                    .hasStackTraceContaining("the ReferralEngine bean is your own")
                    .hasStackTraceContaining("AdvocateMessages.builder(sender).build()");
        } finally {
            db.close();
        }
        TestDb own = database();
        try (ConfigurableApplicationContext app = start(own, List.of(HostApp.class, OwnEngineHostConfig.class,
                OwnMessagesHostConfig.class), "referrals.messages.poll-interval=50ms")) {
            assertThat(app.getBeansOfType(AdvocateMessages.class)).containsOnlyKeys("ownAdvocateMessages");
            HostService host = app.getBean(HostService.class);
            host.advocateWithCode("crm-3", "customers", "ANN-ACME");
            host.refer("ann-acme", email(), false);

            OwnEngineHostConfig.ListSender sender = app.getBean(OwnEngineHostConfig.ListSender.class);
            StarterContract.await("the message", () -> sender.sent.size() == 1);
            assertThat(sender.sent.get(0).topics()).containsExactly(MessageTopic.REFERRAL_RECEIVED);
            assertThat(app.getBean(LIFECYCLE, SmartLifecycle.class).isRunning()).isTrue();
        } finally {
            own.close();
        }
    }
}
