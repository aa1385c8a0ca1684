package io.referrals.storage.jdbc;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.ReferralStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A random program history, the same for a given seed, written through the storage SPI into any store: two programs
 * (the B2B default pipeline, and one with two won stages), advocates of several kinds and segments (two differing only
 * in case), referrals in four channels that move forward, back and sideways, deal values in EUR and USD (some on
 * referrals that are not won, some with more decimals than a currency has), and rewards of every incentive kind and
 * status, from referrals of either program, from no known referral, and from contests.
 */
final class InsightsHistory {
    static final ProgramId B2B = ProgramId.of("p-b2b");
    static final ProgramId OTHER = ProgramId.of("p-other");
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    static final long SPAN_MILLIS = 540L * 24 * 3600 * 1000;
    static final List<Channel> CHANNELS = List.of(Channel.REFERRAL_FORM, Channel.DIRECT_EMAIL, Channel.LINK_OR_CODE,
            Channel.SALES_REP);
    static final List<String> SEGMENTS = List.of("smb", "Enterprise", "enterprise", "emea");

    final List<Program> programs = new ArrayList<>();
    final List<Advocate> advocates = new ArrayList<>();
    final List<Enrolment> enrolments = new ArrayList<>();
    final List<Referral> referrals = new ArrayList<>();
    final List<TimelineEntry> timeline = new ArrayList<>();
    final List<Reward> rewards = new ArrayList<>();

    private final Random random;

    InsightsHistory(long seed, int advocateCount, int referralCount, int rewardCount) {
        random = new Random(seed);
        StagePipeline other = StagePipeline.builder().stage("fresh").stage("working").stage("proposal")
                .terminal("won_direct", Outcome.WON).terminal("won_partner", Outcome.WON)
                .terminal("dead", Outcome.LOST).transition("fresh", "working", "proposal", "won_direct", "dead")
                .transition("working", "proposal", "won_partner", "dead").transition("proposal", "won_direct")
                .build();
        programs.add(Program.builder(B2B, "B2B", ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE).build());
        programs.add(Program.builder(OTHER, "Other", ProgramKind.PARTNER).status(ProgramStatus.ACTIVE)
                .pipeline(other).build());
        AdvocateKind[] kinds = {AdvocateKind.CUSTOMER, AdvocateKind.PARTNER, AdvocateKind.EMPLOYEE};
        for (int i = 0; i < advocateCount; i++) {
            Set<String> segments = new HashSet<>();
            for (String s : SEGMENTS) {
                if (random.nextInt(3) == 0) {
                    segments.add(s);
                }
            }
            AdvocateId id = AdvocateId.of(String.format("adv-%03d", i));
            advocates.add(new Advocate(id, "ext-" + i, "Advocate " + i, "", kinds[random.nextInt(kinds.length)],
                    "", "", "", segments, Map.of(), random.nextInt(8) == 0, at(), 1));
            for (Program p : programs) {
                if (random.nextInt(10) < 8) {
                    enrolments.add(new Enrolment(id, p.id(), at()));
                }
            }
        }
        for (int i = 0; i < referralCount; i++) {
            referral(i);
        }
        for (int i = 0; i < rewardCount; i++) {
            reward(i);
        }
    }

    /** A random instant in the span, at millisecond precision. */
    private Instant at() {
        return START.plusMillis((long) (random.nextDouble() * SPAN_MILLIS));
    }

    private void referral(int i) {
        Program program = programs.get(random.nextInt(programs.size()));
        StagePipeline pipeline = program.pipeline();
        ReferralId id = ReferralId.of(String.format("ref-%05d", i));
        Instant submitted = at();
        Stage stage = pipeline.initial();
        Instant t = submitted;
        int moves = random.nextInt(5);
        for (int m = 1; m <= moves; m++) {
            Stage to = pipeline.stages().get(random.nextInt(pipeline.stages().size()));
            if (to.equals(stage)) {
                continue;
            }
            t = t.plusMillis(1 + random.nextInt(20 * 24 * 3600 * 1000));
            timeline.add(new TimelineEntry(id, timelineLength(id) + 1, stage, to, t, TransitionCause.rep("rep"),
                    "", ""));
            stage = to;
        }
        Outcome outcome = pipeline.outcome(stage).orElse(null);
        if (outcome == null && random.nextInt(25) == 0) {
            outcome = Outcome.WON; // an imported referral marked won without a timeline into a won stage
        }
        Money deal = null;
        if (random.nextInt(10) < (outcome == Outcome.WON ? 8 : 1)) {
            String currency = random.nextBoolean() ? "EUR" : "USD";
            deal = new Money(BigDecimal.valueOf(random.nextInt(5_000_000), random.nextInt(6) == 0 ? 3 : 2),
                    java.util.Currency.getInstance(currency));
        }
        Advocate advocate = advocates.get(random.nextInt(advocates.size()));
        referrals.add(Referral.builder().id(id).programId(program.id()).advocateId(advocate.id())
                .prospect(Prospect.builder().fullName("Prospect " + i).email("p" + i + "@x" + i + ".example")
                        .company("X" + i).build())
                .channel(CHANNELS.get(random.nextInt(CHANNELS.size()))).consent(ConsentBasis.PROSPECT_CONSENT)
                .stage(stage).outcome(outcome).dealValue(deal).submittedAt(submitted).updatedAt(t)
                .timelineLength(timelineLength(id)).build());
    }

    private int timelineLength(ReferralId id) {
        int n = 0;
        for (int k = timeline.size() - 1; k >= 0 && timeline.get(k).referralId().equals(id); k--) {
            n++;
        }
        return n;
    }

    private void reward(int i) {
        Program program = programs.get(random.nextInt(programs.size()));
        RewardSource source;
        int s = random.nextInt(10);
        if (s < 7 && !referrals.isEmpty()) {
            source = RewardSource.referral(referrals.get(random.nextInt(referrals.size())).id());
        } else if (s == 7) {
            source = new RewardSource(RewardSource.Kind.REFERRAL, "no-such-referral");
        } else {
            source = new RewardSource(random.nextBoolean() ? RewardSource.Kind.CONTEST : RewardSource.Kind.CUSTOM_EVENT,
                    "c" + random.nextInt(3));
        }
        Money amount = new Money(BigDecimal.valueOf(1 + random.nextInt(100_000), 2),
                java.util.Currency.getInstance(random.nextBoolean() ? "EUR" : "USD"));
        Incentive incentive = switch (random.nextInt(8)) {
            case 0 -> new Incentive.Points(1 + random.nextInt(5000));
            case 1 -> new Incentive.Cash(amount, random.nextBoolean());
            case 2 -> new Incentive.Discount(BigDecimal.valueOf(15), null, "");
            case 3 -> new Incentive.Discount(null, amount, "CODE" + i);
            case 4 -> new Incentive.Perk("training", "a seat");
            case 5 -> new Incentive.GiftCard(amount, "Acme");
            case 6 -> new Incentive.Donation(amount, "Charity");
            default -> new Incentive.Custom("swag", Map.of("size", "L"));
        };
        RewardStatus status = RewardStatus.values()[random.nextInt(RewardStatus.values().length)];
        Instant created = at();
        Advocate advocate = advocates.get(random.nextInt(advocates.size()));
        rewards.add(new Reward(RewardId.of(String.format("rw-%05d", i)), program.id(), advocate.id(),
                random.nextInt(5) == 0 ? Beneficiary.REFERRED_PARTY : Beneficiary.ADVOCATE, source, "rule", 1,
                "m" + i, incentive, status, created, created, created, List.of(), 1));
    }

    /** Writes the history into {@code store}, in batches. */
    void writeTo(ReferralStore store) {
        store.inTransaction(tx -> {
            programs.forEach(tx.programs()::insert);
            advocates.forEach(tx.advocates()::insert);
            enrolments.forEach(tx.advocates()::insertEnrolment);
            return null;
        });
        store.inTransaction(tx -> {
            tx.referrals().insertAll(referrals);
            tx.timelines().appendAll(timeline);
            rewards.forEach(tx.rewards()::insert);
            return null;
        });
        // versioned updates must keep the aggregated columns in step with the bodies
        store.inTransaction(tx -> {
            for (int i = 0; i < referrals.size(); i += 7) {
                Referral r = referrals.get(i);
                Referral.Builder b = r.toBuilder().version(r.version() + 1);
                if (r.outcome().isEmpty()) {
                    b.outcome(Outcome.WON).dealValue(Money.of("1234.50", "EUR"));
                } else {
                    b.dealValue(null);
                }
                if (!tx.referrals().update(b.build())) {
                    throw new IllegalStateException("update lost");
                }
            }
            for (int i = 0; i < rewards.size(); i += 5) {
                Reward w = rewards.get(i);
                if (!tx.rewards().update(w.withStatus(RewardStatus.REVERSED, w.createdAt().plusSeconds(60)))) {
                    throw new IllegalStateException("update lost");
                }
            }
            for (int i = 0; i < advocates.size(); i += 4) {
                Advocate a = advocates.get(i);
                Set<String> segments = a.segments().contains("smb") ? Set.of("emea") : Set.of("smb", "Enterprise");
                if (!tx.advocates().update(new Advocate(a.id(), a.externalId(), a.displayName(), a.email(), a.kind(),
                        a.accountId(), a.companyName(), a.companyDomain(), segments, a.attributes(), !a.optedOut(),
                        a.registeredAt(), a.version() + 1))) {
                    throw new IllegalStateException("update lost");
                }
            }
            return null;
        });
    }
}
