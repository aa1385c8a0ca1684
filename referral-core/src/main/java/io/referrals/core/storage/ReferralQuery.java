package io.referrals.core.storage;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of referrals, filtered by program, advocate, stage and review status, ordered by id, starting after a cursor.
 * Immutable; build with {@link #builder()}.
 */
public final class ReferralQuery {
    private final ProgramId programId;
    private final AdvocateId advocateId;
    private final Stage stage;
    private final ReferralId after;
    private final int limit;
    private final ReviewStatus review;

    private ReferralQuery(Builder b) {
        this.programId = b.programId;
        this.advocateId = b.advocateId;
        this.stage = b.stage;
        this.after = b.after;
        this.limit = b.limit;
        this.review = b.review;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<ProgramId> programId() {
        return Optional.ofNullable(programId);
    }

    public Optional<AdvocateId> advocateId() {
        return Optional.ofNullable(advocateId);
    }

    public Optional<Stage> stage() {
        return Optional.ofNullable(stage);
    }

    /** Only referrals whose id sorts after this one (by {@link String#compareTo}). */
    public Optional<ReferralId> after() {
        return Optional.ofNullable(after);
    }

    /** Page size, 1 to 10,000. */
    public int limit() {
        return limit;
    }

    /** Only referrals in this review status ({@link ReviewStatus#FLAGGED} lists the review queue). */
    public Optional<ReviewStatus> review() {
        return Optional.ofNullable(review);
    }

    /** Builds a {@link ReferralQuery}. Not thread-safe. */
    public static final class Builder {
        private ProgramId programId;
        private AdvocateId advocateId;
        private Stage stage;
        private ReferralId after;
        private int limit = 100;
        private ReviewStatus review;

        private Builder() {
        }

        public Builder program(ProgramId v) {
            programId = Objects.requireNonNull(v);
            return this;
        }

        public Builder advocate(AdvocateId v) {
            advocateId = Objects.requireNonNull(v);
            return this;
        }

        public Builder stage(Stage v) {
            stage = Objects.requireNonNull(v);
            return this;
        }

        public Builder after(ReferralId v) {
            after = Objects.requireNonNull(v);
            return this;
        }

        /** @throws IllegalArgumentException unless 1 to 10,000 */
        public Builder limit(int v) {
            if (v < 1 || v > 10_000) {
                throw new IllegalArgumentException("limit must be 1 to 10000: " + v);
            }
            limit = v;
            return this;
        }

        /** Only referrals in this review status. */
        public Builder review(ReviewStatus v) {
            review = Objects.requireNonNull(v);
            return this;
        }

        public ReferralQuery build() {
            return new ReferralQuery(this);
        }
    }
}
