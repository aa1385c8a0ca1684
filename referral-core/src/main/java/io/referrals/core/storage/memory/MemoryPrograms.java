package io.referrals.core.storage.memory;

import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.ProgramRecords;
import io.referrals.core.storage.UniqueKey;
import java.util.List;
import java.util.Optional;

/** {@link ProgramRecords} of an in-memory transaction. */
final class MemoryPrograms implements ProgramRecords {
    private final MemoryState state;
    private final UndoLog undo;

    MemoryPrograms(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public void insert(Program program) {
        undo.check();
        if (state.programs.containsKey(program.id())) {
            throw new DuplicateKeyException(UniqueKey.PROGRAM_ID);
        }
        undo.put(state.programs, program.id(), program);
    }

    @Override
    public boolean update(Program program) {
        undo.check();
        Program old = state.programs.get(program.id());
        if (old == null || old.version() != program.version() - 1) {
            return false;
        }
        undo.put(state.programs, program.id(), program);
        return true;
    }

    @Override
    public Optional<Program> get(ProgramId id) {
        undo.check();
        return Optional.ofNullable(state.programs.get(id));
    }

    @Override
    public List<Program> all() {
        undo.check();
        return List.copyOf(state.programs.values());
    }
}
