package io.referrals.core.storage;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The data of one store transaction, by area: each accessor returns a small interface whose Javadoc states every
 * obligation, and the contract kit ({@code referral-storage-tck}) checks each area in its own contract class. An
 * instance, and every area it hands out, is used by one thread, only inside the {@link ReferralStore#inTransaction}
 * call that created it.
 *
 * <p>General obligations, for every area: lookups return {@link Optional#empty()} for what does not exist, never
 * {@code null}; lists are never {@code null} and are in the order each method states; values read back are
 * {@code equals} to the values written; an insert that would break a {@link UniqueKey} throws
 * {@link DuplicateKeyException} naming that key and writes nothing; an {@code update} method writes only if the stored
 * version is exactly one less than the given value's version, and otherwise writes nothing and returns {@code false}.
 *
 * <p>A store may hold back writes that return nothing ({@link ReferralRecords#insert}, {@link ReferralRecords#insertAll},
 * {@link TimelineRecords#append}, {@link TimelineRecords#appendAll}, {@link RewardRecords#insert},
 * {@link EventRecords#append}, and an {@link EventRecords#nextSequence} whose value the
 * transaction already knows) and send them with a later statement of the same transaction or before it commits, so
 * that several writes cost one round trip. Every later read of the transaction still sees them. Such a write's
 * {@link DuplicateKeyException} is then thrown by that later call, or by {@link ReferralStore#inTransaction} before it
 * commits; either way the transaction is rolled back and none of its writes stays.
 */
public interface StoreTransaction {

    /** Programs. */
    ProgramRecords programs();

    /** Advocates and their enrolments. */
    AdvocateRecords advocates();

    /** Referral codes. */
    CodeRecords codes();

    /** Referrals. */
    ReferralRecords referrals();

    /** Referral timelines. */
    TimelineRecords timelines();

    /** The event log: streams, sequences and payloads. */
    EventRecords events();

    /** Delivery state of pending events. */
    OutboxRecords outbox();

    /** Rewards. */
    RewardRecords rewards();

    /** The points ledger. */
    LedgerRecords ledger();

    /** Bounded atomic counters. */
    CounterRecords counters();

    /** Moments of delight. */
    MomentRecords moments();

    /** Asks for referrals. */
    AskRecords asks();

    /** Messages to advocates waiting to be sent, and sent. */
    MessageRecords messages();

    /**
     * The two reads of a capture's screening, in this order: {@code counters().tryConsumeEach(consumptions)}, then
     * {@code referrals().byProspectKeys(prospectKeys, limit)}, with exactly their results, obligations and errors.
     * The order is the guarantee: the lookup runs after every consumption has been applied, so when a consumption
     * waited for another transaction's lock on a counter row, the lookup sees what that transaction committed (the
     * engine serialises the captures of one prospect this way). A store may send both in one round trip, as long as
     * the lookup still reads the rows committed before it runs rather than a snapshot taken with the consumptions
     * (the JDBC store does on PostgreSQL: two statements, one request). The default calls the two in turn. Checked by
     * {@code ReferralRecordsContract} and {@code ConcurrencyContract}.
     *
     * @throws IllegalArgumentException as the two calls would (a store may check the lookup's arguments before it
     *     consumes anything)
     */
    default ScreeningReads screeningReads(List<CounterRecords.Consumption> consumptions, Set<String> prospectKeys,
            int limit) {
        List<Boolean> applied = counters().tryConsumeEach(consumptions);
        return new ScreeningReads(applied, referrals().byProspectKeys(prospectKeys, limit));
    }

    /**
     * The store's own aggregation of program statistics, if it has one (a SQL store answers with {@code GROUP BY}
     * queries). Empty by default: the engine then uses {@link ProgramStatistics#scanning}, which needs nothing beyond
     * the record areas. A store that returns one must give the same results as {@link ProgramStatistics#scanning} on
     * the same data; the contract kit checks it.
     */
    default Optional<ProgramStatistics> statistics() {
        return Optional.empty();
    }
}
