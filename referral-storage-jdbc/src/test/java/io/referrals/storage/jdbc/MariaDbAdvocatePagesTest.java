package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.StoreTransaction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * On MariaDB a page of an advocate's rows after a cursor reads only the page's own entries of its (advocate, time, id)
 * index. MariaDB makes an index range of the cursor's OR form, {@code time < ? OR (time = ? AND id < ?)}, but not of
 * the row-value comparison {@code (time, id) < (?, ?)}, which it only filters by; and given {@code advocate_id = ?} it
 * may prefer a lookup of the advocate filtered by the cursor, as it does here, where one advocate holds every row: a
 * page deep in a history would then read every newer entry first. The store runs on one connection, whose handler
 * counters tell how many index entries each read went through.
 */
class MariaDbAdvocatePagesTest {
    private static final AdvocateId ADVOCATE = AdvocateId.of("adv-pages");
    private static final ProgramId PROGRAM = ProgramId.of("customers");
    private static final Instant NOW = Instant.parse("2026-03-16T09:00:00Z");
    private static final int ROWS = 600;
    private static final int PAGE = 50;

    private TestDatabase db;
    private Connection connection;
    private JdbcReferralStore store;

    @BeforeEach
    void openDatabase() throws SQLException {
        db = TestDatabase.create(Dialect.MARIADB);
        connection = db.connect();
        store = JdbcReferralStore.builder(new ConnectionProvider() {
            @Override
            public Connection acquire() {
                return connection;
            }

            @Override
            public void release(Connection c) {
            }

            @Override
            public boolean joinsHostTransaction() {
                return false; // in auto-commit: the store runs its own transactions on it
            }
        }).build();
        store.inTransaction((StoreTransaction t) -> {
            for (int i = 0; i < ROWS; i++) {
                Instant at = NOW.minusSeconds(60L * (i / 3)); // three rows a minute: ties on time
                String n = String.format("%04d", i);
                t.referrals().insert(Referral.builder().id(ReferralId.of("ref-" + n)).programId(PROGRAM)
                        .advocateId(ADVOCATE).prospect(Prospect.builder().company("Company " + n).build())
                        .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).stage(Stage.SUBMITTED)
                        .submittedAt(at).updatedAt(at).build());
                t.rewards().insert(Reward.builder(RewardId.of("rwd-" + n), PROGRAM, ADVOCATE)
                        .source(RewardSource.referral(ReferralId.of("ref-" + n))).rule("won-points", 1)
                        .milestone("stage:won").incentive(new Incentive.Points(100)).status(RewardStatus.PENDING)
                        .createdAt(at).holdUntil(at).build());
                t.ledger().append(new LedgerEntry(LedgerEntryId.of("led-" + n), ADVOCATE, LedgerEntry.Kind.EARNED,
                        100, "rwd-" + n, "reward:rwd-" + n, at, "Points for a referral"));
            }
            return null;
        });
        try (Statement st = connection.createStatement()) {
            st.execute("ANALYZE TABLE ref_referral, ref_reward, ref_ledger");
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    @DisplayName("a page deep in an advocate's referrals, rewards or ledger reads about as many index entries as it"
            + " returns, and the first page too")
    void pagesAreIndexRanges() throws SQLException {
        // the cursor is the 401st newest row, in the middle of three rows at one time
        Before deep = new Before(NOW.minusSeconds(60L * (400 / 3)), String.format("%04d", 400));
        assertReads("referrals", t -> t.referrals().ofAdvocate(ADVOCATE, Before.first(), PAGE));
        assertReads("referrals", t -> t.referrals().ofAdvocate(ADVOCATE, withPrefix(deep, "ref-"), PAGE));
        assertReads("rewards", t -> t.rewards().ofAdvocate(ADVOCATE, Before.first(), PAGE));
        assertReads("rewards", t -> t.rewards().ofAdvocate(ADVOCATE, withPrefix(deep, "rwd-"), PAGE));
        assertReads("ledger", t -> t.ledger().entries(ADVOCATE, Before.first(), PAGE));
        assertReads("ledger", t -> t.ledger().entries(ADVOCATE, withPrefix(deep, "led-"), PAGE));
    }

    private static Before withPrefix(Before b, String prefix) {
        return new Before(b.at(), prefix + b.id());
    }

    /** Runs a read of a full page and checks how many index entries the connection stepped through for it. */
    private void assertReads(String what, Function<StoreTransaction, List<?>> read) throws SQLException {
        long before = indexSteps();
        assertThat(store.inTransaction(read)).as(what).hasSize(PAGE);
        long steps = indexSteps() - before;
        assertThat(steps).as("index entries stepped through for a page of %s", what).isBetween((long) PAGE - 1,
                (long) PAGE + 5);
    }

    /** The connection's count of index entries read forwards and backwards (MariaDB's session handler counters). */
    private long indexSteps() throws SQLException {
        long sum = 0;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN ('Handler_read_next',"
                        + " 'Handler_read_prev')")) {
            while (rs.next()) {
                sum += rs.getLong(2);
            }
        }
        return sum;
    }
}
