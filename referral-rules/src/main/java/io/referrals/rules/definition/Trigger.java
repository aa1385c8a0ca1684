package io.referrals.rules.definition;

import io.referrals.core.model.Stage;
import java.util.Objects;
import java.util.Set;

/**
 * What makes a {@link Rule} consider paying: a referral submitted, a stage reached, the Nth referral of an advocate
 * reaching a stage, or a host-defined event. Contest prizes are paid by {@link Contest}s when they end.
 */
public sealed interface Trigger {

    /** A referral was captured. Its milestone is {@code submitted}. */
    record Submitted() implements Trigger {
    }

    /** The referral entered one of {@code stages}; each stage is its own milestone {@code stage:<name>}. */
    record StageReached(Set<Stage> stages) implements Trigger {
        public StageReached {
            stages = Set.copyOf(stages);
            if (stages.isEmpty()) {
                throw new IllegalArgumentException("name at least one stage");
            }
        }
    }

    /**
     * The advocate's {@code n}th referral of the program entered {@code stage} (each referral counted once). The
     * milestone is {@code nth:<stage>:<n>}, paid on that referral.
     */
    record NthReferral(Stage stage, int n) implements Trigger {
        public NthReferral {
            Objects.requireNonNull(stage, "stage");
            if (n < 1) {
                throw new IllegalArgumentException("n must be at least 1: " + n);
            }
        }
    }

    /**
     * A host-defined event such as {@code review_written} or {@code certification_completed}, recorded with
     * {@link io.referrals.rules.Rewards#recordEvent}. Paid once per advocate, or once per event id when
     * {@code repeatable}.
     */
    record CustomEvent(String type, boolean repeatable) implements Trigger {
        public CustomEvent {
            Names.requireName(type, "type");
        }
    }

    static Trigger submitted() {
        return new Submitted();
    }

    static Trigger stageReached(Stage... stages) {
        return new StageReached(Set.of(stages));
    }

    static Trigger nthReferral(Stage stage, int n) {
        return new NthReferral(stage, n);
    }

    static Trigger event(String type) {
        return new CustomEvent(type, false);
    }

    static Trigger repeatableEvent(String type) {
        return new CustomEvent(type, true);
    }
}
