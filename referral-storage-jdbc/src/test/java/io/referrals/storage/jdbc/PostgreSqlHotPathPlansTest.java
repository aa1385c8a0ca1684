package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.TransitionResult;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.RewardsEngine;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The hot paths use indexes on PostgreSQL once a schema that started empty has grown, although the server cached the
 * statements' plans while the tables were small. The driver prepares a statement on the server after a few uses and
 * the server then keeps a generic plan, made while the tables were near-empty, where a sequential scan is the cheapest
 * plan; the server makes the plan again when ANALYZE (autovacuum's, by default after each 10 % of growth) renews the
 * table's statistics. Without it (autovacuum off, as on this project's test servers) such a plan is kept however
 * large the table grows: the prospect-key lookup then scans every referral on every capture.
 *
 * <p>The test runs captures and reward-paying stage changes on one connection while the tables are small, grows every
 * table to at least 10,000 rows with copies of its rows (autovacuum off for the tables), analyses them as autovacuum
 * would, then runs the same operations in one transaction and reads that transaction's scan counts from
 * {@code pg_stat_xact_user_tables}: not one sequential scan. It fails if a hot path's query has no usable index, or if
 * the plans were not renewed (drop the ANALYZE: the referral table is then scanned on every capture).
 *
 * <p>The advocate's pages (referrals, rewards and ledger, newest first after a cursor) are checked the same way on a
 * long history, and more closely: each read is one scan of its (advocate, time, id) index that reads no more entries
 * than the page holds, so that a page deep in the history costs what the first one does.
 */
class PostgreSqlHotPathPlansTest {
    private static final ProgramId CUSTOMERS = ProgramId.of("customers");
    private static final Instant NOW = Instant.parse("2026-03-16T09:00:00Z");
    private static final byte[] SECRET = "hot-path-plans-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final String PREFIX = "ref_";
    /**
     * Rows of one advocate in each of the referral, reward and ledger tables, for the page reads: a long history, on
     * which PostgreSQL reads a page along the index rather than sorting every row of the advocate (as it may, and
     * rightly, for a few hundred).
     */
    private static final int PAGED_ROWS = 3000;
    /** Rows per page read. */
    private static final int PAGE = 100;
    /** Rows each non-empty table has at least after {@link #grow()}. */
    private static final int GROWN_ROWS = 10_000;

    private TestDatabase db;
    private Connection host;
    private ReferralEngine engine;
    private JdbcReferralStore store;
    private int prospects;

    @BeforeEach
    void openDatabase() throws SQLException {
        db = TestDatabase.create(Dialect.POSTGRESQL);
        JdbcReferralStore.builder(db.pool(1)).build(); // migrates
        db.closePools();
        host = db.connect();
        try (Statement st = host.createStatement()) {
            for (String table : TestDatabase.TABLES) { // before any plan is cached: this invalidates plans
                st.execute("ALTER TABLE " + PREFIX + table + " SET (autovacuum_enabled = false)");
            }
        }
        host.setAutoCommit(false);
        ConnectionProvider provider = new ConnectionProvider() {
            @Override
            public Connection acquire() {
                return host;
            }

            @Override
            public void release(Connection c) {
            }

            @Override
            public boolean joinsHostTransaction() {
                return true;
            }
        };
        RuleSet rules = RuleSet.builder(CUSTOMERS, 1).effectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .rule(Rule.builder("won-points").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(100))
                        .build())
                .build();
        store = JdbcReferralStore.builder(provider).migration(MigrationMode.VALIDATE).build();
        engine = ReferralEngine.builder()
                .store(store)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).matchKeySecret(SECRET).outbox() // joins: the outbox
                .install(RewardsEngine.builder().ruleSet(rules).build()).build();
        engine.defineProgram(Program.builder(CUSTOMERS, "Customer referrals", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build());
        host.commit();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (host != null) {
            host.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    @DisplayName("captures and reward-paying stage changes make no sequential scan once the tables have grown and"
            + " been analysed, although their plans were cached while the tables were small")
    void noSequentialScanOnHotPaths() throws SQLException {
        ReferralCode early = code("early");
        for (int i = 0; i < 15; i++) { // past the driver's prepare threshold (5) and the server's custom plans (5)
            win(captureByCode(early));
            host.commit();
        }
        grow();
        try (Statement st = host.createStatement()) {
            for (String table : TestDatabase.TABLES) {
                st.execute("ANALYZE " + PREFIX + table);
            }
        }
        host.commit();

        ReferralCode late = code("late");
        host.commit();
        for (int i = 0; i < 20; i++) {
            win(captureByCode(late));
        }
        Map<String, long[]> scans = scansInThisTransaction();
        host.commit();

        assertThat(scans.get(PREFIX + "referral")[1]).as("index scans of the referral table seen").isPositive();
        List<String> scanned = new ArrayList<>();
        scans.forEach((table, counts) -> {
            if (counts[0] > 0) {
                scanned.add(table + " (" + counts[0] + ")");
            }
        });
        assertThat(scanned).as("tables scanned sequentially").isEmpty();
    }

    @Test
    @DisplayName("an advocate's referrals, rewards and ledger are paged along their (advocate, time, id) indexes, the"
            + " first page and the pages after a cursor, with no sequential scan once the tables have grown and been"
            + " analysed, although the plans were cached while the tables were small")
    void advocatePagesReadTheirIndexes() throws SQLException {
        AdvocateId advocate = AdvocateId.of("adv-pages");
        store.inTransaction((StoreTransaction t) -> {
            for (int i = 0; i < PAGED_ROWS; i++) {
                Instant at = NOW.minusSeconds(60L * (i / 3)); // three rows a minute: ties on time
                String n = String.format("%04d", i);
                t.referrals().insert(Referral.builder().id(ReferralId.of("ref-" + n)).programId(CUSTOMERS)
                        .advocateId(advocate).prospect(Prospect.builder().company("Company " + n).build())
                        .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).stage(Stage.SUBMITTED)
                        .submittedAt(at).updatedAt(at).build());
                t.rewards().insert(Reward.builder(RewardId.of("rwd-" + n), CUSTOMERS, advocate)
                        .source(RewardSource.referral(ReferralId.of("ref-" + n))).rule("won-points", 1)
                        .milestone("stage:won").incentive(new Incentive.Points(100)).status(RewardStatus.PENDING)
                        .createdAt(at).holdUntil(at).build());
                t.ledger().append(new LedgerEntry(LedgerEntryId.of("led-" + n), advocate, LedgerEntry.Kind.EARNED,
                        100, "rwd-" + n, "reward:rwd-" + n, at, "Points for a referral"));
            }
            return null;
        });
        host.commit();
        for (int i = 0; i < 15; i++) { // past the driver's prepare threshold (5) and the server's custom plans (5)
            readPages(advocate);
            host.commit();
        }
        grow();
        try (Statement st = host.createStatement()) {
            for (String table : TestDatabase.TABLES) {
                st.execute("ANALYZE " + PREFIX + table);
            }
        }
        host.commit();

        readPages(advocate);
        Map<String, long[]> scans = scansInThisTransaction();
        Map<String, long[]> pageIndexScans = new LinkedHashMap<>();
        for (String index : List.of("referral_advocate_page_ix", "reward_advocate_page_ix",
                "ledger_advocate_page_ix")) {
            try (PreparedStatement ps = host.prepareStatement("SELECT pg_stat_get_xact_numscans(CAST(? AS regclass)),"
                    + " pg_stat_get_xact_tuples_returned(CAST(? AS regclass))")) {
                ps.setString(1, db.name + "." + PREFIX + index);
                ps.setString(2, db.name + "." + PREFIX + index);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    pageIndexScans.put(index, new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        host.commit();

        for (String table : List.of("referral", "reward", "ledger")) {
            assertThat(scans.get(PREFIX + table)[0]).as("sequential scans of the %s table", table).isZero();
        }
        pageIndexScans.forEach((index, counts) -> {
            assertThat(counts[0]).as("scans of %s: a first page and a page after a cursor", index).isEqualTo(2);
            // a sort of the advocate's rows, or a cursor that only filtered the range, would read many more
            assertThat(counts[1]).as("entries of %s read by the two scans", index).isBetween(2L * PAGE,
                    2L * PAGE + 2);
        });
    }

    /** Reads the first page of the advocate's referrals, rewards and ledger, then the page after its last row. */
    private void readPages(AdvocateId advocate) {
        int limit = PAGE;
        store.inTransaction((StoreTransaction t) -> {
            List<Referral> referrals = t.referrals().ofAdvocate(advocate, Before.first(), limit);
            Referral last = referrals.get(limit - 1);
            assertThat(t.referrals().ofAdvocate(advocate, new Before(last.submittedAt(), last.id().value()), limit))
                    .hasSize(limit).doesNotContainAnyElementsOf(referrals);
            List<Reward> rewards = t.rewards().ofAdvocate(advocate, Before.first(), limit);
            Reward lastReward = rewards.get(limit - 1);
            assertThat(t.rewards().ofAdvocate(advocate, new Before(lastReward.createdAt(), lastReward.id().value()),
                    limit)).hasSize(limit).doesNotContainAnyElementsOf(rewards);
            List<LedgerEntry> ledger = t.ledger().entries(advocate, Before.first(), limit);
            LedgerEntry lastEntry = ledger.get(limit - 1);
            assertThat(t.ledger().entries(advocate, new Before(lastEntry.at(), lastEntry.id().value()), limit))
                    .hasSize(limit).doesNotContainAnyElementsOf(ledger);
            return null;
        });
    }

    private ReferralCode code(String externalId) {
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of(externalId, "Advocate " + externalId,
                externalId + "@advocates.example", AdvocateKind.CUSTOMER));
        engine.enrol(a.id(), CUSTOMERS);
        return engine.issueCode(a.id(), CUSTOMERS);
    }

    private Referral captureByCode(ReferralCode code) {
        int n = ++prospects;
        Prospect prospect = Prospect.builder().fullName("Prospect " + n).email("p" + n + "@prospect" + n + ".example")
                .company("Prospect " + n + " Inc").companyDomain("prospect" + n + ".example").build();
        CaptureResult r = engine.capture(CaptureRequest.builder().code(code.code()).prospect(prospect)
                .channel(Channel.LINK_OR_CODE).consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
        assertThat(r).isInstanceOf(CaptureResult.Accepted.class);
        return r.acceptedReferral();
    }

    private void win(Referral r) {
        TransitionResult moved = engine.transition(TransitionRequest.of(r.id(), Stage.WON,
                TransitionCause.crm("salesforce")));
        assertThat(moved).isInstanceOf(TransitionResult.Moved.class);
    }

    /**
     * Copies the rows of every non-empty table until it holds at least {@link #GROWN_ROWS} rows, each identifier-like
     * column (text in the "C" collation) prefixed with the copy's number so that keys stay unique and no copy matches a
     * later lookup.
     */
    private void grow() throws SQLException {
        for (String table : TestDatabase.TABLES) {
            String name = PREFIX + table;
            List<String> columns = new ArrayList<>();
            List<String> values = new ArrayList<>();
            try (PreparedStatement ps = host.prepareStatement("SELECT column_name, collation_name, is_identity,"
                    + " character_maximum_length"
                    + " FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                    + " ORDER BY ordinal_position")) {
                ps.setString(1, db.name);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if ("YES".equals(rs.getString(3))) {
                            continue;
                        }
                        String column = rs.getString(1);
                        columns.add(column);
                        values.add("C".equals(rs.getString(2))
                                ? "LEFT(g || '~' || " + column + ", " + rs.getInt(4) + ")" : column);
                    }
                }
            }
            try (Statement st = host.createStatement()) {
                long rows;
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + name)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                if (rows == 0) {
                    continue;
                }
                st.execute("INSERT INTO " + name + " (" + String.join(", ", columns) + ") SELECT "
                        + String.join(", ", values) + " FROM " + name + " CROSS JOIN generate_series(1, "
                        + (GROWN_ROWS + rows - 1) / rows + ") g");
            }
        }
    }

    /** Sequential and index scans per table of the schema, counted in the current transaction only. */
    private Map<String, long[]> scansInThisTransaction() throws SQLException {
        Map<String, long[]> scans = new LinkedHashMap<>();
        try (PreparedStatement ps = host.prepareStatement("SELECT relname, seq_scan, COALESCE(idx_scan, 0)"
                + " FROM pg_stat_xact_user_tables WHERE schemaname = ? ORDER BY relname")) {
            ps.setString(1, db.name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scans.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        return scans;
    }
}
