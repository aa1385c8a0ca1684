package io.referrals.core.view;

import io.referrals.core.model.LedgerEntryId;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the advocate's points history.
 *
 * @param id the ledger entry
 * @param points the signed change: positive when earned, negative when redeemed, expired or reversed
 * @param description why, safe to show the advocate: the reason recorded with the entry, or its kind in the view's
 *     language when none was
 * @param at when
 */
public record PointsLine(LedgerEntryId id, long points, String description, Instant at) {

    /** @throws NullPointerException if an argument is null */
    public PointsLine {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(at, "at");
    }
}
