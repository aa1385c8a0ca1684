package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.AdvocateMessages;
import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
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
import io.referrals.storage.tck.MutableClock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Several processes send advocate messages from one database at the same moment: their runs list the same pending
 * items, race to claim them, and must still never hand the sender two different messages under one delivery key
 * (which a sender de-duplicating by key would drop), nor one event in two messages, nor lose one, nor fail the run
 * because another run won a row (MariaDB reports deadlocks there). Each dialect runs it through a subclass.
 */
abstract class AdvocateMessagesRaceSuite {
    private static final int PROCESSES = 4;
    private static final int ADVOCATES = 5;
    private static final int REFERRALS_EACH = 8;
    private static final int DAYS = 8;
    private static final int LATE_EACH = 6;
    private static final Instant DAY_ONE = Instant.parse("2025-03-03T09:00:00Z");
    private static final Pattern COMPANY = Pattern.compile("referral of (Co[0-9a-z]+)\\.");

    private final MutableClock clock = MutableClock.at(DAY_ONE);
    private final List<Message> sent = new CopyOnWriteArrayList<>();
    private TestDatabase db;

    private record Process(ReferralEngine engine, AdvocateMessages messages) {
    }

    /** The dialect of the class's database. */
    abstract Dialect dialect();

    @BeforeEach
    void openDatabase() {
        db = TestDatabase.create(dialect());
    }

    @AfterEach
    void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    /** An engine of its own, on a pool of its own, over the one database; runs claim a few items at a time. */
    private Process start() {
        Extension<AdvocateMessages> extension = AdvocateMessages.builder(sent::add)
                .defaultPolicy(MessagePolicy.of(Delivery.dailyDigest(LocalTime.of(17, 0), ZoneOffset.UTC),
                        MessageTopic.values()))
                .batchSize(3).build();
        ReferralEngine engine = ReferralEngine.builder().store(JdbcReferralStore.builder(db.pool(2)).build())
                .clock(clock).matchKeySecret(JdbcStoreSuite.SECRET).outbox().install(extension).build();
        return new Process(engine, engine.extension(extension));
    }

    @Test
    @DisplayName("runs racing for the same digests: one message per delivery key, each event in exactly one message,"
            + " every item sent")
    void racingRunsKeepOneMessagePerKey() throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            processes.add(start());
        }
        ReferralEngine admin = processes.get(0).engine();
        ProgramId program = admin.defineProgram(Program.builder(ProgramId.of("partners"), "Partners",
                ProgramKind.PARTNER).status(ProgramStatus.ACTIVE).build()).id();
        List<Advocate> advocates = new ArrayList<>();
        for (int a = 0; a < ADVOCATES; a++) {
            Advocate advocate = admin.registerAdvocate(AdvocateRegistration.of("ext-" + a, "Partner " + a,
                    "partner" + a + "@acme" + a + ".example", AdvocateKind.PARTNER));
            admin.enrol(advocate.id(), program);
            advocates.add(advocate);
        }

        Set<String> companies = new HashSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(PROCESSES + 1);
        try {
            for (int day = 0; day < DAYS; day++) {
                Instant morning = DAY_ONE.plus(day, ChronoUnit.DAYS);
                clock.set(morning);
                for (int a = 0; a < ADVOCATES; a++) {
                    for (int k = 0; k < REFERRALS_EACH; k++) {
                        String company = "Co" + day + "a" + a + "k" + k;
                        capture(admin, advocates.get(a), program, company);
                        companies.add(company);
                    }
                }
                clock.set(morning.plus(8, ChronoUnit.HOURS)); // 17:00: every digest of the day is due
                // and while the processes send them, more referrals arrive (due at once): a run then lists an item
                // that an overlapping run, which listed earlier, did not see
                int today = day;
                Future<?> late = pool.submit(() -> {
                    for (int k = 0; k < LATE_EACH; k++) {
                        for (int a = 0; a < ADVOCATES; a++) {
                            capture(admin, advocates.get(a), program, "Co" + today + "a" + a + "late" + k);
                        }
                    }
                });
                int sentToday = 0;
                for (int pass = 0; pass < 500; pass++) {
                    boolean arriving = !late.isDone();
                    int n = allAtOnce(pool, processes);
                    sentToday += n;
                    if (n == 0 && !arriving) {
                        break;
                    }
                }
                late.get();
                for (int k = 0; k < LATE_EACH; k++) {
                    for (int a = 0; a < ADVOCATES; a++) {
                        companies.add("Co" + day + "a" + a + "late" + k);
                    }
                }
                assertThat(sentToday).as("messages of day %d", day).isGreaterThanOrEqualTo(ADVOCATES);
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Set<String>> textsByKey = new HashMap<>();
        Map<String, Set<String>> keysByCompany = new HashMap<>();
        for (Message m : sent) {
            textsByKey.computeIfAbsent(m.deliveryKey(), k -> new HashSet<>()).add(m.subject() + "\n" + m.body());
            Matcher found = COMPANY.matcher(m.body());
            while (found.find()) {
                keysByCompany.computeIfAbsent(found.group(1), k -> new HashSet<>()).add(m.deliveryKey());
            }
        }
        assertThat(textsByKey).as("texts sent under each delivery key")
                .allSatisfy((key, texts) -> assertThat(texts).as(key).hasSize(1));
        assertThat(keysByCompany.keySet()).as("events in some message").containsExactlyInAnyOrderElementsOf(companies);
        assertThat(keysByCompany).as("delivery keys of each event")
                .allSatisfy((company, keys) -> assertThat(keys).as(company).hasSize(1));
        for (Advocate a : advocates) {
            assertThat(processes.get(0).messages().items(a.id(), 500)).as("items of %s", a.id())
                    .hasSize(DAYS * (REFERRALS_EACH + LATE_EACH)).extracting(i -> i.status()).containsOnly(MessageStatus.SENT);
        }
    }

    /** Every process runs {@code runOnce()} at the same moment; how many messages they sent together. */
    private static int allAtOnce(ExecutorService pool, List<Process> processes) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> runs = new ArrayList<>();
        for (Process p : processes) {
            runs.add(pool.submit(() -> {
                go.await();
                return p.messages().runOnce();
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> r : runs) {
            total += r.get();
        }
        return total;
    }

    private static void capture(ReferralEngine engine, Advocate advocate, ProgramId program, String company) {
        CaptureResult r = engine.capture(CaptureRequest.builder().advocate(advocate.id()).program(program)
                .prospect(Prospect.builder().fullName("Peter Gibbons").email("peter@" + company.toLowerCase()
                        + ".example").company(company).build())
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).build());
        assertThat(r).isInstanceOf(CaptureResult.Accepted.class);
    }
}
