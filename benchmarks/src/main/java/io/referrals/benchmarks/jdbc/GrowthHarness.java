package io.referrals.benchmarks.jdbc;

import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.TransitionResult;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TransitionCause;
import io.referrals.storage.jdbc.JdbcReferralStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14, goal 5: what a capture and a stage change cost as the store grows, on PostgreSQL. One schema is grown to
 * each size of {@code sizes} (existing referrals; default 10,000, 100,000 and 1,000,000) in turn; at each size, after
 * VACUUM ANALYZE (as autovacuum would; this machine's server runs without it), one thread times {@code warmup} (300)
 * unrecorded and then {@code operations} (2,000) recorded pairs: a capture by referral code of a fresh prospect, then
 * that referral's stage change {@code submitted → contacted}, then, as the baseline in the same run, the rows of a
 * capture inserted by hand ({@link HandWrittenCapture}). Each operation's time goes into an HdrHistogram (µs);
 * the harness prints median, p90, p99 and max per size and draws them as an SVG chart ({@code svg},
 * {@code benchmarks/growth.svg}).
 *
 * <p>The existing rows are made by the server, not by the engine, so that a million of them load in minutes: the
 * engine first captures one template referral (of another advocate than the measured one) and moves it once, then
 * {@code INSERT ... SELECT ... FROM generate_series} copies, per new referral, the template's referral row (own id,
 * own e-mail and domain matching keys of the engine's length, earlier timestamps), its timeline entry, its stream's
 * sequence row, its two event rows (delivered) and the counter rows its capture created (keys suffixed with the
 * referral's number: an upper bound, since a real store shares the velocity counters of an advocate's hour). Every
 * index of those tables is maintained as the rows go in. The copies are never read back by the engine; what they
 * change is the size of every table and index that a capture and a stage change look up or write.
 *
 * <pre>
 * ./mvnw -q -o -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.referrals.benchmarks.jdbc.GrowthHarness
 * </pre>
 * System properties: {@code sizes} (comma-separated, ascending), {@code warmup}, {@code operations}, {@code svg}.
 * PostgreSQL as in {@link BenchDatabase}; the schema is dropped at the end.
 */
public final class GrowthHarness {
    private static final Logger LOG = LoggerFactory.getLogger(GrowthHarness.class);
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final int LOAD_BATCH = 50_000;
    private static final List<String> TABLES = List.of("referral", "timeline", "stream_seq", "event", "counter");

    private GrowthHarness() {
    }

    private record Step(int size, Histogram capture, Histogram stageChange, Histogram baseline, double loadSeconds,
            String tableSizes, String load) {
    }

    public static void main(String[] args) throws SQLException, IOException {
        List<Integer> sizes = new ArrayList<>();
        for (String s : System.getProperty("sizes", "10000,100000,1000000").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        int warmup = Integer.getInteger("warmup", 300);
        int operations = Integer.getInteger("operations", 2000);
        Path svg = Path.of(System.getProperty("svg", "benchmarks/growth.svg"));

        try (BenchDatabase database = BenchDatabase.create(BenchDatabase.POSTGRESQL, 2, "")) {
            JdbcReferralStore store = JdbcReferralStore.builder(database.pool).build();
            String p = store.tablePrefix();
            ReferralEngine engine = ReferralEngine.builder().store(store)
                    .clock(new SteppingClock(START, Duration.ofMinutes(2)))
                    .matchKeySecret(Setup.MATCH_KEY_SECRET).build();
            engine.defineProgram(Setup.program());
            StagePipeline pipeline = Setup.program().pipeline();
            Stage next = null;
            for (Stage s : pipeline.stages()) {
                if (next == null && !pipeline.isTerminal(s) && !s.equals(pipeline.initial())) {
                    next = s;
                }
            }
            Stage to = next;
            Advocate measured = Setup.advocate(engine, "growth-measured");
            String code = engine.issueCode(measured.id(), Setup.PROGRAM).code();
            Advocate bulk = Setup.advocate(engine, "growth-bulk");
            String bulkCode = engine.issueCode(bulk.id(), Setup.PROGRAM).code();

            Set<String> countersBefore = counterKeys(database, p);
            Referral template = Setup.captureByCode(engine, bulkCode);
            move(engine, template, to);
            Set<String> templateCounters = counterKeys(database, p);
            templateCounters.removeAll(countersBefore);
            HandWrittenCapture handWritten = HandWrittenCapture.from(database.pool, p, template.id(), bulk.id(),
                    Setup.PROGRAM.value(), START);
            LOG.info("template {} with {} counter rows of its own; schema {}", template.id().value(),
                    templateCounters.size(), database.name);

            List<Step> steps = new ArrayList<>();
            int existing = 0;
            for (int size : sizes) {
                long t0 = System.nanoTime();
                for (int from = existing + 1; from <= size; from += LOAD_BATCH) {
                    copyTemplate(database, p, template.id().value(), templateCounters, from,
                            Math.min(size, from + LOAD_BATCH - 1));
                }
                double loadSeconds = (System.nanoTime() - t0) / 1e9;
                existing = size;
                for (String table : TABLES) {
                    database.execute("VACUUM ANALYZE " + p + table);
                }
                String rows = tableSizes(database, p);
                LOG.info("{} existing referrals, loaded in {} s; {}", size, String.format("%.1f", loadSeconds), rows);
                Histogram capture = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
                Histogram stageChange = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
                Histogram baseline = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
                String load0 = ConcurrentCaptureHarness.loadAverage();
                for (int i = 0; i < warmup + operations; i++) {
                    long s = System.nanoTime();
                    Referral r = Setup.captureByCode(engine, code);
                    long c = System.nanoTime();
                    move(engine, r, to);
                    long m = System.nanoTime();
                    handWritten.capture(database.pool);
                    long b = System.nanoTime();
                    if (i >= warmup) {
                        baseline.recordValue(Math.min((b - m) / 1000, baseline.getHighestTrackableValue()));
                        capture.recordValue(Math.min((c - s) / 1000, capture.getHighestTrackableValue()));
                        stageChange.recordValue(Math.min((m - c) / 1000, stageChange.getHighestTrackableValue()));
                    }
                }
                Step step = new Step(size, capture, stageChange, baseline, loadSeconds, rows,
                        load0 + " -> " + ConcurrentCaptureHarness.loadAverage());
                LOG.info("{}", line(step));
                steps.add(step);
            }
            for (Step step : steps) {
                LOG.info("RESULT {}", line(step));
            }
            Files.writeString(svg, chart(steps, operations), StandardCharsets.UTF_8);
            LOG.info("chart written to {}", svg.toAbsolutePath());
        }
    }

    private static void move(ReferralEngine engine, Referral referral, Stage to) {
        TransitionResult r = engine.transition(TransitionRequest.of(referral.id(), to, TransitionCause.rep("rep")));
        if (!(r instanceof TransitionResult.Moved)) {
            throw new IllegalStateException("stage change of " + referral.id().value() + " not made: " + r);
        }
    }

    private static String line(Step s) {
        return String.format(Locale.ROOT, "existing=%d capture p50=%d p90=%d p99=%d max=%d us;"
                + " stage change p50=%d p90=%d p99=%d max=%d us; hand-written inserts p50=%d p99=%d us"
                + " (n=%d each; load %s; loaded in %.1f s; %s)",
                s.size, s.capture.getValueAtPercentile(50), s.capture.getValueAtPercentile(90),
                s.capture.getValueAtPercentile(99), s.capture.getMaxValue(), s.stageChange.getValueAtPercentile(50),
                s.stageChange.getValueAtPercentile(90), s.stageChange.getValueAtPercentile(99),
                s.stageChange.getMaxValue(), s.baseline.getValueAtPercentile(50), s.baseline.getValueAtPercentile(99),
                s.capture.getTotalCount(), s.load, s.loadSeconds, s.tableSizes);
    }

    private static Set<String> counterKeys(BenchDatabase database, String p) throws SQLException {
        Set<String> keys = new HashSet<>();
        try (Connection c = database.pool.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT counter_key FROM " + p + "counter")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    /** Copies the template's rows as referrals {@code from..to} (numbered), in one transaction. */
    private static void copyTemplate(BenchDatabase database, String p, String template, Set<String> counters, int from,
            int to) throws SQLException {
        String id = "'bulk-' || lpad(g::text, 9, '0')";
        String series = " CROSS JOIN generate_series(" + from + ", " + to + ") g WHERE ";
        String back = " - make_interval(secs => g)";
        try (Connection c = database.pool.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO " + p + "referral (id, program_id, advocate_id, stage, channel, idempotency_key,"
                    + " submitted_at, updated_at, version, review, outcome, deal_amount, deal_currency, email_key,"
                    + " domain_key, body) SELECT " + id + ", program_id, advocate_id, stage, channel, NULL,"
                    + " submitted_at" + back + ", updated_at" + back + ", version, review, outcome, deal_amount,"
                    + " deal_currency, substr(md5('e' || g) || md5('E' || g), 1, length(email_key)),"
                    + " substr(md5('d' || g) || md5('D' || g), 1, length(domain_key)), body FROM " + p + "referral t"
                    + series + "t.id = '" + template + "'");
            st.execute("INSERT INTO " + p + "timeline (referral_id, seq, from_stage, to_stage, moved_at, cause_kind,"
                    + " cause_actor, reason, external_ref, kind) SELECT " + id + ", seq, from_stage, to_stage,"
                    + " moved_at" + back + ", cause_kind, cause_actor, reason, external_ref, kind FROM " + p
                    + "timeline t" + series + "t.referral_id = '" + template + "'");
            st.execute("INSERT INTO " + p + "stream_seq (stream, last_seq) SELECT 'referral:' || " + id
                    + ", last_seq FROM " + p + "stream_seq t" + series + "t.stream = 'referral:" + template + "'");
            st.execute("INSERT INTO " + p + "event (id, stream, seq, event_type, occurred_at, status, attempts,"
                    + " next_attempt_at, last_error, body) SELECT " + id + " || '-' || seq, 'referral:' || " + id
                    + ", seq, event_type, occurred_at" + back + ", status, attempts, next_attempt_at" + back
                    + ", last_error, body FROM " + p + "event t" + series + "t.stream = 'referral:" + template + "'");
            for (String key : counters) {
                st.execute("INSERT INTO " + p + "counter (counter_key, amount) SELECT substr(counter_key, 1, 230)"
                        + " || ':' || " + id + ", amount FROM " + p + "counter t" + series + "t.counter_key = '"
                        + key.replace("'", "''") + "'");
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private static String tableSizes(BenchDatabase database, String p) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = database.pool.getConnection(); Statement st = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), pg_size_pretty(pg_total_relation_size('"
                        + p + table + "')) FROM " + p + table)) {
                    rs.next();
                    out.append(out.isEmpty() ? "" : ", ").append(table).append(' ').append(rs.getLong(1))
                            .append(" rows ").append(rs.getString(2));
                }
            }
        }
        return out.toString();
    }

    // ---- the chart ---------------------------------------------------------------------------------------------------

    private static final int WIDTH = 760;
    private static final int HEIGHT = 440;
    private static final int LEFT = 80;
    private static final int RIGHT = 200;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    /** A line chart: median and p99 of both operations (ms) against the existing referrals (log scale). */
    static String chart(List<Step> steps, int operations) {
        double maxMs = 0;
        for (Step s : steps) {
            maxMs = Math.max(maxMs, Math.max(s.capture.getValueAtPercentile(99), s.stageChange.getValueAtPercentile(99))
                    / 1000.0);
        }
        double yTop = niceCeiling(maxMs * 1.1);
        double minLog = Math.log10(steps.get(0).size);
        double maxLog = Math.log10(steps.get(steps.size() - 1).size);
        if (maxLog - minLog < 1e-9) {
            minLog -= 0.5;
            maxLog += 0.5;
        }
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH,
                HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\" font-weight=\"bold\">"
                + "Capture and stage change on PostgreSQL as the store grows</text>%n", LEFT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"40\" fill=\"#555\">one thread, %d operations of"
                + " each per size; GrowthHarness</text>%n", LEFT, operations));
        for (int k = 0; k <= 5; k++) {
            double v = yTop * k / 5;
            double y = TOP + plotH - plotH * v / yTop;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, LEFT + plotW, y, LEFT - 6,
                    y + 4, trim(v)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%d\" transform=\"rotate(-90 20 %d)\""
                + " text-anchor=\"middle\">ms per operation</text>%n", TOP + plotH / 2, TOP + plotH / 2));
        for (Step s : steps) {
            double x = xOf(s.size, minLog, maxLog, plotW);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP, x, TOP + plotH, x,
                    TOP + plotH + 18, String.format(Locale.ROOT, "%,d", s.size)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">existing referrals"
                + " (log scale)</text>%n", LEFT + plotW / 2, HEIGHT - 16));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#333\"/>%n", LEFT, TOP, plotW, plotH));
        String[] names = {"capture, median", "capture, p99", "stage change, median", "stage change, p99",
            "hand-written inserts, median"};
        String[] colours = {"#1f77b4", "#1f77b4", "#d62728", "#d62728", "#777777"};
        String[] dashes = {"", " stroke-dasharray=\"6 4\"", "", " stroke-dasharray=\"6 4\"",
            " stroke-dasharray=\"2 3\""};
        int[] labelDy = {-6, -6, 14, 14, 14};
        for (int series = 0; series < names.length; series++) {
            StringBuilder points = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (Step s : steps) {
                Histogram h = series < 2 ? s.capture : series < 4 ? s.stageChange : s.baseline;
                double ms = h.getValueAtPercentile(series % 2 == 0 ? 50 : 99) / 1000.0;
                double x = xOf(s.size, minLog, maxLog, plotW);
                double y = TOP + plotH - plotH * ms / yTop;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                marks.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>"
                        + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"%s\">%s</text>%n", x, y,
                        colours[series], x + 5, y + labelDy[series], colours[series], trim(ms)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\""
                    + " stroke-width=\"2\"%s/>%n", points.toString().trim(), colours[series], dashes[series]));
            svg.append(marks);
            int ly = TOP + 10 + series * 22;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"2\"%s/><text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 14, ly,
                    LEFT + plotW + 44, ly, colours[series], dashes[series], LEFT + plotW + 50, ly + 4, names[series]));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double xOf(int size, double minLog, double maxLog, int plotW) {
        double margin = 0.08 * plotW;
        return LEFT + margin + (plotW - 2 * margin) * (Math.log10(size) - minLog) / (maxLog - minLog);
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String trim(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
