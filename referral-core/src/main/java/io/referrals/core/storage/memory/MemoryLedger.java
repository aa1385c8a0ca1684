package io.referrals.core.storage.memory;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.LedgerRecords;
import io.referrals.core.storage.UniqueKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link LedgerRecords} of an in-memory transaction: each advocate's entries in the order appended and newest first,
 * with the sets of entry ids and of {@code advocateId|idempotencyKey} that make entries unique. Transactions run one
 * at a time, so the balance check and the append are atomic.
 */
final class MemoryLedger implements LedgerRecords {
    private final MemoryState state;
    private final UndoLog undo;

    MemoryLedger(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public boolean append(LedgerEntry entry) {
        undo.check();
        String key = entry.advocateId().value() + '|' + entry.idempotencyKey();
        if (state.ledgerIds.contains(entry.id()) || state.ledgerKeys.contains(key)) {
            throw new DuplicateKeyException(UniqueKey.LEDGER_ENTRY);
        }
        if (balance(entry.advocateId()) + entry.points() < 0) {
            return false;
        }
        List<LedgerEntry> ledger = state.ledgers.get(entry.advocateId());
        if (ledger == null) {
            ledger = new ArrayList<>();
            undo.put(state.ledgers, entry.advocateId(), ledger);
        }
        undo.add(ledger, entry);
        NewestFirst.put(undo, state.ledgersNewestFirst, entry.advocateId(),
                new NewestFirst.Key(entry.at(), entry.id().value()), entry);
        undo.add(state.ledgerIds, entry.id());
        undo.add(state.ledgerKeys, key);
        return true;
    }

    @Override
    public long balance(AdvocateId advocateId) {
        undo.check();
        long sum = 0;
        for (LedgerEntry e : state.ledgers.getOrDefault(advocateId, List.of())) {
            sum = Math.addExact(sum, e.points());
        }
        return sum;
    }

    @Override
    public List<LedgerEntry> entries(AdvocateId advocateId) {
        undo.check();
        return state.ledgers.getOrDefault(advocateId, List.of()).stream()
                .sorted(Comparator.comparing(LedgerEntry::at).thenComparing(e -> e.id().value())).toList();
    }

    @Override
    public List<LedgerEntry> entries(AdvocateId advocateId, Before before, int limit) {
        undo.check();
        return NewestFirst.page(state.ledgersNewestFirst.get(advocateId), before, limit);
    }
}
