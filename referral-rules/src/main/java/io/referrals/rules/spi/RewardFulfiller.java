package io.referrals.rules.spi;

import io.referrals.core.model.Reward;
import java.util.Objects;

/**
 * How the host issues the real thing for an approved reward that is not points: a billing credit, a payout, a gift
 * card, a discount code, a perk. Called by {@link io.referrals.rules.Rewards#processDue()} outside any transaction.
 * For a given attempt of a reward only the run that claimed it calls the fulfiller, however many runs or instances
 * work at once; but a run that dies before recording the result leaves its claim to lapse (see
 * {@link io.referrals.rules.RewardsEngine.Builder#fulfilmentLease}), and the same attempt is then made again: so it
 * must still be idempotent on {@code reward.id()}. A failure (a {@link Result.Failed} or an exception, which is
 * logged and contained) is retried on later runs up to the engine's attempt limit. Must be thread-safe.
 */
@FunctionalInterface
public interface RewardFulfiller {

    /** Issues {@code request.reward()}. */
    Result fulfil(Request request);

    /**
     * What to issue.
     *
     * @param reward the approved reward
     * @param discountPool the host pool a discount code should come from, or empty to generate one
     * @param attempt 1 for the first attempt
     */
    record Request(Reward reward, String discountPool, int attempt) {
        public Request {
            Objects.requireNonNull(reward, "reward");
            Objects.requireNonNull(discountPool, "discountPool");
        }
    }

    /** The outcome of one attempt. */
    sealed interface Result {
        /** Issued; {@code code} is the discount code handed out, or empty. */
        record Fulfilled(String code) implements Result {
            public Fulfilled {
                Objects.requireNonNull(code, "code");
            }
        }

        /** Not issued; retried later. {@code error} must not contain personal data. */
        record Failed(String error) implements Result {
            public Failed {
                Objects.requireNonNull(error, "error");
            }
        }

        static Result fulfilled() {
            return new Fulfilled("");
        }

        static Result failed(String error) {
            return new Failed(error);
        }
    }
}
