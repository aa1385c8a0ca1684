package io.referrals.core.insights;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.Referral;
import io.referrals.core.model.TimelineEntry;
import java.util.List;
import java.util.Objects;

/**
 * One past referral as a backtest sees it.
 *
 * @param referral the referral as it stands now
 * @param advocate its advocate
 * @param timeline its stage timeline, oldest first
 */
public record ReferralHistory(Referral referral, Advocate advocate, List<TimelineEntry> timeline) {
    public ReferralHistory {
        Objects.requireNonNull(referral, "referral");
        Objects.requireNonNull(advocate, "advocate");
        timeline = List.copyOf(timeline);
    }
}
