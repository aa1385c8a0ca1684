package io.referrals.core.storage.memory;

import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.storage.AskRecords;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.UniqueKey;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AskRecords} of an in-memory transaction. */
final class MemoryAsks implements AskRecords {
    private static final Comparator<Ask> BY_TIME =
            Comparator.comparing(Ask::askedAt).thenComparing(a -> a.id().value());

    private final MemoryState state;
    private final UndoLog undo;

    MemoryAsks(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public void insert(Ask ask) {
        undo.check();
        if (state.asks.containsKey(ask.id())) {
            throw new DuplicateKeyException(UniqueKey.ASK);
        }
        undo.put(state.asks, ask.id(), ask);
    }

    @Override
    public boolean update(Ask ask) {
        undo.check();
        Ask old = state.asks.get(ask.id());
        if (old == null || old.version() != ask.version() - 1) {
            return false;
        }
        undo.put(state.asks, ask.id(), ask);
        return true;
    }

    @Override
    public Optional<Ask> get(AskId id) {
        undo.check();
        return Optional.ofNullable(state.asks.get(id));
    }

    @Override
    public List<Ask> of(AdvocateId advocateId, ProgramId programId) {
        undo.check();
        return state.asks.values().stream()
                .filter(a -> a.advocateId().equals(advocateId) && a.programId().equals(programId))
                .sorted(BY_TIME).toList();
    }

    @Override
    public List<Ask> pending(ProgramId programId, Instant askedBefore, int limit) {
        undo.check();
        return state.asks.values().stream()
                .filter(a -> a.programId().equals(programId) && a.status() == AskStatus.PENDING
                        && a.askedAt().isBefore(askedBefore))
                .sorted(BY_TIME).limit(limit).toList();
    }

    @Override
    public Map<AskStatus, Long> countByStatus(ProgramId programId, ReportPeriod period) {
        undo.check();
        Map<AskStatus, Long> counts = new EnumMap<>(AskStatus.class);
        for (Ask a : state.asks.values()) {
            if (a.programId().equals(programId) && period.contains(a.askedAt())) {
                counts.merge(a.status(), 1L, Long::sum);
            }
        }
        return counts;
    }
}
