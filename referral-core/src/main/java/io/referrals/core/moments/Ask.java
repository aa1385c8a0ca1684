package io.referrals.core.moments;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An ask for a referral made of an advocate in a program, and its outcome. Immutable and thread-safe; a resolution
 * produces a copy with the next {@link #version()}, which stores write conditionally on the previous one.
 */
public final class Ask {
    private final AskId id;
    private final ProgramId programId;
    private final AdvocateId advocateId;
    private final String askedBy;
    private final MomentId trigger;
    private final Instant askedAt;
    private final AskStatus status;
    private final Instant resolvedAt;
    private final ReferralId referralId;
    private final long version;

    private Ask(AskId id, ProgramId programId, AdvocateId advocateId, String askedBy, MomentId trigger,
            Instant askedAt, AskStatus status, Instant resolvedAt, ReferralId referralId, long version) {
        this.id = Objects.requireNonNull(id, "id");
        this.programId = Objects.requireNonNull(programId, "programId");
        this.advocateId = Objects.requireNonNull(advocateId, "advocateId");
        this.askedBy = askedBy == null ? "" : askedBy;
        this.trigger = trigger;
        this.askedAt = Objects.requireNonNull(askedAt, "askedAt");
        this.status = Objects.requireNonNull(status, "status");
        if (status.isResolved() != (resolvedAt != null)) {
            throw new IllegalArgumentException("a resolved ask has a resolution time, a pending one has none");
        }
        if (referralId != null && status != AskStatus.REFERRED) {
            throw new IllegalArgumentException("only a REFERRED ask names a referral");
        }
        if (resolvedAt != null && resolvedAt.isBefore(askedAt)) {
            throw new IllegalArgumentException("an ask cannot be resolved before it was made");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
        this.resolvedAt = resolvedAt;
        this.referralId = referralId;
        this.version = version;
    }

    /**
     * A new pending ask, version 1.
     *
     * @param askedBy who asked (a rep's or a campaign's id), or empty
     * @param trigger the moment that prompted the ask, or {@code null}
     */
    public static Ask pending(AskId id, ProgramId programId, AdvocateId advocateId, String askedBy, MomentId trigger,
            Instant askedAt) {
        return new Ask(id, programId, advocateId, askedBy, trigger, askedAt, AskStatus.PENDING, null, null, 1);
    }

    /**
     * Rebuilds a stored ask (for store implementations).
     *
     * @param trigger the triggering moment or {@code null}
     * @param resolvedAt the resolution time, {@code null} exactly when pending
     * @param referralId the referral of a REFERRED ask, or {@code null}
     */
    public static Ask restore(AskId id, ProgramId programId, AdvocateId advocateId, String askedBy, MomentId trigger,
            Instant askedAt, AskStatus status, Instant resolvedAt, ReferralId referralId, long version) {
        return new Ask(id, programId, advocateId, askedBy, trigger, askedAt, status, resolvedAt, referralId, version);
    }

    /**
     * A copy resolved with {@code outcome} at {@code at}, with the next version.
     *
     * @param referralId the referral the ask produced (only with {@link AskStatus#REFERRED}), or {@code null}
     * @throws IllegalStateException if this ask is already resolved
     * @throws IllegalArgumentException if {@code outcome} is {@link AskStatus#PENDING}
     */
    public Ask resolve(AskStatus outcome, Instant at, ReferralId referralId) {
        if (status.isResolved()) {
            throw new IllegalStateException("ask " + id + " is already " + status);
        }
        if (!Objects.requireNonNull(outcome, "outcome").isResolved()) {
            throw new IllegalArgumentException("an outcome is not PENDING");
        }
        return new Ask(id, programId, advocateId, askedBy, trigger, askedAt, outcome, at, referralId, version + 1);
    }

    public AskId id() {
        return id;
    }

    public ProgramId programId() {
        return programId;
    }

    public AdvocateId advocateId() {
        return advocateId;
    }

    /** Who asked, or empty. */
    public String askedBy() {
        return askedBy;
    }

    /** The moment that prompted the ask. */
    public Optional<MomentId> trigger() {
        return Optional.ofNullable(trigger);
    }

    public Instant askedAt() {
        return askedAt;
    }

    public AskStatus status() {
        return status;
    }

    /** When the outcome was recorded; empty while pending. */
    public Optional<Instant> resolvedAt() {
        return Optional.ofNullable(resolvedAt);
    }

    /** The referral a {@link AskStatus#REFERRED} ask produced, when known. */
    public Optional<ReferralId> referralId() {
        return Optional.ofNullable(referralId);
    }

    public long version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ask a && id.equals(a.id) && version == a.version && programId.equals(a.programId)
                && advocateId.equals(a.advocateId) && askedBy.equals(a.askedBy) && Objects.equals(trigger, a.trigger)
                && askedAt.equals(a.askedAt) && status == a.status && Objects.equals(resolvedAt, a.resolvedAt)
                && Objects.equals(referralId, a.referralId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, version);
    }

    @Override
    public String toString() {
        return "Ask[id=" + id + ", program=" + programId + ", advocate=" + advocateId + ", status=" + status
                + ", version=" + version + "]";
    }
}
