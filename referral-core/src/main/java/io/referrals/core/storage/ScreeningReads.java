package io.referrals.core.storage;

import io.referrals.core.model.Referral;
import java.util.List;

/**
 * What {@link StoreTransaction#screeningReads} returns: the outcome of each counter consumption and the referrals the
 * prospect keys matched.
 *
 * @param applied whether each consumption was applied, in the order given, as {@link CounterRecords#tryConsumeEach}
 *     returns it
 * @param matches the referrals of the keys, newest first, as {@link ReferralRecords#byProspectKeys} returns them
 */
public record ScreeningReads(List<Boolean> applied, List<Referral> matches) {
    public ScreeningReads {
        applied = List.copyOf(applied);
        matches = List.copyOf(matches);
    }
}
