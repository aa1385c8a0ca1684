package io.referrals.rules.internal;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.ContestEnded;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.RewardEarned;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.definition.Contest;
import io.referrals.rules.result.ContestResult;
import io.referrals.rules.result.Standing;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Contests: leaderboards worked out from the store, and prizes for the top of the final leaderboard, awarded exactly
 * once however many engines end the contest. See {@link io.referrals.rules.Rewards#endContest}. Thread-safe.
 */
public final class Contests {
    private static final int PAGE = 1000;

    private final RuleBook book;
    private final TransactionRunner transactions;
    private final Clock clock;

    public Contests(RuleBook book, TransactionRunner transactions, Clock clock) {
        this.book = book;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** See {@link io.referrals.rules.Rewards#leaderboard}. */
    public List<Standing> leaderboard(ProgramId programId, String contestId) {
        Contest contest = contest(programId, contestId);
        return transactions.inStore(tx -> standings(tx, programId, contest));
    }

    /** See {@link io.referrals.rules.Rewards#endContest}. */
    public ContestResult endContest(ProgramId programId, String contestId) {
        Contest contest = contest(programId, contestId);
        Instant end = contest.window().endsAt();
        if (clock.instant().isBefore(end)) {
            return new ContestResult.NotOver(end);
        }
        // the winners' streams are taken as their prizes are emitted
        return Retry.retrying(() -> transactions.inStream(EventStreams.of(programId), w -> {
            StoreTransaction tx = w.store();
            String ruleId = "contest." + contest.id();
            RewardSource source = new RewardSource(RewardSource.Kind.CONTEST, contest.id());
            if (!tx.counters().tryConsume(Keys.contestEnded(programId, contest.id()), 1, 1)) {
                List<Reward> prizes = new ArrayList<>();
                for (int rank = 1; rank <= contest.topN(); rank++) {
                    String key = ruleId + '|' + source.kind() + ':' + source.id() + "|rank:" + rank + '|'
                            + Beneficiary.ADVOCATE;
                    tx.rewards().byDedupeKey(key).ifPresent(prizes::add);
                }
                return new ContestResult.AlreadyEnded(prizes);
            }
            CompiledRuleSet crs = book.pinned(programId, w.now(), w.now());
            int version = crs == null ? 1 : crs.ruleSet.version();
            List<Standing> board = standings(tx, programId, contest);
            List<Reward> prizes = new ArrayList<>();
            Incentive prize = CompiledRule.fixedIncentive(contest.prize());
            for (Standing s : board.subList(0, Math.min(contest.topN(), board.size()))) {
                Advocate a = Payer.advocate(tx, s.advocateId());
                Reward r = new Reward(RewardId.random(), programId, s.advocateId(), Beneficiary.ADVOCATE, source,
                        ruleId, version, "rank:" + s.rank(), prize, RewardStatus.PENDING, w.now(), w.now(), w.now(),
                        List.of(Reason.of("contest_rank", "You finished number " + s.rank() + " in '"
                                + contest.name() + "' with a score of " + s.score() + ".")), 1);
                tx.rewards().insert(r);
                w.emit(Payer.stream(r), m -> new RewardEarned(m, AdvocateSummary.of(a), r));
                prizes.add(book.autoApprove() ? Payer.approve(w, r, a, contest.name()) : r);
            }
            List<AdvocateId> winners = prizes.stream().map(Reward::advocateId).toList();
            w.emit(EventStreams.of(programId), m -> new ContestEnded(m, programId, contest.id(), winners));
            return new ContestResult.Ended(board, prizes);
        }));
    }

    /** The contest with this id in the latest version of the program's rules that has one. */
    private Contest contest(ProgramId programId, String contestId) {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(contestId, "contestId");
        List<CompiledRuleSet> versions = book.versions(programId);
        for (int i = versions.size() - 1; i >= 0; i--) {
            Optional<Contest> c = versions.get(i).ruleSet.contest(contestId);
            if (c.isPresent()) {
                return c.get();
            }
        }
        throw new NotFoundException("contest", contestId);
    }

    private static List<Standing> standings(StoreTransaction tx, ProgramId programId, Contest contest) {
        return standings(tx, programId, contest, Integer.MAX_VALUE);
    }

    /**
     * The leaderboard, reading at most {@code maxPages} pages of the program's referrals; {@code null} when it has
     * more.
     */
    static List<Standing> standings(StoreTransaction tx, ProgramId programId, Contest contest, int maxPages) {
        Program program = tx.programs().get(programId)
                .orElseThrow(() -> new NotFoundException("program", programId.value()));
        Map<AdvocateId, long[]> scores = new LinkedHashMap<>();
        Map<AdvocateId, Instant> reached = new HashMap<>();
        Set<AdvocateId> advocates = new LinkedHashSet<>();
        ReferralId after = null;
        for (int pages = 0;; pages++) {
            if (pages == maxPages) {
                return null;
            }
            ReferralQuery.Builder q = ReferralQuery.builder().program(programId).limit(PAGE);
            if (after != null) {
                q.after(after);
            }
            List<Referral> page = tx.referrals().find(q.build());
            for (Referral r : page) {
                advocates.add(r.advocateId());
                if (!counts(r)) {
                    continue;
                }
                Instant at = switch (contest.metric()) {
                    case REFERRALS_SUBMITTED -> r.submittedAt();
                    case STAGE_REACHED -> reachedAt(tx, program, r, s -> s.equals(contest.stage()));
                    case REFERRALS_WON -> reachedAt(tx, program, r,
                            s -> program.pipeline().outcome(s).map(o -> o == Outcome.WON).orElse(false));
                    case POINTS_EARNED -> null;
                };
                if (at != null && contest.window().contains(at)) {
                    count(scores, reached, r.advocateId(), 1, at);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        if (contest.metric() == Contest.Metric.POINTS_EARNED) {
            for (AdvocateId a : advocates) {
                for (LedgerEntry e : tx.ledger().entries(a)) {
                    if (e.kind() == LedgerEntry.Kind.EARNED && contest.window().contains(e.at())) {
                        count(scores, reached, a, e.points(), e.at());
                    }
                }
            }
        }
        List<AdvocateId> order = new ArrayList<>(scores.keySet());
        order.sort(Comparator.comparingLong((AdvocateId a) -> -scores.get(a)[0])
                .thenComparing(reached::get)
                .thenComparing(AdvocateId::value));
        List<Standing> board = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            AdvocateId a = order.get(i);
            board.add(new Standing(i + 1, a, scores.get(a)[0], reached.get(a)));
        }
        return board;
    }

    /**
     * Whether a referral counts towards a contest: not rejected (by the eligibility checks at capture, such as a
     * self-referral or a duplicate, or later in the pipeline), not denied in review, and not waiting for a review
     * (it counts once approved).
     */
    private static boolean counts(Referral r) {
        return r.review() != ReviewStatus.DENIED && r.review() != ReviewStatus.FLAGGED
                && r.outcome().map(o -> o != Outcome.REJECTED).orElse(true);
    }

    private static void count(Map<AdvocateId, long[]> scores, Map<AdvocateId, Instant> reached, AdvocateId a,
            long points, Instant at) {
        scores.computeIfAbsent(a, k -> new long[1])[0] += points;
        reached.merge(a, at, (x, y) -> x.isAfter(y) ? x : y);
    }

    /** When {@code r} first entered a stage {@code stage} accepts, or {@code null}. */
    private static Instant reachedAt(StoreTransaction tx, Program program, Referral r, Predicate<Stage> stage) {
        if (stage.test(program.pipeline().initial())) {
            return r.submittedAt();
        }
        for (TimelineEntry e : tx.timelines().of(r.id())) {
            if (stage.test(e.to())) {
                return e.at();
            }
        }
        return null;
    }
}
