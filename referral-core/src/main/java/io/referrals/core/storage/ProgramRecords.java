package io.referrals.core.storage;

import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import java.util.List;
import java.util.Optional;

/**
 * The programs area of a {@link StoreTransaction}. Checked by {@code ProgramRecordsContract} in the contract kit.
 */
public interface ProgramRecords {

    /**
     * Stores a new program.
     *
     * @throws DuplicateKeyException {@link UniqueKey#PROGRAM_ID} if a program with that id exists; nothing is written
     */
    void insert(Program program);

    /**
     * Replaces a program if the stored version is exactly {@code program.version() - 1}; otherwise writes nothing and
     * returns {@code false} (also for an unknown program).
     */
    boolean update(Program program);

    /** The program with this id, equal to the one last written. */
    Optional<Program> get(ProgramId id);

    /** All programs, ordered by id. */
    List<Program> all();
}
