package io.referrals.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.ReferralEngine;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.outbox.OutboxDispatcher;
import io.referrals.core.storage.ReferralQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample application over HTTP, as a host's team would try it: on a real web server, with the dispatcher polling
 * only hourly (every prompt delivery comes from the wake-up after the host's commit). Each database proves it with a
 * subclass; the last test closes the application.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SampleContract {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern REFERRAL_ID = Pattern.compile("\"referralId\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext app;
    private String base;

    /** The spring.datasource properties of the database, and its clean-up. */
    abstract List<String> datasource();

    abstract void dropDatabase();

    @BeforeAll
    void start() {
        List<String> p = new ArrayList<>(datasource());
        p.add("spring.datasource.type=" + RecordingDataSource.class.getName());
        p.add("server.port=0");
        p.add("referrals.outbox.poll-interval=1h");
        p.add("referrals.rewards.processing-interval=1h");
        p.add("referrals.health.cache-for=0s");
        // command-line arguments, so that they win over the profile's own application-postgres.yaml
        app = new SpringApplicationBuilder(ReferralSampleApplication.class)
                .run(p.stream().map(x -> "--" + x).toArray(String[]::new));
        base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        RecordingDataSource.watched = app.getBean(OutboxDispatcher.class);
        RecordingDataSource.dispatcherRunningAtClose = null;
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        dropDatabase();
    }

    private HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT + " for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // a bounded poll of the condition
        }
    }

    private static String form(String company) {
        return "{\"code\":\"jane-acme\",\"name\":\"Peter\",\"email\":\"p-" + UUID.randomUUID().toString().substring(0, 8)
                + "@" + company.toLowerCase() + ".example\",\"company\":\"" + company + "\"}";
    }

    private static String referralId(HttpResponse<String> response) {
        Matcher m = REFERRAL_ID.matcher(response.body());
        assertThat(m.find()).as(response.body()).isTrue();
        return m.group(1);
    }

    private int referrals() {
        return app.getBean(ReferralEngine.class).referrals(ReferralQuery.builder().program(ProgramId.of("customers"))
                .limit(10_000).build()).size();
    }

    @Test
    @Order(1)
    @DisplayName("a referral captured by code is stored with the host's lead, and the advocate is told after the "
            + "commit; the CRM webhook moves it on and the advocate hears of that too")
    void captureAndCrmStage() {
        HttpResponse<String> created = post("/referrals", form("Initech"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = referralId(created);
        assertThat(app.getBean(ReferralDesk.class).leads(ReferralId.of(id))).isEqualTo(1);
        await("the advocate's notification", () -> get("/notifications").body().contains(id + ": Thanks Jane"));

        HttpResponse<String> moved = post("/crm/webhook", "{\"referralId\":\"" + id + "\",\"stage\":\"Closed Won\","
                + "\"crm\":\"salesforce\",\"opportunityId\":\"006Dn000004ABC\"}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(moved.body()).contains("won");
        await("the stage notification", () -> get("/notifications").body().contains(id + ": Your referral to Initech"
                + " is now won"));
        assertThat(post("/crm/webhook", "{\"referralId\":\"" + id + "\",\"stage\":\"Budget review\",\"crm\":\"x\"}")
                .statusCode()).isEqualTo(422);
    }

    @Test
    @Order(2)
    @DisplayName("when the host fails inside its @Transactional method after the capture, there is no referral, no "
            + "lead, no event and no notification")
    void hostFailureLeavesNothing() {
        OutboxDispatcher dispatcher = app.getBean(OutboxDispatcher.class);
        await("earlier events delivered", () -> dispatcher.statistics().pending() == 0);
        int before = referrals();
        String notificationsBefore = get("/notifications").body();

        HttpResponse<String> failed = post("/referrals?failAfterCapture=true", form("Globex"));

        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(503);
        assertThat(referrals()).isEqualTo(before);
        assertThat(dispatcher.statistics().pending()).as("no event of the rolled-back capture").isZero();
        String later = referralId(post("/referrals", form("Umbrella")));
        await("a later notification", () -> get("/notifications").body().contains(later + ": Thanks"));
        String notifications = get("/notifications").body();
        assertThat(notifications).doesNotContain("Globex");
        assertThat(notifications.length()).isGreaterThan(notificationsBefore.length());
    }

    @Test
    @Order(3)
    @DisplayName("/actuator/health shows the outbox, and the metrics endpoint lists the referral meters")
    void healthAndMetrics() {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"referrals\"").contains("\"pending\"").contains("\"parked\"")
                .contains("\"oldestPendingAge\"").contains("\"lastSuccessfulPoll\"");

        HttpResponse<String> names = get("/actuator/metrics");
        assertThat(names.body()).contains("referrals.outbox.pending", "referrals.outbox.parked",
                "referrals.outbox.oldest.age", "referrals.outbox.delivery.latency", "referrals.captures",
                "referrals.operation");
        HttpResponse<String> captures = get("/actuator/metrics/referrals.captures?tag=outcome:accepted");
        assertThat(captures.statusCode()).as(captures.body()).isEqualTo(200);
        assertThat(get("/actuator/metrics/referrals.outbox.pending").body()).contains("\"VALUE\"");
    }

    @Test
    @Order(4)
    @DisplayName("shutdown stops the dispatcher before the connection pool closes")
    void shutdown() {
        OutboxDispatcher dispatcher = app.getBean(OutboxDispatcher.class);
        assertThat(dispatcher.isRunning()).isTrue();
        app.close();
        assertThat(RecordingDataSource.dispatcherRunningAtClose).isFalse();
        assertThat(RecordingDataSource.ASKED_AFTER_CLOSE).hasValue(0);
        assertThat(dispatcher.isRunning()).isFalse();
    }
}
