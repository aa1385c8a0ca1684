package io.referrals.core.storage;

import io.referrals.core.model.ReferralId;
import io.referrals.core.model.TimelineEntry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /** The most referrals {@link #latest} accepts in one call. */
    int MAX_LATEST = 1000;

    /**
     * The last entry (the highest sequence) of each of {@code ids}' timelines, keyed by referral; a referral without
     * entries, or unknown, has no key. Reads the latest entries of a page of referrals at once (the advocate's view
     * shows why each last moved): a store should answer it with one query, as the JDBC store can with
     * {@code referral_id IN (...)} on its primary key; the default reads each timeline in turn.
     *
     * @throws IllegalArgumentException if {@code ids} holds more than {@value #MAX_LATEST} referrals
     */
    default Map<ReferralId, TimelineEntry> latest(Collection<ReferralId> ids) {
        if (ids.size() > MAX_LATEST) {
            throw new IllegalArgumentException("at most " + MAX_LATEST + " referrals at once: " + ids.size());
        }
        Map<ReferralId, TimelineEntry> last = new HashMap<>();
        for (ReferralId id : ids) {
            List<TimelineEntry> timeline = of(id);
            if (!timeline.isEmpty()) {
                last.put(id, timeline.get(timeline.size() - 1));
            }
        }
        return last;
    }
}
