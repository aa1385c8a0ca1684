package io.referrals.core.moments;

import io.referrals.core.model.Reason;
import java.util.Objects;

/** What recording an ask did: recorded, or refused with a reason code. */
public sealed interface AskResult {

    /**
     * The ask was recorded and is pending.
     *
     * @param ask the new ask
     */
    record Recorded(Ask ask) implements AskResult {
        public Recorded {
            Objects.requireNonNull(ask, "ask");
        }
    }

    /**
     * The ask was not recorded. Codes: {@code advocate_opted_out}, {@code advocate_not_enrolled},
     * {@code ask_pending} (the advocate has a pending ask in the program), {@code ask_cooldown} (asked within the
     * program's cooldown).
     *
     * @param reason why
     */
    record Refused(Reason reason) implements AskResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
