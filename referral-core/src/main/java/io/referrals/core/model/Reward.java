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
 * @param nextAttemptAt when the scheduled run next looks at the reward (see
 *     {@link io.referrals.core.storage.RewardRecords#due}): the end of the holding period at first, later moved on by
 *     the run itself (a review hold, a fulfilment claim, the backoff after a deferred approval or a failed fulfilment)
 * @param updatedAt when it last changed
 * @param explanation reasons, safe to show the advocate: conditions matched, limits applied, multipliers
 * @param version optimistic version, starting at 1
 */
public record Reward(RewardId id, ProgramId programId, AdvocateId advocateId, Beneficiary beneficiary,
        RewardSource source, String ruleId, int ruleVersion, String milestone, Incentive incentive,
        RewardStatus status, Instant createdAt, Instant holdUntil, Instant nextAttemptAt, Instant updatedAt,
        List<Reason> explanation, long version) {

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
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        explanation = List.copyOf(explanation);
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    /**
     * A reward whose next attempt is the end of its holding period: what every reward is when it is earned.
     *
     * @throws NullPointerException if a required field is missing
     * @throws IllegalArgumentException if a field is invalid
     */
    public Reward(RewardId id, ProgramId programId, AdvocateId advocateId, Beneficiary beneficiary,
            RewardSource source, String ruleId, int ruleVersion, String milestone, Incentive incentive,
            RewardStatus status, Instant createdAt, Instant holdUntil, Instant updatedAt, List<Reason> explanation,
            long version) {
        this(id, programId, advocateId, beneficiary, source, ruleId, ruleVersion, milestone, incentive, status,
                createdAt, holdUntil, holdUntil, updatedAt, explanation, version);
    }

    /**
     * The key that makes a reward exactly-once: one rule pays one milestone of one source to one beneficiary at most
     * once. Stores enforce its uniqueness.
     */
    public String dedupeKey() {
        return ruleId + '|' + source.kind() + ':' + source.id() + '|' + milestone + '|' + beneficiary;
    }

    /**
     * A builder naming each field: {@code Reward.builder(id, programId, advocateId).source(..).rule("won", 1)
     * .milestone("stage:won").incentive(..).status(RewardStatus.PENDING).createdAt(now).build()}. The beneficiary
     * defaults to {@link Beneficiary#ADVOCATE}, the hold and update times to the creation time, the next attempt to
     * the end of the hold, the explanation to none and the version to 1.
     */
    public static Builder builder(RewardId id, ProgramId programId, AdvocateId advocateId) {
        return new Builder(id, programId, advocateId);
    }

    /** A builder holding this reward's values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder(id, programId, advocateId).beneficiary(beneficiary).source(source)
                .rule(ruleId, ruleVersion).milestone(milestone).incentive(incentive).status(status)
                .createdAt(createdAt).holdUntil(holdUntil).nextAttemptAt(nextAttemptAt).updatedAt(updatedAt)
                .explanation(explanation);
        return b.version(version);
    }

    /** A copy in {@code newStatus} at {@code at}, with the next version. */
    public Reward withStatus(RewardStatus newStatus, Instant at) {
        return new Reward(id, programId, advocateId, beneficiary, source, ruleId, ruleVersion, milestone, incentive,
                newStatus, createdAt, holdUntil, nextAttemptAt, at, explanation, version + 1);
    }

    /** Builds a {@link Reward}; {@link #build()} checks every field as the record does. Not thread-safe. */
    public static final class Builder {
        private final RewardId id;
        private final ProgramId programId;
        private final AdvocateId advocateId;
        private Beneficiary beneficiary = Beneficiary.ADVOCATE;
        private RewardSource source;
        private String ruleId;
        private int ruleVersion;
        private String milestone;
        private Incentive incentive;
        private RewardStatus status;
        private Instant createdAt;
        private Instant holdUntil;
        private Instant nextAttemptAt;
        private Instant updatedAt;
        private List<Reason> explanation = List.of();
        private long version = 1;

        private Builder(RewardId id, ProgramId programId, AdvocateId advocateId) {
            this.id = id;
            this.programId = programId;
            this.advocateId = advocateId;
        }

        public Builder beneficiary(Beneficiary v) {
            beneficiary = v;
            return this;
        }

        public Builder source(RewardSource v) {
            source = v;
            return this;
        }

        /** The rule that produced the reward, and its version. */
        public Builder rule(String id, int version) {
            ruleId = id;
            ruleVersion = version;
            return this;
        }

        public Builder milestone(String v) {
            milestone = v;
            return this;
        }

        public Builder incentive(Incentive v) {
            incentive = v;
            return this;
        }

        public Builder status(RewardStatus v) {
            status = v;
            return this;
        }

        /** When the reward was produced; also the hold and update times unless they are set. */
        public Builder createdAt(Instant v) {
            createdAt = v;
            return this;
        }

        public Builder holdUntil(Instant v) {
            holdUntil = v;
            return this;
        }

        /** When the scheduled run next looks at the reward; the end of the holding period unless set. */
        public Builder nextAttemptAt(Instant v) {
            nextAttemptAt = v;
            return this;
        }

        public Builder updatedAt(Instant v) {
            updatedAt = v;
            return this;
        }

        public Builder explanation(List<Reason> v) {
            explanation = v;
            return this;
        }

        public Builder version(long v) {
            version = v;
            return this;
        }

        /**
         * @throws NullPointerException if a required field is missing
         * @throws IllegalArgumentException if a field is invalid
         */
        public Reward build() {
            Instant hold = holdUntil == null ? createdAt : holdUntil;
            return new Reward(id, programId, advocateId, beneficiary, source, ruleId, ruleVersion, milestone,
                    incentive, status, createdAt, hold, nextAttemptAt == null ? hold : nextAttemptAt,
                    updatedAt == null ? createdAt : updatedAt, explanation, version);
        }
    }
}
