package io.referrals.core.storage;

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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link ProgramStatistics#scanning}: the program's statistics from the record areas of one {@link StoreTransaction},
 * read page by page. For each {@link #programStats} call it reads:
 * <ul>
 *   <li>the program, with {@link ProgramRecords#get} (none: {@link ProgramStats#empty()});</li>
 *   <li>its enrolments, with {@link AdvocateRecords#enrolmentsInProgram}, {@value #PAGE} at a time;</li>
 *   <li>its referrals, with {@link ReferralRecords#find}, {@value #PAGE} at a time, and the timeline of each cohort
 *       referral with {@link TimelineRecords#of};</li>
 *   <li>its rewards, with {@link RewardRecords#ofProgram}, {@value #PAGE} at a time, and, for a reward earned for a
 *       referral, that referral with {@link ReferralRecords#get}, to tell whether it is in the cohort;</li>
 *   <li>the advocates all these name, with {@link AdvocateRecords#get}, through a cache of at most
 *       {@value #ADVOCATE_CACHE} advocates that lives as long as the call.</li>
 * </ul>
 * It holds one page at a time and keeps only counters, sums, one accumulator per referring advocate and the durations
 * to won; it writes nothing. Used by one thread, within its transaction, like the transaction itself.
 */
final class ScanningProgramStatistics implements ProgramStatistics {
    /** How many records each page read asks for. */
    static final int PAGE = 500;
    /** The most advocates one call keeps cached; the cache is emptied when full. */
    static final int ADVOCATE_CACHE = 1_000;

    private final StoreTransaction tx;

    ScanningProgramStatistics(StoreTransaction tx) {
        this.tx = Objects.requireNonNull(tx, "tx");
    }

    @Override
    public ProgramStats programStats(InsightsQuery query) {
        Objects.requireNonNull(query, "query");
        return tx.programs().get(query.programId()).map(p -> new Scan(query, p).run()).orElseGet(ProgramStats::empty);
    }

    /**
     * Calls {@code each} on every record of the pages {@code page} returns: the first page after the empty cursor,
     * each next one after the {@code cursor} of the last record of the one before, until a page is short.
     */
    private static <T> void forEachPaged(Function<String, List<T>> page, Function<T, String> cursor,
            Consumer<T> each) {
        String after = "";
        while (true) {
            List<T> records = page.apply(after);
            records.forEach(each);
            if (records.size() < PAGE) {
                return;
            }
            after = cursor.apply(records.get(records.size() - 1));
        }
    }

    /** One {@link #programStats} call: its query, what it has read so far, and its accumulators. */
    private final class Scan {
        private final InsightsQuery q;
        private final StagePipeline pipeline;
        private final List<Stage> funnel;
        private final Map<Stage, Integer> rank = new HashMap<>();
        private final Map<AdvocateId, Advocate> advocates = new HashMap<>();

        private long enrolled;
        private long enrolledInPeriod;

        private long submitted;
        private long won;
        private long wonWithoutValue;
        private final Map<Stage, Long> current = new HashMap<>();
        private final Map<Stage, Long> furthest = new HashMap<>();
        private final Map<String, Long> transitions = new TreeMap<>();
        private final Map<String, Money> revenue = new TreeMap<>();
        private final Map<String, long[]> byChannel = new TreeMap<>();
        private final Map<String, long[]> bySegment = new TreeMap<>();
        /** Per referring advocate: cohort referrals, won. */
        private final Map<AdvocateId, long[]> perAdvocate = new HashMap<>();
        private final Map<AdvocateId, BigDecimal> perAdvocateRevenue = new HashMap<>();
        private final List<Long> durations = new ArrayList<>();

        /** Per reward status: rewards, points, unvalued. */
        private final Map<RewardStatus, long[]> rewardCounts = new EnumMap<>(RewardStatus.class);
        private final Map<RewardStatus, Map<String, Money>> rewardMoney = new EnumMap<>(RewardStatus.class);

        Scan(InsightsQuery q, Program program) {
            this.q = q;
            this.pipeline = program.pipeline();
            this.funnel = Funnel.stages(pipeline);
            for (int i = 0; i < funnel.size(); i++) {
                rank.put(funnel.get(i), i);
            }
        }

        ProgramStats run() {
            ProgramId program = q.programId();
            forEachPaged(after -> tx.advocates().enrolmentsInProgram(program, after, PAGE),
                    e -> e.advocateId().value(), this::countEnrolment);
            forEachPaged(after -> tx.referrals().find(referralPage(program, after)),
                    r -> r.id().value(), this::countReferral);
            forEachPaged(after -> tx.rewards().ofProgram(program, after, PAGE),
                    w -> w.id().value(), this::countReward);
            return result();
        }

        private ReferralQuery referralPage(ProgramId program, String after) {
            ReferralQuery.Builder page = ReferralQuery.builder().program(program).limit(PAGE);
            return after.isEmpty() ? page.build() : page.after(ReferralId.of(after)).build();
        }

        private void countEnrolment(Enrolment e) {
            if (!advocateMatches(e.advocateId())) {
                return;
            }
            ReportPeriod period = q.period();
            if (e.enrolledAt().isBefore(period.to())) {
                enrolled++;
            }
            if (period.contains(e.enrolledAt())) {
                enrolledInPeriod++;
            }
        }

        private void countReferral(Referral r) {
            if (!inCohort(r)) {
                return;
            }
            submitted++;
            current.merge(r.stage(), 1L, Long::sum);
            int best = rank.getOrDefault(r.stage(), 0);
            Instant wonAt = null;
            for (TimelineEntry t : tx.timelines().of(r.id())) {
                best = Math.max(best, rank.getOrDefault(t.to(), 0));
                transitions.merge(t.from().name() + ' ' + t.to().name(), 1L, Long::sum);
                if (wonAt == null && pipeline.outcome(t.to()).orElse(null) == Outcome.WON) {
                    wonAt = t.at();
                }
            }
            furthest.merge(funnel.get(best), 1L, Long::sum);
            long[] adv = perAdvocate.computeIfAbsent(r.advocateId(), k -> new long[2]);
            adv[0]++;
            long[] ch = byChannel.computeIfAbsent(r.channel().name(), k -> new long[2]);
            ch[0]++;
            Set<String> segments = advocate(r.advocateId()).map(Advocate::segments).orElse(Set.of());
            for (String segment : segments) {
                bySegment.computeIfAbsent(segment, k -> new long[2])[0]++;
            }
            if (r.outcome().orElse(null) != Outcome.WON) {
                return;
            }
            won++;
            adv[1]++;
            ch[1]++;
            for (String segment : segments) {
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

        private void countReward(Reward w) {
            if (!advocateMatches(w.advocateId())) {
                return;
            }
            boolean attributed = w.source().kind() == RewardSource.Kind.REFERRAL
                    ? referral(w.source().id()).map(this::inCohort).orElse(false)
                    : q.channel().isEmpty() && q.period().contains(w.createdAt());
            if (!attributed) {
                return;
            }
            long[] c = rewardCounts.computeIfAbsent(w.status(), k -> new long[3]);
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
                rewardMoney.computeIfAbsent(w.status(), k -> new TreeMap<>())
                        .merge(amount.currency().getCurrencyCode(), amount, Money::plus);
            }
        }

        private ProgramStats result() {
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
            Map<RewardStatus, ProgramStats.RewardTotals> rewards = new EnumMap<>(RewardStatus.class);
            rewardCounts.forEach((s, c) -> rewards.put(s, new ProgramStats.RewardTotals(c[0], c[1],
                    List.copyOf(rewardMoney.getOrDefault(s, Map.of()).values()), c[2])));
            return new ProgramStats(enrolled, enrolledInPeriod, perAdvocate.size(), submitted, current, furthest,
                    transitionCounts, won, DurationSummary.ofMillis(millis), List.copyOf(revenue.values()),
                    wonWithoutValue, rewards, breakdown(byChannel), breakdown(bySegment), topByWon, topByRevenue);
        }

        private boolean advocateMatches(AdvocateId id) {
            if (q.segment().isEmpty() && q.advocateKind().isEmpty()) {
                return true;
            }
            return advocate(id).filter(a -> q.segment().map(s -> a.segments().contains(s)).orElse(true)
                    && q.advocateKind().map(k -> k == a.kind()).orElse(true)).isPresent();
        }

        private boolean inCohort(Referral r) {
            return r.programId().equals(q.programId()) && q.period().contains(r.submittedAt())
                    && q.channel().map(c -> c == r.channel()).orElse(true) && advocateMatches(r.advocateId());
        }

        /** The advocate, from the cache or the store; an unknown advocate is not cached. */
        private Optional<Advocate> advocate(AdvocateId id) {
            Advocate cached = advocates.get(id);
            if (cached != null) {
                return Optional.of(cached);
            }
            Optional<Advocate> read = tx.advocates().get(id);
            read.ifPresent(a -> {
                if (advocates.size() >= ADVOCATE_CACHE) {
                    advocates.clear();
                }
                advocates.put(id, a);
            });
            return read;
        }

        /** The referral a reward's source names; none if the source id is not even a well-formed referral id. */
        private Optional<Referral> referral(String sourceId) {
            ReferralId id;
            try {
                id = ReferralId.of(sourceId);
            } catch (IllegalArgumentException malformed) {
                return Optional.empty();
            }
            return tx.referrals().get(id);
        }
    }

    private static List<ProgramStats.Breakdown> breakdown(Map<String, long[]> counts) {
        List<ProgramStats.Breakdown> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new ProgramStats.Breakdown(k, n[0], n[1])));
        return out;
    }
}
