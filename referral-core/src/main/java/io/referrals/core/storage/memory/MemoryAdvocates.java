package io.referrals.core.storage.memory;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.AdvocateRecords;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.UniqueKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link AdvocateRecords} of an in-memory transaction. Enrolments are kept twice: by advocate (ordered by program id)
 * and by program (ordered by advocate id), for {@link #enrolmentsInProgram}.
 */
final class MemoryAdvocates implements AdvocateRecords {
    private final MemoryState state;
    private final UndoLog undo;

    MemoryAdvocates(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public void insert(Advocate advocate) {
        undo.check();
        if (state.advocates.containsKey(advocate.id())) {
            throw new DuplicateKeyException(UniqueKey.ADVOCATE_ID);
        }
        if (state.advocatesByExternalId.containsKey(advocate.externalId())) {
            throw new DuplicateKeyException(UniqueKey.ADVOCATE_EXTERNAL_ID);
        }
        undo.put(state.advocates, advocate.id(), advocate);
        undo.put(state.advocatesByExternalId, advocate.externalId(), advocate.id());
    }

    @Override
    public boolean update(Advocate advocate) {
        undo.check();
        Advocate old = state.advocates.get(advocate.id());
        if (old == null || old.version() != advocate.version() - 1) {
            return false;
        }
        if (!old.externalId().equals(advocate.externalId())) {
            if (state.advocatesByExternalId.containsKey(advocate.externalId())) {
                throw new DuplicateKeyException(UniqueKey.ADVOCATE_EXTERNAL_ID);
            }
            undo.remove(state.advocatesByExternalId, old.externalId());
            undo.put(state.advocatesByExternalId, advocate.externalId(), advocate.id());
        }
        undo.put(state.advocates, advocate.id(), advocate);
        return true;
    }

    @Override
    public Optional<Advocate> get(AdvocateId id) {
        undo.check();
        return Optional.ofNullable(state.advocates.get(id));
    }

    @Override
    public Optional<Advocate> byExternalId(String externalId) {
        undo.check();
        return Optional.ofNullable(state.advocatesByExternalId.get(externalId)).map(state.advocates::get);
    }

    @Override
    public void insertEnrolment(Enrolment enrolment) {
        undo.check();
        Map<ProgramId, Enrolment> mine = state.enrolments.get(enrolment.advocateId());
        if (mine != null && mine.containsKey(enrolment.programId())) {
            throw new DuplicateKeyException(UniqueKey.ENROLMENT);
        }
        if (mine == null) {
            mine = new TreeMap<>(Comparator.comparing(ProgramId::value));
            undo.put(state.enrolments, enrolment.advocateId(), mine);
        }
        undo.put(mine, enrolment.programId(), enrolment);
        TreeMap<String, Enrolment> program = state.enrolmentsByProgram.get(enrolment.programId());
        if (program == null) {
            program = new TreeMap<>();
            undo.put(state.enrolmentsByProgram, enrolment.programId(), program);
        }
        undo.put(program, enrolment.advocateId().value(), enrolment);
    }

    @Override
    public Optional<Enrolment> enrolment(AdvocateId advocateId, ProgramId programId) {
        undo.check();
        return Optional.ofNullable(state.enrolments.getOrDefault(advocateId, Map.of()).get(programId));
    }

    @Override
    public List<Enrolment> enrolments(AdvocateId advocateId) {
        undo.check();
        return List.copyOf(state.enrolments.getOrDefault(advocateId, Map.of()).values());
    }

    @Override
    public List<Enrolment> enrolmentsInProgram(ProgramId programId, String after, int limit) {
        undo.check();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        TreeMap<String, Enrolment> program = state.enrolmentsByProgram.get(programId);
        if (program == null) {
            return List.of();
        }
        return program.tailMap(after, false).values().stream().limit(limit).toList();
    }
}
