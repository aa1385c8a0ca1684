package io.referrals.core.moments;

import io.referrals.core.model.AdvocateId;
import java.util.Objects;

/**
 * An advocate worth asking now, with why.
 *
 * @param advocateId the advocate
 * @param score the sum of their moments' decayed strengths, above zero
 * @param strongest the moment contributing most to the score
 * @param latest their latest moment
 * @param moments how many moments were counted
 */
public record AskCandidate(AdvocateId advocateId, double score, Moment strongest, Moment latest, int moments) {
    public AskCandidate {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(strongest, "strongest");
        Objects.requireNonNull(latest, "latest");
        if (!(score > 0) || moments < 1) {
            throw new IllegalArgumentException("a candidate has a positive score and at least one moment");
        }
    }
}
