package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.StoreTransaction;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hand-computed data set of {@link ProgramStatisticsContract}, written through the record areas.
 *
 * <p>Program {@link #PROGRAM} (the default B2B pipeline) has five enrolled advocates: {@link #A} (customer,
 * segments {@code enterprise} and {@code emea}), {@link #B} (partner, {@code smb}), {@link #C} (customer, {@code smb}
 * and {@code Enterprise}), {@code adv-d} (employee, no segment, no referrals) and {@code adv-e} (customer,
 * {@code enterprise}, enrolled on day 40). Its eight referrals, by submission day:
 * <pre>
 *   ref-01 A direct email  day 1  contacted d2, meeting_held d5, won d11      won, 10000 EUR
 *   ref-02 A referral form day 1  won d21 (skips every stage)                 won,  5000 EUR
 *   ref-03 B sales rep     day 2  contacted d3, lost d4                       lost,  700 EUR (not revenue)
 *   ref-04 C referral form day 3  qualified d4, won d33                       won,  2000 USD
 *   ref-05 C direct email  day 3  rejected d3+1h                              rejected
 *   ref-06 B sales rep     day 50 (no moves)                                  open
 *   ref-07 A direct email  day 4  opportunity d10, won d44                    won, no deal value
 *   ref-08 B link or code  day 5  contacted d6, then marked won (imported)    won,   300 EUR, no won entry
 * </pre>
 * Its rewards: w01 A ref-01 500 points fulfilled d11; w02 A ref-01 cash 100 EUR approved d11; w03 A ref-02 gift card
 * 50 EUR pending d21; w04 C ref-04 1000 points reversed d33; w05 B ref-03 perk fulfilled d3; w06 A contest cash
 * 200 EUR fulfilled d10; w07 C ref-04 donation 30 USD pending d33; w08 B ref-06 discount 20 EUR off pending d50; w09 B
 * custom event 10% discount approved d60; w10 A an unknown referral 70 points pending d5; w11 C contest custom swag
 * rejected d70; w12 A a referral of the other program 40 points approved d3.
 *
 * <p>The other program {@link #OTHER} has enrolments of A and B, one won referral of A and one reward, none of which
 * count for {@link #PROGRAM}. Program {@link #LOOP} (the looping pipeline of {@link Fixtures#loopingPipeline()}) has
 * three referrals of A that move back and forth.
 */
final class StatisticsFixture {
    static final ProgramId PROGRAM = ProgramId.of("prog-stats");
    static final ProgramId OTHER = ProgramId.of("prog-other");
    static final ProgramId LOOP = ProgramId.of("prog-loop");
    static final AdvocateId A = AdvocateId.of("adv-a");
    static final AdvocateId B = AdvocateId.of("adv-b");
    static final AdvocateId C = AdvocateId.of("adv-c");
    static final Currency EUR = Currency.getInstance("EUR");
    static final Currency USD = Currency.getInstance("USD");

    private final List<Referral> referrals = new ArrayList<>();
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final List<Reward> rewards = new ArrayList<>();

    private StatisticsFixture() {
    }

    /** Day {@code n} after {@code T0}. */
    static Instant day(long n) {
        return T0.plus(Duration.ofDays(n));
    }

    static Money eur(String amount) {
        return Money.of(amount, "EUR");
    }

    static Money usd(String amount) {
        return Money.of(amount, "USD");
    }

    /** Writes the data set in {@code t}. */
    static void writeTo(StoreTransaction t) {
        t.programs().insert(Program.builder(PROGRAM, "Statistics", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build());
        t.programs().insert(Fixtures.program(OTHER.value()));
        t.programs().insert(Program.builder(LOOP, "Loop", ProgramKind.PARTNER).status(ProgramStatus.ACTIVE)
                .pipeline(Fixtures.loopingPipeline()).build());
        advocate(t, A, AdvocateKind.CUSTOMER, Set.of("enterprise", "emea"));
        advocate(t, B, AdvocateKind.PARTNER, Set.of("smb"));
        advocate(t, C, AdvocateKind.CUSTOMER, Set.of("smb", "Enterprise"));
        advocate(t, AdvocateId.of("adv-d"), AdvocateKind.EMPLOYEE, Set.of());
        advocate(t, AdvocateId.of("adv-e"), AdvocateKind.CUSTOMER, Set.of("enterprise"));
        enrol(t, A, PROGRAM, 0);
        enrol(t, B, PROGRAM, 0);
        enrol(t, C, PROGRAM, 1);
        enrol(t, AdvocateId.of("adv-d"), PROGRAM, 2);
        enrol(t, AdvocateId.of("adv-e"), PROGRAM, 40);
        enrol(t, A, OTHER, 0);
        enrol(t, B, OTHER, 5);
        enrol(t, A, LOOP, 0);

        StatisticsFixture f = new StatisticsFixture();
        f.referral("ref-01", PROGRAM, A, Channel.DIRECT_EMAIL, 1, Outcome.WON, eur("10000"),
                move(2, "contacted"), move(5, "meeting_held"), move(11, "won"));
        f.referral("ref-02", PROGRAM, A, Channel.REFERRAL_FORM, 1, Outcome.WON, eur("5000"), move(21, "won"));
        f.referral("ref-03", PROGRAM, B, Channel.SALES_REP, 2, Outcome.LOST, eur("700"),
                move(3, "contacted"), move(4, "lost"));
        f.referral("ref-04", PROGRAM, C, Channel.REFERRAL_FORM, 3, Outcome.WON, usd("2000"),
                move(4, "qualified"), move(33, "won"));
        f.referral("ref-05", PROGRAM, C, Channel.DIRECT_EMAIL, 3, Outcome.REJECTED, null,
                new Move(day(3).plus(Duration.ofHours(1)), Stage.REJECTED));
        f.referral("ref-06", PROGRAM, B, Channel.SALES_REP, 50, null, null);
        f.referral("ref-07", PROGRAM, A, Channel.DIRECT_EMAIL, 4, Outcome.WON, null,
                move(10, "opportunity"), move(44, "won"));
        f.referral("ref-08", PROGRAM, B, Channel.LINK_OR_CODE, 5, Outcome.WON, eur("300"), move(6, "contacted"));
        f.referral("ref-q1", OTHER, A, Channel.DIRECT_EMAIL, 2, Outcome.WON, eur("999"), move(3, "won"));
        f.referral("ref-l1", LOOP, A, Channel.PARTNER_PORTAL, 0, Outcome.WON, eur("100"),
                move(1, "working"), move(2, "waiting"), move(3, "working"), move(4, "closed"));
        f.referral("ref-l2", LOOP, A, Channel.PARTNER_PORTAL, 0, Outcome.LOST, null,
                move(1, "working"), move(2, "waiting"), move(3, "working"), move(5, "dropped"));
        f.referral("ref-l3", LOOP, A, Channel.PARTNER_PORTAL, 0, Outcome.LOST, null, move(1, "dropped"));

        ReferralId r1 = ReferralId.of("ref-01");
        ReferralId r4 = ReferralId.of("ref-04");
        f.reward("w01", PROGRAM, A, RewardSource.referral(r1), new Incentive.Points(500), RewardStatus.FULFILLED, 11);
        f.reward("w02", PROGRAM, A, RewardSource.referral(r1), new Incentive.Cash(eur("100"), false),
                RewardStatus.APPROVED, 11);
        f.reward("w03", PROGRAM, A, RewardSource.referral(ReferralId.of("ref-02")),
                new Incentive.GiftCard(eur("50"), "Amazon"), RewardStatus.PENDING, 21);
        f.reward("w04", PROGRAM, C, RewardSource.referral(r4), new Incentive.Points(1000), RewardStatus.REVERSED, 33);
        f.reward("w05", PROGRAM, B, RewardSource.referral(ReferralId.of("ref-03")),
                new Incentive.Perk("training", "Admin training"), RewardStatus.FULFILLED, 3);
        f.reward("w06", PROGRAM, A, new RewardSource(RewardSource.Kind.CONTEST, "contest-1"),
                new Incentive.Cash(eur("200"), false), RewardStatus.FULFILLED, 10);
        f.reward("w07", PROGRAM, C, RewardSource.referral(r4), new Incentive.Donation(usd("30"), "Oxfam"),
                RewardStatus.PENDING, 33);
        f.reward("w08", PROGRAM, B, RewardSource.referral(ReferralId.of("ref-06")),
                new Incentive.Discount(null, eur("20"), "SAVE20"), RewardStatus.PENDING, 50);
        f.reward("w09", PROGRAM, B, new RewardSource(RewardSource.Kind.CUSTOM_EVENT, "webinar"),
                new Incentive.Discount(BigDecimal.TEN, null, ""), RewardStatus.APPROVED, 60);
        f.reward("w10", PROGRAM, A, new RewardSource(RewardSource.Kind.REFERRAL, "no-such-referral"),
                new Incentive.Points(70), RewardStatus.PENDING, 5);
        f.reward("w11", PROGRAM, C, new RewardSource(RewardSource.Kind.CONTEST, "contest-2"),
                new Incentive.Custom("swag", Map.of("size", "L")), RewardStatus.REJECTED, 70);
        f.reward("w12", PROGRAM, A, RewardSource.referral(ReferralId.of("ref-q1")), new Incentive.Points(40),
                RewardStatus.APPROVED, 3);
        f.reward("wq1", OTHER, A, RewardSource.referral(ReferralId.of("ref-q1")), new Incentive.Points(9999),
                RewardStatus.FULFILLED, 3);

        t.referrals().insertAll(f.referrals);
        t.timelines().appendAll(f.timeline);
        f.rewards.forEach(t.rewards()::insert);
    }

    private static void advocate(StoreTransaction t, AdvocateId id, AdvocateKind kind, Set<String> segments) {
        t.advocates().insert(new Advocate(id, "ext-" + id.value(), "Advocate " + id.value(), "", kind, "", "", "",
                segments, Map.of(), false, T0, 1));
    }

    private static void enrol(StoreTransaction t, AdvocateId a, ProgramId p, long day) {
        t.advocates().insertEnrolment(new Enrolment(a, p, day(day)));
    }

    private record Move(Instant at, Stage to) {
    }

    private static Move move(long day, String stage) {
        return new Move(day(day), Stage.of(stage));
    }

    private void referral(String id, ProgramId program, AdvocateId advocate, Channel channel, long submittedDay,
            Outcome outcome, Money deal, Move... moves) {
        ReferralId rid = ReferralId.of(id);
        Stage stage = program.equals(LOOP) ? Stage.of("fresh") : Stage.SUBMITTED;
        Instant updated = day(submittedDay);
        int seq = 0;
        for (Move m : moves) {
            seq++;
            timeline.add(new TimelineEntry(rid, seq, stage, m.to(), m.at(), TransitionCause.crm("salesforce"), "",
                    ""));
            stage = m.to();
            updated = m.at();
        }
        referrals.add(Fixtures.referralBuilder(id, program, advocate).channel(channel)
                .salesRep(channel == Channel.SALES_REP ? "rep-1" : "").stage(stage).outcome(outcome).dealValue(deal)
                .submittedAt(day(submittedDay)).updatedAt(updated).timelineLength(seq).build());
    }

    private void reward(String id, ProgramId program, AdvocateId advocate, RewardSource source, Incentive incentive,
            RewardStatus status, long createdDay) {
        Instant at = day(createdDay);
        rewards.add(new Reward(RewardId.of(id), program, advocate, Beneficiary.ADVOCATE, source, "rule-" + id, 1,
                "stage:won", incentive, status, at, at, at, List.of(), 1));
    }
}
