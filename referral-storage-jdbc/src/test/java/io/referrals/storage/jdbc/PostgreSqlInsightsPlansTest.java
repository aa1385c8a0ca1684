package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.ReferralStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Program insights over a period read a program's cohort from the covering index of schema version 8
 * ({@code referral_insights_ix}) alone on PostgreSQL: the statistics of a 30-day period make neither a sequential scan
 * of the referral table nor a single fetch of a referral row (the rows carry a JSON body that makes the table several
 * times wider than the index). With the cohort index of version 1, which holds only the key, every cohort referral is
 * fetched from the table, so {@code idx_tup_fetch} counts them and the test fails.
 *
 * <p>The test writes 20,000 referrals of one program over 700 days with their timelines (no rewards: the rewards
 * statistic looks referrals up by id, which is not the cohort's access path), then VACUUMs and ANALYZEs the tables as
 * autovacuum would (VACUUM marks the pages all-visible, which index-only scans need), computes the statistics of the
 * last 30 days in one transaction and reads that transaction's counts from {@code pg_stat_xact_user_tables}.
 */
class PostgreSqlInsightsPlansTest {
    private static final ProgramId PROGRAM = ProgramId.of("customers");
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final int DAYS = 700;
    private static final int REFERRALS = 20_000;
    private static final int ADVOCATES = 200;
    private static final String PREFIX = "ref_";

    private TestDatabase db;
    private Connection host;

    @BeforeEach
    void openDatabase() throws SQLException {
        db = TestDatabase.create(Dialect.POSTGRESQL);
        load(JdbcReferralStore.builder(db.pool(2)).build()); // migrates
        db.closePools();
        host = db.connect();
        host.setAutoCommit(true);
        try (Statement st = host.createStatement()) {
            for (String table : TestDatabase.TABLES) {
                st.execute("VACUUM ANALYZE " + PREFIX + table);
            }
        }
        host.setAutoCommit(false);
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
    @DisplayName("the statistics of a 30-day period read the cohort from the covering index alone: no sequential scan"
            + " of the referral table and no referral row fetched")
    void periodStatisticsReadTheCohortFromTheIndexAlone() throws SQLException {
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
        ReferralStore store = JdbcReferralStore.builder(provider).migration(MigrationMode.VALIDATE).build();
        Instant end = START.plus(Duration.ofDays(DAYS));
        InsightsQuery query = InsightsQuery.builder(PROGRAM, Currency.getInstance("EUR"))
                .period(ReportPeriod.of(end.minus(Duration.ofDays(30)), end)).build();

        ProgramStats stats = store.inTransaction(tx -> tx.statistics().orElseThrow().programStats(query));
        long[] referral = referralCounts();
        host.commit();

        assertThat(stats.submitted()).as("cohort referrals found").isBetween(500L, 1500L);
        assertThat(referral[0]).as("sequential scans of the referral table").isZero();
        assertThat(referral[1]).as("index scans of the referral table").isPositive();
        assertThat(referral[2]).as("referral rows fetched from the table by index scans").isZero();
    }

    /** Sequential scans, index scans and rows fetched by index scans of the referral table, in this transaction. */
    private long[] referralCounts() throws SQLException {
        try (PreparedStatement ps = host.prepareStatement("SELECT seq_scan, COALESCE(idx_scan, 0),"
                + " COALESCE(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables WHERE schemaname = ? AND relname = ?")) {
            ps.setString(1, db.name);
            ps.setString(2, PREFIX + "referral");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("statistics of the referral table").isTrue();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        }
    }

    private static void load(ReferralStore store) {
        Program program = Program.builder(PROGRAM, "Customer referrals", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build();
        store.inTransaction(tx -> {
            tx.programs().insert(program);
            for (int i = 0; i < ADVOCATES; i++) {
                tx.advocates().insert(new Advocate(advocate(i), "ext-" + i, "Advocate " + i, "",
                        AdvocateKind.CUSTOMER, "", "", "", Set.of(i % 2 == 0 ? "smb" : "enterprise"), Map.of(),
                        false, START, 1));
            }
            return null;
        });
        long step = Duration.ofDays(DAYS).toMillis() / REFERRALS;
        for (int from = 0; from < REFERRALS; from += 5_000) {
            List<Referral> referrals = new ArrayList<>();
            List<TimelineEntry> entries = new ArrayList<>();
            for (int i = from; i < from + 5_000; i++) {
                ReferralId id = ReferralId.of(String.format("ref-%06d", i));
                Instant submitted = START.plusMillis(i * step);
                Instant moved = submitted.plusSeconds(3600);
                Stage stage = i % 3 == 0 ? Stage.of("contacted") : Stage.SUBMITTED;
                if (stage.equals(Stage.of("contacted"))) {
                    entries.add(new TimelineEntry(id, 1, Stage.SUBMITTED, stage, moved, TransitionCause.rep("rep"),
                            "", ""));
                }
                referrals.add(Referral.builder().id(id).programId(PROGRAM).advocateId(advocate(i % ADVOCATES))
                        .prospect(Prospect.builder().fullName("Prospect " + i).email("p" + i + "@x" + i + ".example")
                                .company("Company " + i).build())
                        .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).stage(stage)
                        .submittedAt(submitted).updatedAt(stage.equals(Stage.SUBMITTED) ? submitted : moved)
                        .timelineLength(stage.equals(Stage.SUBMITTED) ? 0 : 1).build());
            }
            store.inTransaction(tx -> {
                tx.referrals().insertAll(referrals);
                tx.timelines().appendAll(entries);
                return null;
            });
        }
    }

    private static AdvocateId advocate(int i) {
        return AdvocateId.of(String.format("adv-%04d", i));
    }
}
