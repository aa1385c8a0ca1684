package io.referrals.spring.boot.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.referrals.core.ReferralEngine;
import io.referrals.core.event.EventStreams;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.ReferralId;
import io.referrals.core.outbox.OutboxDispatcher;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.spring.boot.autoconfigure.ReferralsAutoConfiguration;
import io.referrals.spring.boot.starter.HostApp.HostService;
import io.referrals.spring.boot.starter.HostApp.Notifier;
import io.referrals.spring.boot.starter.HostApp.SpringEvents;
import io.referrals.spring.boot.starter.HostApp.SwitchableDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter from the host's seat, on a real Spring Boot application: every Spring Boot line proves itself with a
 * subclass per database that says how to read the health indicator of its line. The dispatcher polls only every hour
 * here, so every prompt delivery below comes from the wake-up after the host's commit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StarterContract {
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** A health indicator's status code and details, whatever the Spring Boot line's types. */
    public record HealthView(String status, Map<String, Object> details) {
    }

    /** A fresh database for the class. */
    protected abstract TestDb database();

    /** The "referrals" health indicator's current health. */
    protected abstract HealthView health(ApplicationContext context);

    private TestDb db;
    private ConfigurableApplicationContext app;

    @BeforeAll
    void startHost() {
        db = database();
        app = start(db, "referrals.programs.customers.name=Customer referrals",
                "referrals.rewards.rule-files=classpath:starter-rules/*.yaml",
                "referrals.events.publish-spring-events=true");
        app.getBean(HostService.class).advocateWithCode("crm-1", "customers", "JANE-ACME");
    }

    @AfterAll
    void stopHost() {
        if (app != null) {
            app.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** Starts the host application on {@code db}, with an hourly poll and the given extra properties. */
    static ConfigurableApplicationContext start(TestDb db, String... properties) {
        List<String> p = new ArrayList<>(db.properties());
        p.add("referrals.match-key-secret=a-secret-of-at-least-16-bytes");
        p.add("referrals.outbox.poll-interval=1h");
        p.add("referrals.rewards.processing-interval=1h");
        p.add("referrals.health.cache-for=0s");
        p.add("spring.flyway.enabled=false");
        p.add("spring.liquibase.enabled=false");
        p.add("management.endpoints.web.exposure.include=health,metrics");
        p.add("management.endpoint.health.show-details=always");
        p.addAll(List.of(properties));
        return new SpringApplicationBuilder(HostApp.class).web(WebApplicationType.NONE)
                .properties(p.toArray(String[]::new)).run();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT + " for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // a bounded poll of the condition, not a timing guess
        }
    }

    private static String email() {
        return "p-" + UUID.randomUUID().toString().substring(0, 8) + "@initech.example";
    }

    private long pendingEvents() {
        return app.getBean(OutboxDispatcher.class).statistics().pending();
    }

    @Nested
    @DisplayName("Host transactions")
    class HostTransactions {

        @Test
        @DisplayName("a committed @Transactional method stores the referral with the host's write, and its event "
                + "reaches the listener right after the commit")
        void commitDelivers() {
            HostService host = app.getBean(HostService.class);
            Notifier notifier = app.getBean(Notifier.class);
            String email = email();

            ReferralId id = host.refer("jane-acme", email, false);

            assertThat(app.getBean(ReferralEngine.class).referral(id)).isPresent();
            assertThat(host.notes(email)).isEqualTo(1);
            await("the notification", () -> notifier.told.contains(id.value()));
            await("the outbox to drain", () -> pendingEvents() == 0);
        }

        @Test
        @DisplayName("an exception in the host's @Transactional method leaves no referral, no event and no "
                + "notification, and the host's own write is gone too")
        void rollbackLeavesNothing() {
            HostService host = app.getBean(HostService.class);
            Notifier notifier = app.getBean(Notifier.class);
            ReferralEngine engine = app.getBean(ReferralEngine.class);
            String email = email();
            int referralsBefore = engine.referrals(ReferralQuery.builder().program(ProgramId.of("customers"))
                    .limit(10_000).build()).size();

            assertThatThrownBy(() -> host.refer("jane-acme", email, true))
                    .hasMessageContaining("the host failed after the capture");

            assertThat(host.notes(email)).isZero();
            assertThat(engine.referrals(ReferralQuery.builder().program(ProgramId.of("customers")).limit(10_000)
                    .build())).hasSize(referralsBefore);
            assertThat(pendingEvents()).isZero();
            // a later committed referral is delivered; by then the rolled-back one would have been too
            ReferralId later = host.refer("jane-acme", email(), false);
            await("the later notification", () -> notifier.told.contains(later.value()));
            assertThat(notifier.told).doesNotHaveDuplicates().allSatisfy(told ->
                    assertThat(engine.referral(ReferralId.of(told))).isPresent());
        }

        @Test
        @DisplayName("a listener may depend on the rewards service, and one that fails gets the event again")
        void failingListenerRetried() {
            HostService host = app.getBean(HostService.class);
            Notifier notifier = app.getBean(Notifier.class);
            OutboxDispatcher dispatcher = app.getBean(OutboxDispatcher.class);
            notifier.failuresToCome.set(1);

            ReferralId id = host.refer("jane-acme", email(), false);
            await("the failed attempt", () -> notifier.failuresToCome.get() == 0);
            assertThat(notifier.told).doesNotContain(id.value());
            // the retry is due after the backoff; a host calls runOnce from its scheduler, here we do
            await("the retry", () -> {
                dispatcher.runOnce();
                return notifier.told.contains(id.value());
            });
        }

        @Test
        @DisplayName("engine events are republished as Spring application events after commit")
        void springEvents() {
            ReferralId id = app.getBean(HostService.class).refer("jane-acme", email(), false);
            SpringEvents events = app.getBean(SpringEvents.class);
            await("the application event", () -> events.received.stream()
                    .anyMatch(e -> e.metadata().stream().equals(EventStreams.of(id))));
        }
    }

    @Nested
    @DisplayName("Operations")
    class Operations {

        @Test
        @DisplayName("the health indicator is UP with the outbox's backlog, and DOWN, not an exception, when the "
                + "database is unreachable")
        void healthUpAndDown() {
            app.getBean(HostService.class).refer("jane-acme", email(), false);
            await("the outbox to drain", () -> pendingEvents() == 0);
            HealthView up = StarterContract.this.health(app);
            assertThat(up.status()).isEqualTo("UP");
            assertThat(up.details()).containsEntry("pending", 0L).containsEntry("parked", 0L)
                    .containsEntry("dispatcherRunning", true).containsKeys("oldestPendingAge", "lastSuccessfulPoll");

            SwitchableDataSource ds = (SwitchableDataSource) app.getBean(DataSource.class);
            ds.down.set(true);
            try {
                HealthView down = StarterContract.this.health(app);
                assertThat(down.status()).isIn("DOWN", "OUT_OF_SERVICE");
                assertThat(down.details()).containsKey("error");
            } finally {
                ds.down.set(false);
            }
            assertThat(StarterContract.this.health(app).status()).isEqualTo("UP");
        }

        @Test
        @DisplayName("meters count captures, rewards and deliveries, gauge the outbox and time engine operations")
        void metrics() {
            ReferralId id = app.getBean(HostService.class).refer("jane-acme", email(), false);
            await("the notification", () -> app.getBean(Notifier.class).told.contains(id.value()));
            MeterRegistry meters = app.getBean(MeterRegistry.class);
            await("the submission counted", () -> meters.find("referrals.captures").tag("outcome", "accepted")
                    .tag("program", "customers").counter() != null);
            assertThat(meters.get("referrals.captures").tag("outcome", "accepted").counter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(meters.get("referrals.rewards").tag("status", "earned").counter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(meters.get("referrals.outbox.delivery.latency").timer().count()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("referrals.outbox.deliveries").tag("outcome", "delivered").counter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(meters.get("referrals.operation").tag("operation", "capture").timer().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(meters.get("referrals.outbox.pending").gauge().value()).isGreaterThanOrEqualTo(0);
            assertThat(meters.get("referrals.outbox.parked").gauge().value()).isZero();
            assertThat(meters.get("referrals.outbox.oldest.age").timeGauge()).isNotNull();
        }

        @Test
        @DisplayName("the dispatcher and due-reward processing are running lifecycle beans")
        void lifecycles() {
            assertThat(app.getBean(OutboxDispatcher.class).isRunning()).isTrue();
            assertThat(app.getBean(ReferralsAutoConfiguration.class)).isNotNull();
        }
    }

    @Nested
    @DisplayName("Start-up and shutdown")
    class StartAndStop {

        @Test
        @DisplayName("programs are defined at start-up, left alone by a restart, and updated when their configuration "
                + "changes")
        void programsSurviveRestarts() {
            TestDb own = database();
            try {
                Program first;
                try (ConfigurableApplicationContext a = start(own, "referrals.programs.partners.name=Partners",
                        "referrals.programs.partners.kind=PARTNER")) {
                    first = a.getBean(ReferralEngine.class).program(ProgramId.of("partners")).orElseThrow();
                }
                assertThat(first.version()).isEqualTo(1);
                assertThat(first.status()).isEqualTo(ProgramStatus.ACTIVE);
                try (ConfigurableApplicationContext a = start(own, "referrals.programs.partners.name=Partners",
                        "referrals.programs.partners.kind=PARTNER")) {
                    assertThat(a.getBean(ReferralEngine.class).program(ProgramId.of("partners"))).contains(first);
                }
                try (ConfigurableApplicationContext a = start(own, "referrals.programs.partners.name=Partner program",
                        "referrals.programs.partners.kind=PARTNER", "referrals.programs.partners.status=PAUSED")) {
                    Program changed = a.getBean(ReferralEngine.class).program(ProgramId.of("partners")).orElseThrow();
                    assertThat(changed.version()).isEqualTo(2);
                    assertThat(changed.name()).isEqualTo("Partner program");
                    assertThat(changed.status()).isEqualTo(ProgramStatus.PAUSED);
                }
            } finally {
                own.close();
            }
        }

        @Test
        @DisplayName("shutdown stops the dispatcher before the connection pool closes, and nothing asks for a "
                + "connection afterwards")
        void shutdownOrder() {
            TestDb own = database();
            try {
                SwitchableDataSource ds;
                try (ConfigurableApplicationContext a = start(own, "referrals.outbox.poll-interval=10ms",
                        "referrals.rewards.processing-interval=10ms")) {
                    ds = (SwitchableDataSource) a.getBean(DataSource.class);
                    OutboxDispatcher d = a.getBean(OutboxDispatcher.class);
                    await("a poll", () -> d.lastSuccessfulPoll().isPresent());
                }
                assertThat(ds.closed).isTrue();
                assertThat(ds.dispatcherRunningAtClose).isFalse();
                assertThat(ds.askedAfterClose).hasValue(0);
            } finally {
                own.close();
            }
        }

        @Test
        @DisplayName("a missing match-key secret stops the start-up with a message naming the property")
        void secretRequired() {
            TestDb own = database();
            try {
                assertThatThrownBy(() -> new SpringApplicationBuilder(HostApp.class).web(WebApplicationType.NONE)
                        .properties(own.properties().toArray(String[]::new)).run())
                        .hasStackTraceContaining("referrals.match-key-secret is required");
            } finally {
                own.close();
            }
        }
    }
}
