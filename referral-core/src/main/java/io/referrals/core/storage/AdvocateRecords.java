package io.referrals.core.storage;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.ProgramId;
import java.util.List;
import java.util.Optional;

/**
 * The advocates area of a {@link StoreTransaction}: advocates and their enrolments in programs. Checked by
 * {@code AdvocateRecordsContract} in the contract kit.
 */
public interface AdvocateRecords {

    /**
     * Stores a new advocate.
     *
     * @throws DuplicateKeyException {@link UniqueKey#ADVOCATE_ID} or {@link UniqueKey#ADVOCATE_EXTERNAL_ID}; nothing is
     *     written
     */
    void insert(Advocate advocate);

    /**
     * Replaces an advocate if the stored version is exactly {@code advocate.version() - 1}; otherwise writes nothing
     * and returns {@code false}. The external id may change, still unique.
     *
     * @throws DuplicateKeyException {@link UniqueKey#ADVOCATE_EXTERNAL_ID} if the new external id is another's
     */
    boolean update(Advocate advocate);

    /** The advocate with this id. */
    Optional<Advocate> get(AdvocateId id);

    /** The advocate with this external id; the match is exact (case-sensitive). */
    Optional<Advocate> byExternalId(String externalId);

    /** Stores an enrolment. @throws DuplicateKeyException {@link UniqueKey#ENROLMENT} if the advocate is enrolled */
    void insertEnrolment(Enrolment enrolment);

    /** The advocate's enrolment in the program. */
    Optional<Enrolment> enrolment(AdvocateId advocateId, ProgramId programId);

    /** An advocate's enrolments, ordered by program id. */
    List<Enrolment> enrolments(AdvocateId advocateId);

    /**
     * A page of a program's enrolments, ordered by advocate id, only those whose advocate id sorts after
     * {@code after} (by {@link String#compareTo}; empty string for the first page), at most {@code limit}.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    List<Enrolment> enrolmentsInProgram(ProgramId programId, String after, int limit);
}
