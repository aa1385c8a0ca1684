package io.referrals.core.storage.memory;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.storage.CodeRecords;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.UniqueKey;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@link CodeRecords} of an in-memory transaction. */
final class MemoryCodes implements CodeRecords {
    private final MemoryState state;
    private final UndoLog undo;

    MemoryCodes(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public void insert(ReferralCode code) {
        undo.check();
        if (state.codes.containsKey(code.key())) {
            throw new DuplicateKeyException(UniqueKey.CODE);
        }
        undo.put(state.codes, code.key(), code);
    }

    @Override
    public Optional<ReferralCode> get(String key) {
        undo.check();
        return Optional.ofNullable(state.codes.get(key));
    }

    @Override
    public boolean update(ReferralCode expected, ReferralCode updated) {
        undo.check();
        ReferralCode old = state.codes.get(updated.key());
        if (old == null || !expected.key().equals(updated.key()) || old.status() != expected.status()
                || !old.statusChangedAt().equals(expected.statusChangedAt())) {
            return false;
        }
        undo.put(state.codes, updated.key(), updated);
        return true;
    }

    @Override
    public List<ReferralCode> ofAdvocate(AdvocateId advocateId) {
        undo.check();
        return state.codes.values().stream()
                .filter(c -> c.advocateId().equals(advocateId))
                .sorted(Comparator.comparing(ReferralCode::issuedAt).thenComparing(ReferralCode::key))
                .toList();
    }
}
