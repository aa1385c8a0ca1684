package io.referrals.benchmarks.outbox;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.outbox.OutboxDispatcher;
import io.referrals.storage.jdbc.JdbcReferralStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14, goal 1: how long an event takes from its unit of work to the listener, at a steady rate, with the outbox on
 * PostgreSQL. One producer thread runs captures and stage changes at {@code rate} events per second (each referral:
 * a capture, then one stage change per open stage of the default pipeline, then {@code won} or {@code lost}; every
 * event lands on the referral's stream) for {@code seconds}, and the dispatcher delivers them:
 * <ul>
 *   <li>{@code same-jvm}: an {@link OutboxDispatcher} built from the producing engine, so it is woken after each commit
 *       that stored events (the engine's {@link io.referrals.core.storage.OutboxSignal});</li>
 *   <li>{@code same-jvm-poll-only}: the baseline, a dispatcher in the same JVM that is not woken and only polls;</li>
 *   <li>{@code second-jvm}: a dispatcher in a second {@code java} process on the same class path and schema, which
 *       can only poll (nothing crosses processes to wake it).</li>
 * </ul>
 * Latency is the listener's wall-clock time minus the event's {@code occurredAt} (the engine's clock, read in the unit
 * of work before its commit): an upper bound of commit-to-listener that needs no message between the processes (both
 * run on one machine and one clock). Recorded in an HdrHistogram in microseconds. Every delivery is also checked
 * against its stream's order: the first delivery of a stream must be sequence 1 and each next one the previous plus
 * one; a repeat of an already delivered sequence counts as a duplicate, anything else as out of order. The run fails
 * unless every event arrived once, in order.
 *
 * <pre>
 * ./mvnw -q -o -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.referrals.benchmarks.outbox.OutboxLatencyHarness
 * </pre>
 * System properties: {@code modes} (comma-separated, default all three), {@code rate} (200 events per second),
 * {@code seconds} (60), {@code pollMillis} (1000, the dispatcher's default), {@code url}, {@code user},
 * {@code password} (PostgreSQL {@code 127.0.0.1:5432/test}, {@code postgres}). Each mode runs in a fresh schema
 * {@code bench_outbox_<random>}, dropped afterwards.
 */
public final class OutboxLatencyHarness {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxLatencyHarness.class);
    private static final ProgramId PROGRAM = ProgramId.of("latency");
    private static final byte[] SECRET = "benchmark-match-key-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    /** Captures per advocate stay under the default velocity limit (50 an hour). */
    private static final int CAPTURES_PER_ADVOCATE = 40;
    private static final String RESULT = "RESULT ";

    private OutboxLatencyHarness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("dispatcher")) {
            secondJvm(args[1], Long.parseLong(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
            return;
        }
        int rate = Integer.getInteger("rate", 200);
        int seconds = Integer.getInteger("seconds", 60);
        long pollMillis = Long.getLong("pollMillis", 1000);
        String[] modes = System.getProperty("modes", "same-jvm,same-jvm-poll-only,second-jvm").split(",");
        List<String> lines = new ArrayList<>();
        for (String mode : modes) {
            lines.add(run(mode.trim(), rate, seconds, pollMillis));
        }
        for (String line : lines) {
            LOG.info("{}", line);
        }
    }

    private static String url() {
        return System.getProperty("url", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    private static HikariDataSource pool(String schema, int size) {
        HikariConfig config = new HikariConfig();
        String url = url();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        config.setUsername(System.getProperty("user", "postgres"));
        config.setPassword(System.getProperty("password", ""));
        config.setMaximumPoolSize(size);
        config.setPoolName(schema + "-" + size);
        return new HikariDataSource(config);
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), System.getProperty("user", "postgres"),
                System.getProperty("password", "")); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** One mode: returns its result line. */
    private static String run(String mode, int rate, int seconds, long pollMillis) throws Exception {
        String schema = "bench_outbox_" + Long.toHexString(new Random().nextLong() & 0xffffffffL);
        admin("CREATE SCHEMA " + schema);
        try (HikariDataSource pool = pool(schema, 4)) {
            Program program = Program.builder(PROGRAM, "Latency", ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE)
                    .build();
            List<Stage> path = path(program.pipeline());
            int perReferral = path.size() + 1; // the capture and one event per move
            long events = (long) rate * seconds;
            int referrals = (int) ((events + perReferral - 1) / perReferral);
            long total = (long) referrals * perReferral;
            Receiver receiver = new Receiver(total);

            JdbcReferralStore store = JdbcReferralStore.builder(pool).build();
            // the engine's listener hears what a dispatcher built from the engine delivers (mode same-jvm only)
            ReferralEngine engine = ReferralEngine.builder().store(store).clock(Clock.systemUTC())
                    .matchKeySecret(SECRET).outbox().listener(new ReferralListener() {
                        @Override
                        public void onEvent(ReferralEvent event) {
                            receiver.accept(event);
                        }
                    }).build();
            engine.defineProgram(program);
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < referrals / CAPTURES_PER_ADVOCATE + 1; i++) {
                Advocate a = engine.registerAdvocate(AdvocateRegistration.of("adv-" + i, "Advocate " + i,
                        "adv" + i + "@advocates.example", AdvocateKind.CUSTOMER));
                engine.enrol(a.id(), PROGRAM);
                codes.add(engine.issueCode(a.id(), PROGRAM).code());
            }
            // deliver what the set-up stored (registrations, enrolments, codes) to nobody before measuring
            OutboxDispatcher drain = OutboxDispatcher.builder(store, e -> { }).batchSize(1000).build();
            while (drain.runOnce() > 0) {
                // until empty
            }
            Process child = null;
            Path childOut = null;
            OutboxDispatcher dispatcher = null;
            switch (mode) {
                case "same-jvm" -> {
                    dispatcher = OutboxDispatcher.builder(engine).pollInterval(Duration.ofMillis(pollMillis)).build();
                    dispatcher.start();
                }
                case "same-jvm-poll-only" -> {
                    dispatcher = OutboxDispatcher.builder(store, receiver::accept)
                            .pollInterval(Duration.ofMillis(pollMillis)).build();
                    dispatcher.start();
                }
                case "second-jvm" -> {
                    childOut = Files.createTempFile("outbox-latency", ".out");
                    List<String> command = new ArrayList<>(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-cp", System.getProperty("java.class.path"),
                            "-Durl=" + url(), "-Duser=" + System.getProperty("user", "postgres"),
                            "-Dpassword=" + System.getProperty("password", ""),
                            OutboxLatencyHarness.class.getName(), "dispatcher", schema, Long.toString(total),
                            Long.toString(pollMillis), Long.toString(seconds + 60L)));
                    child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(childOut.toFile())
                            .start();
                    waitForReady(childOut, child);
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode
                        + ": same-jvm, same-jvm-poll-only or second-jvm");
            }

            String load0 = loadAverage();
            long started = System.nanoTime();
            produce(engine, codes, path, referrals, rate);
            double producedSeconds = (System.nanoTime() - started) / 1e9;
            String line;
            if (child != null) {
                if (!child.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
                    child.destroy();
                    throw new IllegalStateException("the second JVM's dispatcher did not finish; see " + childOut);
                }
                String out = Files.readString(childOut);
                String result = out.lines().filter(l -> l.contains(RESULT)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no result from the second JVM:\n" + out));
                line = result.substring(result.indexOf(RESULT) + RESULT.length());
                Files.deleteIfExists(childOut);
            } else {
                if (!receiver.done.await(seconds + 60L, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("only " + receiver.received.get() + " of " + total
                            + " events arrived");
                }
                dispatcher.close();
                line = receiver.summary();
            }
            String summary = String.format("mode=%s rate=%d/s produced=%d events in %.1f s poll=%d ms load=%s->%s %s",
                    mode, rate, total, producedSeconds, pollMillis, load0, loadAverage(), line);
            LOG.info("{}", summary);
            if (!line.contains("outOfOrder=0 duplicates=0 missing=0")) {
                throw new IllegalStateException("events out of order, repeated or missing: " + summary);
            }
            return summary;
        } finally {
            admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** The default pipeline's open stages after the initial one, then won (a straight path through the funnel). */
    private static List<Stage> path(StagePipeline pipeline) {
        List<Stage> out = new ArrayList<>();
        for (Stage s : pipeline.stages()) {
            if (!pipeline.isTerminal(s) && !s.equals(pipeline.initial())) {
                out.add(s);
            }
        }
        out.add(Stage.WON);
        return out;
    }

    /**
     * Paces units of work at {@code rate} events per second (each schedule slot is fixed in advance, so a slow unit is
     * followed by quicker ones rather than shifting the rest). Referrals are worked in waves of
     * {@code path.size() + 1} interleaved referrals so that a stream's events are spread over time, as a CRM's are.
     */
    private static void produce(ReferralEngine engine, List<String> codes, List<Stage> path, int referrals, int rate)
            throws InterruptedException {
        long intervalNanos = 1_000_000_000L / rate;
        long next = System.nanoTime();
        int wave = path.size() + 1;
        int n = 0;
        for (int base = 0; base < referrals; base += wave) {
            int size = Math.min(wave, referrals - base);
            ReferralId[] ids = new ReferralId[size];
            for (int step = 0; step <= path.size(); step++) {
                for (int k = 0; k < size; k++) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    next += intervalNanos;
                    if (step == 0) {
                        int i = base + k;
                        CaptureResult r = engine.capture(CaptureRequest.builder()
                                .code(codes.get(i / CAPTURES_PER_ADVOCATE))
                                .prospect(Prospect.builder().fullName("Prospect " + i)
                                        .email("p" + i + "@prospect" + i + ".example").company("Prospect " + i + " Inc")
                                        .companyDomain("prospect" + i + ".example").build())
                                .channel(Channel.LINK_OR_CODE).consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
                        if (!(r instanceof CaptureResult.Accepted a)) {
                            throw new IllegalStateException("capture not accepted: " + r);
                        }
                        ids[k] = a.referral().id();
                    } else {
                        engine.transition(TransitionRequest.of(ids[k], path.get(step - 1), TransitionCause.rep("rep")));
                    }
                    n++;
                }
            }
        }
        LOG.debug("produced {} units of work", n);
    }

    private static void waitForReady(Path out, Process child) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.readString(out).contains("READY")) {
                return;
            }
            if (!child.isAlive()) {
                throw new IllegalStateException("the second JVM exited:\n" + Files.readString(out));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("the second JVM did not start its dispatcher within 60 s");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** The second JVM: a polling dispatcher on {@code schema}, until {@code total} events arrived. */
    private static void secondJvm(String schema, long total, long pollMillis, long timeoutSeconds) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (HikariDataSource pool = pool(schema, 2)) {
            JdbcReferralStore store = JdbcReferralStore.builder(pool).build();
            Receiver receiver = new Receiver(total);
            try (OutboxDispatcher dispatcher = OutboxDispatcher.builder(store, receiver::accept)
                    .pollInterval(Duration.ofMillis(pollMillis)).build()) {
                dispatcher.start();
                out.println("READY");
                if (!receiver.done.await(timeoutSeconds, TimeUnit.SECONDS)) {
                    out.println(RESULT + "timeout " + receiver.summary());
                    return;
                }
            }
            out.println(RESULT + receiver.summary());
        }
    }

    /** The listener side: latencies, and each stream's order. Thread-safe. */
    private static final class Receiver {
        final Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        final ConcurrentHashMap<String, Long> lastSequence = new ConcurrentHashMap<>();
        final AtomicLong received = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong other = new AtomicLong();
        final long expected;
        final CountDownLatch done = new CountDownLatch(1);

        Receiver(long expected) {
            this.expected = expected;
        }

        void accept(ReferralEvent event) {
            Instant now = Instant.now();
            String stream = event.metadata().stream();
            if (!stream.startsWith("referral:")) {
                other.incrementAndGet(); // an advocate's stream: not part of the measured load
                return;
            }
            long seq = event.metadata().sequence();
            Long last = lastSequence.get(stream);
            long previous = last == null ? 0 : last;
            if (seq <= previous) {
                duplicates.incrementAndGet();
                return;
            }
            if (seq != previous + 1) {
                outOfOrder.incrementAndGet();
            }
            lastSequence.put(stream, seq);
            long latency = Math.max(0, Duration.between(event.metadata().occurredAt(), now).toNanos() / 1000);
            synchronized (micros) {
                micros.recordValue(Math.min(latency, micros.getHighestTrackableValue()));
            }
            if (received.incrementAndGet() == expected) {
                done.countDown();
            }
        }

        String summary() {
            synchronized (micros) {
                return String.format("received=%d p50=%.1f ms p90=%.1f ms p99=%.1f ms max=%.1f ms mean=%.1f ms"
                        + " outOfOrder=%d duplicates=%d missing=%d otherStreams=%d", received.get(),
                        micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(90) / 1000.0,
                        micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0,
                        micros.getMean() / 1000.0, outOfOrder.get(), duplicates.get(),
                        Math.max(0, expected - received.get()), other.get());
            }
        }
    }
}
