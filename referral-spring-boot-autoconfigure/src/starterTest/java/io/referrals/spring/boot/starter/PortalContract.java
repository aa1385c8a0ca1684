package io.referrals.spring.boot.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.ReferralEngine;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.storage.ReferralQuery;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The advocate portal over HTTP on a real server and a real store, signed in through the host's Spring Security
 * (HTTP Basic): what advocates and admins get, and every way one user might reach what is not theirs. Each Spring Boot
 * line proves it per database with a subclass; a subclass may switch Spring Security's CSRF protection off to show
 * that the portal's own still holds, or run a host without Spring Security at all ({@link PlainServletHostApp}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PortalContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fresh database for the class. */
    protected abstract TestDb database();

    /** Whether the host keeps Spring Security's CSRF protection on (the default). */
    protected boolean springCsrf() {
        return true;
    }

    /** The host application: by default one on Spring Security with HTTP Basic. */
    protected Class<?> host() {
        return PortalHostApp.class;
    }

    private TestDb db;
    private ConfigurableApplicationContext app;
    private String base;
    private ReferralEngine engine;
    private Advocate ana;
    private Advocate ben;
    private Referral flagged;

    @BeforeAll
    void startHost() {
        db = database();
        List<String> p = new ArrayList<>(db.properties());
        p.add("referrals.match-key-secret=a-secret-of-at-least-16-bytes");
        p.add("referrals.outbox.poll-interval=1h");
        p.add("referrals.rewards.processing-interval=1h");
        p.add("spring.flyway.enabled=false");
        p.add("spring.liquibase.enabled=false");
        p.add("server.port=0");
        p.add("referrals.portal.enabled=true");
        p.add("referrals.links.landing-page=https://example.com/refer");
        p.add("referrals.programs.customers.name=Customer referrals");
        p.add("referrals.programs.partners.name=Partner referrals");
        p.add("referrals.programs.partners.kind=PARTNER");
        p.add("test.spring-csrf=" + springCsrf());
        app = new SpringApplicationBuilder(host()).web(WebApplicationType.SERVLET)
                .properties(p.toArray(String[]::new)).run();
        base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + "/referrals";
        engine = app.getBean(ReferralEngine.class);
        ana = advocate("ana", "Ana", "ANA-ACME");
        ben = advocate("ben", "Ben", "BEN-GLOBEX");
        engine.enrol(ana.id(), ProgramId.of("partners"));
        flagged = engine.capture(CaptureRequest.builder().advocate(ben.id()).program(ProgramId.of("customers"))
                .prospect(Prospect.builder().fullName("Flo").email("flo@hooli.example").company("Hooli").build())
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION)
                .signals(Signals.ip("203.0.113.9")).advocateSignals(Signals.ip("203.0.113.9")).build())
                .recorded().orElseThrow();
        assertThat(flagged.review()).as("a shared IP flags the referral").isEqualTo(ReviewStatus.FLAGGED);
    }

    private Advocate advocate(String externalId, String name, String code) {
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of(externalId, name, externalId + "@acme.example",
                AdvocateKind.CUSTOMER));
        engine.enrol(a.id(), ProgramId.of("customers"));
        engine.issueVanityCode(a.id(), ProgramId.of("customers"), code);
        return a;
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

    // ---- a signed-in user's browser -------------------------------------------------------------------------------

    record Answer(int status, JsonNode json, String body, HttpResponse<String> response) {
    }

    /** A user's browser: their cookies, their credentials, and the tokens from the session endpoint. */
    final class Browser {
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        private final String authorization;
        private JsonNode session;

        Browser(String user) {
            this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + PortalHostApp.PASSWORD).getBytes(StandardCharsets.UTF_8));
        }

        Answer get(String path) {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).GET();
            return send(r);
        }

        /** A form post with both CSRF tokens, as the pages send it. */
        Answer post(String path, Map<String, String> form) {
            return post(path, form, true, true);
        }

        Answer post(String path, Map<String, String> form, boolean portalToken, boolean springToken) {
            if (session == null) {
                session = get("/api/session").json();
            }
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"))));
            if (portalToken) {
                r.header(session.path("csrf").path("header").asText(), session.path("csrf").path("token").asText());
            }
            JsonNode spring = session.path("springCsrf");
            if (springToken && spring.isObject()) {
                r.header(spring.path("header").asText(), spring.path("token").asText());
            }
            return send(r);
        }

        private Answer send(HttpRequest.Builder r) {
            if (authorization != null) {
                r.header("Authorization", authorization);
            }
            try {
                HttpResponse<String> res = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = null;
                if (res.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                    json = JSON.readTree(res.body());
                }
                return new Answer(res.statusCode(), json, res.body(), res);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> form(String company, String email) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("program", "customers");
        m.put("name", "Pat Prospect");
        m.put("email", email);
        m.put("company", company);
        m.put("consent", "true");
        m.put("requestId", UUID.randomUUID().toString());
        return m;
    }

    private static String email(String company) {
        return "p-" + UUID.randomUUID().toString().substring(0, 8) + "@" + company.toLowerCase() + ".example";
    }

    private static List<String> companies(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("items").forEach(i -> out.add(i.path("company").asText()));
        return out;
    }

    private long referralsOf(Advocate a) {
        return engine.referrals(ReferralQuery.builder().advocate(a.id()).limit(500).build()).size();
    }

    // ---- the tests ------------------------------------------------------------------------------------------------

    @Nested
    @DisplayName("An advocate")
    class AnAdvocate {

        @Test
        @DisplayName("sees their programs, share link, referrals and rewards, and who they are")
        void seesTheirView() {
            Browser b = new Browser("ana");
            Answer session = b.get("/api/session");
            assertThat(session.status()).isEqualTo(200);
            assertThat(session.json().path("advocate").asBoolean()).isTrue();
            assertThat(session.json().path("admin").asBoolean()).isFalse();
            assertThat(session.json().path("springCsrf").isObject()).isEqualTo(springCsrf());

            Answer me = b.get("/api/me");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().path("displayName").asText()).isEqualTo("Ana");
            assertThat(me.json().path("programs")).hasSize(2);
            Answer share = b.get("/api/me/share");
            assertThat(share.json().path("links").findValuesAsText("link"))
                    .contains("https://example.com/refer?ref=ANA-ACME");
        }

        @Test
        @DisplayName("refers a colleague through the form and then finds the referral in their list, on every page")
        void refersAColleague() {
            Browser b = new Browser("ana");
            Answer posted = b.post("/api/me/referrals", form("Initech", email("Initech")));
            assertThat(posted.status()).as(posted.body()).isEqualTo(201);
            assertThat(posted.json().path("outcome").asText()).isEqualTo("submitted");
            Referral r = engine.referral(io.referrals.core.model.ReferralId.of(posted.json().path("referralId")
                    .asText())).orElseThrow();
            assertThat(r.advocateId()).isEqualTo(ana.id());
            assertThat(r.channel()).isEqualTo(Channel.REFERRAL_FORM);

            Answer me = b.get("/api/me");
            assertThat(companies(me.json().path("referrals"))).as(me.body()).contains("Initech");
            assertThat(companies(b.get("/api/me/referrals?pageSize=100").json())).contains("Initech");
        }

        @Test
        @DisplayName("posting the same form twice records one referral")
        void repeatedPostIsIdempotent() {
            Browser b = new Browser("ana");
            Map<String, String> f = form("Umbrella", email("Umbrella"));
            Answer first = b.post("/api/me/referrals", f);
            Answer again = b.post("/api/me/referrals", f);
            assertThat(first.status()).isEqualTo(201);
            assertThat(again.json().path("referralId")).isEqualTo(first.json().path("referralId"));
        }

        @Test
        @DisplayName("gets each bad field's error by form field, and nothing is recorded")
        void fieldErrors() {
            Browser b = new Browser("ana");
            long before = referralsOf(ana);
            Map<String, String> f = form("", "not-an-email");
            f.remove("consent");
            Answer a = b.post("/api/me/referrals", f);
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.json().path("errors").path("email").asText()).contains("email address");
            assertThat(a.json().path("errors").has("company")).isTrue();
            assertThat(a.json().path("errors").has("consent")).isTrue();
            assertThat(referralsOf(ana)).isEqualTo(before);
        }

        @Test
        @DisplayName("can refer only into their own programs, and learns nothing of the others")
        void onlyTheirPrograms() {
            Browser b = new Browser("ben");
            long before = referralsOf(ben);
            for (String program : List.of("partners", "no-such-program")) {
                Map<String, String> f = form("Globex", email("Globex"));
                f.put("program", program);
                Answer a = b.post("/api/me/referrals", f);
                assertThat(a.status()).as(program).isEqualTo(400);
                assertThat(a.json().path("errors").path("program").asText()).isEqualTo("choose one of your programs");
                assertThat(a.body()).doesNotContain("Partner referrals");
            }
            assertThat(referralsOf(ben)).isEqualTo(before);
        }

        @Test
        @DisplayName("is held to the program's velocity limit: past it the form answers 429 with the reason")
        void velocityLimit() {
            Browser b = new Browser("ana");
            List<Integer> statuses = new ArrayList<>();
            Answer last = null;
            for (int i = 0; i < 3; i++) {
                Map<String, String> f = form("Vel" + i, email("Vel" + i));
                f.put("program", "partners");
                last = b.post("/api/me/referrals", f);
                statuses.add(last.status());
            }
            assertThat(statuses).containsExactly(201, 201, 429);
            assertThat(last.json().path("reasons").findValuesAsText("code")).contains("velocity_advocate");
        }

        @Test
        @DisplayName("without a signed-in user, the endpoints answer 401; a user who is no advocate gets 403")
        void strangers() {
            assertThat(new Browser(null).get("/api/me").status()).isEqualTo(401);
            Browser carl = new Browser("carl");
            assertThat(carl.get("/api/me").status()).isEqualTo(403);
            assertThat(carl.post("/api/me/referrals", form("Carl Co", email("Carl"))).status()).isEqualTo(403);
        }
    }

    @Nested
    @DisplayName("One advocate cannot reach another's data")
    class Isolation {

        @Test
        @DisplayName("another advocate's referrals never appear in their view, whatever parameters they add")
        void readsOnlyTheirOwn() {
            Browser b = new Browser("ana");
            assertThat(companies(b.get("/api/me?advocate=" + ben.id().value()).json().path("referrals")))
                    .doesNotContain("Hooli");
            assertThat(companies(b.get("/api/me/referrals?advocateId=" + ben.id().value() + "&pageSize=100").json()))
                    .doesNotContain("Hooli");
            assertThat(companies(new Browser("ben").get("/api/me").json().path("referrals"))).contains("Hooli");
            assertThat(b.get("/api/advocates/" + ben.id().value()).status()).isIn(403, 404);
        }

        @Test
        @DisplayName("a form naming another advocate still records the referral as the signed-in advocate's")
        void cannotReferAsAnother() {
            long bens = referralsOf(ben);
            Map<String, String> f = form("Globex", email("Globex"));
            f.put("advocate", ben.id().value());
            f.put("advocateId", ben.id().value());
            Answer a = new Browser("ana").post("/api/me/referrals", f);
            assertThat(a.status()).isEqualTo(201);
            assertThat(engine.referral(io.referrals.core.model.ReferralId.of(a.json().path("referralId").asText()))
                    .orElseThrow().advocateId()).isEqualTo(ana.id());
            assertThat(referralsOf(ben)).isEqualTo(bens);
        }

        @Test
        @DisplayName("admin endpoints answer 403 to an advocate, and the referral they tried to approve stays flagged")
        void notAnAdmin() {
            Browser b = new Browser("ana");
            assertThat(b.get("/api/admin/review").status()).isEqualTo(403);
            assertThat(b.get("/api/admin/report?program=customers").status()).isEqualTo(403);
            assertThat(b.get("/api/admin/programs").status()).isEqualTo(403);
            Browser admin = new Browser("root");
            Browser benB = new Browser("ben");
            // a fresh flagged referral of Ben's, so the admin tests' approval cannot race this one
            Referral own = engine.capture(CaptureRequest.builder().advocate(ben.id()).program(ProgramId.of("customers"))
                    .prospect(Prospect.builder().fullName("Gil").email(email("Stark")).company("Stark").build())
                    .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION)
                    .signals(Signals.ip("198.51.100.7")).advocateSignals(Signals.ip("198.51.100.7")).build())
                    .recorded().orElseThrow();
            assertThat(b.post("/api/admin/review/" + own.id().value() + "/approve", Map.of("note", "")).status())
                    .isEqualTo(403);
            assertThat(benB.post("/api/admin/review/" + own.id().value() + "/deny", Map.of()).status())
                    .isEqualTo(403);
            assertThat(engine.referral(own.id()).orElseThrow().review()).isEqualTo(ReviewStatus.FLAGGED);
            assertThat(admin.post("/api/admin/review/" + own.id().value() + "/deny", Map.of()).status())
                    .isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("Form posts")
    class Csrf {

        @Test
        @DisplayName("without the portal's CSRF token are refused with 403, and nothing is recorded")
        void withoutPortalToken() {
            long before = referralsOf(ana);
            Answer a = new Browser("ana").post("/api/me/referrals", form("Csrf", email("Csrf")), false, true);
            assertThat(a.status()).isEqualTo(403);
            assertThat(referralsOf(ana)).isEqualTo(before);
        }

        @Test
        @DisplayName("without any CSRF token are refused with 403, the admin's approval too")
        void withoutAnyToken() {
            long before = referralsOf(ana);
            assertThat(new Browser("ana").post("/api/me/referrals", form("Csrf2", email("Csrf")), false, false)
                    .status()).isEqualTo(403);
            assertThat(referralsOf(ana)).isEqualTo(before);
            assertThat(new Browser("root").post("/api/admin/review/" + flagged.id().value() + "/approve", Map.of(),
                    false, false).status()).isEqualTo(403);
        }

        @Test
        @DisplayName("without Spring Security's token are refused with 403 when the host has its CSRF protection on")
        void withoutSpringToken() {
            Answer a = new Browser("ana").post("/api/me/referrals", form("Csrf3", email("Csrf")), true, false);
            assertThat(a.status()).isEqualTo(springCsrf() ? 403 : 201);
        }
    }

    @Nested
    @DisplayName("A program admin")
    class Admin {

        @Test
        @DisplayName("sees the flagged referral with its findings, approves it, and the advocate's view shows it moved"
                + " on")
        void approves() {
            Browser root = new Browser("root");
            Answer session = root.get("/api/session");
            assertThat(session.json().path("admin").asBoolean()).isTrue();
            assertThat(session.json().path("advocate").asBoolean()).isFalse();
            Answer queue = root.get("/api/admin/review?program=customers");
            assertThat(queue.status()).isEqualTo(200);
            JsonNode item = null;
            for (JsonNode i : queue.json().path("items")) {
                if (i.path("id").asText().equals(flagged.id().value())) {
                    item = i;
                }
            }
            assertThat(item).as(queue.body()).isNotNull();
            assertThat(item.path("findings").findValuesAsText("code")).contains("shared_ip");
            assertThat(item.path("advocateName").asText()).isEqualTo("Ben");

            Browser ben = new Browser("ben");
            assertThat(line(ben, "Hooli").path("state").asText()).isEqualTo("UNDER_REVIEW");
            Answer approved = root.post("/api/admin/review/" + flagged.id().value() + "/approve",
                    Map.of("note", "known partner"));
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            assertThat(approved.json().path("review").asText()).isEqualTo("APPROVED");
            assertThat(line(ben, "Hooli").path("state").asText()).isNotEqualTo("UNDER_REVIEW");
            assertThat(root.post("/api/admin/review/" + flagged.id().value() + "/deny", Map.of()).status())
                    .as("a decided referral cannot be denied").isEqualTo(409);
            assertThat(root.post("/api/admin/review/nope/deny", Map.of()).status()).isEqualTo(404);
        }

        private JsonNode line(Browser b, String company) {
            for (JsonNode i : b.get("/api/me/referrals?pageSize=100").json().path("items")) {
                if (i.path("company").asText().equals(company)) {
                    return i;
                }
            }
            throw new AssertionError("no referral of " + company);
        }

        @Test
        @DisplayName("reads the program report with its funnel")
        void report() {
            Answer r = new Browser("root").get("/api/admin/report?program=customers");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().path("submitted").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(r.json().path("funnel").size()).isGreaterThanOrEqualTo(2);
            assertThat(r.json().path("funnel").get(0).path("reached").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(new Browser("root").get("/api/admin/report?program=customers&from=yesterday").status())
                    .isEqualTo(400);
        }
    }

    @Nested
    @DisplayName("The pages")
    class Pages {

        @Test
        @DisplayName("are served self-contained, with a content security policy that allows nothing from elsewhere")
        void served() {
            Browser b = new Browser("ana");
            for (String page : List.of("/", "/admin", "/report")) {
                Answer a = b.get(page);
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
                assertThat(a.response().headers().firstValue("Content-Security-Policy").orElse(""))
                        .contains("default-src 'none'").contains("script-src 'self'");
                assertThat(a.body()).doesNotContainPattern("(?i)(src|href)=\"(https?:)?//");
            }
            assertThat(b.get("/assets/portal.js").status()).isEqualTo(200);
            assertThat(b.get("/assets/portal.css").status()).isEqualTo(200);
            assertThat(b.get("/assets/nope.js").status()).isEqualTo(404);
            assertThat(b.get("").status()).isEqualTo(302);
        }
    }
}
