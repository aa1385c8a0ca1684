package io.referrals.core.storage;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The moments-of-delight area of a {@link StoreTransaction}: the good moments in an advocate's life that make a good
 * time to ask for a referral. Checked by {@code MomentRecordsContract} in the contract kit.
 */
public interface MomentRecords {

    /** Stores a moment. @throws DuplicateKeyException {@link UniqueKey#MOMENT} for a known id */
    void insert(Moment moment);

    /** The moment with this id. */
    Optional<Moment> get(MomentId id);

    /** An advocate's moments, ordered by occurrence time then id. */
    List<Moment> ofAdvocate(AdvocateId advocateId);

    /**
     * The moments that occurred at or after {@code occurredSince} of advocates who are enrolled in {@code programId},
     * are not opted out, and have no ask in {@code programId} that is
     * {@link io.referrals.core.moments.AskStatus#PENDING} or was made at or after {@code askedSince}; ordered by
     * advocate id, then occurrence time, then moment id.
     */
    List<Moment> forAsking(ProgramId programId, Instant occurredSince, Instant askedSince);
}
