package io.referrals.core.storage;

import io.referrals.core.model.ReferralId;
import io.referrals.core.model.TimelineEntry;
import java.util.List;

/**
 * The referral timelines area of a {@link StoreTransaction}: each referral's append-only history of stage changes.
 * Checked by {@code TimelineRecordsContract} in the contract kit.
 */
public interface TimelineRecords {

    /**
     * Appends a timeline entry. A store may hold this write back (see {@link StoreTransaction}).
     *
     * @throws DuplicateKeyException {@link UniqueKey#TIMELINE_ENTRY} when the referral already has an entry with that
     *     sequence
     */
    void append(TimelineEntry entry);

    /** Appends many timeline entries at once, with the obligations of {@link #append} for each. */
    void appendAll(List<TimelineEntry> entries);

    /** A referral's timeline, ordered by sequence; empty for an unknown referral. */
    List<TimelineEntry> of(ReferralId id);
}
