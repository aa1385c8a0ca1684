package io.referrals.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A reward produced by a rule, with the explanation of why.
 *
 * @param id the reward's id
 * @param programId the program whose rule produced it
 * @param advocateId the advocate it belongs to (for {@link Beneficiary#REFERRED_PARTY}, the advocate who referred)
 * @param beneficiary which side receives it
 * @param source what it was earned for
 * @param ruleId the rule that produced it
 * @param ruleVersion the version of that rule
 * @param milestone the milestone paid, for example {@code stage:won}; with rule, source and beneficiary it forms the
 *     {@link #dedupeKey()}
 * @param incentive what it gives
 * @param status lifecycle state
 * @param createdAt when it was produced
 * @param holdUntil the end of the holding period; {@code createdAt} when there is none
 * @param updatedAt when it last changed
 * @param explanation reasons, safe to show the advocate: conditions matched, limits applied, multipliers
 * @param version optimistic version, starting at 1
 */
public record Reward(RewardId id, ProgramId programId, AdvocateId advocateId, Beneficiary beneficiary,
        RewardSource source, String ruleId, int ruleVersion, String milestone, Incentive incentive,
        RewardStatus status, Instant createdAt, Instant holdUntil, Instant updatedAt, List<Reason> explanation,
        long version) {

    public Reward {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(beneficiary, "beneficiary");
        Objects.requireNonNull(source, "source");
        Checks.required(ruleId, "ruleId");
        if (ruleVersion < 1) {
            throw new IllegalArgumentException("ruleVersion starts at 1");
        }
        Checks.required(milestone, "milestone");
        Objects.requireNonNull(incentive, "incentive");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(holdUntil, "holdUntil");
        Objects.requireNonNull(updatedAt, "updatedAt");
        explanation = List.copyOf(explanation);
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    /**
     * The key that makes a reward exactly-once: one rule pays one milestone of one source to one beneficiary at most
     * once. Stores enforce its uniqueness.
     */
    public String dedupeKey() {
        return ruleId + '|' + source.kind() + ':' + source.id() + '|' + milestone + '|' + beneficiary;
    }

    /** A copy in {@code newStatus} at {@code at}, with the next version. */
    public Reward withStatus(RewardStatus newStatus, Instant at) {
        return new Reward(id, programId, advocateId, beneficiary, source, ruleId, ruleVersion, milestone, incentive,
                newStatus, createdAt, holdUntil, at, explanation, version + 1);
    }
}
