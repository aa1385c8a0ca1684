package io.referrals.rules;

import io.referrals.core.extension.Extension;
import io.referrals.core.extension.Installation;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.internal.Backoff;
import io.referrals.rules.internal.RewardsSettings;
import io.referrals.rules.internal.RuleBook;
import io.referrals.rules.internal.Progressions;
import io.referrals.rules.internal.RulesHook;
import io.referrals.rules.result.RuleDecision;
import io.referrals.rules.spi.RewardApprover;
import io.referrals.rules.spi.RewardFulfiller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rewards engine: reward rules of one or more programs, evaluated inside the referral engine's transactions.
 * An {@link Extension}: install it with {@code ReferralEngine.builder().install(rewardsEngine)}, and every capture and
 * stage change is judged by the rules in the same transaction, so a reward is stored if and only if the change
 * commits; {@code engine.extension(rewardsEngine)} then gives the {@link Rewards} service for the operations that run
 * on their own (approval, fulfilment, clawback, redemption, contests, host-defined events, explanations).
 *
 * <pre>{@code
 * RewardsEngine rules = RewardsEngine.builder()
 *         .ruleSet(RuleSet.builder(programId, 1)
 *                 .rule(Rule.builder("won").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(1000))
 *                         .limit(Limit.perAdvocate("yearly").perYear().maxPoints(10_000)))
 *                 .build())
 *         .build();
 * ReferralEngine engine = ReferralEngine.builder().store(store).matchKeySecret(secret).install(rules).build();
 * Rewards rewards = engine.extension(rules);
 * }</pre>
 *
 * <p>Guarantees: a rule pays a milestone of a referral (or a host event, or a contest rank) at most once, enforced by
 * the store's unique reward key, whatever replays or concurrent processing happen; limits are enforced with the
 * store's atomic counters and are never exceeded; a referral is judged by the rule set version pinned by its
 * submission time (see {@link RuleSet}). Immutable and thread-safe.
 */
public final class RewardsEngine implements Extension<Rewards> {
    private static final Logger LOG = LoggerFactory.getLogger(RewardsEngine.class);

    private final RuleBook book;
    private final RewardsSettings settings;

    private RewardsEngine(Builder b) {
        this.book = new RuleBook(b.ruleSets, b.approver == null);
        this.settings = new RewardsSettings(b.approver, b.fulfiller, b.maxFulfilmentAttempts, b.fulfilmentLease,
                b.batchSize, b.backoff);
        LOG.debug("rewards engine built: {} programs, {} rule set versions, approver {}, fulfiller {}",
                book.programs(), b.ruleSets.size(), b.approver != null, b.fulfiller != null);
    }

    /**
     * A builder with no rule sets, no approver (rewards are approved when their holding period ends) and no
     * fulfiller.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers the rules' hook on the engine being built, and its progress source for the advocate's view
     * ({@link io.referrals.core.AdvocateViews}: progress to rewards paid on the Nth referral, to the next tier, and the
     * rank in a running contest of referrals submitted), and returns the {@link Rewards} service over it. Called by
     * {@link io.referrals.core.ReferralEngine.Builder#build()}; hosts call {@code engine.extension(rewardsEngine)}.
     */
    @Override
    public Rewards install(Installation installation) {
        installation.hook(new RulesHook(book));
        installation.progress(new Progressions(book, installation.clock()));
        return new Rewards(book, settings, installation.transactions(), installation.clock());
    }

    /**
     * The rule set version that judges a referral of {@code programId} submitted at {@code submittedAt}, at
     * {@code now}: the latest version effective at submission, or a later version that migrates referrals in flight
     * and is effective at {@code now}.
     */
    public Optional<RuleSet> ruleSetFor(ProgramId programId, Instant submittedAt, Instant now) {
        return book.ruleSetFor(programId, submittedAt, now);
    }

    /** The version of a program's rules with this number. */
    public Optional<RuleSet> ruleSet(ProgramId programId, int version) {
        return book.ruleSet(programId, version);
    }

    /**
     * What the pinned rules decide for a referral entering {@code stage} (conditions and amounts, before limits and
     * exactly-once checks), without writing anything. Rules triggered by the Nth referral are not included.
     *
     * @throws IllegalArgumentException if the context has no referral
     */
    public List<RuleDecision> decide(RuleContext ctx, Stage stage) {
        Referral r = ctx.referral().orElseThrow(() -> new IllegalArgumentException("the context has no referral"));
        return book.decide(ctx.program(), ctx.advocate(), r, ctx.at(), ctx.tier(), stage);
    }

    /** The compiled rules, for tests that replay their judging. */
    RuleBook book() {
        return book;
    }

    /** Configures a {@link RewardsEngine}. Not thread-safe. */
    public static final class Builder {
        private final List<RuleSet> ruleSets = new ArrayList<>();
        private RewardApprover approver;
        private RewardFulfiller fulfiller;
        private int maxFulfilmentAttempts = 5;
        private Duration fulfilmentLease = Duration.ofMinutes(10);
        private int batchSize = 500;
        private Backoff backoff = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1));

        private Builder() {
        }

        /**
         * Adds a rule set version of a program.
         *
         * @throws IllegalArgumentException if a rule set with the same program and version, or the same program and
         *     effective time, was already added
         */
        public Builder ruleSet(RuleSet ruleSet) {
            Objects.requireNonNull(ruleSet, "ruleSet");
            for (RuleSet rs : ruleSets) {
                if (rs.programId().equals(ruleSet.programId()) && (rs.version() == ruleSet.version()
                        || rs.effectiveFrom().equals(ruleSet.effectiveFrom()))) {
                    throw new IllegalArgumentException("program " + ruleSet.programId() + " already has version "
                            + rs.version() + " effective from " + rs.effectiveFrom());
                }
            }
            ruleSets.add(ruleSet);
            return this;
        }

        /** The host's approval or veto, consulted for every reward before it is approved; none by default. */
        public Builder approver(RewardApprover approver) {
            this.approver = Objects.requireNonNull(approver, "approver");
            return this;
        }

        /**
         * How approved rewards other than points are issued; none by default (the host then records what it issued
         * with {@link Rewards#markFulfilled}).
         */
        public Builder fulfiller(RewardFulfiller fulfiller) {
            this.fulfiller = Objects.requireNonNull(fulfiller, "fulfiller");
            return this;
        }

        /**
         * How many times a failed fulfilment is attempted in all; default 5. When the last attempt fails, the reward
         * becomes {@link io.referrals.core.model.RewardStatus#FAILED} and
         * {@link io.referrals.core.event.RewardFailed} is emitted: no run tries it again.
         *
         * @throws IllegalArgumentException if {@code attempts} is less than 1
         */
        public Builder maxFulfilmentAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
            }
            this.maxFulfilmentAttempts = attempts;
            return this;
        }

        /**
         * How long a {@link Rewards#processDue()} run holds its claim on a reward while the fulfiller issues it;
         * default 10 minutes. While the claim holds, no other run calls the fulfiller for that reward; once it lapses
         * (the run crashed before recording the result) a later run claims the reward again and repeats the same
         * attempt. Choose it longer than the fulfiller's slowest call.
         *
         * @throws IllegalArgumentException if the lease is not positive
         */
        public Builder fulfilmentLease(Duration lease) {
            Objects.requireNonNull(lease, "lease");
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("lease must be positive: " + lease);
            }
            this.fulfilmentLease = lease;
            return this;
        }

        /**
         * How many due rewards one {@link Rewards#processDue()} handles at most; default 500.
         *
         * @throws IllegalArgumentException if {@code batchSize} is less than 1
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * When {@link Rewards#processDue()} looks again at a reward it had to put off: one the approver deferred (or
         * failed on), or one whose fulfilment attempt failed. The n-th put-off in a row of a reward makes it due again
         * after a delay drawn between half and all of {@code min(max, initial * 2^(n-1))}: never later than
         * {@code max} after the run that put it off. The draw is a pseudo-random fraction determined by the reward's id
         * and n alone, so the same reward always waits the same times and runs replay exactly, while rewards put off
         * together spread out. Default: 1 minute, at most 1 hour.
         *
         * @throws IllegalArgumentException if {@code initial} is not positive, or {@code max} is shorter than
         *     {@code initial} or longer than 365 days
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.backoff = new Backoff(initial, max);
            return this;
        }

        /** The engine, to install on a {@link io.referrals.core.ReferralEngine}. */
        public RewardsEngine build() {
            return new RewardsEngine(this);
        }
    }
}
