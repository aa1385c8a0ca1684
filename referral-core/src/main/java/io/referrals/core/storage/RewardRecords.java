package io.referrals.core.storage;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The rewards area of a {@link StoreTransaction}. Checked by {@code RewardRecordsContract} in the contract kit. */
public interface RewardRecords {

    /**
     * Stores a new reward. A store may hold this write back (see {@link StoreTransaction}).
     *
     * @throws DuplicateKeyException {@link UniqueKey#REWARD} for a known id or {@link Reward#dedupeKey()}: this is
     *     what makes a reward exactly-once
     */
    void insert(Reward reward);

    /** Replaces a reward if the stored version is exactly {@code reward.version() - 1}; else returns false. */
    boolean update(Reward reward);

    /** The reward with this id. */
    Optional<Reward> get(RewardId id);

    /** The reward with this {@link Reward#dedupeKey()}. */
    Optional<Reward> byDedupeKey(String dedupeKey);

    /** Rewards earned for a referral, ordered by creation time then id. */
    List<Reward> ofReferral(ReferralId id);

    /** An advocate's rewards, ordered by creation time then id. */
    List<Reward> ofAdvocate(AdvocateId id);

    /**
     * A page of a program's rewards, of every source, ordered by id, only those whose id sorts after {@code after} (by
     * {@link String#compareTo}; empty string for the first page), at most {@code limit}.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    List<Reward> ofProgram(ProgramId programId, String after, int limit);

    /**
     * Up to {@code limit} rewards in {@code status} whose next attempt ({@link Reward#nextAttemptAt()}, as last
     * written) is at or before {@code dueBy}, ordered by next attempt, then id (by {@link String#compareTo}). A reward
     * whose next attempt moves later therefore makes way for the others: this is what keeps the scheduled run from
     * stalling on rewards it has to put off. Returns an empty list if {@code limit} is not positive.
     */
    List<Reward> due(RewardStatus status, Instant dueBy, int limit);

    /**
     * An advocate's rewards, newest first (by {@link Reward#createdAt()} descending, then id descending), only those
     * {@linkplain Before#admits after} {@code before}, at most {@code limit}. A store should answer it from an index on
     * (advocate, created at, id).
     *
     * @throws IllegalArgumentException if {@code limit} is not between 1 and {@value ReferralRecords#MAX_PAGE}
     */
    List<Reward> ofAdvocate(AdvocateId advocateId, Before before, int limit);
}
