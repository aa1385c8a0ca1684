package io.referrals.core.storage;

import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.EventId;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The operations of one store transaction. An instance is used by one thread, only inside the
 * {@link ReferralStore#inTransaction} call that created it.
 *
 * <p>General obligations: lookups return {@link Optional#empty()} for what does not exist, never {@code null}; lists
 * are never {@code null} and are in the order each method states; values read back are {@code equals} to the values
 * written; an insert that would break a {@link UniqueKey} throws {@link DuplicateKeyException} naming that key and
 * writes nothing; an {@code update} method writes only if the stored version is exactly one less than the given
 * value's version, and otherwise writes nothing and returns {@code false}.
 *
 * <p>A store may hold back writes that return nothing ({@link #insertReferral}, {@link #appendTimelineEntry},
 * {@link #insertReward}, {@link #appendEvent}, and a {@link #nextSequence} whose value the transaction already knows) and send them with a
 * later statement of the same transaction or before it commits, so that several writes cost one round trip. Every
 * later read of the transaction still sees them. Such a write's {@link DuplicateKeyException} is then thrown by that
 * later call, or by {@link ReferralStore#inTransaction} before it commits; either way the transaction is rolled back
 * and none of its writes stays.
 */
public interface StoreTransaction {

    // ---- programs -------------------------------------------------------------------------------------------------

    /** Stores a new program. @throws DuplicateKeyException {@link UniqueKey#PROGRAM_ID} */
    void insertProgram(Program program);

    /** Replaces a program if the stored version is {@code program.version() - 1}. */
    boolean updateProgram(Program program);

    Optional<Program> program(ProgramId id);

    /** All programs, ordered by id. */
    List<Program> programs();

    // ---- advocates ------------------------------------------------------------------------------------------------

    /**
     * Stores a new advocate.
     *
     * @throws DuplicateKeyException {@link UniqueKey#ADVOCATE_ID} or {@link UniqueKey#ADVOCATE_EXTERNAL_ID}
     */
    void insertAdvocate(Advocate advocate);

    /** Replaces an advocate if the stored version is {@code advocate.version() - 1}. */
    boolean updateAdvocate(Advocate advocate);

    Optional<Advocate> advocate(AdvocateId id);

    /** The advocate with this external id; the match is exact (case-sensitive). */
    Optional<Advocate> advocateByExternalId(String externalId);

    /** Stores an enrolment. @throws DuplicateKeyException {@link UniqueKey#ENROLMENT} */
    void insertEnrolment(Enrolment enrolment);

    Optional<Enrolment> enrolment(AdvocateId advocateId, ProgramId programId);

    /** An advocate's enrolments, ordered by program id. */
    List<Enrolment> enrolments(AdvocateId advocateId);

    // ---- codes ----------------------------------------------------------------------------------------------------

    /** Stores a new code under its {@link ReferralCode#key()}. @throws DuplicateKeyException {@link UniqueKey#CODE} */
    void insertCode(ReferralCode code);

    /** The code with this {@link ReferralCode#key() key} (already normalised by the caller). */
    Optional<ReferralCode> code(String key);

    /**
     * Replaces the stored code with the same key if its stored status and status time equal {@code expected}'s;
     * otherwise writes nothing and returns {@code false}.
     */
    boolean updateCode(ReferralCode expected, ReferralCode updated);

    /** An advocate's codes, ordered by issue time then key. */
    List<ReferralCode> codes(AdvocateId advocateId);

    // ---- referrals ------------------------------------------------------------------------------------------------

    /**
     * Stores a new referral.
     *
     * @throws DuplicateKeyException {@link UniqueKey#REFERRAL_ID}, or {@link UniqueKey#IDEMPOTENCY_KEY} when another
     *     referral has the same non-empty idempotency key
     */
    void insertReferral(Referral referral);

    /**
     * Stores many new referrals at once, with the obligations of {@link #insertReferral} for each; a store should
     * send them in batches. On a {@link DuplicateKeyException} the caller's transaction is rolled back, so the whole
     * list is written or none of it.
     */
    void insertReferrals(List<Referral> referrals);

    /** Replaces a referral if the stored version is {@code referral.version() - 1}. */
    boolean updateReferral(Referral referral);

    Optional<Referral> referral(ReferralId id);

    /** The referral captured with this non-empty idempotency key. */
    Optional<Referral> referralByIdempotencyKey(String idempotencyKey);

    /** A page of referrals matching {@code query}, ordered by id. */
    List<Referral> referrals(ReferralQuery query);

    /**
     * Appends a timeline entry.
     *
     * @throws DuplicateKeyException {@link UniqueKey#TIMELINE_ENTRY} when the referral already has an entry with that
     *     sequence
     */
    void appendTimelineEntry(TimelineEntry entry);

    /** Appends many timeline entries at once, with the obligations of {@link #appendTimelineEntry} for each. */
    void appendTimelineEntries(List<TimelineEntry> entries);

    /** A referral's timeline, ordered by sequence. */
    List<TimelineEntry> timeline(ReferralId id);

    // ---- events and outbox ----------------------------------------------------------------------------------------

    /**
     * Reserves the next sequence number of {@code stream}: 1 for a new stream, then one more than the last reserved.
     * The reservation is part of the transaction: rolled back, it is handed out again, so committed sequences have no
     * gaps. Two transactions reserving on the same stream are serialised (the second waits or fails), never given the
     * same number.
     *
     * <p>A referral's stream ({@code EventStreams.of(referral.id())}) starts with the referral: callers reserve on it
     * only after inserting the referral, and a store may rely on that, answering 1 for it in the transaction that
     * inserted the referral without asking the database (a stream that has sequences already then fails the
     * transaction with a {@code StorageException} rather than reuse a number).
     */
    long nextSequence(String stream);

    /**
     * Stores an event. A {@code pending} event waits in the outbox for {@link #claimDueEvents}; otherwise it is stored
     * as already delivered (in-process delivery after commit).
     *
     * @throws DuplicateKeyException {@link UniqueKey#EVENT} for a known event id, or stream and sequence
     */
    void appendEvent(ReferralEvent event, boolean pending, Instant dueAt);

    /** A stream's events, ordered by sequence. */
    List<OutboxEntry> events(String stream);

    /**
     * Claims up to {@code limit} pending events due at {@code now}, oldest first, and moves their next attempt to
     * {@code leaseUntil} so that other dispatchers pass them over until then. An event is claimable only when no
     * earlier event of its stream is still pending or parked, so that delivery per stream stays in order. Two
     * transactions claiming at once never both receive the same event.
     */
    List<OutboxEntry> claimDueEvents(Instant now, int limit, Instant leaseUntil);

    /** Marks a claimed event delivered. Returns {@code false} if it is unknown or not pending. */
    boolean markEventDelivered(EventId id);

    /**
     * Records a failed delivery: one more attempt, the error, and either a retry at {@code retryAt} or, with
     * {@code park}, the {@link OutboxStatus#PARKED} state. Returns {@code false} if it is unknown or not pending.
     */
    boolean markEventFailed(EventId id, String error, Instant retryAt, boolean park);

    /** Parked events, oldest first, at most {@code limit}. */
    List<OutboxEntry> parkedEvents(int limit);

    /** Moves a parked event back to pending, due at {@code dueAt}. Returns {@code false} if it is not parked. */
    boolean requeueEvent(EventId id, Instant dueAt);

    // ---- rewards, ledger, limits -----------------------------------------------------------------------------------

    /**
     * Stores a new reward.
     *
     * @throws DuplicateKeyException {@link UniqueKey#REWARD} for a known id or {@link Reward#dedupeKey()}: this is
     *     what makes a reward exactly-once
     */
    void insertReward(Reward reward);

    /** Replaces a reward if the stored version is {@code reward.version() - 1}. */
    boolean updateReward(Reward reward);

    Optional<Reward> reward(RewardId id);

    Optional<Reward> rewardByDedupeKey(String dedupeKey);

    /** Rewards earned for a referral, ordered by creation time then id. */
    List<Reward> rewardsOfReferral(ReferralId id);

    /** An advocate's rewards, ordered by creation time then id. */
    List<Reward> rewardsOfAdvocate(AdvocateId id);

    /** Up to {@code limit} rewards in {@code status} whose holding period ends at or before {@code dueBy}, oldest first. */
    List<Reward> rewardsDue(RewardStatus status, Instant dueBy, int limit);

    /**
     * Appends a ledger entry if the advocate's balance stays at zero or above; otherwise writes nothing and returns
     * {@code false}. The check and the write are one atomic step: concurrent redemptions never take the balance below
     * zero.
     *
     * @throws DuplicateKeyException {@link UniqueKey#LEDGER_ENTRY} for a known id, or an idempotency key already used
     *     in the advocate's ledger
     */
    boolean appendLedgerEntry(LedgerEntry entry);

    /** The advocate's points balance: the sum of their ledger entries, 0 without any. */
    long pointsBalance(AdvocateId advocateId);

    /** The advocate's ledger, ordered by time then id. */
    List<LedgerEntry> ledger(AdvocateId advocateId);

    /**
     * Adds {@code amount} to the counter {@code key} (created at 0) if the result stays at or below {@code capacity};
     * otherwise writes nothing and returns {@code false}. Atomic: concurrent callers never take a counter past its
     * capacity. This is how caps, budgets and limited challenges are enforced.
     *
     * @throws IllegalArgumentException if {@code amount} is not positive
     */
    boolean tryConsume(String key, long amount, long capacity);

    /**
     * Applies each consumption as {@link #tryConsume} would, in list order, and returns, in the same order, whether
     * each was applied. Each one is atomic on its own, with the same guarantee as {@link #tryConsume}; together they
     * are not all or nothing: one that would pass its capacity writes nothing while the others apply. The counters are
     * locked in list order, as by successive calls. A store may apply them all in one statement (the engine consumes
     * the counters of one capture together); a list naming one key twice means the same as successive calls. An empty
     * list writes nothing and returns an empty list.
     */
    List<Boolean> tryConsumeEach(List<Consumption> consumptions);

    /**
     * One consumption of {@link #tryConsumeEach}: add {@code amount} to the counter {@code key} if the result stays at
     * or below {@code capacity}.
     *
     * @param key the counter
     * @param amount positive
     * @param capacity the most the counter may hold
     */
    record Consumption(String key, long amount, long capacity) {
        /**
         * @throws NullPointerException if {@code key} is null
         * @throws IllegalArgumentException if {@code amount} is not positive
         */
        public Consumption {
            Objects.requireNonNull(key, "key");
            if (amount <= 0) {
                throw new IllegalArgumentException("amount must be positive: " + amount);
            }
        }
    }

    /** Subtracts {@code amount} from the counter, not below 0 (a reversed reward frees its share of a cap). */
    void release(String key, long amount);

    /** The counter's value, 0 if it was never consumed. */
    long counter(String key);

    // ---- eligibility and privacy (issue 5) -------------------------------------------------------------------------
    // Added together for the eligibility checks and erasure; every store implements both.

    /**
     * Referrals whose {@link Referral#prospectEmailKey()} or {@link Referral#prospectDomainKey()} equals any of
     * {@code keys}, in any program, each at most once, newest first (by {@link Referral#submittedAt()} descending, then
     * id descending), at most {@code limit} in all: the limit keeps the newest, so claims inside a protection window
     * are never crowded out by older referrals. Keys are opaque lower-case hex strings compared exactly; empty keys match nothing
     * (referrals whose keys were erased are never returned), so an empty set, or one of empty keys only, returns an
     * empty list. Every capture calls this once, with the prospect's key and the advocate's email key, so that the
     * ownership and circular-referral checks share one query. A store should answer it from indexes on both
     * columns, and must read the latest committed rows (a locking read where the default isolation level would read
     * an older snapshot): a capture that waited for a concurrent capture's lock on the prospect's counter then sees
     * that capture's referral.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive or {@code keys} holds more than
     *     {@value #MAX_PROSPECT_KEYS} keys
     */
    List<Referral> referralsByProspectKeys(Set<String> keys, int limit);

    /** The most keys {@link #referralsByProspectKeys} accepts in one call. */
    int MAX_PROSPECT_KEYS = 8;

    /**
     * Replaces the payload of a stored event with {@code event}, which has the same {@link EventMetadata} (id, stream,
     * sequence and time): used by erasure to scrub personal data from stored events, including events still pending in
     * the outbox, which are then delivered with the replacement. The delivery state (status, attempts, next attempt,
     * last error) and the event's place in its stream do not change. Returns {@code false}, writing nothing, if no
     * event with that id is stored.
     *
     * @throws IllegalArgumentException if the stored event's stream, sequence or time differ from {@code event}'s
     */
    boolean replaceEvent(ReferralEvent event);

    // ---- insights and moments of delight (issue 6) -----------------------------------------------------------------
    // Everything below belongs to program insights (io.referrals.core.insights) and moments of delight
    // (io.referrals.core.moments). A SQL store answers programStats with GROUP BY queries over its tables and
    // momentsForAsking with one query; neither may load every referral into memory. Types are fully qualified so
    // that this block needs no imports.

    /**
     * Aggregates the program's data for {@code query}, as {@link io.referrals.core.insights.ProgramStats} and
     * {@link io.referrals.core.insights.InsightsQuery} define (cohort, filters, orderings, top lists) and as
     * {@link io.referrals.core.insights.Funnel} defines funnel stages (from the stored program's pipeline).
     * Time to won is measured from {@code submittedAt} to the {@code at} of the timeline entry that entered the won
     * stage, and summarised as {@link io.referrals.core.insights.DurationSummary} does (a store may fetch the
     * durations alone and call {@link io.referrals.core.insights.DurationSummary#ofMillis}). Rewards are summed as
     * {@link io.referrals.core.insights.ProgramStats.RewardTotals} says: {@code Points} into points; {@code Cash},
     * {@code GiftCard}, {@code Donation} and a fixed-amount {@code Discount} into money per currency; the rest counted
     * as unvalued. For an unknown program, returns {@link io.referrals.core.insights.ProgramStats#empty()}. Computed
     * where the data is: never by loading every referral of the program into memory at once.
     */
    io.referrals.core.insights.ProgramStats programStats(io.referrals.core.insights.InsightsQuery query);

    /** Stores a moment. @throws DuplicateKeyException {@link UniqueKey#MOMENT} for a known id */
    void insertMoment(io.referrals.core.moments.Moment moment);

    Optional<io.referrals.core.moments.Moment> moment(io.referrals.core.moments.MomentId id);

    /** An advocate's moments, ordered by occurrence time then id. */
    List<io.referrals.core.moments.Moment> moments(AdvocateId advocateId);

    /**
     * The moments that occurred at or after {@code occurredSince} of advocates who are enrolled in {@code programId},
     * are not opted out, and have no ask in {@code programId} that is
     * {@link io.referrals.core.moments.AskStatus#PENDING} or was made at or after {@code askedSince}; ordered by
     * advocate id, then occurrence time, then moment id.
     */
    List<io.referrals.core.moments.Moment> momentsForAsking(ProgramId programId, Instant occurredSince,
            Instant askedSince);

    /** Stores a new ask. @throws DuplicateKeyException {@link UniqueKey#ASK} for a known id */
    void insertAsk(io.referrals.core.moments.Ask ask);

    /** Replaces an ask if the stored version is {@code ask.version() - 1}. */
    boolean updateAsk(io.referrals.core.moments.Ask ask);

    Optional<io.referrals.core.moments.Ask> ask(io.referrals.core.moments.AskId id);

    /** An advocate's asks in a program, ordered by ask time then id. */
    List<io.referrals.core.moments.Ask> asks(AdvocateId advocateId, ProgramId programId);

    /**
     * Up to {@code limit} of the program's {@link io.referrals.core.moments.AskStatus#PENDING} asks made before
     * {@code askedBefore}, ordered by ask time then id.
     */
    List<io.referrals.core.moments.Ask> pendingAsks(ProgramId programId, Instant askedBefore, int limit);

    /** The program's asks made in {@code period}, counted by status; statuses without asks may be absent. */
    java.util.Map<io.referrals.core.moments.AskStatus, Long> askCounts(ProgramId programId,
            io.referrals.core.insights.ReportPeriod period);
}
