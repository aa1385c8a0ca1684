package io.referrals.rules.result;

import io.referrals.core.model.Reason;
import io.referrals.core.model.Reward;
import java.util.Objects;

/** What {@link io.referrals.rules.Rewards#redeem} did. */
public sealed interface RedemptionResult {

    /**
     * Points were exchanged: {@code reward} (approved, to be fulfilled) was created and the points debited.
     *
     * @param reward the reward bought
     * @param balance the balance after the debit
     * @param replayed true if this idempotency key had been redeemed before and nothing changed now
     */
    record Redeemed(Reward reward, long balance, boolean replayed) implements RedemptionResult {
        public Redeemed {
            Objects.requireNonNull(reward, "reward");
        }
    }

    /**
     * Nothing was exchanged.
     *
     * @param reason {@code insufficient_points}, {@code out_of_stock} or {@code unknown_item}, with text safe to show
     */
    record Refused(Reason reason) implements RedemptionResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
