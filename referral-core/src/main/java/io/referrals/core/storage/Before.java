package io.referrals.core.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A keyset cursor for newest-first pages: a read given {@code Before(at, id)} returns only rows strictly older than
 * that position, that is rows whose time is before {@code at}, or equal to it with an id that sorts before {@code id}
 * (by {@link String#compareTo}). {@link #first()} starts at the newest row. A page read this way costs the same however
 * deep it is, and rows written while an advocate pages never shift the pages already read.
 *
 * @param at the time of the last row of the previous page
 * @param id the id of the last row of the previous page
 */
public record Before(Instant at, String id) {
    private static final Before FIRST = new Before(Instant.MAX, "");

    /**
     * @throws NullPointerException if {@code at} or {@code id} is null
     */
    public Before {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(id, "id");
    }

    /** The cursor of the first page: every row is before it. */
    public static Before first() {
        return FIRST;
    }

    /** Whether this is {@link #first()}. */
    public boolean isFirst() {
        return this.equals(FIRST);
    }

    /** Whether a row at {@code rowAt} with id {@code rowId} comes after this cursor in newest-first order. */
    public boolean admits(Instant rowAt, String rowId) {
        if (isFirst()) {
            return true;
        }
        int byTime = rowAt.compareTo(at);
        return byTime < 0 || (byTime == 0 && rowId.compareTo(id) < 0);
    }

    /**
     * Checks a page size given to a newest-first read.
     *
     * @throws IllegalArgumentException if {@code limit} is not between 1 and {@value ReferralRecords#MAX_PAGE}
     */
    public static void checkLimit(int limit) {
        if (limit < 1 || limit > ReferralRecords.MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + ReferralRecords.MAX_PAGE + ": " + limit);
        }
    }
}
