package io.referrals.core.storage;

import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.AskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The asks area of a {@link StoreTransaction}: requests for a referral made to advocates at a moment of delight.
 * Checked by {@code AskRecordsContract} in the contract kit.
 */
public interface AskRecords {

    /** Stores a new ask. @throws DuplicateKeyException {@link UniqueKey#ASK} for a known id */
    void insert(Ask ask);

    /** Replaces an ask if the stored version is exactly {@code ask.version() - 1}; else returns false. */
    boolean update(Ask ask);

    /** The ask with this id. */
    Optional<Ask> get(AskId id);

    /** An advocate's asks in a program, ordered by ask time then id. */
    List<Ask> of(AdvocateId advocateId, ProgramId programId);

    /**
     * Up to {@code limit} of the program's {@link AskStatus#PENDING} asks made before {@code askedBefore}, ordered by
     * ask time then id.
     */
    List<Ask> pending(ProgramId programId, Instant askedBefore, int limit);

    /** The program's asks made in {@code period}, counted by status; statuses without asks may be absent. */
    Map<AskStatus, Long> countByStatus(ProgramId programId, ReportPeriod period);
}
