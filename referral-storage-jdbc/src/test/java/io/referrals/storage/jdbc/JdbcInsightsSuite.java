package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import io.referrals.core.moments.MomentKind;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.ProgramStatistics;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Program insights and moments of delight on one dialect: the store's own {@code programStats}, computed in SQL, equals
 * {@link ProgramStatistics#scanning} over the in-memory store and over the JDBC store itself (which pages through its
 * enrolments and rewards) on the same random histories, and moments and asks keep the SPI's orderings, keys and
 * versions. Each dialect runs it through a subclass that opens a database of its own for the class.
 */
abstract class JdbcInsightsSuite {
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final Currency USD = Currency.getInstance("USD");
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    /** The class's database. */
    abstract TestDatabase db();

    private static final Map<TestDatabase, HikariDataSource> POOLS = new java.util.concurrent.ConcurrentHashMap<>();

    private ReferralStore store;

    @BeforeEach
    void emptyStore() {
        db().truncate("ref_");
        store = JdbcReferralStore.builder(POOLS.computeIfAbsent(db(), d -> d.pool(2))).build();
    }

    private <T> T tx(Function<StoreTransaction, T> work) {
        return store.inTransaction(work);
    }

    private static List<InsightsQuery> queries() {
        ReportPeriod h2 = ReportPeriod.of(Instant.parse("2025-07-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
        ReportPeriod q1 = ReportPeriod.of(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-04-01T00:00:00Z"));
        List<InsightsQuery> out = new ArrayList<>();
        for (ProgramId p : List.of(InsightsHistory.B2B, InsightsHistory.OTHER)) {
            out.add(InsightsQuery.builder(p, EUR).build());
            out.add(InsightsQuery.builder(p, USD).topAdvocates(3).build());
            out.add(InsightsQuery.builder(p, EUR).period(h2).build());
            out.add(InsightsQuery.builder(p, EUR).period(q1).topAdvocates(100).build());
            out.add(InsightsQuery.builder(p, EUR).channel(Channel.DIRECT_EMAIL).build());
            out.add(InsightsQuery.builder(p, USD).channel(Channel.SALES_REP).period(h2).build());
            out.add(InsightsQuery.builder(p, EUR).segment("Enterprise").build());
            out.add(InsightsQuery.builder(p, EUR).segment("enterprise").period(h2).build());
            out.add(InsightsQuery.builder(p, EUR).segment("no-such-segment").build());
            out.add(InsightsQuery.builder(p, EUR).advocateKind(AdvocateKind.CUSTOMER).build());
            out.add(InsightsQuery.builder(p, USD).advocateKind(AdvocateKind.PARTNER).segment("smb")
                    .channel(Channel.LINK_OR_CODE).build());
        }
        out.add(InsightsQuery.builder(ProgramId.of("p-unknown"), EUR).build());
        return out;
    }

    /** The store's own statistics: the SQL aggregation. */
    private ProgramStats sqlStats(InsightsQuery q) {
        return tx((StoreTransaction tx) -> tx.statistics().orElseThrow().programStats(q));
    }

    @Nested
    @DisplayName("programStats, computed by SQL aggregation,")
    class SqlStatistics {
        private void assertSameAsInMemory(long seed, int advocates, int referrals, int rewards) {
            InsightsHistory history = new InsightsHistory(seed, advocates, referrals, rewards);
            InMemoryReferralStore memory = new InMemoryReferralStore();
            history.writeTo(memory);
            history.writeTo(store);
            for (InsightsQuery q : queries()) {
                ProgramStats expected = memory.inTransaction(tx -> ProgramStatistics.scanning(tx).programStats(q));
                ProgramStats actual = sqlStats(q);
                assertThat(actual).as("seed %d, %s", seed, q).isEqualTo(expected);
                assertThat(tx((StoreTransaction tx) -> ProgramStatistics.scanning(tx).programStats(q)))
                        .as("scanning the JDBC store's pages, seed %d, %s", seed, q).isEqualTo(expected);
            }
        }

        @Test
        void equalsTheInMemoryStoresOverARandomHistory() {
            assertSameAsInMemory(1, 40, 400, 250);
        }

        @Test
        void equalsTheInMemoryStoresOverOtherRandomHistories() {
            assertSameAsInMemory(7, 12, 60, 40);
            db().truncate("ref_");
            assertSameAsInMemory(42, 25, 150, 90);
        }

        @Test
        void findsWonReferralsRevenueAndRewardsOfTheHistory() {
            InsightsHistory history = new InsightsHistory(3, 30, 300, 200);
            history.writeTo(store);
            ProgramStats s = sqlStats(InsightsQuery.builder(InsightsHistory.B2B, EUR).build());
            // the comparison with the in-memory store means something only if the history has all of these
            assertThat(s.submitted()).isPositive();
            assertThat(s.won()).isPositive();
            assertThat(s.timeToWon().count()).isPositive();
            assertThat(s.revenue()).extracting(m -> m.currency().getCurrencyCode()).containsExactly("EUR", "USD");
            assertThat(s.rewards()).hasSizeGreaterThan(3);
            assertThat(s.bySegment()).extracting(ProgramStats.Breakdown::key).contains("Enterprise", "enterprise");
            assertThat(s.topByRevenue()).isNotEmpty();
        }

        @Test
        void returnsTheEmptyStatisticsForAnUnknownProgram() {
            assertThat(sqlStats(InsightsQuery.builder(ProgramId.of("nope"), EUR).build()))
                    .isEqualTo(ProgramStats.empty());
        }
    }

    @Nested
    @DisplayName("moments and asks")
    class MomentsAndAsks {
        private final ProgramId program = ProgramId.of("p-moments");
        private final ProgramId otherProgram = ProgramId.of("p-elsewhere");

        private AdvocateId advocate(String id, boolean optedOut, ProgramId... enrolledIn) {
            AdvocateId a = AdvocateId.of(id);
            tx((StoreTransaction tx) -> {
                tx.advocates().insert(new Advocate(a, "ext-" + id, "A " + id, "", AdvocateKind.CUSTOMER, "", "", "",
                        Set.of(), Map.of(), optedOut, T0, 1));
                for (ProgramId p : enrolledIn) {
                    tx.advocates().insertEnrolment(new Enrolment(a, p, T0));
                }
                return null;
            });
            return a;
        }

        private Moment moment(String id, AdvocateId a, MomentKind kind, Instant at) {
            Moment m = Moment.of(MomentId.of(id), a, kind, at, "note of " + id);
            tx((StoreTransaction tx) -> {
                tx.moments().insert(m);
                return null;
            });
            return m;
        }

        private Ask ask(String id, ProgramId p, AdvocateId a, Instant at) {
            Ask k = Ask.pending(AskId.of(id), p, a, "rep-1", null, at);
            tx((StoreTransaction tx) -> {
                tx.asks().insert(k);
                return null;
            });
            return k;
        }

        @Test
        void aMomentRoundTripsWithItsScoreAndNote() {
            AdvocateId a = advocate("a1", false, program);
            Moment nps = Moment.nps(MomentId.of("m-nps"), a, 10, T0.plusMillis(123), "loves it");
            Moment plain = Moment.of(MomentId.of("m-live"), a, MomentKind.GO_LIVE, T0, "");
            tx((StoreTransaction tx) -> {
                tx.moments().insert(nps);
                tx.moments().insert(plain);
                return null;
            });
            assertThat(tx((StoreTransaction tx) -> tx.moments().get(nps.id()))).contains(nps);
            assertThat(tx((StoreTransaction tx) -> tx.moments().get(plain.id()))).contains(plain);
            assertThat(tx((StoreTransaction tx) -> tx.moments().get(nps.id())).orElseThrow().npsScore()).hasValue(10);
            assertThat(tx((StoreTransaction tx) -> tx.moments().get(plain.id())).orElseThrow().npsScore()).isEmpty();
            assertThat(tx((StoreTransaction tx) -> tx.moments().get(MomentId.of("nope")))).isEmpty();
        }

        @Test
        void anAdvocatesMomentsAreOrderedByTimeThenId() {
            AdvocateId a = advocate("a1", false, program);
            AdvocateId b = advocate("a2", false, program);
            Moment late = moment("m-3", a, MomentKind.RENEWAL, T0.plusSeconds(60));
            Moment tieB = moment("m-2", a, MomentKind.PUBLIC_PRAISE, T0);
            Moment tieA = moment("m-10", a, MomentKind.RESULT_ACHIEVED, T0);
            moment("m-other", b, MomentKind.GO_LIVE, T0);
            assertThat(tx((StoreTransaction tx) -> tx.moments().ofAdvocate(a))).containsExactly(tieA, tieB, late);
        }

        @Test
        void aKnownMomentIdIsADuplicateMomentKey() {
            AdvocateId a = advocate("a1", false, program);
            moment("m-1", a, MomentKind.GO_LIVE, T0);
            assertThatThrownBy(() -> moment("m-1", a, MomentKind.RENEWAL, T0))
                    .isInstanceOfSatisfying(DuplicateKeyException.class, e -> assertThat(e.key())
                            .isEqualTo(UniqueKey.MOMENT));
            assertThat(tx((StoreTransaction tx) -> tx.moments().ofAdvocate(a))).hasSize(1);
        }

        @Test
        void momentsForAskingLeaveOutTheOptedOutTheUnenrolledTheRecentlyAskedAndThePending() {
            Instant since = T0.minusSeconds(3600);
            Instant cooldown = T0.minusSeconds(30L * 24 * 3600);
            AdvocateId ready = advocate("a-ready", false, program);
            AdvocateId askedLongAgo = advocate("a-long-ago", false, program);
            AdvocateId askedRecently = advocate("a-recent", false, program);
            AdvocateId pending = advocate("a-pending", false, program);
            AdvocateId askedElsewhere = advocate("a-elsewhere", false, program, otherProgram);
            AdvocateId optedOut = advocate("a-opted-out", true, program);
            AdvocateId notEnrolled = advocate("a-not-enrolled", false, otherProgram);
            Moment r2 = moment("m-r2", ready, MomentKind.RENEWAL, T0.plusSeconds(5));
            Moment r1 = moment("m-r1", ready, MomentKind.GO_LIVE, T0);
            moment("m-r0", ready, MomentKind.GO_LIVE, since.minusMillis(1)); // too old
            Moment longAgo = moment("m-l", askedLongAgo, MomentKind.CONTRACT_SIGNED, since);
            moment("m-rec", askedRecently, MomentKind.GO_LIVE, T0);
            moment("m-p", pending, MomentKind.GO_LIVE, T0);
            Moment elsewhere = moment("m-e", askedElsewhere, MomentKind.PUBLIC_PRAISE, T0);
            moment("m-o", optedOut, MomentKind.GO_LIVE, T0);
            moment("m-n", notEnrolled, MomentKind.GO_LIVE, T0);
            Ask old = ask("k-old", program, askedLongAgo, cooldown.minusSeconds(1));
            tx((StoreTransaction tx) -> tx.asks().update(old.resolve(AskStatus.DECLINED, cooldown, null)));
            Ask recent = ask("k-recent", program, askedRecently, cooldown);
            tx((StoreTransaction tx) -> tx.asks().update(recent.resolve(AskStatus.NO_RESPONSE, T0, null)));
            ask("k-pending", program, pending, cooldown.minusSeconds(86400 * 90L));
            ask("k-elsewhere", otherProgram, askedElsewhere, T0);

            assertThat(tx((StoreTransaction tx) -> tx.moments().forAsking(program, since, cooldown)))
                    .containsExactly(elsewhere, longAgo, r1, r2);
        }

        @Test
        void anAskRoundTripsAndResolvesOnlyFromItsPreviousVersion() {
            AdvocateId a = advocate("a1", false, program);
            Ask k = Ask.pending(AskId.of("k-1"), program, a, "", MomentId.of("m-1"), T0);
            tx((StoreTransaction tx) -> {
                tx.asks().insert(k);
                return null;
            });
            assertThat(tx((StoreTransaction tx) -> tx.asks().get(k.id()))).contains(k);
            Ask referred = k.resolve(AskStatus.REFERRED, T0.plusSeconds(3600), ReferralId.of("r-1"));
            assertThat(tx((StoreTransaction tx) -> tx.asks().update(referred))).isTrue();
            assertThat(tx((StoreTransaction tx) -> tx.asks().get(k.id()))).contains(referred);
            assertThat(tx((StoreTransaction tx) -> tx.asks()
                    .update(k.resolve(AskStatus.DECLINED, T0.plusSeconds(60), null)))).isFalse();
            assertThat(tx((StoreTransaction tx) -> tx.asks()
                    .update(Ask.pending(AskId.of("k-unknown"), program, a, "", null, T0)
                    .resolve(AskStatus.DECLINED, T0, null)))).isFalse();
            assertThat(tx((StoreTransaction tx) -> tx.asks().get(k.id()))).contains(referred);
            assertThat(tx((StoreTransaction tx) -> tx.asks().get(AskId.of("k-unknown")))).isEmpty();
        }

        @Test
        void aKnownAskIdIsADuplicateAskKey() {
            AdvocateId a = advocate("a1", false, program);
            ask("k-1", program, a, T0);
            assertThatThrownBy(() -> ask("k-1", otherProgram, a, T0.plusSeconds(1)))
                    .isInstanceOfSatisfying(DuplicateKeyException.class, e -> assertThat(e.key())
                            .isEqualTo(UniqueKey.ASK));
        }

        @Test
        void asksPendingAsksAndCountsFollowTheProgramTimeAndStatus() {
            AdvocateId a = advocate("a1", false, program, otherProgram);
            AdvocateId b = advocate("a2", false, program);
            Ask k3 = ask("k-3", program, a, T0.plusSeconds(20));
            Ask k2 = ask("k-2", program, a, T0);
            Ask k10 = ask("k-10", program, a, T0);
            Ask kb = ask("k-b", program, b, T0.plusSeconds(5));
            ask("k-other", otherProgram, a, T0);
            Ask declined = k2.resolve(AskStatus.DECLINED, T0.plusSeconds(30), null);
            tx((StoreTransaction tx) -> tx.asks().update(declined));

            assertThat(tx((StoreTransaction tx) -> tx.asks().of(a, program))).containsExactly(k10, declined, k3);
            assertThat(tx((StoreTransaction tx) -> tx.asks().pending(program, T0.plusSeconds(20), 10)))
                    .containsExactly(k10, kb);
            assertThat(tx((StoreTransaction tx) -> tx.asks().pending(program, T0.plusSeconds(21), 2)))
                    .containsExactly(k10, kb);
            assertThat(tx((StoreTransaction tx) -> tx.asks().pending(program, T0.plusSeconds(21), 0))).isEmpty();
            assertThat(tx((StoreTransaction tx) -> tx.asks().countByStatus(program, ReportPeriod.ALL_TIME)))
                    .isEqualTo(Map.of(AskStatus.PENDING, 3L, AskStatus.DECLINED, 1L));
            assertThat(tx((StoreTransaction tx) -> tx.asks()
                    .countByStatus(program, ReportPeriod.of(T0.plusSeconds(1), T0.plusSeconds(20)))))
                    .isEqualTo(Map.of(AskStatus.PENDING, 1L));
            assertThat(tx((StoreTransaction tx) -> tx.asks().countByStatus(ProgramId.of("none"), ReportPeriod.ALL_TIME)))
                    .isEmpty();
        }
    }
}
