package io.referrals.core.moments;

import io.referrals.core.model.AdvocateId;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A moment of delight in an advocate's relationship with the host. Immutable and thread-safe.
 *
 * <p>An {@link MomentKind#NPS_ANSWER} carries its score (0 to 10); other kinds carry none.
 */
public final class Moment {
    private static final int NO_SCORE = -1;

    private final MomentId id;
    private final AdvocateId advocateId;
    private final MomentKind kind;
    private final int npsScore;
    private final Instant occurredAt;
    private final String note;

    private Moment(MomentId id, AdvocateId advocateId, MomentKind kind, int npsScore, Instant occurredAt,
            String note) {
        this.id = Objects.requireNonNull(id, "id");
        this.advocateId = Objects.requireNonNull(advocateId, "advocateId");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.occurredAt = Objects.requireNonNull(occurredAt, "occurredAt");
        this.note = note == null ? "" : note;
        this.npsScore = npsScore;
    }

    /**
     * A moment of any kind but {@link MomentKind#NPS_ANSWER}.
     *
     * @param note what happened, in the host's words, or empty; shown to the team, not the advocate
     * @throws IllegalArgumentException for {@link MomentKind#NPS_ANSWER}: use {@link #nps}
     */
    public static Moment of(MomentId id, AdvocateId advocateId, MomentKind kind, Instant occurredAt, String note) {
        if (kind == MomentKind.NPS_ANSWER) {
            throw new IllegalArgumentException("an NPS answer needs its score: use Moment.nps");
        }
        return new Moment(id, advocateId, kind, NO_SCORE, occurredAt, note);
    }

    /**
     * An NPS answer.
     *
     * @throws IllegalArgumentException unless {@code score} is 0 to 10
     */
    public static Moment nps(MomentId id, AdvocateId advocateId, int score, Instant occurredAt, String note) {
        if (score < 0 || score > 10) {
            throw new IllegalArgumentException("an NPS score is 0 to 10: " + score);
        }
        return new Moment(id, advocateId, MomentKind.NPS_ANSWER, score, occurredAt, note);
    }

    public MomentId id() {
        return id;
    }

    public AdvocateId advocateId() {
        return advocateId;
    }

    public MomentKind kind() {
        return kind;
    }

    /** The NPS score of an {@link MomentKind#NPS_ANSWER}; empty for other kinds. */
    public OptionalInt npsScore() {
        return npsScore == NO_SCORE ? OptionalInt.empty() : OptionalInt.of(npsScore);
    }

    /** True for an NPS answer of 9 or 10. */
    public boolean isPromoter() {
        return npsScore >= 9;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    /** What happened, or empty. */
    public String note() {
        return note;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Moment m && id.equals(m.id) && advocateId.equals(m.advocateId) && kind == m.kind
                && npsScore == m.npsScore && occurredAt.equals(m.occurredAt) && note.equals(m.note);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, advocateId, kind, npsScore, occurredAt);
    }

    /** Ids, kind and time; not the note. */
    @Override
    public String toString() {
        return "Moment[id=" + id + ", advocate=" + advocateId + ", kind=" + kind
                + (npsScore == NO_SCORE ? "" : ", score=" + npsScore) + ", at=" + occurredAt + "]";
    }
}
