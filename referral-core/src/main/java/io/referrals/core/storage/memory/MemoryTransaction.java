package io.referrals.core.storage.memory;

import io.referrals.core.storage.AdvocateRecords;
import io.referrals.core.storage.AskRecords;
import io.referrals.core.storage.CodeRecords;
import io.referrals.core.storage.CounterRecords;
import io.referrals.core.storage.EventRecords;
import io.referrals.core.storage.LedgerRecords;
import io.referrals.core.storage.MessageRecords;
import io.referrals.core.storage.MomentRecords;
import io.referrals.core.storage.OutboxRecords;
import io.referrals.core.storage.ProgramRecords;
import io.referrals.core.storage.ReferralRecords;
import io.referrals.core.storage.RewardRecords;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.TimelineRecords;

/**
 * A transaction of the {@link InMemoryReferralStore}: one area object per {@link StoreTransaction} accessor, all
 * sharing the store's {@link MemoryState} and this transaction's {@link UndoLog}. Program statistics come from the
 * scanning default of {@link StoreTransaction#statistics()}.
 */
final class MemoryTransaction implements StoreTransaction {
    private final UndoLog undo = new UndoLog();
    private final ProgramRecords programs;
    private final AdvocateRecords advocates;
    private final CodeRecords codes;
    private final ReferralRecords referrals;
    private final TimelineRecords timelines;
    private final EventRecords events;
    private final OutboxRecords outbox;
    private final RewardRecords rewards;
    private final LedgerRecords ledger;
    private final CounterRecords counters;
    private final MomentRecords moments;
    private final AskRecords asks;
    private final MessageRecords messages;

    MemoryTransaction(MemoryState state) {
        programs = new MemoryPrograms(state, undo);
        advocates = new MemoryAdvocates(state, undo);
        codes = new MemoryCodes(state, undo);
        referrals = new MemoryReferrals(state, undo);
        timelines = new MemoryTimelines(state, undo);
        events = new MemoryEvents(state, undo);
        outbox = new MemoryOutbox(state, undo);
        rewards = new MemoryRewards(state, undo);
        ledger = new MemoryLedger(state, undo);
        counters = new MemoryCounters(state, undo);
        moments = new MemoryMoments(state, undo);
        asks = new MemoryAsks(state, undo);
        messages = new MemoryMessages(state, undo);
    }

    /** Ends the transaction, keeping its writes: every area refuses later calls. */
    void commit() {
        undo.close();
    }

    /** Ends the transaction and undoes every write it made. */
    void rollback() {
        undo.close();
        undo.rollback();
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
}
