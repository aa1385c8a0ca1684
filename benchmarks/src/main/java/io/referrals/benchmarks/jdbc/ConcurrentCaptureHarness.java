package io.referrals.benchmarks.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Referral;
import io.referrals.storage.jdbc.JdbcReferralStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14, goal 4: captures per second under concurrency on one PostgreSQL schema. {@code engines} (4)
 * {@link ReferralEngine}s, each with its own {@link JdbcReferralStore} on its own HikariCP pool of
 * {@code threads / engines} connections, share one schema; {@code threads} (8) threads capture through them (thread
 * {@code i} uses engine {@code i % engines} and its own advocate and code, a fresh prospect each time). The baseline,
 * in the same run and with the same threads and pools: {@link HandWrittenCapture}, the rows a capture writes inserted
 * by hand-written JDBC (the {@code handWrittenJdbc} baseline of {@link CaptureBenchmark}).
 *
 * <p>After a warm-up phase of each ({@code warmupSeconds}, 5), {@code rounds} (3) rounds of {@code seconds} (20) per
 * side alternate (engine, baseline; baseline, engine; ...). Before each phase the tables are analysed, as autovacuum
 * would. A capture fails if it throws anything or is not accepted: every failure is counted and the run says so; the
 * first few are logged by exception class and message.
 *
 * <pre>
 * ./mvnw -q -o -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.referrals.benchmarks.jdbc.ConcurrentCaptureHarness
 * </pre>
 * System properties: {@code threads}, {@code engines}, {@code seconds}, {@code warmupSeconds}, {@code rounds}.
 * PostgreSQL as in {@link BenchDatabase}.
 */
public final class ConcurrentCaptureHarness {
    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentCaptureHarness.class);
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private ConcurrentCaptureHarness() {
    }

    /** One side's work for one thread: returns normally on success. */
    private interface Operation {
        void run(int thread) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.getInteger("threads", 8);
        int engineCount = Integer.getInteger("engines", 4);
        int seconds = Integer.getInteger("seconds", 20);
        int warmupSeconds = Integer.getInteger("warmupSeconds", 5);
        int rounds = Integer.getInteger("rounds", 3);
        int poolSize = Math.max(1, threads / engineCount);

        try (BenchDatabase database = BenchDatabase.create(BenchDatabase.POSTGRESQL, poolSize, "")) {
            List<HikariDataSource> pools = new ArrayList<>();
            pools.add(database.pool);
            try {
                for (int e = 1; e < engineCount; e++) {
                    HikariConfig config = new HikariConfig();
                    config.setJdbcUrl(database.pool.getJdbcUrl());
                    config.setUsername(database.pool.getUsername());
                    config.setPassword(database.pool.getPassword());
                    config.setMaximumPoolSize(poolSize);
                    config.setMinimumIdle(poolSize);
                    config.setPoolName(database.name + "-" + e);
                    pools.add(new HikariDataSource(config));
                }
                List<ReferralEngine> engines = new ArrayList<>();
                String prefix = "";
                for (HikariDataSource pool : pools) { // one after the other: the first migrates the schema
                    JdbcReferralStore store = JdbcReferralStore.builder(pool).build();
                    prefix = store.tablePrefix();
                    engines.add(ReferralEngine.builder().store(store)
                            .clock(new SteppingClock(START, Duration.ofMinutes(2)))
                            .matchKeySecret(Setup.MATCH_KEY_SECRET).build());
                }
                engines.get(0).defineProgram(Setup.program());
                List<String> codes = new ArrayList<>();
                Advocate first = null;
                for (int t = 0; t < threads; t++) {
                    Advocate a = Setup.advocate(engines.get(0), "concurrent-advocate-" + t);
                    first = first == null ? a : first;
                    codes.add(engines.get(0).issueCode(a.id(), Setup.PROGRAM).code());
                }
                Referral template = Setup.captureByCode(engines.get(0), codes.get(0));
                HandWrittenCapture handWritten = HandWrittenCapture.from(database.pool, prefix, template.id(),
                        first.id(), Setup.PROGRAM.value(), START);

                Operation engineSide = t -> {
                    CaptureResult r = engines.get(t % engineCount).capture(CaptureRequest.builder()
                            .code(codes.get(t)).prospect(Setup.freshProspect()).channel(Channel.LINK_OR_CODE)
                            .consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
                    if (!(r instanceof CaptureResult.Accepted)) {
                        throw new IllegalStateException("capture not accepted: " + r.getClass().getSimpleName());
                    }
                };
                Operation baselineSide = t -> handWritten.capture(pools.get(t % engineCount));

                LOG.info("{} threads, {} engines with a pool of {} each, schema {}; load {}", threads, engineCount,
                        poolSize, database.name, loadAverage());
                phase("warm-up engine", engineSide, threads, warmupSeconds, database);
                phase("warm-up baseline", baselineSide, threads, warmupSeconds, database);
                List<String> lines = new ArrayList<>();
                double engineOps = 0;
                double baselineOps = 0;
                long engineFailures = 0;
                long baselineFailures = 0;
                for (int r = 1; r <= rounds; r++) {
                    boolean engineFirst = r % 2 == 1;
                    for (int k = 0; k < 2; k++) {
                        boolean engine = engineFirst == (k == 0);
                        Result result = phase((engine ? "engine" : "baseline") + " round " + r,
                                engine ? engineSide : baselineSide, threads, seconds, database);
                        lines.add(result.line);
                        if (engine) {
                            engineOps += result.perSecond;
                            engineFailures += result.failures;
                        } else {
                            baselineOps += result.perSecond;
                            baselineFailures += result.failures;
                        }
                    }
                }
                lines.forEach(l -> LOG.info("RESULT {}", l));
                LOG.info("RESULT mean engine {} captures/s, baseline {} inserts/s, ratio {}x; failed captures {},"
                        + " failed baseline transactions {}", String.format("%.1f", engineOps / rounds),
                        String.format("%.1f", baselineOps / rounds), String.format("%.3f", engineOps / baselineOps),
                        engineFailures, baselineFailures);
            } finally {
                for (int e = 1; e < pools.size(); e++) {
                    pools.get(e).close();
                }
            }
        }
    }

    private record Result(double perSecond, long failures, String line) {
    }

    private static Result phase(String name, Operation operation, int threads, int seconds, BenchDatabase database)
            throws InterruptedException {
        database.analyze();
        String load0 = loadAverage();
        AtomicLong done = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ConcurrentHashMap<String, Long> failureKinds = new ConcurrentHashMap<>();
        Histogram all = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                Histogram mine = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long end = window[1];
                long n = 0;
                while (true) {
                    long s = System.nanoTime();
                    if (s >= end) {
                        break;
                    }
                    try {
                        operation.run(thread);
                        n++;
                        mine.recordValue(Math.min((System.nanoTime() - s) / 1000, mine.getHighestTrackableValue()));
                    } catch (Exception | Error e) {
                        failures.incrementAndGet();
                        String kind = e.getClass().getName() + ": " + e.getMessage();
                        if (failureKinds.merge(kind, 1L, Long::sum) == 1L && failureKinds.size() <= 5) {
                            LOG.warn("{}: thread {} failed: {}", name, thread, kind, e);
                        }
                    }
                }
                done.addAndGet(n);
                synchronized (all) {
                    all.add(mine);
                }
            }, "capture-" + t);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        long jvmCpu0 = jvmCpuNanos();
        long[] machine0 = machineJiffies();
        window[0] = System.nanoTime();
        window[1] = window[0] + TimeUnit.SECONDS.toNanos(seconds);
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - window[0]) / 1e9;
        long jvmCpu = jvmCpuNanos() - jvmCpu0;
        long[] machine1 = machineJiffies();
        double perSecond = done.get() / elapsed;
        long ops = Math.max(1, done.get());
        // CPU per operation: this JVM's (all its threads), and the rest of the machine's busy time (the PostgreSQL
        // server and whatever else runs); one jiffy is 10 ms on Linux (USER_HZ 100)
        double busyMicros = (machine1[0] - machine0[0]) * 10_000.0;
        double jvmMicros = jvmCpu / 1000.0;
        String line;
        synchronized (all) {
            line = String.format(Locale.ROOT, "%s: %d ok in %.1f s = %.1f/s, failed %d, per op p50 %.0f us p99 %.0f us"
                    + " max %.0f us; CPU per op: this JVM %.0f us, rest of machine %.0f us; machine idle %.0f %%"
                    + " (load %s -> %s)", name, done.get(), elapsed, perSecond, failures.get(),
                    (double) all.getValueAtPercentile(50), (double) all.getValueAtPercentile(99),
                    (double) all.getMaxValue(), jvmMicros / ops, Math.max(0, busyMicros - jvmMicros) / ops,
                    100.0 * (machine1[1] - machine0[1]) / Math.max(1, machine1[1] - machine0[1] + machine1[0]
                            - machine0[0]), load0, loadAverage());
        }
        if (!failureKinds.isEmpty()) {
            line += " failures by kind " + failureKinds;
        }
        LOG.info("{}", line);
        return new Result(perSecond, failures.get(), line);
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The machine's busy and idle jiffies so far (all CPUs; idle counts iowait, steal is left out), from {@code /proc/stat}. */
    private static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            long idle = 0;
            for (int i = 1; i < Math.min(f.length, 8); i++) { // user to softirq; steal is not ours
                long v = Long.parseLong(f[i]);
                if (i == 4 || i == 5) {
                    idle += v;
                } else {
                    busy += v;
                }
            }
            return new long[] {busy, idle};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + "/" + parts[1];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
