package io.referrals.rules.result;

import io.referrals.core.model.AdvocateId;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a contest leaderboard.
 *
 * @param rank 1 for the leader; ties are broken by who reached the score first, then by advocate id
 * @param advocateId the advocate
 * @param score the metric's value
 * @param reachedAt when the advocate reached that score
 */
public record Standing(int rank, AdvocateId advocateId, long score, Instant reachedAt) {
    public Standing {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(reachedAt, "reachedAt");
    }
}
