package io.referrals.core;

import io.referrals.core.model.Referral;
import io.referrals.core.model.TimelineEntry;
import java.util.Objects;

/** The outcome of a stage change. */
public sealed interface TransitionResult {

    /** The referral as it stands after the call. */
    Referral referral();

    /**
     * The referral moved; {@code entry} was appended to its timeline.
     *
     * @param referral the referral after the move
     * @param entry the new timeline entry
     */
    record Moved(Referral referral, TimelineEntry entry) implements TransitionResult {
        public Moved {
            Objects.requireNonNull(referral, "referral");
            Objects.requireNonNull(entry, "entry");
        }
    }

    /**
     * The referral already was in the requested stage; nothing was written (a replayed webhook is harmless).
     *
     * @param referral the unchanged referral
     */
    record Unchanged(Referral referral) implements TransitionResult {
        public Unchanged {
            Objects.requireNonNull(referral, "referral");
        }
    }

    /**
     * A CRM stage name that the program does not map; nothing was written. Reported, never guessed.
     *
     * @param referral the unchanged referral
     * @param crmStage the CRM stage name received
     */
    record UnmappedCrmStage(Referral referral, String crmStage) implements TransitionResult {
        public UnmappedCrmStage {
            Objects.requireNonNull(referral, "referral");
            Objects.requireNonNull(crmStage, "crmStage");
        }
    }
}
