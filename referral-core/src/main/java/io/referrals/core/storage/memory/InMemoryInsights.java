package io.referrals.core.storage.memory;

import io.referrals.core.insights.DurationSummary;
import io.referrals.core.insights.Funnel;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link io.referrals.core.storage.StoreTransaction#programStats} for the in-memory store: one streaming pass over
 * the program's referrals (and one over enrolments and rewards) that keeps only counters, sums, the won durations
 * and one accumulator per advocate. Reads the store's maps under the store's lock; writes nothing.
 */
final class InMemoryInsights {
    private final InsightsQuery q;
    private final Map<AdvocateId, Advocate> advocates;
    private final Map<ReferralId, Referral> referrals;

    private InMemoryInsights(InsightsQuery q, Map<AdvocateId, Advocate> advocates,
            Map<ReferralId, Referral> referrals) {
        this.q = q;
        this.advocates = advocates;
        this.referrals = referrals;
    }

    /** The aggregates of {@code q} over the store's maps, as the SPI defines them. */
    static ProgramStats programStats(InsightsQuery q, Map<ProgramId, Program> programs,
            Map<AdvocateId, Advocate> advocates, Map<AdvocateId, Map<ProgramId, Enrolment>> enrolments,
            Map<ReferralId, Referral> referrals, Map<ReferralId, List<TimelineEntry>> timelines,
            Map<RewardId, Reward> rewards) {
        InMemoryInsights self = new InMemoryInsights(q, advocates, referrals);
        Program program = programs.get(q.programId());
        if (program == null) {
            return ProgramStats.empty();
        }
        StagePipeline pipeline = program.pipeline();
        Map<Stage, Integer> rank = new HashMap<>();
        List<Stage> funnel = Funnel.stages(pipeline);
        for (int i = 0; i < funnel.size(); i++) {
            rank.put(funnel.get(i), i);
        }
        ReportPeriod period = q.period();

        long enrolled = 0;
        long enrolledInPeriod = 0;
        for (Map<ProgramId, Enrolment> mine : enrolments.values()) {
            Enrolment e = mine.get(q.programId());
            if (e != null && self.advocateMatches(e.advocateId())) {
                if (e.enrolledAt().isBefore(period.to())) {
                    enrolled++;
                }
                if (period.contains(e.enrolledAt())) {
                    enrolledInPeriod++;
                }
            }
        }

        Set<AdvocateId> referrers = new HashSet<>();
        Map<Stage, Long> current = new HashMap<>();
        Map<Stage, Long> furthest = new HashMap<>();
        Map<String, Long> transitions = new TreeMap<>();
        Map<String, Money> revenue = new TreeMap<>();
        Map<String, long[]> byChannel = new TreeMap<>();
        Map<String, long[]> bySegment = new TreeMap<>();
        Map<AdvocateId, long[]> perAdvocate = new HashMap<>();
        Map<AdvocateId, BigDecimal> perAdvocateRevenue = new HashMap<>();
        List<Long> durations = new ArrayList<>();
        long submitted = 0;
        long won = 0;
        long wonWithoutValue = 0;
        for (Referral r : referrals.values()) {
            if (!self.inCohort(r)) {
                continue;
            }
            submitted++;
            referrers.add(r.advocateId());
            current.merge(r.stage(), 1L, Long::sum);
            int best = rank.getOrDefault(r.stage(), 0);
            Instant wonAt = null;
            for (TimelineEntry t : timelines.getOrDefault(r.id(), List.of())) {
                best = Math.max(best, rank.getOrDefault(t.to(), 0));
                transitions.merge(t.from().name() + ' ' + t.to().name(), 1L, Long::sum);
                if (wonAt == null && pipeline.outcome(t.to()).orElse(null) == Outcome.WON) {
                    wonAt = t.at();
                }
            }
            furthest.merge(funnel.get(best), 1L, Long::sum);
            boolean isWon = r.outcome().orElse(null) == Outcome.WON;
            long[] adv = perAdvocate.computeIfAbsent(r.advocateId(), k -> new long[2]);
            adv[0]++;
            long[] ch = byChannel.computeIfAbsent(r.channel().name(), k -> new long[2]);
            ch[0]++;
            Advocate a = advocates.get(r.advocateId());
            for (String segment : a == null ? Set.<String>of() : a.segments()) {
                bySegment.computeIfAbsent(segment, k -> new long[2])[0]++;
            }
            if (isWon) {
                won++;
                adv[1]++;
                ch[1]++;
                for (String segment : a == null ? Set.<String>of() : a.segments()) {
                    bySegment.get(segment)[1]++;
                }
                if (wonAt != null) {
                    durations.add(Duration.between(r.submittedAt(), wonAt).toMillis());
                }
                if (r.dealValue().isPresent()) {
                    Money v = r.dealValue().get();
                    revenue.merge(v.currency().getCurrencyCode(), v, Money::plus);
                    if (v.currency().equals(q.currency())) {
                        perAdvocateRevenue.merge(r.advocateId(), v.amount(), BigDecimal::add);
                    }
                } else {
                    wonWithoutValue++;
                }
            }
        }

        List<ProgramStats.TransitionCount> transitionCounts = new ArrayList<>();
        transitions.forEach((k, n) -> {
            int space = k.indexOf(' ');
            transitionCounts.add(new ProgramStats.TransitionCount(Stage.of(k.substring(0, space)),
                    Stage.of(k.substring(space + 1)), n));
        });
        long[] millis = durations.stream().mapToLong(Long::longValue).toArray();
        List<ProgramStats.AdvocateTotals> totals = new ArrayList<>();
        perAdvocate.forEach((id, n) -> totals.add(new ProgramStats.AdvocateTotals(id, n[0], n[1],
                new Money(perAdvocateRevenue.getOrDefault(id, BigDecimal.ZERO), q.currency()))));
        List<ProgramStats.AdvocateTotals> topByWon = totals.stream().filter(t -> t.won() > 0)
                .sorted(ProgramStats.BY_WON).limit(q.topAdvocates()).toList();
        List<ProgramStats.AdvocateTotals> topByRevenue = totals.stream()
                .filter(t -> t.revenue().amount().signum() > 0)
                .sorted(ProgramStats.BY_REVENUE).limit(q.topAdvocates()).toList();
        return new ProgramStats(enrolled, enrolledInPeriod, referrers.size(), submitted, current, furthest,
                transitionCounts, won, DurationSummary.ofMillis(millis), List.copyOf(revenue.values()),
                wonWithoutValue, self.rewardTotals(rewards), breakdown(byChannel), breakdown(bySegment), topByWon,
                topByRevenue);
    }

    private boolean advocateMatches(AdvocateId id) {
        if (q.segment().isEmpty() && q.advocateKind().isEmpty()) {
            return true;
        }
        Advocate a = advocates.get(id);
        return a != null && q.segment().map(s -> a.segments().contains(s)).orElse(true)
                && q.advocateKind().map(k -> k == a.kind()).orElse(true);
    }

    private boolean inCohort(Referral r) {
        return r.programId().equals(q.programId()) && q.period().contains(r.submittedAt())
                && q.channel().map(c -> c == r.channel()).orElse(true) && advocateMatches(r.advocateId());
    }

    private Map<RewardStatus, ProgramStats.RewardTotals> rewardTotals(Map<RewardId, Reward> rewards) {
        Map<RewardStatus, long[]> counts = new EnumMap<>(RewardStatus.class);
        Map<RewardStatus, Map<String, Money>> money = new EnumMap<>(RewardStatus.class);
        for (Reward w : rewards.values()) {
            if (!w.programId().equals(q.programId()) || !advocateMatches(w.advocateId())) {
                continue;
            }
            boolean attributed;
            if (w.source().kind() == RewardSource.Kind.REFERRAL) {
                Referral r = referralOrNull(w.source().id());
                attributed = r != null && inCohort(r);
            } else {
                attributed = q.channel().isEmpty() && q.period().contains(w.createdAt());
            }
            if (!attributed) {
                continue;
            }
            long[] c = counts.computeIfAbsent(w.status(), k -> new long[3]);
            c[0]++;
            Incentive i = w.incentive();
            Money amount = null;
            if (i instanceof Incentive.Points p) {
                c[1] += p.points();
            } else if (i instanceof Incentive.Cash cash) {
                amount = cash.amount();
            } else if (i instanceof Incentive.GiftCard g) {
                amount = g.amount();
            } else if (i instanceof Incentive.Donation d) {
                amount = d.amount();
            } else if (i instanceof Incentive.Discount d && d.amountOff() != null) {
                amount = d.amountOff();
            } else {
                c[2]++;
            }
            if (amount != null) {
                money.computeIfAbsent(w.status(), k -> new TreeMap<>())
                        .merge(amount.currency().getCurrencyCode(), amount, Money::plus);
            }
        }
        Map<RewardStatus, ProgramStats.RewardTotals> out = new EnumMap<>(RewardStatus.class);
        counts.forEach((s, c) -> out.put(s, new ProgramStats.RewardTotals(c[0], c[1],
                List.copyOf(money.getOrDefault(s, Map.of()).values()), c[2])));
        return out;
    }

    private Referral referralOrNull(String id) {
        try {
            return referrals.get(ReferralId.of(id));
        } catch (IllegalArgumentException malformed) {
            return null; // a source id that is not a referral id names no referral
        }
    }

    private static List<ProgramStats.Breakdown> breakdown(Map<String, long[]> counts) {
        List<ProgramStats.Breakdown> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new ProgramStats.Breakdown(k, n[0], n[1])));
        return out;
    }
}
