package io.referrals.core.storage.memory;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.MomentRecords;
import io.referrals.core.storage.UniqueKey;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link MomentRecords} of an in-memory transaction. {@link #forAsking} also reads the asks, enrolments and advocates
 * of the store.
 */
final class MemoryMoments implements MomentRecords {
    private final MemoryState state;
    private final UndoLog undo;

    MemoryMoments(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public void insert(Moment moment) {
        undo.check();
        if (state.moments.containsKey(moment.id())) {
            throw new DuplicateKeyException(UniqueKey.MOMENT);
        }
        undo.put(state.moments, moment.id(), moment);
    }

    @Override
    public Optional<Moment> get(MomentId id) {
        undo.check();
        return Optional.ofNullable(state.moments.get(id));
    }

    @Override
    public List<Moment> ofAdvocate(AdvocateId advocateId) {
        undo.check();
        return state.moments.values().stream().filter(m -> m.advocateId().equals(advocateId))
                .sorted(Comparator.comparing(Moment::occurredAt).thenComparing(m -> m.id().value())).toList();
    }

    @Override
    public List<Moment> forAsking(ProgramId programId, Instant occurredSince, Instant askedSince) {
        undo.check();
        Set<AdvocateId> excluded = new HashSet<>();
        for (Ask a : state.asks.values()) {
            if (a.programId().equals(programId)
                    && (a.status() == AskStatus.PENDING || !a.askedAt().isBefore(askedSince))) {
                excluded.add(a.advocateId());
            }
        }
        return state.moments.values().stream()
                .filter(m -> !m.occurredAt().isBefore(occurredSince))
                .filter(m -> !excluded.contains(m.advocateId()))
                .filter(m -> state.enrolments.getOrDefault(m.advocateId(), Map.of()).containsKey(programId))
                .filter(m -> state.advocates.containsKey(m.advocateId())
                        && !state.advocates.get(m.advocateId()).optedOut())
                .sorted(Comparator.comparing((Moment m) -> m.advocateId().value())
                        .thenComparing(Moment::occurredAt).thenComparing(m -> m.id().value()))
                .toList();
    }
}
