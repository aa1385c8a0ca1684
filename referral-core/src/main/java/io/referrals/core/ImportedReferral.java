package io.referrals.core;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Money;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A historical referral for {@link ReferralEngine#importReferrals}: who referred whom, when, and the stage changes it
 * went through since. Immutable; build with {@link #builder()}.
 */
public final class ImportedReferral {
    /**
     * One historical stage change.
     *
     * @param to the stage entered
     * @param at when
     * @param cause what caused it
     * @param externalRef a CRM reference, or empty
     */
    public record Move(Stage to, Instant at, TransitionCause cause, String externalRef) {
        public Move {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(cause, "cause");
            externalRef = externalRef == null ? "" : externalRef;
        }
    }

    private final AdvocateId advocateId;
    private final ProgramId programId;
    private final Prospect prospect;
    private final Channel channel;
    private final ConsentBasis consent;
    private final String note;
    private final Instant submittedAt;
    private final List<Move> moves;
    private final Money dealValue;
    private final String importKey;

    private ImportedReferral(Builder b) {
        this.advocateId = Objects.requireNonNull(b.advocateId, "advocateId");
        this.programId = Objects.requireNonNull(b.programId, "programId");
        this.prospect = Objects.requireNonNull(b.prospect, "prospect");
        this.channel = Objects.requireNonNull(b.channel, "channel");
        this.consent = Objects.requireNonNull(b.consent, "consent");
        this.note = b.note;
        this.submittedAt = Objects.requireNonNull(b.submittedAt, "submittedAt");
        this.moves = List.copyOf(b.moves);
        this.dealValue = b.dealValue;
        this.importKey = b.importKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    public AdvocateId advocateId() {
        return advocateId;
    }

    public ProgramId programId() {
        return programId;
    }

    public Prospect prospect() {
        return prospect;
    }

    /** The channel; {@link Channel#IMPORT} unless the source knew better. */
    public Channel channel() {
        return channel;
    }

    public ConsentBasis consent() {
        return consent;
    }

    public String note() {
        return note;
    }

    public Instant submittedAt() {
        return submittedAt;
    }

    /** The stage changes since submission, oldest first. */
    public List<Move> moves() {
        return moves;
    }

    public Optional<Money> dealValue() {
        return Optional.ofNullable(dealValue);
    }

    /** A key unique to this row of the source (its idempotency key), or empty. */
    public String importKey() {
        return importKey;
    }

    /** Builds an {@link ImportedReferral}. Not thread-safe. */
    public static final class Builder {
        private AdvocateId advocateId;
        private ProgramId programId;
        private Prospect prospect;
        private Channel channel = Channel.IMPORT;
        private ConsentBasis consent;
        private String note = "";
        private Instant submittedAt;
        private final List<Move> moves = new ArrayList<>();
        private Money dealValue;
        private String importKey = "";

        private Builder() {
        }

        public Builder advocate(AdvocateId v) {
            advocateId = Objects.requireNonNull(v, "advocateId");
            return this;
        }

        public Builder program(ProgramId v) {
            programId = Objects.requireNonNull(v, "programId");
            return this;
        }

        public Builder prospect(Prospect v) {
            prospect = Objects.requireNonNull(v, "prospect");
            return this;
        }

        public Builder channel(Channel v) {
            channel = Objects.requireNonNull(v, "channel");
            return this;
        }

        public Builder consent(ConsentBasis v) {
            consent = Objects.requireNonNull(v, "consent");
            return this;
        }

        public Builder note(String v) {
            note = Objects.requireNonNull(v, "note");
            return this;
        }

        public Builder submittedAt(Instant v) {
            submittedAt = Objects.requireNonNull(v, "submittedAt");
            return this;
        }

        public Builder move(Stage to, Instant at, TransitionCause cause, String externalRef) {
            moves.add(new Move(to, at, cause, externalRef));
            return this;
        }

        public Builder dealValue(Money v) {
            dealValue = Objects.requireNonNull(v, "dealValue");
            return this;
        }

        public Builder importKey(String v) {
            importKey = Objects.requireNonNull(v, "importKey");
            return this;
        }

        /** @throws NullPointerException if advocate, program, prospect, consent or submission time is missing */
        public ImportedReferral build() {
            return new ImportedReferral(this);
        }
    }
}
