package io.referrals.storage.jdbc.internal;

import io.referrals.core.storage.AdvocateRecords;
import io.referrals.core.storage.AskRecords;
import io.referrals.core.storage.CodeRecords;
import io.referrals.core.storage.CounterRecords;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.EventRecords;
import io.referrals.core.storage.LedgerRecords;
import io.referrals.core.storage.MessageRecords;
import io.referrals.core.storage.MomentRecords;
import io.referrals.core.storage.OutboxRecords;
import io.referrals.core.storage.ProgramRecords;
import io.referrals.core.storage.ProgramStatistics;
import io.referrals.core.storage.ReferralRecords;
import io.referrals.core.storage.RewardRecords;
import io.referrals.core.storage.ScreeningReads;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.TimelineRecords;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One store transaction on one connection: an area object per part of the SPI, all sharing one {@code TxContext}
 * (connection, statements, caches, the writes held back on PostgreSQL), and the store's own
 * {@link ProgramStatistics} ({@code JdbcInsights}). Used by one thread; closed when the store's
 * {@code inTransaction} ends. Every statement is prepared, executed and closed by the areas; every
 * {@link java.sql.SQLException} leaves as a library exception.
 */
public final class JdbcTransaction implements StoreTransaction {
    private final TxContext context;
    private final JdbcProgramRecords programs;
    private final JdbcAdvocateRecords advocates;
    private final JdbcCodeRecords codes;
    private final JdbcReferralRecords referrals;
    private final JdbcTimelineRecords timelines;
    private final JdbcEventRecords events;
    private final JdbcOutboxRecords outbox;
    private final JdbcRewardRecords rewards;
    private final JdbcLedgerRecords ledger;
    private final JdbcCounterRecords counters;
    private final JdbcMomentRecords moments;
    private final JdbcAskRecords asks;
    private final JdbcMessageRecords messages;
    private final JdbcInsights statistics;

    /**
     * @param fillCaches false inside a host's transaction, whose uncommitted writes must never reach a cache
     * @param readCommitted true when each statement reads the latest committed rows (see
     *     {@link Isolation#readCommitted})
     */
    public JdbcTransaction(Connection connection, Sql sql, Caches caches, boolean fillCaches, boolean readCommitted) {
        this.context = new TxContext(connection, sql, caches, fillCaches, readCommitted);
        this.programs = new JdbcProgramRecords(context);
        this.advocates = new JdbcAdvocateRecords(context);
        this.codes = new JdbcCodeRecords(context);
        this.referrals = new JdbcReferralRecords(context);
        this.timelines = new JdbcTimelineRecords(context);
        this.events = new JdbcEventRecords(context);
        this.outbox = new JdbcOutboxRecords(context);
        this.rewards = new JdbcRewardRecords(context);
        this.ledger = new JdbcLedgerRecords(context);
        this.counters = new JdbcCounterRecords(context);
        this.moments = new JdbcMomentRecords(context);
        this.asks = new JdbcAskRecords(context);
        this.messages = new JdbcMessageRecords(context);
        this.statistics = new JdbcInsights(context, programs);
    }

    /** Ends the transaction's use and invalidates what it wrote in the caches (after commit or rollback). */
    public void close() {
        context.close();
    }

    /**
     * Sends the writes held back (PostgreSQL): the store calls it before it commits.
     *
     * @throws DuplicateKeyException when a held insert met a unique key
     */
    public void flush() {
        context.flush();
    }

    @Override
    public ProgramRecords programs() {
        return programs;
    }

    @Override
    public AdvocateRecords advocates() {
        return advocates;
    }

    @Override
    public CodeRecords codes() {
        return codes;
    }

    @Override
    public ReferralRecords referrals() {
        return referrals;
    }

    @Override
    public TimelineRecords timelines() {
        return timelines;
    }

    @Override
    public EventRecords events() {
        return events;
    }

    @Override
    public OutboxRecords outbox() {
        return outbox;
    }

    @Override
    public RewardRecords rewards() {
        return rewards;
    }

    @Override
    public LedgerRecords ledger() {
        return ledger;
    }

    @Override
    public CounterRecords counters() {
        return counters;
    }

    @Override
    public MomentRecords moments() {
        return moments;
    }

    @Override
    public AskRecords asks() {
        return asks;
    }

    @Override
    public MessageRecords messages() {
        return messages;
    }

    /** On PostgreSQL the counters' upsert and the lookup go in one round trip, as two statements. */
    @Override
    public ScreeningReads screeningReads(List<CounterRecords.Consumption> consumptions, Set<String> prospectKeys,
            int limit) {
        return counters.thenFind(consumptions, referrals.prospectKeyLookup(prospectKeys, limit));
    }

    /** The store's own aggregation: {@code GROUP BY} queries that return counts and sums. */
    @Override
    public Optional<ProgramStatistics> statistics() {
        return Optional.of(statistics);
    }
}
