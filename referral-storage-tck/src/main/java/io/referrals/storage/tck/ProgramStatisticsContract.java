package io.referrals.storage.tck;

import static io.referrals.storage.tck.StatisticsFixture.A;
import static io.referrals.storage.tck.StatisticsFixture.B;
import static io.referrals.storage.tck.StatisticsFixture.C;
import static io.referrals.storage.tck.StatisticsFixture.EUR;
import static io.referrals.storage.tck.StatisticsFixture.LOOP;
import static io.referrals.storage.tck.StatisticsFixture.OTHER;
import static io.referrals.storage.tck.StatisticsFixture.PROGRAM;
import static io.referrals.storage.tck.StatisticsFixture.USD;
import static io.referrals.storage.tck.StatisticsFixture.day;
import static io.referrals.storage.tck.StatisticsFixture.eur;
import static io.referrals.storage.tck.StatisticsFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.insights.DurationSummary;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramStats.AdvocateTotals;
import io.referrals.core.insights.ProgramStats.Breakdown;
import io.referrals.core.insights.ProgramStats.RewardTotals;
import io.referrals.core.insights.ProgramStats.TransitionCount;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.ProgramStatistics;
import io.referrals.core.storage.StoreTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The obligations of {@link ProgramStatistics}: {@link ProgramStatistics#scanning} gives the hand-computed figures of
 * {@link StatisticsFixture}'s data set, and a store's own {@link StoreTransaction#statistics()}, when it has one, gives
 * the same results as scanning for every kind of query. Part of {@link ReferralStoreContract}.
 */
public abstract class ProgramStatisticsContract extends MessageRecordsContract {

    ProgramStatisticsContract() {
    }

    private static ProgramStats scanning(StoreTransaction t, InsightsQuery q) {
        return ProgramStatistics.scanning(t).programStats(q);
    }

    private static TransitionCount moved(String from, String to, long count) {
        return new TransitionCount(Stage.of(from), Stage.of(to), count);
    }

    private static DurationSummary days(long count, long median, long p90) {
        return new DurationSummary(count, Duration.ofDays(median), Duration.ofDays(p90));
    }

    private static RewardTotals totals(long count, long points, List<Money> money, long unvalued) {
        return new RewardTotals(count, points, money, unvalued);
    }

    private static Map<Stage, Long> stages(String s1, long n1, String s2, long n2, String s3, long n3) {
        return Map.of(Stage.of(s1), n1, Stage.of(s2), n2, Stage.of(s3), n3);
    }

    /** Compares field by field, so that a failure names the figure, then as a whole. */
    private static void assertStats(ProgramStats actual, ProgramStats expected) {
        assertStats(actual, expected, "");
    }

    private static void assertStats(ProgramStats actual, ProgramStats expected, String query) {
        assertThat(actual.advocatesEnrolled()).as("%s%s", query, "advocatesEnrolled")
                .isEqualTo(expected.advocatesEnrolled());
        assertThat(actual.advocatesEnrolledInPeriod()).as("%s%s", query, "advocatesEnrolledInPeriod")
                .isEqualTo(expected.advocatesEnrolledInPeriod());
        assertThat(actual.referringAdvocates()).as("%s%s", query, "referringAdvocates")
                .isEqualTo(expected.referringAdvocates());
        assertThat(actual.submitted()).as("%s%s", query, "submitted").isEqualTo(expected.submitted());
        assertThat(actual.currentStages()).as("%s%s", query, "currentStages").isEqualTo(expected.currentStages());
        assertThat(actual.furthestStages()).as("%s%s", query, "furthestStages").isEqualTo(expected.furthestStages());
        assertThat(actual.transitions()).as("%s%s", query, "transitions").isEqualTo(expected.transitions());
        assertThat(actual.won()).as("%s%s", query, "won").isEqualTo(expected.won());
        assertThat(actual.timeToWon()).as("%s%s", query, "timeToWon").isEqualTo(expected.timeToWon());
        assertThat(actual.revenue()).as("%s%s", query, "revenue").isEqualTo(expected.revenue());
        assertThat(actual.wonWithoutDealValue()).as("%s%s", query, "wonWithoutDealValue")
                .isEqualTo(expected.wonWithoutDealValue());
        assertThat(actual.rewards()).as("%s%s", query, "rewards").isEqualTo(expected.rewards());
        assertThat(actual.byChannel()).as("%s%s", query, "byChannel").isEqualTo(expected.byChannel());
        assertThat(actual.bySegment()).as("%s%s", query, "bySegment").isEqualTo(expected.bySegment());
        assertThat(actual.topByWon()).as("%s%s", query, "topByWon").isEqualTo(expected.topByWon());
        assertThat(actual.topByRevenue()).as("%s%s", query, "topByRevenue").isEqualTo(expected.topByRevenue());
        assertThat(actual).as("%s", query).isEqualTo(expected);
    }

    @Nested
    @DisplayName("Program statistics (ProgramStatistics)")
    class Statistics {

        @BeforeEach
        void seed() {
            write(StatisticsFixture::writeTo);
        }

        private ProgramStats scanned(InsightsQuery q) {
            return tx(t -> scanning(t, q));
        }

        @Test
        @DisplayName("scanning, over all time: enrolments, cohort, current and furthest stages, transitions, wins, "
                + "time to won, revenue, rewards by status, breakdowns and top lists of the known data set")
        void allTime() {
            ProgramStats expected = new ProgramStats(5, 5, 3, 8,
                    Map.of(Stage.WON, 4L, Stage.LOST, 1L, Stage.REJECTED, 1L, Stage.SUBMITTED, 1L, Stage.CONTACTED, 1L),
                    stages("won", 4, "contacted", 2, "submitted", 2),
                    List.of(moved("contacted", "lost", 1), moved("contacted", "meeting_held", 1),
                            moved("meeting_held", "won", 1), moved("opportunity", "won", 1),
                            moved("qualified", "won", 1), moved("submitted", "contacted", 3),
                            moved("submitted", "opportunity", 1), moved("submitted", "qualified", 1),
                            moved("submitted", "rejected", 1), moved("submitted", "won", 1)),
                    5, days(4, 25, 37), List.of(eur("15300"), usd("2000")), 1,
                    Map.of(RewardStatus.FULFILLED, totals(3, 500, List.of(eur("200")), 1),
                            RewardStatus.APPROVED, totals(2, 0, List.of(eur("100")), 1),
                            RewardStatus.PENDING, totals(3, 0, List.of(eur("70"), usd("30")), 0),
                            RewardStatus.REVERSED, totals(1, 1000, List.of(), 0),
                            RewardStatus.REJECTED, totals(1, 0, List.of(), 1)),
                    List.of(new Breakdown("DIRECT_EMAIL", 3, 2), new Breakdown("LINK_OR_CODE", 1, 1),
                            new Breakdown("REFERRAL_FORM", 2, 2), new Breakdown("SALES_REP", 2, 0)),
                    List.of(new Breakdown("Enterprise", 2, 1), new Breakdown("emea", 3, 3),
                            new Breakdown("enterprise", 3, 3), new Breakdown("smb", 5, 2)),
                    List.of(new AdvocateTotals(A, 3, 3, eur("15000")), new AdvocateTotals(B, 3, 1, eur("300")),
                            new AdvocateTotals(C, 2, 1, eur("0"))),
                    List.of(new AdvocateTotals(A, 3, 3, eur("15000")), new AdvocateTotals(B, 3, 1, eur("300"))));
            assertStats(scanned(InsightsQuery.builder(PROGRAM, EUR).build()), expected);
        }

        @Test
        @DisplayName("scanning, for a period: the cohort is submitted in [from, to), enrolments count before its end "
                + "and in it, other-source rewards count when created in it")
        void period() {
            ProgramStats expected = new ProgramStats(5, 2, 3, 5,
                    Map.of(Stage.LOST, 1L, Stage.WON, 2L, Stage.REJECTED, 1L, Stage.CONTACTED, 1L),
                    stages("contacted", 2, "won", 2, "submitted", 1),
                    List.of(moved("contacted", "lost", 1), moved("opportunity", "won", 1),
                            moved("qualified", "won", 1), moved("submitted", "contacted", 2),
                            moved("submitted", "opportunity", 1), moved("submitted", "qualified", 1),
                            moved("submitted", "rejected", 1)),
                    3, days(2, 35, 39), List.of(eur("300"), usd("2000")), 1,
                    Map.of(RewardStatus.FULFILLED, totals(2, 0, List.of(eur("200")), 1),
                            RewardStatus.PENDING, totals(1, 0, List.of(usd("30")), 0),
                            RewardStatus.REVERSED, totals(1, 1000, List.of(), 0)),
                    List.of(new Breakdown("DIRECT_EMAIL", 2, 1), new Breakdown("LINK_OR_CODE", 1, 1),
                            new Breakdown("REFERRAL_FORM", 1, 1), new Breakdown("SALES_REP", 1, 0)),
                    List.of(new Breakdown("Enterprise", 2, 1), new Breakdown("emea", 1, 1),
                            new Breakdown("enterprise", 1, 1), new Breakdown("smb", 4, 2)),
                    List.of(new AdvocateTotals(B, 2, 1, eur("300")), new AdvocateTotals(A, 1, 1, eur("0")),
                            new AdvocateTotals(C, 2, 1, eur("0"))),
                    List.of(new AdvocateTotals(B, 2, 1, eur("300"))));
            assertStats(scanned(InsightsQuery.builder(PROGRAM, EUR).period(ReportPeriod.of(day(2), day(45))).build()),
                    expected);
        }

        @Test
        @DisplayName("scanning, for a channel: the cohort and its rewards narrow to the channel, rewards of other "
                + "sources drop out, enrolments do not change")
        void channel() {
            ProgramStats expected = new ProgramStats(5, 5, 2, 3, Map.of(Stage.WON, 2L, Stage.REJECTED, 1L),
                    Map.of(Stage.WON, 2L, Stage.SUBMITTED, 1L),
                    List.of(moved("contacted", "meeting_held", 1), moved("meeting_held", "won", 1),
                            moved("opportunity", "won", 1), moved("submitted", "contacted", 1),
                            moved("submitted", "opportunity", 1), moved("submitted", "rejected", 1)),
                    2, days(2, 25, 37), List.of(eur("10000")), 1,
                    Map.of(RewardStatus.FULFILLED, totals(1, 500, List.of(), 0),
                            RewardStatus.APPROVED, totals(1, 0, List.of(eur("100")), 0)),
                    List.of(new Breakdown("DIRECT_EMAIL", 3, 2)),
                    List.of(new Breakdown("Enterprise", 1, 0), new Breakdown("emea", 2, 2),
                            new Breakdown("enterprise", 2, 2), new Breakdown("smb", 1, 0)),
                    List.of(new AdvocateTotals(A, 2, 2, eur("10000"))),
                    List.of(new AdvocateTotals(A, 2, 2, eur("10000"))));
            assertStats(scanned(InsightsQuery.builder(PROGRAM, EUR).channel(Channel.DIRECT_EMAIL).build()), expected);
        }

        @Test
        @DisplayName("scanning, for a segment: only advocates with the segment, for the cohort, enrolments and "
                + "rewards; breakdowns list all their segments; top lists in the query's currency")
        void segment() {
            ProgramStats expected = new ProgramStats(2, 2, 2, 5,
                    Map.of(Stage.LOST, 1L, Stage.WON, 1L, Stage.REJECTED, 1L, Stage.SUBMITTED, 1L,
                            Stage.CONTACTED, 1L),
                    stages("contacted", 2, "won", 1, "submitted", 2),
                    List.of(moved("contacted", "lost", 1), moved("qualified", "won", 1),
                            moved("submitted", "contacted", 2), moved("submitted", "qualified", 1),
                            moved("submitted", "rejected", 1)),
                    2, days(1, 30, 30), List.of(eur("300"), usd("2000")), 0,
                    Map.of(RewardStatus.FULFILLED, totals(1, 0, List.of(), 1),
                            RewardStatus.PENDING, totals(2, 0, List.of(eur("20"), usd("30")), 0),
                            RewardStatus.REVERSED, totals(1, 1000, List.of(), 0),
                            RewardStatus.APPROVED, totals(1, 0, List.of(), 1),
                            RewardStatus.REJECTED, totals(1, 0, List.of(), 1)),
                    List.of(new Breakdown("DIRECT_EMAIL", 1, 0), new Breakdown("LINK_OR_CODE", 1, 1),
                            new Breakdown("REFERRAL_FORM", 1, 1), new Breakdown("SALES_REP", 2, 0)),
                    List.of(new Breakdown("Enterprise", 2, 1), new Breakdown("smb", 5, 2)),
                    List.of(new AdvocateTotals(C, 2, 1, usd("2000")), new AdvocateTotals(B, 3, 1, usd("0"))),
                    List.of(new AdvocateTotals(C, 2, 1, usd("2000"))));
            assertStats(scanned(InsightsQuery.builder(PROGRAM, USD).segment("smb").build()), expected);
        }

        @Test
        @DisplayName("scanning, for an advocate kind with one top advocate: only advocates of the kind; top lists cut "
                + "at the limit")
        void advocateKind() {
            ProgramStats expected = new ProgramStats(3, 3, 2, 5, Map.of(Stage.WON, 4L, Stage.REJECTED, 1L),
                    Map.of(Stage.WON, 4L, Stage.SUBMITTED, 1L),
                    List.of(moved("contacted", "meeting_held", 1), moved("meeting_held", "won", 1),
                            moved("opportunity", "won", 1), moved("qualified", "won", 1),
                            moved("submitted", "contacted", 1), moved("submitted", "opportunity", 1),
                            moved("submitted", "qualified", 1), moved("submitted", "rejected", 1),
                            moved("submitted", "won", 1)),
                    4, days(4, 25, 37), List.of(eur("15000"), usd("2000")), 1,
                    Map.of(RewardStatus.FULFILLED, totals(2, 500, List.of(eur("200")), 0),
                            RewardStatus.APPROVED, totals(1, 0, List.of(eur("100")), 0),
                            RewardStatus.PENDING, totals(2, 0, List.of(eur("50"), usd("30")), 0),
                            RewardStatus.REVERSED, totals(1, 1000, List.of(), 0),
                            RewardStatus.REJECTED, totals(1, 0, List.of(), 1)),
                    List.of(new Breakdown("DIRECT_EMAIL", 3, 2), new Breakdown("REFERRAL_FORM", 2, 2)),
                    List.of(new Breakdown("Enterprise", 2, 1), new Breakdown("emea", 3, 3),
                            new Breakdown("enterprise", 3, 3), new Breakdown("smb", 2, 1)),
                    List.of(new AdvocateTotals(A, 3, 3, eur("15000"))),
                    List.of(new AdvocateTotals(A, 3, 3, eur("15000"))));
            assertStats(scanned(InsightsQuery.builder(PROGRAM, EUR).advocateKind(AdvocateKind.CUSTOMER)
                    .topAdvocates(1).build()), expected);
        }

        @Test
        @DisplayName("scanning reads the funnel from the stored program's pipeline: the furthest stage is the "
                + "highest one entered, even after moving back")
        void customPipeline() {
            ProgramStats s = scanned(InsightsQuery.builder(LOOP, EUR).build());
            assertThat(s.submitted()).isEqualTo(3);
            assertThat(s.currentStages()).isEqualTo(Map.of(Stage.of("closed"), 1L, Stage.of("dropped"), 2L));
            assertThat(s.furthestStages()).isEqualTo(stages("closed", 1, "waiting", 1, "fresh", 1));
            assertThat(s.transitions()).containsExactly(moved("fresh", "dropped", 1), moved("fresh", "working", 2),
                    moved("waiting", "working", 2), moved("working", "closed", 1), moved("working", "dropped", 1),
                    moved("working", "waiting", 2));
            assertThat(s.won()).isEqualTo(1);
            assertThat(s.timeToWon()).isEqualTo(days(1, 4, 4));
            assertThat(s.revenue()).containsExactly(eur("100"));
        }

        @Test
        @DisplayName("scanning gives the empty statistics for an unknown program")
        void unknownProgram() {
            assertThat(scanned(InsightsQuery.builder(ProgramId.of("prog-none"), EUR).build()))
                    .isEqualTo(ProgramStats.empty());
        }

        @Test
        @DisplayName("statistics() is never null, and when the store has its own they give the same results as "
                + "scanning for every kind of query: period, channel, segment, advocate kind, currency, top list "
                + "length, program")
        void ownEqualsScanning() {
            tx(t -> {
                Optional<ProgramStatistics> own = t.statistics();
                assertThat(own).as("statistics() returns Optional.empty() when the store has none, never null")
                        .isNotNull();
                for (InsightsQuery q : queries()) {
                    ProgramStats used = own.map(o -> o.programStats(q)).orElseGet(() -> scanning(t, q));
                    assertStats(used, scanning(t, q), q + ": ");
                }
                return null;
            });
        }

        @Test
        @DisplayName("scanning, and statistics() when the store has its own, see the transaction's own writes")
        void seesOwnWrites() {
            InsightsQuery q = InsightsQuery.builder(PROGRAM, EUR).build();
            write(t -> {
                Referral late = Fixtures.referralBuilder("ref-09", PROGRAM, C).channel(Channel.DIRECT_EMAIL)
                        .stage(Stage.WON).outcome(Outcome.WON).dealValue(eur("50")).submittedAt(day(7))
                        .updatedAt(day(9)).timelineLength(1).build();
                t.referrals().insert(late);
                t.timelines().append(new TimelineEntry(late.id(), 1, Stage.SUBMITTED, Stage.WON, day(9),
                        TransitionCause.crm("salesforce"), "", ""));
                t.rewards().insert(new Reward(RewardId.of("w13"), PROGRAM, C, Beneficiary.ADVOCATE,
                        RewardSource.referral(late.id()), "rule-w13", 1, "stage:won", new Incentive.Points(5),
                        RewardStatus.PENDING, day(9), day(9), day(9), List.of(), 1));
                ProgramStats scanned = scanning(t, q);
                assertThat(scanned.submitted()).as("the new referral").isEqualTo(9);
                assertThat(scanned.won()).isEqualTo(6);
                assertThat(scanned.revenue()).containsExactly(eur("15350"), usd("2000"));
                assertThat(scanned.rewards().get(RewardStatus.PENDING).points()).as("the new reward").isEqualTo(5);
                t.statistics().ifPresent(own -> assertThat(own.programStats(q)).isEqualTo(scanned));
            });
        }
    }

    /** Queries of every kind over the data set of {@link StatisticsFixture}. */
    static List<InsightsQuery> queries() {
        ReportPeriod early = ReportPeriod.of(day(2), day(45));
        ReportPeriod late = ReportPeriod.of(day(45), day(100));
        List<InsightsQuery> out = new ArrayList<>();
        for (ProgramId p : List.of(PROGRAM, OTHER, LOOP)) {
            out.add(InsightsQuery.builder(p, EUR).build());
            out.add(InsightsQuery.builder(p, USD).topAdvocates(1).build());
            out.add(InsightsQuery.builder(p, EUR).period(early).build());
            out.add(InsightsQuery.builder(p, EUR).period(late).topAdvocates(100).build());
            out.add(InsightsQuery.builder(p, EUR).period(ReportPeriod.of(day(3), day(3).plusNanos(1_000))).build());
            out.add(InsightsQuery.builder(p, EUR).channel(Channel.DIRECT_EMAIL).build());
            out.add(InsightsQuery.builder(p, USD).channel(Channel.SALES_REP).period(early).build());
            out.add(InsightsQuery.builder(p, EUR).channel(Channel.SOCIAL_MESSAGE).build());
            out.add(InsightsQuery.builder(p, USD).segment("smb").build());
            out.add(InsightsQuery.builder(p, EUR).segment("Enterprise").build());
            out.add(InsightsQuery.builder(p, EUR).segment("enterprise").period(early).build());
            out.add(InsightsQuery.builder(p, EUR).segment("no-such-segment").build());
            out.add(InsightsQuery.builder(p, EUR).advocateKind(AdvocateKind.CUSTOMER).topAdvocates(1).build());
            out.add(InsightsQuery.builder(p, EUR).advocateKind(AdvocateKind.PARTNER).build());
            out.add(InsightsQuery.builder(p, EUR).advocateKind(AdvocateKind.EMPLOYEE).build());
            out.add(InsightsQuery.builder(p, USD).advocateKind(AdvocateKind.PARTNER).segment("smb")
                    .channel(Channel.LINK_OR_CODE).period(early).build());
        }
        out.add(InsightsQuery.builder(ProgramId.of("prog-none"), EUR).build());
        return out;
    }
}
