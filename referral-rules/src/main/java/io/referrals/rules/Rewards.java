package io.referrals.rules;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.ContestEnded;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardStatus;
import io.referrals.rules.internal.Clawback;
import io.referrals.rules.internal.Contests;
import io.referrals.rules.internal.Explanations;
import io.referrals.rules.internal.Fulfilment;
import io.referrals.rules.internal.HostEvents;
import io.referrals.rules.internal.PointsLedger;
import io.referrals.rules.internal.RewardsSettings;
import io.referrals.rules.internal.RuleBook;
import io.referrals.rules.result.ContestResult;
import io.referrals.rules.result.ProcessReport;
import io.referrals.rules.result.RedemptionResult;
import io.referrals.rules.result.RuleOutcome;
import io.referrals.rules.result.Standing;
import io.referrals.rules.spi.RewardFulfiller;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The operations of a {@link RewardsEngine} over one {@link io.referrals.core.ReferralEngine}, from
 * {@code engine.extension(rewardsEngine)}: the scheduled approval and fulfilment run, clawback, the points ledger and
 * its catalogue, host-defined events, contests, and explanations. Every write runs in one engine transaction with its
 * events delivered after commit. Immutable and thread-safe; several instances (in one process or many) may work on
 * one store at once.
 */
public final class Rewards {
    private final TransactionRunner transactions;
    private final Fulfilment fulfilment;
    private final Clawback clawback;
    private final PointsLedger points;
    private final HostEvents events;
    private final Contests contests;
    private final Explanations explanations;

    Rewards(RuleBook book, RewardsSettings settings, TransactionRunner transactions, Clock clock) {
        this.transactions = transactions;
        this.fulfilment = new Fulfilment(book, settings, transactions, clock);
        this.clawback = new Clawback(book, transactions);
        this.points = new PointsLedger(book, transactions);
        this.events = new HostEvents(book, transactions);
        this.contests = new Contests(book, transactions, clock);
        this.explanations = new Explanations(book, transactions, clock);
    }

    // ---- approval and fulfilment ------------------------------------------------------------------------------------

    /**
     * The scheduled run: asks the approver about pending rewards whose holding period is over and approves (crediting
     * points) or rejects them; then hands approved rewards that are not points to the fulfiller, retrying earlier
     * failures until the attempt limit. Call it periodically; concurrent runs are safe (a reward changes state once).
     *
     * <p>One run handles at most {@link RewardsEngine.Builder#batchSize} pending and as many approved rewards, those
     * whose next attempt ({@link Reward#nextAttemptAt()}) is earliest. No reward holds up the others: one the
     * approver defers (or fails on) stays pending and is due again after a backoff, as is one whose fulfilment attempt
     * failed; the backoff grows with each put-off in a row and never exceeds the maximum set with
     * {@link RewardsEngine.Builder#retryBackoff} (1 hour by default). When the last allowed fulfilment attempt fails
     * ({@link RewardsEngine.Builder#maxFulfilmentAttempts}), the reward becomes {@link RewardStatus#FAILED},
     * {@link io.referrals.core.event.RewardFailed} is emitted, and no run tries it again: the host fulfils it by hand
     * with {@link #markFulfilled}.
     *
     * <p>Review: a reward of a referral flagged for review is neither approved nor fulfilled while the flag stands; it
     * stays pending with the reason {@code review_pending} and is looked at again later (a referral flagged after
     * its rewards were earned, because another referral took over its prospect, is held the same way). A reward of a
     * denied referral is rejected.
     *
     * <p>Exactly-once fulfilment: before calling the fulfiller, a run claims the reward with a conditional update of
     * its version that moves its due time to the end of a lease ({@link RewardsEngine.Builder#fulfilmentLease}); only
     * the run whose update succeeds calls the fulfiller, so runs of several engines or instances never issue the same
     * reward twice for one attempt. A run that dies before recording the result leaves the claim to lapse: the reward
     * is due again when the lease ends and the same attempt is made again (hence the fulfiller's idempotency on the
     * reward id).
     */
    public ProcessReport processDue() {
        return fulfilment.processDue();
    }

    /**
     * Records that the host fulfilled an approved reward outside {@link RewardFulfiller}, or one whose fulfilment
     * attempts all failed ({@link RewardStatus#FAILED}) ({@code code}: the discount code handed out, or empty).
     * Recording it twice changes nothing.
     *
     * @throws NotFoundException if there is no such reward
     * @throws IllegalStateException if the reward is neither approved, failed nor fulfilled
     */
    public Reward markFulfilled(RewardId id, String code) {
        return fulfilment.markFulfilled(id, code);
    }

    // ---- clawback ---------------------------------------------------------------------------------------------------

    /**
     * Claws back a referral's rewards (the won deal was refunded, or the customer churned): every reward still inside
     * its rule's clawback window is reversed; points already credited are taken back by a compensating ledger entry
     * (as many as the balance allows; the shortfall is stated in the reward's explanation), never by deleting
     * history; the limits it used are freed. Rewards outside the window, or already final, are left alone. Calling it
     * again reverses nothing twice.
     *
     * <p>Called when a deal is lost, it takes back what the lost referral earned. Should the referral be reopened
     * (where its pipeline allows), a rule with {@link io.referrals.rules.definition.Rule.WhenReopened#PAY_AGAIN}
     * pays what it took back again, once; other rules keep it reversed. {@link #explain} says which.
     *
     * @return the rewards reversed now
     */
    public List<Reward> reverse(ReferralId referralId, Reason why) {
        return clawback.reverse(referralId, why);
    }

    // ---- ledger, catalogue, expiry ----------------------------------------------------------------------------------

    /** The advocate's points balance: the sum of their ledger entries. */
    public long balance(AdvocateId advocateId) {
        return points.balance(advocateId);
    }

    /** The advocate's ledger, oldest first. */
    public List<LedgerEntry> ledger(AdvocateId advocateId) {
        return points.entries(advocateId);
    }

    /** A referral's rewards, oldest first. */
    public List<Reward> rewardsOf(ReferralId referralId) {
        Objects.requireNonNull(referralId, "referralId");
        return transactions.inStore(tx -> tx.rewards().ofReferral(referralId));
    }

    /** An advocate's rewards, oldest first. */
    public List<Reward> rewardsOf(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return transactions.inStore(tx -> tx.rewards().ofAdvocate(advocateId));
    }

    /**
     * Exchanges points for an item of the program's catalogue. The debit never takes the balance below zero, even
     * under concurrent redemptions; stock is never oversold. Repeating a call with the same {@code idempotencyKey}
     * returns the first redemption.
     *
     * @throws NotFoundException if the advocate does not exist
     */
    public RedemptionResult redeem(AdvocateId advocateId, ProgramId programId, String itemId, String idempotencyKey) {
        return points.redeem(advocateId, programId, itemId, idempotencyKey);
    }

    /**
     * Expires the advocate's points older than the program's {@code pointsExpireAfter}, first in first out: points
     * already spent or taken back are counted against the oldest credits. Rewards whose points all expired become
     * {@link RewardStatus#EXPIRED}. Running it again at once expires nothing more.
     *
     * @return the points expired now
     */
    public long expirePoints(AdvocateId advocateId, ProgramId programId) {
        return points.expirePoints(advocateId, programId);
    }

    // ---- host-defined events ----------------------------------------------------------------------------------------

    /**
     * Records a host-defined event of an advocate (a review written, a certification completed, a challenge done)
     * and pays the rules it triggers, once per advocate (or once per {@code eventId} for repeatable events), in one
     * transaction.
     *
     * @return what each triggered rule did
     * @throws NotFoundException if the advocate or the program does not exist
     */
    public List<RuleOutcome> recordEvent(AdvocateId advocateId, ProgramId programId, String type, String eventId) {
        return events.record(advocateId, programId, type, eventId);
    }

    // ---- contests ---------------------------------------------------------------------------------------------------

    /**
     * The contest's leaderboard now, best first. Referrals rejected, denied in review or waiting for review do not
     * count (see {@link io.referrals.rules.definition.Contest}).
     *
     * @throws NotFoundException if the program has no such contest
     */
    public List<Standing> leaderboard(ProgramId programId, String contestId) {
        return contests.leaderboard(programId, contestId);
    }

    /**
     * Ends a contest whose window is over and awards its prizes to the top {@code topN} of the final leaderboard,
     * exactly once however many engines call it; emits {@link ContestEnded}.
     *
     * @throws NotFoundException if the program has no such contest
     */
    public ContestResult endContest(ProgramId programId, String contestId) {
        return contests.endContest(programId, contestId);
    }

    // ---- explanations -----------------------------------------------------------------------------------------------

    /**
     * Why a referral earned what it earned, or nothing: for each rule of its pinned rule set that referrals
     * trigger, and each milestone, whether it paid, is held, was not reached, failed a condition (which one), hit a
     * limit, was rejected or reversed. Conditions are judged again as of the time each milestone was reached. When
     * the referral itself was rejected (a duplicate, a self-referral) or denied in review, that reason
     * ({@code referral_rejected}) comes first and the milestones it reached earned nothing; while it is flagged for
     * review, {@code review_pending} comes first and its rewards are {@link RuleOutcome.Status#HELD}. A milestone a
     * lost referral did not reach is explained with {@code referral_lost}: lost at which stage and when, and that the
     * program pays nothing for it (unless it is reopened, where its pipeline allows that). A reward reversed while
     * the referral was lost says whether a reopening pays it again ({@code if_reopened}) or, once it is reopened,
     * that it was paid again ({@code paid_again}, the milestone's latest reward) or why not ({@code not_paid_again}).
     *
     * @throws NotFoundException if the referral does not exist
     */
    public List<RuleOutcome> explain(ReferralId referralId) {
        return explanations.explain(referralId);
    }
}
